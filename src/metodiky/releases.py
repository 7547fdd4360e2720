"""Released versions: frozen copies of a methodology with content hashes recorded in the repo."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from pathlib import Path

import yaml
from pydantic import Field

from .errors import ContentError, display_path, quoted
from .model import KnowledgeBase, Methodology, Strict, VersionNumber
from .safety import safety_review_problem

RELEASES_FILE = "vydani.yml"
SNAPSHOTS_DIR = "vydani"
RELEASES_HEADER = (
    "# Vydané verze této metodiky: soubor zapisuje příkaz `metodiky release`, ručně jej neupravujte.\n"
    "# Každá verze je uložena ve složce vydani/<verze>/ a chráněna otiskem (SHA-256) svých souborů.\n"
)


class ReleaseRecord(Strict):
    """One released version: when, and the fingerprint of every frozen file."""

    version: VersionNumber = Field(description="Released version, X.Y.")
    date: dt.date = Field(description="Date of the release.")
    hash: str = Field(description="SHA-256 over all files of the frozen copy.")
    files: dict[str, str] = Field(description="SHA-256 of each frozen file, by relative path.")


RELEASES_FILE_MODEL = list[ReleaseRecord]


def version_key(version: str) -> tuple[int, int]:
    """Versions compare as numbers: 1.10 is newer than 1.9."""
    major, minor = version.split(".")
    return int(major), int(minor)


def snapshot_folder(methodology_folder: Path, version: str) -> Path:
    """Where the frozen copy of a version lives."""
    return methodology_folder / SNAPSHOTS_DIR / version


def fingerprint(folder: Path) -> tuple[str, dict[str, str]]:
    """SHA-256 of every file below a folder, and one hash over all of them (paths included)."""
    files = {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    total = hashlib.sha256(
        "".join(f"{name}\0{digest}\n" for name, digest in sorted(files.items())).encode()
    )
    return total.hexdigest(), files


def release_files(methodology: Methodology) -> list[Path]:
    """The files a release freezes: manifest, chapters, checklists and trees."""
    folder = methodology.folder
    files = [folder / "metodika.yml", *(chapter.source for chapter in methodology.chapters)]
    for kind in ("checklists", "trees"):
        files += sorted((folder / kind).glob("*.yml"))
    return files


def check_releases(knowledge: KnowledgeBase) -> list[ContentError]:
    """Frozen copies must still match their recorded hashes, file by file."""
    errors: list[ContentError] = []
    for methodology in knowledge.methodologies:
        for release in methodology.releases:
            folder = snapshot_folder(methodology.folder, release.version)
            shown_folder = display_path(folder, knowledge.root)
            if not folder.is_dir():
                errors.append(
                    ContentError(shown_folder, 1, 1, f"vydaná verze {release.version} chybí")
                )
                continue
            _, actual = fingerprint(folder)
            for name in sorted(set(release.files) | set(actual)):
                shown = f"{shown_folder}/{name}"
                if name not in actual:
                    message = f"soubor vydané verze {release.version} byl smazán"
                elif name not in release.files:
                    message = f"soubor byl přidán do vydané verze {release.version}"
                elif actual[name] != release.files[name]:
                    message = (
                        f"soubor vydané verze {release.version} byl po vydání změněn "
                        "(nesouhlasí otisk SHA-256)"
                    )
                else:
                    continue
                errors.append(
                    ContentError(
                        shown,
                        1,
                        1,
                        message,
                        "vydané verze se nemění; upravte aktuální verzi",
                    )
                )
    return errors


class ReleaseRefused(Exception):
    """A release was refused; the message says why."""


def release_methodology(
    knowledge: KnowledgeBase, slug: str, version: str, changes: list[str], today: dt.date
) -> ReleaseRecord:
    """Freeze the current methodology as `version`: update manifest and changelog, copy, hash.

    The caller loads and checks `knowledge`; this module never loads it, so that loading (which
    runs the release checks here) and releasing depend on each other in one direction only.
    """
    root = knowledge.root
    methodology = next((m for m in knowledge.methodologies if m.slug == slug), None)
    if methodology is None:
        raise ReleaseRefused(f"ve složce methodology/ není metodika {quoted(slug)}")
    if not _is_version(version):
        raise ReleaseRefused(f"verze musí mít tvar X.Y, například 1.1 (zadáno {quoted(version)})")
    released = [release.version for release in methodology.releases]
    if released and version_key(version) <= version_key(max(released, key=version_key)):
        raise ReleaseRefused(
            f"verze {version} není vyšší než poslední vydaná verze {max(released, key=version_key)}"
        )
    if _has_uncommitted_changes(root, methodology.folder):
        raise ReleaseRefused(
            f"ve složce {display_path(methodology.folder, root)} jsou změny nezapsané do gitu; "
            "nejdřív je zapište (git commit)"
        )
    problem = safety_review_problem(methodology, last_content_change(root, methodology))
    if problem:
        raise ReleaseRefused(problem)
    has_entry = any(entry.version == version for entry in methodology.manifest.changelog)
    if not has_entry and not changes:
        raise ReleaseRefused(
            'popište, co se změnilo, volbou --change "…" (zapíše se do pole „changelog“)'
        )
    _update_manifest(
        methodology.folder / "metodika.yml", version, changes if not has_entry else [], today
    )
    folder = snapshot_folder(methodology.folder, version)
    for path in release_files(methodology):
        target = folder / path.relative_to(methodology.folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    total, files = fingerprint(folder)
    record = ReleaseRecord(version=version, date=today, hash=total, files=files)
    _append_record(methodology.folder / RELEASES_FILE, record)
    return record


def last_content_change(root: Path, methodology: Methodology) -> dt.date | None:
    """The day chapters, checklists or trees were last committed; None outside a git history.

    The manifest is left out: recording a review there must not count as changing what was
    reviewed. File times are no substitute: a copy or a fresh clone resets them.
    """
    files = [str(p) for p in release_files(methodology) if p.name != "metodika.yml"]
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", *files],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return None
    found = result.stdout.strip() if result.returncode == 0 else ""
    return dt.date.fromisoformat(found) if found else None


def _is_version(text: str) -> bool:
    parts = text.split(".")
    return len(parts) == 2 and all(part.isdigit() for part in parts)


def _has_uncommitted_changes(root: Path, folder: Path) -> bool:
    """Only in a git checkout; a plain folder (a download, a test) has nothing to commit."""
    try:
        result = subprocess.run(
            ["git", "status", "--porcelain", "--", str(folder)],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return False
    return result.returncode == 0 and bool(result.stdout.strip())


def _update_manifest(path: Path, version: str, changes: list[str], today: dt.date) -> None:
    """Edit version, status, date and changelog in place, keeping the author's formatting."""
    lines = path.read_text(encoding="utf-8").split("\n")
    replacements = {
        "version:": f'version: "{version}"',
        "status:": "status: platná",
        "approved:": f"approved: {today}",
    }
    for index, line in enumerate(lines):
        for key, new in replacements.items():
            if line.startswith(key):
                lines[index] = new
    if changes:
        start = next(i for i, line in enumerate(lines) if line.startswith("changelog:"))
        entry = [f'  - version: "{version}"', f"    date: {today}", "    changes:"]
        entry += [
            f"      - {yaml.safe_dump(change, allow_unicode=True, width=1000).strip().removesuffix('...').strip()}"
            for change in changes
        ]
        lines[start + 1 : start + 1] = entry
    path.write_text("\n".join(lines), encoding="utf-8")


