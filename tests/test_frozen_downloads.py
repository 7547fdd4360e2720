"""A released version's PDF and Word file are made once, at release, and published as they are:
`check` refuses a tampered, missing or foreign file, and a failure to make them keeps nothing."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import REPO, make_project, run_cli
from metodiky.frozen_downloads import DOWNLOADS_DIR, DOWNLOADS_FILE, freeze_downloads
from metodiky.knowledge import load_knowledge_base
from metodiky.releases import release_methodology

METHODOLOGY = Path("methodology/zkusebni")
PDF, WORD = "zkusebni-2.3.pdf", "zkusebni-2.3.docx"


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini project with version 2.3 released by the command a team runs."""
    project = make_project(tmp_path_factory.mktemp("frozen") / "project")
    result = run_cli("release", "--root", str(project), "zkusebni", "2.3", "--date", "2026-10-01")
    assert result.exit_code == 0, result.output
    return project


@pytest.fixture
def copy(released: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(released, tmp_path / "project"))


def _check(project: Path):
    return run_cli("check", "--root", str(project))


def test_a_release_keeps_its_pdf_and_word_file_with_their_fingerprints(released: Path) -> None:
    folder = released / METHODOLOGY / DOWNLOADS_DIR
    assert (folder / PDF).read_bytes().startswith(b"%PDF")
    assert "word/document.xml" in zipfile.ZipFile(folder / WORD).namelist()
    records = yaml.safe_load((released / METHODOLOGY / DOWNLOADS_FILE).read_text("utf-8"))
    releases = yaml.safe_load((released / METHODOLOGY / "vydani.yml").read_text("utf-8"))
    assert [record["version"] for record in records] == ["2.3"]
    assert records[0]["release_hash"] == releases[0]["hash"]
    assert set(records[0]["files"]) == {PDF, WORD}
    result = _check(released)
    assert result.exit_code == 0, result.output
    assert "varování" not in result.output


def test_the_build_publishes_the_frozen_files_byte_for_byte(copy: Path) -> None:
    result = run_cli("build", "--root", str(copy))

    assert result.exit_code == 0, result.output
    for name in (PDF, WORD):
        assert (copy / "site" / name).read_bytes() == (
            copy / METHODOLOGY / DOWNLOADS_DIR / name
        ).read_bytes()


def _tamper(project: Path) -> None:
    path = project / METHODOLOGY / DOWNLOADS_DIR / PDF
    path.write_bytes(path.read_bytes() + b"\n% upraveno\n")


def _wrong_release(project: Path) -> None:
    path = project / METHODOLOGY / DOWNLOADS_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("release_hash: ", "release_hash: 0"), encoding="utf-8")


def _stray(project: Path) -> None:
    (project / METHODOLOGY / DOWNLOADS_DIR / "zkusebni-2.2.pdf").write_bytes(b"%PDF")


def _missing(project: Path) -> None:
    (project / METHODOLOGY / DOWNLOADS_DIR / WORD).unlink()


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (
            _tamper,
            f"methodology/zkusebni/ke-stazeni/{PDF}:1:1: soubor ke stažení verze 2.3 byl po "
            "vydání změněn (nesouhlasí otisk SHA-256)",
        ),
        (
            _wrong_release,
            "methodology/zkusebni/ke-stazeni.yml:5:3: soubory ke stažení nevznikly z vydané "
            "verze 2.3 (otisk nesouhlasí s vydani.yml)",
        ),
        (
            _stray,
            "methodology/zkusebni/ke-stazeni/zkusebni-2.2.pdf:1:1: soubor se nepoužije: ve "
            "složce ke-stazeni/ jsou jen soubory uvedené v ke-stazeni.yml",
        ),
        (
            _missing,
            f"methodology/zkusebni/ke-stazeni.yml:7:3: soubor „{WORD}“ ve složce ke-stazeni/ chybí",
        ),
    ],
    ids=["tampered", "other-release", "stray-file", "missing-file"],
)
def test_check_names_the_file_and_line_of_a_damaged_frozen_download(
    copy: Path, damage, expected: str
) -> None:
    damage(copy)
    site_before = sorted((copy / "site").rglob("*")) if (copy / "site").exists() else []

    result = _check(copy)
    build = run_cli("build", "--root", str(copy))

    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output
    assert build.exit_code == 1 and expected in build.output
    assert (sorted((copy / "site").rglob("*")) if (copy / "site").exists() else []) == site_before


