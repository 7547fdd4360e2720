"""Released versions: frozen copies of a methodology with content hashes recorded in the repo."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from .errors import ContentError, ContentErrors, display_path, quoted
from .load import MAX_FILE_BYTES, load_yaml
from .model import MANIFEST_NAME, KnowledgeBase, Manifest, Methodology, Strict, VersionNumber
from .safety import safety_review_problem
from .unchanged import PerFile
from .validate import validate_document

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

# A version a release may take: ASCII digits only, no leading zeros, at most four per part.
RELEASE_VERSION = re.compile(r"(0|[1-9][0-9]{0,3})\.(0|[1-9][0-9]{0,3})")


def version_key(version: str) -> tuple[int, str, int, str]:
    """Versions compare as numbers: 1.10 is newer than 1.9 (compared as digits, of any length)."""
    major, minor = (part.lstrip("0") for part in version.split("."))
    return len(major), major, len(minor), minor


def snapshot_folder(methodology_folder: Path, version: str) -> Path:
    """Where the frozen copy of a version lives."""
    return methodology_folder / SNAPSHOTS_DIR / version


def file_hash(path: Path) -> str:
    """SHA-256 of a file over LF line endings: a checkout with Windows CRLF hashes the same."""
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


# Hashes of frozen files: `serve` checks every release after each edit, and reading all frozen
# copies again is seconds at 150 methodologies.
_FROZEN_HASHES: PerFile[str] = PerFile()


def _frozen_file_hash(path: Path) -> str:
    return _FROZEN_HASHES.get(path, file_hash)


def fingerprint(
    folder: Path, hash_file: Callable[[Path], str] = file_hash
) -> tuple[str, dict[str, str]]:
    """SHA-256 of every file below a folder, and one hash over all of them (paths included)."""
    files = {
        path.relative_to(folder).as_posix(): hash_file(path)
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
    files = [folder / MANIFEST_NAME, *(chapter.source for chapter in methodology.chapters)]
    for kind in ("checklists", "trees"):
        files += sorted((folder / kind).glob("*.yml"))
    return files


def check_releases(knowledge: KnowledgeBase) -> list[ContentError]:
    """Frozen copies must still match their recorded hashes, file by file, and their git history."""
    errors: list[ContentError] = _check_release_history(knowledge)
    for methodology in knowledge.methodologies:
        for release in methodology.releases:
            folder = snapshot_folder(methodology.folder, release.version)
            shown_folder = display_path(folder, knowledge.root)
            if not folder.is_dir():
                errors.append(
                    ContentError(shown_folder, 1, 1, f"vydaná verze {release.version} chybí")
                )
                continue
            _, actual = fingerprint(folder, _frozen_file_hash)
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


def _check_release_history(knowledge: KnowledgeBase) -> list[ContentError]:
    """A committed release never changes in git afterwards: neither its files nor its record.

    Hashes alone cannot tell, since whoever edits a frozen file can edit its recorded hash too.
    Only in a git checkout; a plain folder (a download, a test) has no history to compare with,
    and a release not committed yet has nothing to be compared against.
    """
    git = _GitHistory.open(knowledge.root)
    if git is None:
        return []
    errors: list[ContentError] = []
    for methodology in knowledge.methodologies:
        snapshots = (methodology.folder / SNAPSHOTS_DIR).resolve()
        records_path = (methodology.folder / RELEASES_FILE).resolve()
        history = git.history(snapshots, records_path)
        released_in: dict[str, int] = {}  # version → index of its release commit in history
        changed: dict[str, dict[Path, str]] = {}  # version → file → first commit changing it
        for index, (commit, paths) in enumerate(history):
            for path in paths:
                if not path.is_relative_to(snapshots) or path == snapshots:
                    continue
                version = path.relative_to(snapshots).parts[0]
                if released_in.setdefault(version, index) < index:
                    changed.setdefault(version, {}).setdefault(path, commit)
        shown_records = display_path(records_path, knowledge.root)
        for release in methodology.releases:
            if release.version not in released_in:
                continue  # not committed yet
            start = released_in[release.version]
            hint = (
                "vydané verze se nemění; vraťte je do podoby z commitu vydání "
                f"{history[start][0][:12]} a změny udělejte v aktuální verzi"
            )
            message = f"vydaná verze {release.version} byla po vydání změněna v gitu (commit {{}})"
            for path, commit in sorted(changed.get(release.version, {}).items()):
                shown = display_path(path, knowledge.root)
                errors.append(ContentError(shown, 1, 1, message.format(commit[:12]), hint))
            commit = _record_change(git, history, start, records_path, release)
            if commit is None:
                continue
            index = record_index(knowledge, shown_records, release.version)
            line, column = knowledge.sources.locate(shown_records, (index,))
            if commit:
                text = message.format(commit[:12])
            else:
                text = (
                    f"záznam vydané verze {release.version} byl po vydání změněn "
                    "(změna zatím není zapsaná v gitu)"
                )
            errors.append(ContentError(shown_records, line, column, text, hint))
    return errors


def _record_change(
    git: _GitHistory,
    history: list[tuple[str, list[Path]]],
    start: int,
    path: Path,
    release: ReleaseRecord,
) -> str | None:
    """The first commit after the release that changed its record; "" if changed only on disk."""
    baseline = git.record_at(history[start][0], path, release.version)
    for commit, paths in history[start + 1 :]:
        if path not in paths:
            continue
        found = git.record_at(commit, path, release.version)
        if baseline is None:
            baseline = found  # the record was committed after the frozen files
        elif found != baseline:
            return commit
    if baseline is not None and baseline != release.model_dump():
        return ""
    return None


def record_index(knowledge: KnowledgeBase, shown: str, version: str) -> int:
    """Where a version's record is in a list file as written (the loaded list is sorted)."""
    document = knowledge.sources.documents.get(shown)
    records = document.data if document is not None and isinstance(document.data, list) else []
    return next(
        (
            index
            for index, record in enumerate(records)
            if isinstance(record, dict) and record.get("version") == version
        ),
        0,
    )


