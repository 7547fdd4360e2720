"""Loading the whole knowledge base from disk into validated models, collecting every error."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .check import check_knowledge_base
from .errors import ContentError, ContentErrors, display_path, quoted
from .frozen_downloads import DOWNLOADS_FILE, DOWNLOADS_FILE_MODEL, FrozenDownloads
from .headings import check_headings, parse_headings
from .inventory import check_source_files
from .load import load_yaml_remembered, read_text, scan_source_trees
from .model import (
    GLOSSARY_FILE_MODEL,
    LAW_FILE_MODEL,
    MANIFEST_NAME,
    SAFETY_FILE_MODEL,
    SHARED_TOOLS_DIR,
    WORKSHOP_FILE_MODEL,
    WORKSHOPS_FILE,
    Chapter,
    Checklist,
    DecisionTree,
    KnowledgeBase,
    Manifest,
    Methodology,
    SitePage,
    SourceMap,
)
from .releases import (
    RELEASES_FILE,
    RELEASES_FILE_MODEL,
    ReleaseRecord,
    snapshot_folder,
    version_key,
)
from .unchanged import stat_signature
from .validate import validate_document

# Data every methodology leans on: the laws content may cite and the safety topics it must handle.
LAWS_FILE = Path("registry") / "zakony.yml"
SAFETY_TOPICS_FILE = Path("registry") / "bezpecnost.yml"


def load_knowledge_base(root: Path, reuse: LoadReuse | None = None) -> KnowledgeBase:
    """Load and check every methodology, tool and glossary file; raise ContentErrors on any fault.

    With `reuse` (kept by `serve` between rebuilds), methodologies whose files did not change
    since the last load without errors are taken over instead of being read again.
    """
    unsafe = scan_source_trees(root)
    if unsafe:
        raise ContentErrors(unsafe)
    loader = _Loader(root, reuse)
    loaded = [
        methodology
        for folder in sorted((root / "methodology").iterdir())
        if folder.is_dir() and not folder.name.startswith((".", "_"))
        for methodology in [loader.current_methodology(folder)]
        if methodology is not None
    ]
    methodologies = tuple(sorted(loaded, key=lambda m: (m.manifest.order, m.slug)))
    shared = root / SHARED_TOOLS_DIR
    knowledge = KnowledgeBase(
        root=root,
        methodologies=methodologies,
        shared_checklists=loader.tools(shared / "checklists", Checklist),
        shared_trees=loader.tools(shared / "trees", DecisionTree),
        glossary=loader.glossary(root / "glossary"),
        site_pages=loader.site_pages(root / "docs"),
        laws=loader.registry(root / LAWS_FILE, LAW_FILE_MODEL),
        safety_topics=loader.registry(root / SAFETY_TOPICS_FILE, SAFETY_FILE_MODEL),
        workshops=loader.registry(root / WORKSHOPS_FILE, WORKSHOP_FILE_MODEL),
        sources=loader.sources,
    )
    # Files no loader reads are reported in any case: a stray file often explains another error.
    errors = [*loader.errors, *check_source_files(knowledge)]
    if not loader.errors:
        errors += check_knowledge_base(knowledge)
    if errors:
        raise ContentErrors(errors)
    if reuse is not None:
        reuse.commit()
    return knowledge


@dataclass(frozen=True)
class _Kept:
    """One methodology as loaded, with what the source map learnt while reading its files."""

    signature: tuple
    methodology: Methodology
    documents: dict[str, Any]
    tools: dict[int, str]


@dataclass
class LoadReuse:
    """Methodologies of the last load without errors, by folder, for the next load of `serve`.

    A folder whose files all keep their names, sizes, modification times and inodes is not read
    again (at 150 methodologies reading and validating all of them takes seconds per edit). An
    editor saving a file changes its modification time (or, writing a new file, its inode).
    """

    kept: dict[Path, _Kept] = field(default_factory=dict)
    loading: dict[Path, _Kept] = field(default_factory=dict)

    def commit(self) -> None:
        """The load succeeded: its methodologies are the ones to reuse next time."""
        self.kept, self.loading = self.loading, {}


def folder_signature(folder: Path) -> tuple:
    """Name, size, modification time and inode of every file under a folder (links followed)."""
    entries = []
    pending = [folder]
    while pending:
        current = pending.pop()
        with os.scandir(current) as found:
            for entry in found:
                if entry.is_dir():
                    pending.append(Path(entry.path))
                    continue
                try:
                    info = entry.stat()
                except OSError:  # a dangling link: scan_source_trees reports it
                    info = entry.stat(follow_symlinks=False)
                entries.append((entry.path, *stat_signature(info)))
    return tuple(sorted(entries))


class _Loader:
    """Reads files one by one, keeping every problem instead of stopping at the first."""

    def __init__(self, root: Path, reuse: LoadReuse | None = None):
        self.root = root
        self.errors: list[ContentError] = []
        self.sources = SourceMap()
        self.reuse = reuse

    def current_methodology(self, folder: Path) -> Methodology | None:
        """A methodology folder with its released versions: read, or taken over unchanged."""
        if self.reuse is None:
            return self.methodology(folder)
        signature = folder_signature(folder)  # before reading: a later save reloads next time
        kept = self.reuse.kept.get(folder)
        if kept is not None and kept.signature == signature:
            self.sources.documents.update(kept.documents)
            self.sources.tools.update(kept.tools)
            self.reuse.loading[folder] = kept
            return kept.methodology
        errors, documents, tools = (
            len(self.errors),
            set(self.sources.documents),
            set(self.sources.tools),
        )
        methodology = self.methodology(folder)
        if methodology is not None and len(self.errors) == errors:
            self.reuse.loading[folder] = _Kept(
                signature,
                methodology,
                {k: v for k, v in self.sources.documents.items() if k not in documents},
                {k: v for k, v in self.sources.tools.items() if k not in tools},
            )
        return methodology

    def shown(self, path: Path) -> str:
        return display_path(path, self.root)

    def document(self, path: Path, model: Any) -> Any:
        """Read one YAML file and validate it against a model."""
        shown = self.shown(path)
        try:
            document = load_yaml_remembered(read_text(path, shown), shown)
        except ContentErrors as problem:
            self.errors.extend(problem.errors)
            return None
        self.sources.documents[shown] = document
        value, errors = validate_document(model, document, shown)
        self.errors.extend(errors)
        return value

    def methodology(self, folder: Path, slug: str | None = None) -> Methodology | None:
        manifest_path = folder / MANIFEST_NAME
        if not manifest_path.is_file():
            self.errors.append(
                ContentError(self.shown(folder), 1, 1, f"ve složce metodiky chybí {MANIFEST_NAME}")
            )
            return None
        manifest = self.document(manifest_path, Manifest)
        if manifest is None:
            return None
        chapters = tuple(
            chapter
            for index, name in enumerate(manifest.chapters)
            for chapter in [self.chapter(folder / name, manifest_path, index)]
            if chapter is not None
        )
        releases = self.releases(folder) if slug is None else ()
        downloads = self.downloads(folder) if slug is None else ()
        editions = {}
        for record in releases:
            edition = self.methodology(snapshot_folder(folder, record.version), slug=folder.name)
            if edition is not None:
                editions[record.version] = edition
        return Methodology(
            slug=slug or folder.name,
            folder=folder,
            manifest=manifest,
            chapters=chapters,
            checklists=self.tools(folder / "checklists", Checklist),
            trees=self.tools(folder / "trees", DecisionTree),
            releases=releases,
            downloads=downloads,
            editions=editions,
        )

    def releases(self, folder: Path) -> tuple[ReleaseRecord, ...]:
        path = folder / RELEASES_FILE
        if not path.is_file():
            return ()
        records = self.document(path, RELEASES_FILE_MODEL) or []
        return tuple(sorted(records, key=lambda record: version_key(record.version)))

    def downloads(self, folder: Path) -> tuple[FrozenDownloads, ...]:
        path = folder / DOWNLOADS_FILE
        if not path.is_file():
            return ()
        return tuple(self.document(path, DOWNLOADS_FILE_MODEL) or [])

    def chapter(self, path: Path, manifest_path: Path, index: int) -> Chapter | None:
        if not path.is_file():
            line, column = self.sources.locate(self.shown(manifest_path), ("chapters", index))
            self.errors.append(
                ContentError(
                    self.shown(manifest_path),
                    line,
                    column,
                    f"soubor kapitoly {quoted(path.name)} neexistuje",
                )
            )
            return None
        shown = self.shown(path)
        try:
            markdown = read_text(path, shown)
        except ContentErrors as problem:
            self.errors.extend(problem.errors)
            return None
        headings = parse_headings(markdown)
        problems = check_headings(headings, shown)
        self.errors.extend(problems)
        if problems:
            return None
        first = headings[0]
        return Chapter(
            name=path.name,
            source=path,
            shown=shown,
            title=first.title,
            id=first.id or "",
            markdown=markdown,
            headings=tuple(headings),
        )

    def tools(self, folder: Path, model: type) -> tuple:
        if not folder.is_dir():
            return ()
        tools = []
        for path in sorted(folder.glob("*.yml")):
            tool = self.document(path, model)
            if tool is None:
                continue
            shown = self.shown(path)
            self.sources.tools[id(tool)] = shown
            if tool.id != path.stem:
                line, column = self.sources.locate(shown, ("id",))
                message = (
                    f"id {quoted(tool.id)} se musí shodovat s názvem souboru {quoted(path.stem)}"
                )
                self.errors.append(ContentError(shown, line, column, message))
            tools.append(tool)
        return tuple(tools)

    def site_pages(self, docs: Path) -> tuple[SitePage, ...]:
        pages = []
        for path in sorted(docs.rglob("*.md")) if docs.is_dir() else []:
            relative = path.relative_to(docs)
            if any(part.startswith(".") for part in relative.parts):
                continue
            shown = self.shown(path)
            try:
                markdown = read_text(path, shown)
            except ContentErrors as problem:
                self.errors.extend(problem.errors)
                continue
            headings = tuple(parse_headings(markdown))
            pages.append(
                SitePage(
                    path,
                    shown,
                    relative.as_posix(),
                    page_url(relative.as_posix()),
                    markdown,
                    headings,
                )
            )
        return tuple(pages)

    def registry(self, path: Path, model: Any) -> tuple:
        """A list file of `registry/`; a project without it simply registers nothing."""
        return tuple(self.document(path, model) or []) if path.is_file() else ()

    def glossary(self, folder: Path) -> tuple:
        entries = []
        for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
            for index, entry in enumerate(self.document(path, GLOSSARY_FILE_MODEL) or []):
                self.sources.terms.append((self.shown(path), index))
                entries.append(entry)
        return tuple(entries)


def page_url(source: str) -> str:
    """The directory-style URL MkDocs gives a Markdown file: `a/b.md` → `a/b/`."""
    stem = source.removesuffix(".md")
    if stem == "index":
        return ""
    return (stem.removesuffix("/index") if stem.endswith("/index") else stem) + "/"