def _append_record(path: Path, record: ReleaseRecord) -> None:
    existing = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    records = list(existing or []) + [record.model_dump()]
    body = yaml.safe_dump(records, allow_unicode=True, sort_keys=False)
    path.write_text(RELEASES_HEADER + body, encoding="utf-8")


def resolve_moved_id(methodology: Methodology, section_id: str) -> str | None:
    """Where a released id lives now: itself, its declared successor (followed), or None if removed."""
    current = set(methodology.section_ids)
    seen: set[str] = set()
    while section_id not in current:
        if section_id in seen or section_id not in methodology.manifest.moved_ids:
            return None
        seen.add(section_id)
        section_id = methodology.manifest.moved_ids[section_id]
    return section_id


def check_id_continuity(knowledge: KnowledgeBase) -> list[ContentError]:
    """An id, once released, is kept, or declared as moved or removed in the manifest."""
    errors: list[ContentError] = []
    for methodology in knowledge.methodologies:
        manifest = display_path(methodology.folder / "metodika.yml", knowledge.root)
        current = set(methodology.section_ids)
        released_versions = {record.version for record in methodology.releases}
        for old, new in methodology.manifest.moved_ids.items():
            if resolve_moved_id(methodology, new) is None:
                line, column = knowledge.sources.locate(manifest, ("moved_ids", old))
                errors.append(
                    ContentError(
                        manifest,
                        line,
                        column,
                        f"přesunuté id {quoted(old)} vede na {quoted(new)}, které neexistuje",
                    )
                )
        for old, version in methodology.manifest.removed_ids.items():
            if old in current:
                line, column = knowledge.sources.locate(manifest, ("removed_ids", old))
                errors.append(
                    ContentError(
                        manifest,
                        line,
                        column,
                        f"id {quoted(old)} je uvedeno jako zrušené, ale stále existuje",
                    )
                )
            elif version not in released_versions and version != methodology.manifest.version:
                line, column = knowledge.sources.locate(manifest, ("removed_ids", old))
                errors.append(
                    ContentError(
                        manifest,
                        line,
                        column,
                        f"id {quoted(old)} je zrušeno v neznámé verzi {version}",
                    )
                )
        reported: set[str] = set()
        for version, edition in sorted(
            methodology.editions.items(), key=lambda item: version_key(item[0])
        ):
            for section_id in edition.section_ids:
                if section_id in reported or section_id in methodology.manifest.removed_ids:
                    continue
                if resolve_moved_id(methodology, section_id) is None:
                    reported.add(section_id)
                    line, column = knowledge.sources.locate(manifest, ("chapters",))
                    errors.append(
                        ContentError(
                            manifest,
                            line,
                            column,
                            f"id {quoted(section_id)} vydané verze {version} zmizelo",
                            f"ponechte ho, nebo ho uveďte v „moved_ids“ jako „{section_id}: nove-id“ "
                            f'nebo v „removed_ids“ jako „{section_id}: "{methodology.manifest.version}"“',
                        )
                    )
    return errors