class _GitHistory:
    """Read-only questions to the git history of a project; any failure means "no answer"."""

    def __init__(self, root: Path, toplevel: Path):
        self.root = root
        self.toplevel = toplevel
        self.records: dict[tuple[str, Path], list] = {}

    @classmethod
    def open(cls, root: Path) -> _GitHistory | None:
        output = cls._run(root, "rev-parse", "--show-toplevel")
        return cls(root, Path(output.strip()).resolve()) if output and output.strip() else None

    @staticmethod
    def _run(root: Path, *arguments: str) -> str | None:
        try:
            result = subprocess.run(
                ["git", "--literal-pathspecs", *arguments],
                cwd=root,
                capture_output=True,
                check=False,
            )
        except OSError:
            return None
        return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else None

    def history(self, *paths: Path) -> list[tuple[str, list[Path]]]:
        """Oldest first: each commit touching the paths, with the files it added, changed or removed."""
        try:
            relative = [path.relative_to(self.toplevel).as_posix() for path in paths]
        except ValueError:  # outside this repository (a methodology linked in): no history
            return []
        output = self._run(
            self.root, "log", "--reverse", "--no-renames", "-z", "--format=%H", "--name-only",
            "--", *relative,
        )  # fmt: skip
        commits: list[tuple[str, list[Path]]] = []
        for token in (output or "").split("\0"):
            token = token.lstrip("\n")
            if "/" in token and commits:  # file names carry their folders; hashes have no slash
                commits[-1][1].append(self.toplevel / token)
            elif token:
                commits.append((token, []))
        return commits

    def record_at(self, commit: str, path: Path, version: str) -> object:
        """The record of a version in a releases file as committed, or None."""
        if (commit, path) not in self.records:
            relative = path.relative_to(self.toplevel).as_posix()
            output = self._run(self.root, "show", f"{commit}:{relative}")
            try:
                data = load_yaml(output, relative).data if output else None
            except ContentErrors:
                data = None
            self.records[commit, path] = data if isinstance(data, list) else []
        return next(
            (
                record
                for record in self.records[commit, path]
                if isinstance(record, dict) and record.get("version") == version
            ),
            None,
        )


class ReleaseRefused(Exception):
    """A release was refused; the message says why. The project is left as it was."""


