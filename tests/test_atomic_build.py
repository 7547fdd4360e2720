"""A failed or interrupted build leaves the previous site/ byte-for-byte as it was."""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import make_project, run_cli

CHAPTER = Path("methodology/zkusebni/uvod.md")
CHECKLIST = Path("methodology/zkusebni/checklists/zk-prvni-navsteva.yml")


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini project with a successful build (site/ and the handbook cache)."""
    project = make_project(tmp_path_factory.mktemp("atomic") / "project")
    result = run_cli("build", "--root", str(project))
    assert result.exit_code == 0, result.output
    return project


@pytest.fixture
def project(built_once: Path, tmp_path: Path) -> Path:
    """A private copy of the built project, so each test may break it."""
    return Path(shutil.copytree(built_once, tmp_path / "project", symlinks=True))


def fingerprint(site: Path) -> dict[str, str]:
    """Every file and folder under site/ with a hash of its bytes."""
    return {
        path.relative_to(site).as_posix(): (
            hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "folder"
        )
        for path in sorted(site.rglob("*"))
    }


def leftovers(project: Path) -> list[str]:
    """Staging or swap folders a build left next to site/."""
    return sorted(path.name for path in project.glob(".site*"))


def append(project: Path, relative: Path, text: str) -> None:
    path = project / relative
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def break_yaml(project: Path) -> str:
    append(project, CHECKLIST, "      - text: [neuzavřená závorka\n")
    return f"{CHECKLIST.as_posix()}:16:"


def break_typst(project: Path) -> str:
    # Raw Typst would pass through pandoc untouched; check refuses it before anything is built.
    append(project, CHAPTER, "\n```{=typst}\n#neexistujici-funkce()\n```\n")
    return "methodology/zkusebni/uvod.md:19:1: blok pro jiný výstupní formát „```{=typst}“ není dovolen"


def break_mkdocs_link(project: Path) -> str:
    # A reference-style link is resolved by MkDocs only; strict mode turns its warning into a failure.
    append(
        project, Path("docs/index.md"), "\nViz [chybějící stránku][chybi].\n\n[chybi]: chybi.md\n"
    )
    return "chybi.md"


FAILURES: dict[str, Callable[[Path], str]] = {
    "broken-yaml": break_yaml,
    "typst-error": break_typst,
    "mkdocs-strict-warning": break_mkdocs_link,
}


@pytest.mark.parametrize("kind", FAILURES)
def test_failed_build_leaves_site_unchanged(kind: str, project: Path) -> None:
    before = fingerprint(project / "site")
    append(project, CHAPTER, "\nNová věta, která by změnila web.\n")
    expected = FAILURES[kind](project)

    result = run_cli("build", "--root", str(project))

    assert result.exit_code == 1, result.output
    assert "zůstala beze změny" in result.output and expected in result.output, result.output
    assert fingerprint(project / "site") == before
    assert leftovers(project) == []


def test_pdf_compiler_crash_leaves_site_unchanged(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from metodiky.render import typst_process

    crash = "import sys; sys.exit('simulated crash of the Typst compiler')"
    monkeypatch.setattr(typst_process, "COMMAND", (sys.executable, "-c", crash))
    before = fingerprint(project / "site")
    append(project, CHAPTER, "\nNová věta, aby se příručka sestavovala znovu.\n")

    result = run_cli("build", "--root", str(project))

    assert result.exit_code == 1, result.output
    assert "simulated crash of the Typst compiler" in result.output
    assert fingerprint(project / "site") == before
    assert leftovers(project) == []


def test_killed_build_leaves_site_unchanged_and_next_build_cleans_up(project: Path) -> None:
    before = fingerprint(project / "site")
    append(project, CHAPTER, "\nNová věta, která by změnila web.\n")
    command = [
        sys.executable,
        "-c",
        "from metodiky.cli import main; main()",
        "build",
        "--root",
        str(project),
    ]
    build = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        staging = _wait_for_pages_in_staging(project, build)
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=30)
    finally:
        if build.poll() is None:
            build.kill()

    assert staging.is_dir(), "the build was not interrupted while writing its staging folder"
    assert fingerprint(project / "site") == before

    result = run_cli("build", "--root", str(project))

    assert result.exit_code == 0, result.output
    assert leftovers(project) == []
    assert "Nová věta" in (project / "site" / "zkusebni" / "uvod" / "index.html").read_text(
        encoding="utf-8"
    )


def test_build_killed_between_the_two_renames_keeps_the_previous_site(project: Path) -> None:
    before = fingerprint(project / "site")
    # The state a kill right after `site -> .site-old` leaves: no site/, the old one beside it.
    (project / "site").rename(project / ".site-old")
    (project / ".site-999999999-abcdefgh").mkdir()
    break_yaml(project)

    result = run_cli("build", "--root", str(project))

    assert result.exit_code == 1, result.output
    assert fingerprint(project / "site") == before
    assert leftovers(project) == []


def test_build_creates_a_missing_parent_of_the_site_folder(
    built_once: Path, tmp_path: Path
) -> None:
    site = tmp_path / "nova" / "slozka" / "site"

    result = run_cli("build", "--root", str(built_once), "--site-dir", str(site))

    assert result.exit_code == 0, result.output
    assert (site / "index.html").is_file()


def _wait_for_pages_in_staging(project: Path, build: subprocess.Popen) -> Path:
    """Poll until the build has written files into its staging folder; return that folder."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for staging in project.glob(".site-*"):
            if any(path.is_file() for path in staging.rglob("*")):
                return staging
        if build.poll() is not None:
            pytest.fail(f"the build finished (exit {build.returncode}) before it could be killed")
        time.sleep(0.005)
    pytest.fail("the build wrote no staging folder within 120 s")
