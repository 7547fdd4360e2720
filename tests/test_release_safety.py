"""Releases under hostile input: a refused release changes nothing, no change text can break the
manifest, Windows line endings are not tampering, and git history guards what hashes cannot."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, make_project, run_cli
from metodiky import releases
from metodiky.errors import ContentError, ContentErrors
from metodiky.knowledge import load_knowledge_base
from metodiky.releases import ReleaseRefused, file_hash, release_methodology

METHODOLOGY = "methodology/zkusebni"
WRONG_FORM = "verze musí mít tvar X.Y z číslic 0–9 bez úvodních nul, například 1.1"


def _tree(root: Path) -> dict[str, bytes | None]:
    """Every path below the project (git's own folder aside) with its bytes: None for a folder."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes() if path.is_file() else None
        for path in sorted(root.rglob("*"))
        if ".git" not in path.relative_to(root).parts
    }


def _git(project: Path, *arguments: str, date: str = "2026-09-01T12:00:00") -> str:
    environment = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *arguments]
    result = subprocess.run(
        command, cwd=project, check=True, capture_output=True, env=environment, text=True
    )
    return result.stdout.strip()


def _refused(project: Path, *arguments: str) -> str:
    """Run a release that must be refused without touching a byte; return its message."""
    before = _tree(project)
    result = run_cli("release", "--root", str(project), "zkusebni", *arguments)
    assert result.exit_code == 1, result.output
    assert _tree(project) == before
    assert result.output.startswith("Vydání odmítnuto: ")
    return result.output.removeprefix("Vydání odmítnuto: ").strip()


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini project, never released: every test on it must leave it as it was."""
    return make_project(tmp_path_factory.mktemp("refusals"))


@pytest.mark.parametrize(
    "version",
    [
        "١.٢",  # Arabic-Indic digits: isdigit() says yes
        "２.４",  # fullwidth digits
        "²",
        "2.4.1",
        "02.4",
        "2.04",
        "2",
        "2.",
        ".4",
        "v2.4",
        "2,4",
        " 2.4",
        "2.4\n",
        "",
        "2.12345",
    ],
)
def test_a_malformed_version_is_refused_before_anything_is_written(
    project: Path, version: str
) -> None:
    shown = version.replace("\n", "\\n")
    assert _refused(project, version, "--change", "Nic.") == f"{WRONG_FORM} (zadáno „{shown}“)"


def test_a_huge_version_is_refused_and_shown_shortened(project: Path) -> None:
    assert _refused(project, "9" * 5000 + ".1", "--change", "Nic.") == (
        f"{WRONG_FORM} (zadáno „{'9' * 40}…“)"
    )


def test_an_unknown_methodology_is_refused_untouched(project: Path) -> None:
    before = _tree(project)
    result = run_cli("release", "--root", str(project), "neni\x07tu", "2.4", "--change", "Nic.")
    assert result.exit_code == 1
    assert "Vydání odmítnuto: ve složce methodology/ není metodika „neni\\x07tu“" in result.output
    assert _tree(project) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("", 'popis změny je prázdný; napište, co se změnilo, volbou --change "…"'),
        ("   \n ", 'popis změny je prázdný; napište, co se změnilo, volbou --change "…"'),
        (
            "Nová\x00kapitola",
            "popis změny obsahuje nepovolený znak U+0000 (řídicí nebo neplatný znak); odstraňte ho",
        ),
        (
            "Oddíl\u2028nový",
            "popis změny obsahuje nepovolený znak U+2028 (řídicí nebo neplatný znak); odstraňte ho",
        ),
        (
            "Oddíl\x85nový",
            "popis změny obsahuje nepovolený znak U+0085 (řídicí nebo neplatný znak); odstraňte ho",
        ),
    ],
)
def test_an_unusable_change_text_is_refused_untouched(
    project: Path, change: str, message: str
) -> None:
    assert _refused(project, "2.4", "--change", "Dobrá změna.", "--change", change) == message


def test_a_leftover_folder_of_the_version_is_refused_untouched(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    leftover = project / METHODOLOGY / "vydani" / "2.4"
    leftover.mkdir(parents=True)
    (leftover / "uvod.md").write_text("# Rozepsané\n", encoding="utf-8")
    assert _refused(project, "2.4", "--change", "Nic.") == (
        f"složka {METHODOLOGY}/vydani/2.4 už existuje, ačkoli verze 2.4 vydaná není; "
        "odstraňte ji, nebo zvolte jinou verzi"
    )


def test_a_changelog_written_inline_is_refused_untouched(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    manifest = project / METHODOLOGY / "metodika.yml"
    text = manifest.read_text(encoding="utf-8")
    block = '  - version: "2.3"\n    date: 2026-10-01\n    changes:\n      - Zkušební změna.\n'
    assert f"changelog:\n{block}" in text
    manifest.write_text(
        text.replace(
            f"changelog:\n{block}",
            'changelog: [{version: "2.3", date: 2026-10-01, changes: [Zkušební změna.]}]\n',
        ),
        encoding="utf-8",
    )
    assert run_cli("check", "--root", str(project)).exit_code == 0
    assert _refused(project, "2.4", "--change", "Nic.") == (
        "metodika.yml nelze upravit:\n"
        f"{METHODOLOGY}/metodika.yml:17:1: pole „changelog“ musí být zapsané jako seznam pod "
        "sebou (řádky „- version: …“), aby do něj šlo připsat novou verzi"
    )


HOSTILE_CHANGES = [
    "Dlouhý popis " + "velmi dlouhé změny " * 263 + "konec.",  # over 5 000 characters, one line
    "Pole „x“: hodnota # ne komentář - \"uvozovky\" a 'apostrof' {a: b} [c] & *d !e %f @g `h`",
    "- začíná pomlčkou: jako položka seznamu",
    "# začíná mřížkou",
    "První řádek\nDruhý řádek\n\nPo prázdném řádku",
    "Tabulátor\turvnitř, zpětné lomítko \\n a ... tři tečky",
    "yes",
    "2.4",
    "null",
    "> větší než",
    "| svislítko",
    "? otazník",
    "%YAML 1.2",
    "---",
]


def test_no_change_text_can_break_the_manifest(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    assert len(HOSTILE_CHANGES[0]) > 5000
    arguments = [argument for change in HOSTILE_CHANGES for argument in ("--change", change)]
    result = run_cli(
        "release", "--root", str(project), "zkusebni", "2.4", "--date", "2026-11-20", *arguments
    )
    assert result.exit_code == 0, result.output
    assert run_cli("check", "--root", str(project)).exit_code == 0
    methodology = load_knowledge_base(project).methodologies[0]
    for manifest in (methodology.manifest, methodology.editions["2.4"].manifest):
        assert manifest.version == "2.4"
        assert manifest.status == "platná"
        assert manifest.approved == dt.date(2026, 11, 20)
        latest = manifest.changelog[0]
        assert (latest.version, latest.date) == ("2.4", dt.date(2026, 11, 20))
        assert list(latest.changes) == HOSTILE_CHANGES
        assert manifest.changelog[1].changes == ["Zkušební změna."]
    written = (project / METHODOLOGY / "metodika.yml").read_text(encoding="utf-8")
    assert f"      - {HOSTILE_CHANGES[0]}\n" in written  # one line, not folded


def test_a_changelog_at_the_left_margin_gets_the_new_entry_at_the_same_margin(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "project")
    manifest = project / METHODOLOGY / "metodika.yml"
    text = manifest.read_text(encoding="utf-8")
    block = '  - version: "2.3"\n    date: 2026-10-01\n    changes:\n      - Zkušební změna.\n'
    flush = '- version: "2.3"\n  date: 2026-10-01\n  changes:\n    - Zkušební změna.\n'
    manifest.write_text(text.replace(block, flush), encoding="utf-8")
    result = run_cli("release", "--root", str(project), "zkusebni", "2.4", "--change", "Nové: x")
    assert result.exit_code == 0, result.output
    changelog = load_knowledge_base(project).methodologies[0].manifest.changelog
    assert [entry.changes for entry in changelog] == [["Nové: x"], ["Zkušební změna."]]


def _release_in_place(project: Path, **options) -> None:
    knowledge = load_knowledge_base(project)
    release_methodology(knowledge, "zkusebni", "2.4", ["Nic."], dt.date(2026, 11, 20), **options)


def test_a_release_the_reloaded_project_rejects_is_undone(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    before = _tree(project)

    def broken() -> None:
        assert (project / METHODOLOGY / "vydani" / "2.4" / "uvod.md").is_file()
        raise ContentErrors([ContentError(f"{METHODOLOGY}/vydani.yml", 3, 3, "chyba")])

    with pytest.raises(ReleaseRefused) as refused:
        _release_in_place(project, verify=broken)
    assert str(refused.value) == (
        "po zapsání by obsah měl chyby, proto se nic nezměnilo:\n"
        f"{METHODOLOGY}/vydani.yml:3:3: chyba"
    )
    assert _tree(project) == before


def test_a_release_that_fails_to_write_is_undone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = make_project(tmp_path / "project")
    first = make_project(tmp_path / "released")
    _release_in_place(first)  # a second release: vydani/ and vydani.yml exist already
    copied: list[Path] = []
    real_copy = shutil.copyfile

    def failing_copy(source: Path, target: Path) -> None:
        copied.append(target)
        if len(copied) == 3:
            raise OSError(errno.ENOSPC, "Došlo místo na disku", str(target))
        real_copy(source, target)

    monkeypatch.setattr(releases.shutil, "copyfile", failing_copy)
    for root in (project, first):
        copied.clear()
        before = _tree(root)
        knowledge = load_knowledge_base(root)
        version = "2.4" if root == project else "2.5"
        with pytest.raises(ReleaseRefused) as refused:
            release_methodology(knowledge, "zkusebni", version, ["Nic."], dt.date(2026, 11, 20))
        assert str(refused.value) == (
            f"zápis se nezdařil (Došlo místo na disku: „{copied[-1]}“), proto se nic nezměnilo"
        )
        assert _tree(root) == before


def test_frozen_copies_checked_out_with_windows_line_endings_are_not_tampering(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "project")
    assert run_cli("release", "--root", str(project), "zkusebni", "2.3").exit_code == 0
    frozen = project / METHODOLOGY / "vydani" / "2.3"
    for path in frozen.rglob("*"):
        if path.is_file():
            path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    result = run_cli("check", "--root", str(project))
    assert result.exit_code == 0, result.output
    chapter = frozen / "postup.md"
    chapter.write_bytes(chapter.read_bytes().replace(b"Kroky", b"Krok"))
    result = run_cli("check", "--root", str(project))
    assert result.exit_code == 1
    assert (
        f"{METHODOLOGY}/vydani/2.3/postup.md:1:1: soubor vydané verze 2.3 byl po vydání změněn"
        in (result.output)
    )


def test_hashes_of_lf_files_are_plain_sha256_and_the_repo_pins_lf(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"# A\n\nText.\n")
    assert file_hash(path) == hashlib.sha256(b"# A\n\nText.\n").hexdigest()
    path.write_bytes(b"# A\r\n\r\nText.\r\n")
    assert file_hash(path) == hashlib.sha256(b"# A\n\nText.\n").hexdigest()
    attributes = (REPO / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert "methodology/*/vydani/** text eol=lf" in attributes
    assert "methodology/*/vydani.yml text eol=lf" in attributes


@pytest.fixture
def released_in_git(tmp_path: Path) -> tuple[Path, str]:
    """The mini project in git, released as 2.3 and committed; returns it and the release commit."""
    project = make_project(tmp_path / "project")
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-qm", "obsah")
    result = run_cli("release", "--root", str(project), "zkusebni", "2.3", "--date", "2026-10-02")
    assert result.exit_code == 0, result.output
    _git(project, "add", ".")
    _git(project, "commit", "-qm", "vydání 2.3", date="2026-10-02T12:00:00")
    return project, _git(project, "rev-parse", "HEAD")


def test_a_committed_release_and_later_releases_pass(released_in_git: tuple[Path, str]) -> None:
    project, _ = released_in_git
    chapter = project / METHODOLOGY / "postup.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nDoplněk.\n", encoding="utf-8")
    _git(project, "commit", "-qam", "doplněk", date="2026-10-03T12:00:00")
    manifest = project / METHODOLOGY / "metodika.yml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace("date: 2026-10-01\n    by:", "date: 2026-10-04\n    by:"), encoding="utf-8"
    )
    _git(project, "commit", "-qam", "revize", date="2026-10-04T12:00:00")
    result = run_cli("release", "--root", str(project), "zkusebni", "2.4", "--change", "Doplněk.")
    assert result.exit_code == 0, result.output
    _git(project, "add", ".")
    _git(project, "commit", "-qm", "vydání 2.4", date="2026-10-05T12:00:00")
    result = run_cli("check", "--root", str(project))
    assert result.exit_code == 0, result.output


def _tamper(project: Path) -> None:
    """Edit a frozen chapter and its recorded hash together: the hashes agree again."""
    frozen = project / METHODOLOGY / "vydani" / "2.3" / "postup.md"
    old = file_hash(frozen)
    frozen.write_text(frozen.read_text(encoding="utf-8") + "\nDodatek.\n", encoding="utf-8")
    records = project / METHODOLOGY / "vydani.yml"
    text = records.read_text(encoding="utf-8")
    total, _ = releases.fingerprint(frozen.parent)
    old_total = next(line for line in text.splitlines() if line.startswith("  hash: "))
    text = text.replace(old, file_hash(frozen)).replace(old_total, f"  hash: {total}")
    records.write_text(text, encoding="utf-8")


def test_a_frozen_file_changed_in_git_with_its_hash_is_an_error(
    released_in_git: tuple[Path, str],
) -> None:
    project, release_commit = released_in_git
    _tamper(project)
    _git(project, "commit", "-qam", "oprava", date="2026-10-06T12:00:00")
    tampered = _git(project, "rev-parse", "HEAD")
    result = run_cli("check", "--root", str(project))
    assert result.exit_code == 1
    hint = (
        f"(vydané verze se nemění; vraťte je do podoby z commitu vydání {release_commit[:12]} "
        "a změny udělejte v aktuální verzi)"
    )
    assert result.output.splitlines() == [
        f"{METHODOLOGY}/ke-stazeni.yml:5:3: soubory ke stažení nevznikly z vydané verze 2.3 "
        "(otisk nesouhlasí s vydani.yml) (vydaná verze nebo záznam jejích souborů se změnily; "
        "vraťte oba do podoby z commitu vydání (git checkout))",
        f"{METHODOLOGY}/vydani.yml:3:3: vydaná verze 2.3 byla po vydání změněna v gitu "
        f"(commit {tampered[:12]}) {hint}",
        f"{METHODOLOGY}/vydani/2.3/postup.md:1:1: vydaná verze 2.3 byla po vydání změněna v gitu "
        f"(commit {tampered[:12]}) {hint}",
        "Nalezeno problémů: 3.",
    ]


def test_a_frozen_file_changed_on_disk_with_its_hash_is_an_error(
    released_in_git: tuple[Path, str],
) -> None:
    project, release_commit = released_in_git
    _tamper(project)
    result = run_cli("check", "--root", str(project))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{METHODOLOGY}/ke-stazeni.yml:5:3: soubory ke stažení nevznikly z vydané verze 2.3 "
        "(otisk nesouhlasí s vydani.yml) (vydaná verze nebo záznam jejích souborů se změnily; "
        "vraťte oba do podoby z commitu vydání (git checkout))",
        f"{METHODOLOGY}/vydani.yml:3:3: záznam vydané verze 2.3 byl po vydání změněn "
        "(změna zatím není zapsaná v gitu) (vydané verze se nemění; vraťte je do podoby z commitu "
        f"vydání {release_commit[:12]} a změny udělejte v aktuální verzi)",
        "Nalezeno problémů: 2.",
    ]


def test_a_file_added_to_a_frozen_copy_in_git_is_an_error(
    released_in_git: tuple[Path, str],
) -> None:
    project, _ = released_in_git
    extra = project / METHODOLOGY / "vydani" / "2.3" / "navic.md"
    extra.write_text("# Navíc {#zk-navic}\n", encoding="utf-8")
    _git(project, "add", ".")
    _git(project, "commit", "-qm", "navíc", date="2026-10-06T12:00:00")
    added = _git(project, "rev-parse", "HEAD")
    result = run_cli("check", "--root", str(project))
    assert result.exit_code == 1
    assert (
        f"{METHODOLOGY}/vydani/2.3/navic.md:1:1: vydaná verze 2.3 byla po vydání změněna v gitu "
        f"(commit {added[:12]})"
    ) in result.output
    assert (
        f"{METHODOLOGY}/vydani/2.3/navic.md:1:1: soubor byl přidán do vydané verze 2.3"
        in result.output
    )