def release_methodology(
    knowledge: KnowledgeBase,
    slug: str,
    version: str,
    changes: list[str],
    today: dt.date,
    verify: Callable[[], object] | None = None,
) -> ReleaseRecord:
    """Freeze the current methodology as `version`: update manifest and changelog, copy, hash.

    The caller loads and checks `knowledge`; this module never loads it, so that loading (which
    runs the release checks here) and releasing depend on each other in one direction only.
    Everything that can be checked is checked before the first write. After writing, `verify`
    (the caller's reload of the project) must pass; if it raises ContentErrors, or a write fails,
    every written file is restored and the release refused: a refusal leaves the project byte
    for byte as it was.
    """
    root = knowledge.root
    methodology = next((m for m in knowledge.methodologies if m.slug == slug), None)
    if methodology is None:
        raise ReleaseRefused(
            f"ve složce methodology/ není metodika {quoted(_shown_argument(slug))}"
        )
    if not RELEASE_VERSION.fullmatch(version):
        raise ReleaseRefused(
            "verze musí mít tvar X.Y z číslic 0–9 bez úvodních nul, například 1.1 "
            f"(zadáno {quoted(_shown_argument(version))})"
        )
    released = [release.version for release in methodology.releases]
    if released and version_key(version) <= version_key(max(released, key=version_key)):
        raise ReleaseRefused(
            f"verze {version} není vyšší než poslední vydaná verze {max(released, key=version_key)}"
        )
    folder = snapshot_folder(methodology.folder, version)
    if folder.exists() or folder.is_symlink():
        raise ReleaseRefused(
            f"složka {display_path(folder, root)} už existuje, ačkoli verze {version} vydaná není; "
            "odstraňte ji, nebo zvolte jinou verzi"
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
    if has_entry:
        changes = []
    elif not changes:
        raise ReleaseRefused(
            'popište, co se změnilo, volbou --change "…" (zapíše se do pole „changelog“)'
        )
    changes = [change.strip() for change in changes]
    for change in changes:
        problem = _change_problem(change)
        if problem:
            raise ReleaseRefused(problem)
    manifest_path = methodology.folder / MANIFEST_NAME
    shown_manifest = display_path(manifest_path, root)
    manifest_text = _updated_manifest(
        manifest_path.read_text(encoding="utf-8"), shown_manifest, version, changes, today
    )
    problem = _manifest_problem(manifest_text, shown_manifest, version, changes, today)
    if problem:
        raise ReleaseRefused(problem)
    records_path = methodology.folder / RELEASES_FILE
    saved = {
        path: path.read_bytes() if path.is_file() else None
        for path in (manifest_path, records_path)
    }
    created = folder.parent if not folder.parent.exists() else folder
    try:
        manifest_path.write_text(manifest_text, encoding="utf-8")
        for path in release_files(methodology):
            target = folder / path.relative_to(methodology.folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        total, files = fingerprint(folder)
        record = ReleaseRecord(version=version, date=today, hash=total, files=files)
        append_record(records_path, RELEASES_HEADER, record)
        if verify is not None:
            verify()
    except ContentErrors as errors:
        _restore(saved, created, root)
        raise ReleaseRefused(
            f"po zapsání by obsah měl chyby, proto se nic nezměnilo:\n{errors}"
        ) from None
    except OSError as error:
        _restore(saved, created, root)
        raise ReleaseRefused(
            f"zápis se nezdařil ({error.strerror or error}: {quoted(error.filename)}), "
            "proto se nic nezměnilo"
        ) from None
    except BaseException:
        _restore(saved, created, root)
        raise
    return record


def last_content_change(root: Path, methodology: Methodology) -> dt.date | None:
    """The day chapters, checklists or trees were last committed; None outside a git history.

    The manifest is left out: recording a review there must not count as changing what was
    reviewed. File times are no substitute: a copy or a fresh clone resets them.
    """
    files = [str(p) for p in release_files(methodology) if p.name != MANIFEST_NAME]
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


def _shown_argument(text: str, limit: int = 40) -> str:
    """A command-line value for a message: shortened, undecodable bytes shown as escapes."""
    shown = text if len(text) <= limit else text[:limit] + "…"
    return shown.encode("utf-8", "backslashreplace").decode("utf-8")


def _change_problem(change: str) -> str | None:
    """A change text must be plain text that YAML keeps exactly: no control characters."""
    if not change:
        return 'popis změny je prázdný; napište, co se změnilo, volbou --change "…"'
    for char in change:
        if char not in "\n\t" and unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp"):
            return (
                f"popis změny obsahuje nepovolený znak U+{ord(char):04X} "
                "(řídicí nebo neplatný znak); odstraňte ho"
            )
    return None


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


def _updated_manifest(
    text: str, shown: str, version: str, changes: list[str], today: dt.date
) -> str:
    """Edit version, status, date and changelog in place, keeping the author's formatting.

    The changelog entry is written by the YAML emitter (quoted where needed, on one line however
    long), so no change text can break the file; the caller still re-reads the result.
    """
    lines = text.split("\n")
    replacements = {
        "version:": f'version: "{version}"',
        "status:": "status: platná",
        "approved:": f"approved: {today.isoformat()}",
    }
    for index, line in enumerate(lines):
        for key, new in replacements.items():
            if line.startswith(key):
                lines[index] = new
    if not changes:
        return "\n".join(lines)
    start = next((i for i, line in enumerate(lines) if line.startswith("changelog:")), None)
    rest = lines[start].removeprefix("changelog:").strip() if start is not None else ""
    if start is None or (rest and not rest.startswith("#")):
        line = start + 1 if start is not None else 1
        raise ReleaseRefused(
            "metodika.yml nelze upravit:\n"
            f"{shown}:{line}:1: pole „changelog“ musí být zapsané jako seznam pod sebou "
            "(řádky „- version: …“), aby do něj šlo připsat novou verzi"
        )
    first_item = next(
        (line for line in lines[start + 1 :] if line.strip() and not line.lstrip().startswith("#")),
        "",
    )
    pad = " " * (
        len(first_item) - len(first_item.lstrip(" ")) if first_item.lstrip().startswith("-") else 2
    )
    entry = [
        f'{pad}- version: "{version}"',
        f"{pad}  date: {today.isoformat()}",
        f"{pad}  changes:",
    ]
    for change in changes:
        dumped = yaml.safe_dump([change], allow_unicode=True, width=sys.maxsize).removesuffix("\n")
        entry += [f"{pad}    {line}" if line else line for line in dumped.split("\n")]
    lines[start + 1 : start + 1] = entry
    return "\n".join(lines)


def _manifest_problem(
    text: str, shown: str, version: str, changes: list[str], today: dt.date
) -> str | None:
    """The edited manifest must load, validate and say exactly what the release meant to write."""
    refused = "zápis vydání by poškodil metodika.yml, proto se nic nezměnilo:\n"
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        return refused + (
            f"{shown}:1:1: soubor by byl větší než {MAX_FILE_BYTES // 1024} KiB; zkraťte popis změny"
        )
    try:
        document = load_yaml(text, shown)
    except ContentErrors as problem:
        return refused + str(problem)
    manifest, errors = validate_document(Manifest, document, shown)
    if errors:
        return refused + str(ContentErrors(errors))
    written = (manifest.version, manifest.status, manifest.approved)
    entry = manifest.changelog[0]
    if written != (version, "platná", today) or (
        changes and (entry.version, entry.date, list(entry.changes)) != (version, today, changes)
    ):
        return refused + (
            f"{shown}:1:1: verze, stav, datum schválení a popis změn se nedají zapsat přesně; "
            "upravte soubor podle návodu pro autory a zkuste to znovu"
        )
    return None


def _restore(saved: dict[Path, bytes | None], created: Path, root: Path) -> None:
    """Undo a release: put back the saved files, remove the folder it created."""
    try:
        for path, content in saved.items():
            if content is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(content)
        shutil.rmtree(created, ignore_errors=True)
    except OSError as error:
        raise ReleaseRefused(
            f"vydání se nezdařilo a původní stav nešlo obnovit ({error.strerror or error}: "
            f"{quoted(error.filename)}); obnovte složku {display_path(created.parent, root)} "
            "z gitu (git checkout, git clean)"
        ) from None


def append_record(path: Path, header: str, record: BaseModel) -> None:
    """Add a record to a list file the tools write (releases, frozen downloads), with its header."""
    existing = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else None
    records = list(existing or []) + [record.model_dump()]
    body = yaml.safe_dump(records, allow_unicode=True, sort_keys=False)
    path.write_text(header + body, encoding="utf-8")


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
        manifest = display_path(methodology.folder / MANIFEST_NAME, knowledge.root)
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