def test_freeze_downloads_freezes_a_version_released_before_the_rule(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    release_methodology(
        load_knowledge_base(project), "zkusebni", "2.3", [], dt.date(2026, 10, 1)
    )  # the texts only, as releases were made before files were frozen
    warned = _check(project)
    assert warned.exit_code == 0
    assert (
        "methodology/zkusebni/vydani.yml:3:3: varování: vydaná verze 2.3 nemá uložené soubory "
        "PDF a Word"
    ) in warned.output
    assert "„metodiky freeze-downloads zkusebni“" in warned.output

    result = run_cli("freeze-downloads", "--root", str(project))

    assert result.exit_code == 0, result.output
    assert f"Uloženo do zkusebni/ke-stazeni/: {WORD}, {PDF}." in result.output
    checked = _check(project)
    assert checked.exit_code == 0 and "varování" not in checked.output
    again = run_cli("freeze-downloads", "--root", str(project), "zkusebni")
    assert again.exit_code == 0
    assert "Všechny vydané verze už mají své soubory PDF a Word uložené." in again.output


def test_the_warning_names_the_line_of_the_versions_own_record(tmp_path: Path) -> None:
    """Records are listed sorted by version once loaded; the line must be the file's own."""
    project = make_project(tmp_path / "project")
    release_methodology(load_knowledge_base(project), "zkusebni", "2.3", [], dt.date(2026, 10, 1))
    release_methodology(
        load_knowledge_base(project), "zkusebni", "2.4", ["Doplněk."], dt.date(2026, 10, 2)
    )
    records = project / METHODOLOGY / "vydani.yml"
    header, *entries = records.read_text(encoding="utf-8").split("\n- ")
    records.write_text("\n- ".join([header, *reversed(entries)]) + "\n", encoding="utf-8")
    text = records.read_text(encoding="utf-8").splitlines()
    line_of_2_3 = text.index("- version: '2.3'") + 1

    warned = _check(project)

    assert warned.exit_code == 0, warned.output
    assert f"vydani.yml:{line_of_2_3}:3: varování: vydaná verze 2.3 nemá" in warned.output


def test_freeze_downloads_refuses_an_unknown_methodology(released: Path) -> None:
    result = run_cli("freeze-downloads", "--root", str(released), "neni-tu")

    assert result.exit_code == 1
    assert "ve složce methodology/ není metodika „neni-tu“" in result.output


def test_a_failure_while_making_the_files_keeps_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    release_methodology(load_knowledge_base(project), "zkusebni", "2.3", [], dt.date(2026, 10, 1))
    methodology = load_knowledge_base(project).methodology("zkusebni")

    def write_pdf(path: Path) -> None:
        path.write_bytes(b"%PDF")

    def fail(path: Path) -> None:
        path.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        freeze_downloads(methodology, "2.3", {PDF: write_pdf, WORD: fail}, dt.date(2026, 10, 2))

    assert not (project / METHODOLOGY / DOWNLOADS_DIR).exists()
    assert not (project / METHODOLOGY / DOWNLOADS_FILE).exists()


def test_every_release_of_the_project_is_frozen() -> None:
    """What trainers cite from the real site's version PDFs never moves under them."""
    knowledge = load_knowledge_base(REPO)
    for methodology in knowledge.methodologies:
        frozen = {record.version for record in methodology.downloads}
        assert frozen == {release.version for release in methodology.releases}, methodology.slug
