"""Live preview (`metodiky serve`): after an edit, rebuild only the pages and files it touches.

MkDocs' dirty mode skips a page whose output is newer than its source file. That is right for a
hand-written page and wrong for ours: a chapter page also shows tools from YAML files, every
page shows the glossary's abbreviations, and generated pages have no source file at all. So the
preview compares the knowledge base with the one of the previous build and marks each file
itself. PDFs and Word files take seconds to minutes; the preview never waits for them: missing
ones are made in the background and copied into the served folder when ready, and until then
the previous version of the file stays there.

The machine the preview runs on is shared between the page an author waits for and that
background work, so the background yields: it starts only after the pages are written, pauses
between files while a rebuild is under way, and its threads and their children (pandoc, Typst,
Pagefind) run at a lower CPU priority. While a rebuild runs, the garbage collector leaves alone
the objects that were there before it (at 150 methodologies a full collection walks the whole
knowledge base, a second of the rebuild); they are collected again once it is done.

What scales with the size of the knowledge base is not done again for what an edit left alone:
a methodology folder whose files keep their size, time and inode is taken over from the previous
load (knowledge.LoadReuse), its generated files (citations, overview and changes pages, tool
pages) and the permalink pages are reused while the layout stays (Recall), and the theme's
templates stay compiled. What an edit invalidates: a chapter, its page (and its methodology's
generated files); a checklist or tree, the pages showing it; a glossary entry, a title or a
heading, the layout and so every page.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import shutil
import sys
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import click
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .build_cache import Artifact, ArtifactCache, heading_titles
from .errors import ContentErrors
from .knowledge import LoadReuse
from .model import MACRO_CALL, KnowledgeBase
from .render.handbook import HandbookError


def page_layout(knowledge: KnowledgeBase) -> str:
    """What every page may show of the whole knowledge base: the navigation (methodologies,
    chapter and section titles), link and tool titles, glossary tooltips and law links. When it
    changes, every page is rebuilt; when only a text or a tool's content changes, it is not."""
    digest = hashlib.sha256()
    for methodology in knowledge.methodologies:
        for edition in (methodology, *methodology.editions.values()):
            chapters = [
                (c.name, c.id, c.title, heading_titles(c.headings)) for c in edition.chapters
            ]
            tools = [(t.id, t.title) for t in (*edition.checklists, *edition.trees)]
            digest.update(repr((methodology.slug, edition.manifest, chapters, tools)).encode())
        digest.update(repr(methodology.releases).encode())
    shared = [(t.id, t.title) for t in (*knowledge.shared_checklists, *knowledge.shared_trees)]
    pages = [(page.uri, heading_titles(page.headings)) for page in knowledge.site_pages]
    digest.update(repr((shared, pages, knowledge.glossary, knowledge.laws)).encode())
    digest.update(repr((knowledge.workshops, knowledge.safety_topics)).encode())
    return digest.hexdigest()


def touched_pages(old: KnowledgeBase, new: KnowledgeBase) -> set[str]:
    """Source URIs of the pages whose own text or embedded tools changed between two loads."""
    tools_before = {t.id: t for t in (*old.all_checklists(), *old.all_trees())}
    changed_tools = {
        t.id for t in (*new.all_checklists(), *new.all_trees()) if tools_before.get(t.id) != t
    }
    chapters_before = {(m.slug, version, c.name): c.markdown for m, version, c in _chapters(old)}
    touched = set()
    for methodology, version, chapter in _chapters(new):
        calls = {found for _, found in MACRO_CALL.findall(chapter.markdown)}
        own = chapters_before.get((methodology.slug, version, chapter.name)) != chapter.markdown
        if own or calls & changed_tools:
            touched.add(_chapter_uri(methodology, version, chapter))
    for page in new.site_pages:
        if {found for _, found in MACRO_CALL.findall(page.markdown)} & changed_tools:
            touched.add(page.uri)
    return touched


T = TypeVar("T")


