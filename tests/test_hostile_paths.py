"""A build never destroys its input, and nothing outside the project is read or published."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import make_project, run_cli
from metodiky.site_target import BUILD_STAMP, build_lock


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


@pytest.mark.parametrize("target", ["docs", ".", "methodology/zkusebni", "glossary"])
def test_building_into_the_sources_is_refused_and_touches_nothing(
    project: Path, target: str
) -> None:
    before = fingerprint(project)

    result = run_cli("build", "--root", str(project), "--site-dir", str(project / target))

    assert result.exit_code == 1
    assert result.output.startswith("Sestavení odmítnuto: cílová složka ")
    assert "Nic nebylo změněno." in result.output
    assert fingerprint(project) == before


def test_building_into_a_folder_that_holds_the_project_is_refused(project: Path) -> None:
    home = project.parent  # like `--site-dir ~` with the project somewhere under the home folder
    (home / "dopis.txt").write_text("Soukromý soubor.", encoding="utf-8")

    result = run_cli("build", "--root", str(project), "--site-dir", str(home))

    assert result.exit_code == 1
    assert f"cílová složka {home.resolve()} obsahuje samotný projekt" in result.output
    assert (home / "dopis.txt").read_text(encoding="utf-8") == "Soukromý soubor."


def test_a_foreign_non_empty_folder_is_refused_until_it_is_a_build_of_ours(
    project: Path, tmp_path: Path
) -> None:
    foreign = tmp_path / "moje-dokumenty"
    foreign.mkdir()
    (foreign / "smlouva.txt").write_text("Důležité.", encoding="utf-8")

    refused = run_cli("build", "--root", str(project), "--site-dir", str(foreign))

    assert refused.exit_code == 1
    assert f"nevytvořilo ji sestavení metodik (chybí v ní soubor {BUILD_STAMP})" in refused.output
    assert (foreign / "smlouva.txt").is_file()
    own = tmp_path / "web"
    assert run_cli("build", "--root", str(project), "--site-dir", str(own)).exit_code == 0
    assert (own / BUILD_STAMP).is_file()
    rebuilt = run_cli("build", "--root", str(project), "--site-dir", str(own))
    assert rebuilt.exit_code == 0, rebuilt.output


def test_a_folder_with_a_git_repository_is_refused(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "jiny-projekt"
    (other / ".git").mkdir(parents=True)

    result = run_cli("build", "--root", str(project), "--site-dir", str(other))

    assert result.exit_code == 1
    assert "obsahuje repozitář git" in result.output


def test_a_second_build_into_the_same_folder_is_refused_while_one_runs(
    project: Path, tmp_path: Path
) -> None:
    target = tmp_path / "web"
    with build_lock(target.resolve()):
        result = run_cli("build", "--root", str(project), "--site-dir", str(target))

    assert result.exit_code == 1
    assert "právě sestavuje web jiný proces" in result.output
    assert not target.exists()


def _check(project: Path) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from metodiky.cli import main; main()", "check"]
    return subprocess.run(
        [*command, "--root", str(project)], capture_output=True, text=True, timeout=120
    )


def test_a_symlink_to_a_file_outside_is_refused_by_check_and_build(
    project: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "tajne.txt"
    secret.write_text("TOKEN=tajemstvi", encoding="utf-8")
    (project / "docs" / "priloha.txt").symlink_to(secret)

    checked = _check(project)
    built = run_cli("build", "--root", str(project))

    message = (
        "docs/priloha.txt:1:1: symbolický odkaz vede mimo projekt; zkopírujte soubor do projektu"
    )
    assert checked.returncode == 1
    assert message in checked.stderr.splitlines()
    assert built.exit_code == 1
    assert not (project / "site").exists()


def test_a_symlinked_folder_outside_is_refused(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "jinde"
    outside.mkdir()
    (outside / "uvod.md").write_text("# Cizí {#cizi}\n", encoding="utf-8")
    (project / "methodology" / "cizi").symlink_to(outside, target_is_directory=True)

    result = _check(project)

    assert result.returncode == 1
    assert "methodology/cizi:1:1: symbolický odkaz vede mimo projekt" in result.stderr


def test_a_symlink_loop_is_one_clear_error(project: Path) -> None:
    loop = project / "glossary" / "smycka.yml"
    loop.symlink_to(loop)

    result = _check(project)

    assert result.returncode == 1
    assert "glossary/smycka.yml:1:1: symbolický odkaz tvoří smyčku" in result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) < 5


def test_a_fifo_is_refused_instead_of_hanging_the_build(project: Path) -> None:
    os.mkfifo(project / "docs" / "roura.md")

    result = _check(project)  # a read would block forever; the timeout would fail the test

    assert result.returncode == 1
    message = "docs/roura.md:1:1: není obyčejný soubor ani složka (například pojmenovaná roura nebo zařízení)"
    assert message in result.stderr.splitlines()
