"""A released version's PDF and Word file, made once when the version is released and kept.

A trainer cites „verze 1.1, s. 12“ for years: the file behind that citation must not move when
the PDF template, the glossary or the list of laws changes later. And a site with 150
methodologies cannot lay out every archived version's PDF again on each build (≈ 2 s of CPU per
version). So `metodiky release` makes the two files of the new version and keeps them in the
methodology's `ke-stazeni/` folder, their SHA-256 recorded in `ke-stazeni.yml`; every build
publishes them as they are. A released version without frozen files (a project older than this
rule) is still made by each build, and `check` says how to freeze it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from pydantic import Field

from .errors import ContentError, display_path, quoted
from .model import KnowledgeBase, Methodology, Strict, VersionNumber
from .releases import RELEASES_FILE, append_record, record_index
from .unchanged import PerFile

DOWNLOADS_DIR = "ke-stazeni"
DOWNLOADS_FILE = "ke-stazeni.yml"
DOWNLOADS_HEADER = (
    "# Soubory ke stažení vydaných verzí (PDF a Word), vytvořené při vydání a dál neměněné:\n"
    "# soubor zapisuje příkaz `metodiky release` (u starších verzí `metodiky freeze-downloads`),\n"
    "# ručně jej neupravujte. Soubory jsou ve složce ke-stazeni/, chráněné otiskem SHA-256.\n"
)
REMAKE_HINT = (
    "obnovte soubor z gitu (git checkout), nebo smažte soubor i jeho záznam v ke-stazeni.yml "
    "a vytvořte je znovu příkazem „metodiky freeze-downloads“"
)


class FrozenDownloads(Strict):
    """The frozen files of one released version: which release they were made from, and their
    fingerprints."""

    version: VersionNumber = Field(description="Released version the files belong to, X.Y.")
    release_hash: str = Field(
        description="The `hash` of that version in vydani.yml: the frozen text the files show."
    )
    date: dt.date = Field(description="Day the files were made.")
    files: dict[str, str] = Field(description="SHA-256 of each file in ke-stazeni/, by name.")


DOWNLOADS_FILE_MODEL = list[FrozenDownloads]


def download_names(slug: str, version: str) -> tuple[str, str]:
    """The PDF and Word file of a version, named as the site publishes them."""
    return f"{slug}-{version}.pdf", f"{slug}-{version}.docx"


def frozen_file(methodology: Methodology, name: str) -> tuple[Path, str] | None:
    """The kept file published as `name` (e.g. `kontaktni-prace-1.1.pdf`) and its SHA-256, if
    the version was frozen; loading the project has checked it against the record."""
    for record in methodology.downloads:
        if name in record.files:
            return methodology.folder / DOWNLOADS_DIR / name, record.files[name]
    return None


def unfrozen_versions(methodology: Methodology) -> list[str]:
    """Released versions whose PDF and Word file are still made by every build."""
    frozen = {record.version for record in methodology.downloads}
    return [release.version for release in methodology.releases if release.version not in frozen]


def unfrozen_warnings(knowledge: KnowledgeBase) -> list[ContentError]:
    """Warnings, not errors: released versions whose files every build makes again."""
    warnings = []
    for methodology in knowledge.methodologies:
        shown = display_path(methodology.folder / RELEASES_FILE, knowledge.root)
        frozen = {record.version for record in methodology.downloads}
        for release in methodology.releases:
            if release.version in frozen:
                continue
            index = record_index(knowledge, shown, release.version)
            line, column = knowledge.sources.locate(shown, (index, "version"))
            message = (
                f"vydaná verze {release.version} nemá uložené soubory PDF a Word: každé sestavení "
                "je vytváří znovu, takže se může posunout i číslo strany, na které školitel odkazuje"
            )
            hint = f"uložte je příkazem „metodiky freeze-downloads {methodology.slug}“"
            warnings.append(ContentError(shown, line, column, message, hint))
    return warnings


def binary_hash(path: Path) -> str:
    """SHA-256 of a file's bytes as they are (a PDF is not text: no line endings to even out)."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


# `serve` checks the project after every edit; hashing 300 PDFs again would take a second.
_HASHES: PerFile[str] = PerFile()


