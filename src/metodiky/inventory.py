"""Every file under `methodology/`, `glossary/` and `docs/` is either used or reported.

The loaders read only what they expect (chapters listed in a manifest, `*.yml` tools and glossary
files, `*.md` pages); anything else used to be skipped without a word: a chapter missing from
`chapters`, a checklist saved as `.yaml`, a glossary file saved as `.txt`. This module lists what
the loaders leave unread and reports it. Exempt are hidden files (`.gitkeep`, editor files; MkDocs
does not publish them either), the frozen copies under `vydani/` (guarded by their hashes) and the
static assets of `docs/` (images, PDFs), which MkDocs publishes as they are.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from pathlib import Path

from .errors import ContentError, display_path, quoted
from .frozen_downloads import DOWNLOADS_DIR, DOWNLOADS_FILE
from .model import MANIFEST_NAME, SHARED_TOOLS_DIR, KnowledgeBase
from .releases import RELEASES_FILE, SNAPSHOTS_DIR

TOOL_FOLDERS = ("checklists", "trees")
YAML_SUFFIX = ".yml"
# Suffixes of files meant as YAML data: reported as a wrong extension, with the name to rename to.
DATA_SUFFIXES = {".yml", ".yaml", ".json", ""}
# What MkDocs treats as Markdown pages (mkdocs.utils.markdown_extensions), in any letter case.
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkdn", ".mkd"}
KEEP_FILES = (
    "ponechte jen metodika.yml, vydani.yml a kapitoly uvedené v poli „chapters“; "
    "jiný soubor přesuňte mimo složku metodiky, nebo jej smažte"
)


def check_source_files(knowledge: KnowledgeBase) -> list[ContentError]:
    """Report every file of the source folders that no loader reads and no page publishes."""
    root = knowledge.root
    loaded = {methodology.folder.resolve(): methodology for methodology in knowledge.methodologies}
    errors: list[ContentError] = []

    def report(path: Path, message: str, hint: str = "") -> None:
        errors.append(ContentError(display_path(path, root), 1, 1, message, hint))

    methodology_root = root / "methodology"
    for entry in _visible(methodology_root):
        if not entry.is_dir():
            report(
                entry,
                "soubor přímo ve složce „methodology“ se nepoužije",
                "každá metodika má vlastní složku s metodika.yml; soubor přesuňte, nebo smažte",
            )
        elif entry.name.startswith("_"):
            report(
                entry,
                "složka se nenačte, protože její název začíná znakem „_“",
                "přejmenujte ji, nebo ji přesuňte mimo složku „methodology“",
            )
        else:
            # Without a valid manifest the chapters are unknown; the rest is still checked.
            methodology = loaded.get(entry.resolve())
            chapters = set(methodology.manifest.chapters) if methodology else None
            for path, message, hint in _methodology_problems(entry, chapters):
                report(path, message, hint)
    shared_tools = [root / SHARED_TOOLS_DIR / kind for kind in TOOL_FOLDERS]
    for folder in [*shared_tools, root / "glossary"]:
        for path, message, hint in _data_folder_problems(folder):
            report(path, message, hint)
    for path in _docs_files(root / "docs", skipped=shared_tools):
        suffix = path.suffix
        if suffix != ".md" and suffix.lower() in MARKDOWN_SUFFIXES:
            report(
                path,
                f"nesprávná přípona {quoted(suffix)}: stránky webu mají příponu „.md“",
                f"přejmenujte soubor na {quoted(path.stem + '.md')}",
            )
    return errors


Problem = tuple[Path, str, str]


def _methodology_problems(folder: Path, chapters: set[str] | None) -> Iterator[Problem]:
    """A methodology folder holds its manifest, listed chapters, tools and frozen releases.

    `chapters` is None when the manifest could not be read: chapters are then left alone.
    """
    for entry in _visible(folder):
        name, suffix = entry.name, entry.suffix
        if entry.is_dir():
            if name in TOOL_FOLDERS:
                yield from _data_folder_problems(entry)
            elif name not in (SNAPSHOTS_DIR, DOWNLOADS_DIR):
                expected = (*TOOL_FOLDERS, SNAPSHOTS_DIR, DOWNLOADS_DIR)
                close = difflib.get_close_matches(name, expected, n=1, cutoff=0.6)
                yield (
                    entry,
                    "složka se nepoužije: metodika může mít jen složky "
                    "„checklists“, „trees“, „vydani“ a „ke-stazeni“",
                    f"myslíte {quoted(close[0])}?" if close else "",
                )
        elif name in (MANIFEST_NAME, RELEASES_FILE, DOWNLOADS_FILE):
            continue
        elif suffix == ".md":
            if chapters is not None and name not in chapters:
                yield (
                    entry,
                    "kapitola není uvedena v metodika.yml",
                    "doplňte ji do pole „chapters“, nebo soubor smažte",
                )
        elif suffix.lower() in MARKDOWN_SUFFIXES:
            yield (
                entry,
                f"nesprávná přípona {quoted(suffix)}: kapitoly mají příponu „.md“",
                f"přejmenujte soubor na {quoted(entry.stem + '.md')} "
                "a uveďte jej v poli „chapters“ v metodika.yml",
            )
        elif suffix.lower() in DATA_SUFFIXES and entry.stem in ("metodika", "vydani", "ke-stazeni"):
            expected = entry.stem + YAML_SUFFIX
            yield (
                entry,
                f"soubor se nepoužije: čte se jen {quoted(expected)}",
                f"obsah přesuňte do {quoted(expected)} a tento soubor smažte",
            )
        else:
            yield entry, "soubor se nepoužije: ve složce metodiky jej nic nečte", KEEP_FILES


def _data_folder_problems(folder: Path) -> Iterator[Problem]:
    """`checklists/`, `trees/` and `glossary/` are read as `*.yml` files, without subfolders."""
    name = folder.name
    for entry in _visible(folder):
        if entry.is_dir():
            yield (
                entry,
                f"podsložka se nepoužije: soubory se čtou jen přímo ze složky {quoted(name)}",
                "soubory přesuňte o úroveň výš, nebo podsložku smažte",
            )
            continue
        suffix = entry.suffix
        if suffix == YAML_SUFFIX:
            continue
        rule = f"ve složce {quoted(name)} se čtou jen soubory s příponou „{YAML_SUFFIX}“"
        if suffix.lower() in DATA_SUFFIXES:
            problem = f"nesprávná přípona {quoted(suffix)}" if suffix else "soubor nemá příponu"
            hint = f"přejmenujte soubor na {quoted(entry.stem + YAML_SUFFIX)}"
        else:
            problem = "soubor se nepoužije"
            hint = "soubor přesuňte jinam, nebo jej smažte"
        yield entry, f"{problem}: {rule}", hint


def _docs_files(folder: Path, skipped: list[Path]) -> Iterator[Path]:
    """Every visible file below `docs/`, except in the folders checked on their own."""
    for entry in _visible(folder):
        if entry.is_dir():
            if entry not in skipped:
                yield from _docs_files(entry, skipped)
        else:
            yield entry


def _visible(folder: Path) -> list[Path]:
    """Entries of a folder in name order, without hidden ones; a missing folder has none."""
    if not folder.is_dir():
        return []
    return sorted(entry for entry in folder.iterdir() if not entry.name.startswith("."))