class Recall:
    """Values made by the previous build, given again when made from the same inputs.

    Inputs are compared by identity first (a methodology the loader took over unchanged is the
    very same object, so nothing is compared deeply), then by equality. A value no build asked
    for since the last `forget_unused` is dropped.
    """

    def __init__(self) -> None:
        self._kept: dict[Hashable, tuple[tuple, Any]] = {}
        self._used: set[Hashable] = set()

    def get(self, name: Hashable, inputs: tuple, make: Callable[[], T]) -> T:
        self._used.add(name)
        kept = self._kept.get(name)
        if kept is not None and _same(kept[0], inputs):
            return kept[1]
        value = make()
        self._kept[name] = (inputs, value)
        return value

    def has(self, name: Hashable, inputs: tuple) -> bool:
        kept = self._kept.get(name)
        return kept is not None and _same(kept[0], inputs)

    def forget_unused(self) -> None:
        self._kept = {name: kept for name, kept in self._kept.items() if name in self._used}
        self._used = set()


class CompiledTemplates(BytecodeCache):
    """The theme's templates compiled once per `serve` session, not once per rebuild.

    MkDocs makes a new Jinja environment for each build, which parses and compiles Material's
    templates again (most of a rebuild at 1×). Jinja checks each template's source against the
    code kept here, so an edited template is compiled anew.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def _same(before: tuple, now: tuple) -> bool:
    return len(before) == len(now) and all(
        a is b or a == b for a, b in zip(before, now, strict=True)
    )


def chapter_uris(knowledge: KnowledgeBase) -> set[str]:
    """Source URIs of every chapter page, current and released."""
    return {_chapter_uri(m, version, chapter) for m, version, chapter in _chapters(knowledge)}


def _chapter_uri(methodology, version: str | None, chapter) -> str:  # noqa: ANN001
    prefix = f"{methodology.slug}/{version}/" if version else f"{methodology.slug}/"
    return f"{prefix}{chapter.name}"


def _chapters(knowledge: KnowledgeBase):
    for methodology in knowledge.methodologies:
        for version, content in [(None, methodology), *methodology.editions.items()]:
            for chapter in content.chapters:
                yield methodology, version, chapter


class LivePreview:
    """State kept between the rebuilds of one `serve` session."""

    def __init__(self) -> None:
        self.knowledge: KnowledgeBase | None = None  # as the last completed build showed it
        self.building: KnowledgeBase | None = None
        self.loads = LoadReuse()  # methodologies an edit left alone are not read again
        self.recall = Recall()  # generated files of what an edit left alone are not made again
        self.templates = CompiledTemplates()
        self.layout = ""  # page_layout of the build under way
        self.built_layout = ""
        self.everything = True
        self.touched: set[str] = set()
        self.chapters: set[str] = set()  # chapter pages, compared by their text in `touched`
        self.written: dict[str, str] = {}  # text of each generated file as last written
        self.writing: dict[str, str] = {}
        self.titles: dict[str, str | None] = {}  # title of each page as last rendered
        self.artifact_paths: list[str] = []
        self.copied: dict[str, Path] = {}  # site path → cached file now in the served folder
        self.generation = 0
        self.lock = threading.Lock()
        self.idle = threading.Event()  # set while no rebuild is under way
        self.idle.set()
        self.scheduled: Callable[[], None] | None = None  # files to make once the pages are out
        # One file at a time, so the page rebuild after the next edit keeps a core.
        self.background = background_executor("metodiky-pdf")

    def start(self) -> None:
        """A rebuild begins: background work pauses, the collector skips what exists now."""
        self.idle.clear()
        gc.freeze()

    def begin(self, knowledge: KnowledgeBase) -> None:
        """Compare a freshly loaded knowledge base with the previous build's."""
        layout = page_layout(knowledge)
        self.everything = self.knowledge is None or layout != self.built_layout
        self.touched = set() if self.everything else touched_pages(self.knowledge, knowledge)
        self.chapters = set() if self.everything else chapter_uris(knowledge)
        self.building, self.layout = knowledge, layout
        self.writing = {}

    def finish(self) -> None:
        """The build wrote every page and file it marked: the next one compares with it. After
        a failed build the next compares with the last completed one, so that what the failed
        build never wrote is written then."""
        self.knowledge, self.built_layout = self.building, self.layout
        self.written |= self.writing
        self.stop()
        scheduled, self.scheduled = self.scheduled, None
        if scheduled is not None:
            scheduled()

    def stop(self) -> None:
        """The rebuild is over (written or failed): background work and the collector go on."""
        gc.unfreeze()
        self.idle.set()

    def artifacts(
        self, plan: Callable[[], list[Artifact]], cache: ArtifactCache, site_dir: Path
    ) -> list[str]:
        """Site paths of the PDFs and Word files; they are made (or found in the cache) in the
        background, once the pages are written, and copied into `site_dir` when ready. While the
        layout stays, the plan and its keys are computed in the background too: hashing all
        content takes seconds."""
        planned = plan() if self.everything or not self.artifact_paths else None
        if planned is not None:
            self.artifact_paths = [artifact.site_path for artifact in planned]
        with self.lock:
            self.generation += 1
            generation = self.generation
        self.scheduled = lambda: self.background.submit(
            self._make_later, planned or plan, cache, site_dir, generation
        )
        return self.artifact_paths

    def mark(self, files: Files) -> None:
        """Tell MkDocs' dirty build which files to write: everything after a change of the
        layout, otherwise the pages an edit touched, hand-written pages newer than their output
        and generated files whose text changed."""
        pending = set(self.artifact_paths)
        for file in files:
            if file.src_uri in pending:
                file.is_modified = _never  # copied by the background job when ready
            elif file.abs_src_path is None:
                file.is_modified = _flag(self._content_changed(file) or self.everything)
            elif file.is_documentation_page():
                # A chapter's text was compared; only hand-written pages need their file's time.
                uri = file.src_uri
                modified = (
                    self.everything
                    or uri in self.touched
                    or (uri not in self.chapters and file.is_modified())
                )
                file.is_modified = _flag(modified)

    def keep_title(self, page: Page) -> None:
        """Remember the title of a page just rendered (the menu of later builds shows it)."""
        self.titles[page.file.src_uri] = page.title

    def restore_titles(self, pages: list[Page]) -> None:
        """Give the pages this build does not render their titles: MkDocs reads a title only
        when it renders the page, and the menu, the header and the links to the previous and
        next page of the pages it does render would read „None“. While the layout stays, each
        title is the one last rendered."""
        for page in pages:
            if not page.file.is_modified() and page.file.src_uri in self.titles:
                page.title = self.titles[page.file.src_uri]

    def _content_changed(self, file: File) -> bool:
        # Reused files carry the very same text object: most comparisons end at `is`.
        content = file.content_string
        before = self.written.get(file.src_uri)
        self.writing[file.src_uri] = content
        return not (before is content or before == content)

    def _make_later(
        self,
        plan: list[Artifact] | Callable[[], list[Artifact]],
        cache: ArtifactCache,
        site_dir: Path,
        generation: int,
    ) -> None:
        artifacts = plan if isinstance(plan, list) else plan()
        stale = [a for a in artifacts if self.copied.get(a.site_path) != cache.path(a)]
        if stale and any(not cache.path(a).is_file() for a in stale):
            click.echo(f"Soubory PDF a Word se sestavují na pozadí ({len(stale)}).", err=True)
        for artifact in stale:
            self.idle.wait()
            if generation != self.generation:
                return  # a newer edit scheduled its own files
            try:
                made = cache.ensure([artifact], workers=1)[artifact.site_path]
            except (ContentErrors, HandbookError) as problem:
                click.echo(f"Soubor {artifact.site_path} nelze sestavit:\n{problem}", err=True)
                continue
            target = site_dir / artifact.site_path
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.partial")
            shutil.copyfile(made, partial)
            partial.replace(target)  # the server never sends half a file
            self.copied[artifact.site_path] = made

    def wait(self) -> None:
        """Block until the files scheduled so far are in the served folder (for tests)."""
        self.background.submit(lambda: None).result()

    def close(self) -> None:
        """Stop making files in the background (the file being made is finished first)."""
        with self.lock:
            self.generation += 1
        self.stop()  # an interrupted rebuild left it paused
        self.background.shutdown(wait=True, cancel_futures=True)


def background_executor(name: str) -> ThreadPoolExecutor:
    """One thread for work the preview does not wait for, at a lower CPU priority."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix=name, initializer=run_behind)


BACKGROUND_NICENESS = 10


def run_behind() -> None:
    """Lower the CPU priority of the calling thread and so of the processes it starts. On Linux
    the priority (nice value) belongs to a thread, and a child inherits its parent thread's;
    elsewhere it would apply to the whole process, the server included, so it stays."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):  # not allowed here: the usual priority then
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICENESS)


def _never() -> bool:
    return False


def _flag(value: bool):
    return lambda: value