def check_frozen_downloads(knowledge: KnowledgeBase) -> list[ContentError]:
    """Each record names a released version and the two files made from its frozen text, and
    those files are in `ke-stazeni/` exactly as recorded; nothing else is there."""
    errors: list[ContentError] = []
    for methodology in knowledge.methodologies:
        errors += _methodology_problems(knowledge, methodology)
    return errors


def _methodology_problems(knowledge: KnowledgeBase, methodology: Methodology) -> list[ContentError]:
    errors: list[ContentError] = []
    records_path = methodology.folder / DOWNLOADS_FILE
    shown_records = display_path(records_path, knowledge.root)
    folder = methodology.folder / DOWNLOADS_DIR
    releases = {release.version: release for release in methodology.releases}

    def at_record(index: int, field: str, message: str, hint: str = "") -> None:
        line, column = knowledge.sources.locate(shown_records, (index, field))
        errors.append(ContentError(shown_records, line, column, message, hint))

    seen: set[str] = set()
    recorded: set[str] = set()
    for index, record in enumerate(methodology.downloads):
        version = record.version
        if version in seen:
            at_record(index, "version", f"verze {version} je v souboru uvedena dvakrát")
            continue
        seen.add(version)
        release = releases.get(version)
        if release is None:
            at_record(
                index,
                "version",
                f"verze {version} nebyla vydána (v souboru vydani.yml chybí)",
                "záznam i jeho soubory smažte",
            )
            continue
        if record.release_hash != release.hash:
            at_record(
                index,
                "release_hash",
                f"soubory ke stažení nevznikly z vydané verze {version} "
                "(otisk nesouhlasí s vydani.yml)",
                "vydaná verze nebo záznam jejích souborů se změnily; vraťte oba do podoby "
                "z commitu vydání (git checkout)",
            )
        expected = set(download_names(methodology.slug, version))
        if set(record.files) != expected:
            names = " a ".join(quoted(name) for name in sorted(expected))
            at_record(index, "files", f"verze {version} má mít právě soubory {names}")
            continue
        for name, digest in sorted(record.files.items()):
            recorded.add(name)
            path = folder / name
            shown = display_path(path, knowledge.root)
            if not path.is_file():
                at_record(
                    index,
                    "files",
                    f"soubor {quoted(name)} ve složce {DOWNLOADS_DIR}/ chybí",
                    REMAKE_HINT,
                )
            elif _HASHES.get(path, binary_hash) != digest:
                errors.append(
                    ContentError(
                        shown,
                        1,
                        1,
                        f"soubor ke stažení verze {version} byl po vydání změněn "
                        "(nesouhlasí otisk SHA-256)",
                        REMAKE_HINT,
                    )
                )
    if folder.is_dir():
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith(".") or entry.name in recorded:
                continue
            errors.append(
                ContentError(
                    display_path(entry, knowledge.root),
                    1,
                    1,
                    f"soubor se nepoužije: ve složce {DOWNLOADS_DIR}/ jsou jen soubory "
                    f"uvedené v {DOWNLOADS_FILE}",
                    "soubor přesuňte jinam, nebo jej smažte",
                )
            )
    return errors


def freeze_downloads(
    methodology: Methodology,
    version: str,
    produce: dict[str, Callable[[Path], None]],
    today: dt.date,
) -> FrozenDownloads:
    """Make a released version's files with `produce` (name → writer, as the build makes
    them), keep them in `ke-stazeni/` and append their record. All or nothing: a failure
    leaves the folder and the record as they were."""
    release = next(r for r in methodology.releases if r.version == version)
    folder = methodology.folder / DOWNLOADS_DIR
    created = not folder.exists()
    folder.mkdir(exist_ok=True)
    records_path = methodology.folder / DOWNLOADS_FILE
    saved = records_path.read_bytes() if records_path.is_file() else None
    placed: list[Path] = []
    try:
        with tempfile.TemporaryDirectory(prefix=".vytvari-se-", dir=folder) as workdir:
            made = {}
            for name, write in produce.items():
                write(Path(workdir) / name)
                made[name] = binary_hash(Path(workdir) / name)
            for name in made:
                placed.append(folder / name)
                shutil.move(Path(workdir) / name, folder / name)
        record = FrozenDownloads(version=version, release_hash=release.hash, date=today, files=made)
        append_record(records_path, DOWNLOADS_HEADER, record)
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        if saved is None:
            records_path.unlink(missing_ok=True)
        else:
            records_path.write_bytes(saved)
        if created:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return record
