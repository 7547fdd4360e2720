"""MkDocs plugin: wires the knowledge base into the build. Logic lives in the package modules."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Hashable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import click
from jinja2 import Environment
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .build_cache import Artifact, ArtifactCache, ContentKeys, PendingArtifacts
from .citation import Citation, cite_editions, page_units, render_bibtex, render_ris
from .errors import ContentErrors
from .knowledge import load_knowledge_base
from .legal import LawRegistry, link_citations_in_html
from .live import LivePreview, background_executor
from .macros import expand_macros, has_template_syntax
from .model import SHARED_TOOLS_DIR, Edition, KnowledgeBase, Methodology
from .numbering import number_headings, section_numbers
from .offline import (
    OFFLINE_PAGE_URI,
    render_offline_page,
    stored_on_demand,
    write_offline_files,
)
from .permalinks import offline_permalinks, permalink_targets, render_redirect_html
from .publish import (
    configured_site_url,
    embed_files,
    own_tools,
    shared_tools,
    site_files,
    slow_files,
)
from .render.changes import render_changes_markdown
from .render.citation_ui import (
    BIBTEX_FILE,
    RIS_FILE,
    add_section_citations,
    page_citation_facts,
)
from .render.glossary import GLOSSARY_URI, abbreviation_glossary, render_glossary_markdown
from .render.handbook import HANDBOOK_METHODOLOGIES, HandbookError
from .render.handbook_errors import locate_handbook_error
from .render.inline import plain_html
from .render.laws import LAWS_URI, render_law_index_markdown
from .render.preview import page_description, shorten
from .render.site import render_overview_markdown
from .search import CHANGES_PAGE_BOOST, exclude_page_furniture
from .search_index import (
    PageEntry,
    SearchIndexError,
    SearchSpool,
    page_sections,
    write_search_index,
)
from .site_build import (
    CHANGES_NAME,
    DeferredHtml,
    PackedHtml,
    SiteMap,
    edition_facts,
    expand_navigation,
    rebase_parent_links,
    relative_href,
    resolve_raw_page_links,
)
from .site_macros import site_macro_functions
from .typography import bind_in_html
from .watching import watch_by_file_events


def pdf_downloads(edition: Edition, whole_handbook: bool = True) -> list[tuple[str, str]]:
    """PDF links for an overview page: each released version, and the handbook (with every
    methodology, or at scale the common ground and a list, see HANDBOOK_METHODOLOGIES)."""
    up = "../../" if edition.version else "../"
    slug = edition.methodology.slug
    versions = (
        [edition.version]
        if edition.version
        else [r.version for r in reversed(edition.methodology.releases)]
    )
    links = [
        link
        for version in versions
        for link in (
            (f"verze {version} (PDF)", f"{up}{slug}-{version}.pdf"),
            (f"verze {version} (Word)", f"{up}{slug}-{version}.docx"),
        )
    ]
    handbook = "celá příručka (PDF)" if whole_handbook else "příručka: společný základ (PDF)"
    return [*links, (handbook, f"{up}prirucka.pdf")]


def published_site_url(config: MkDocsConfig) -> str:
    """`site_url` as mkdocs.yml sets it (`serve` replaces it with the preview's address)."""
    return configured_site_url(Path(config.config_file_path))


def hand_search_to_pagefind(config: MkDocsConfig) -> None:
    """Material's search box and result list stay; Pagefind answers behind them.

    Material's own index is left empty (every page excluded from it) and its search worker is
    swapped for ours (`assets/javascripts/search-worker.js`) by a script the theme override adds.
    """
    config.extra["pagefind"] = True


def is_changes_page(src_uri: str) -> bool:
    """Pages about changes quote old and new text of every changed section: they answer „co se
    změnilo“ by their headings, never push the chapter itself down."""
    return src_uri.endswith(f"/{CHANGES_NAME}")


def answers_by_headings(src_uri: str) -> bool:
    """Pages made of other pages' text – the changes pages, and the law index listing the
    sections that cite each law – are found by their headings only."""
    return is_changes_page(src_uri) or src_uri == LAWS_URI


T = TypeVar("T")


class _Superseded(Exception):
    """A later edit scheduled its own search index: this one is left off (in the preview)."""


@dataclass(frozen=True)
class MethodologyFiles:
    """A methodology's generated files: citations by edition prefix, overview pages by edition
    prefix, the „Co se změnilo“ page and the embeddable pages of its tools. Files that are not
    pages are kept as MkDocs File objects: at 150 methodologies making them anew takes seconds."""

    citation_files: dict[str, list[File]]
    overviews: dict[str, str]
    changes: str
    embeds: list[File]


class MetodikyConfig(Config):
    """Plugin options: `czech_search: false` leaves Material's stock search (for the benchmark)."""

    czech_search = config_options.Type(bool, default=True)


class MetodikyPlugin(BasePlugin[MetodikyConfig]):
    """Adds methodologies, overviews, the glossary and the PDF handbook to the site."""

    knowledge: KnowledgeBase
    root: Path
    _preloaded: KnowledgeBase | None = None

    def use_knowledge_base(self, knowledge: KnowledgeBase) -> None:
        """Build from a knowledge base the caller has just loaded (once; `serve` reloads each time)."""
        self._preloaded = knowledge

    # Before Material's search plugin, which copies its settings when it configures itself.
    @event_priority(100)
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent
        preloaded, self._preloaded = self._preloaded, None
        if self.live is not None:
            self.live.start()
        try:
            reuse = self.live.loads if self.live is not None else None
            self.knowledge = preloaded or load_knowledge_base(self.root, reuse)
        except ContentErrors as problem:
            raise PluginError(f"Chyby v obsahu:\n{problem}") from None
        config.nav = expand_navigation(config.nav, self.knowledge)
        if self.config.czech_search:
            hand_search_to_pagefind(config)
        # Python-Markdown's abbr extension takes a glossary: tooltips without touching the pages.
        config.mdx_configs.setdefault("abbr", {})["glossary"] = abbreviation_glossary(
            self.knowledge
        )
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        # The shared tools' YAML sources sit beside their pages; the pages show the tools, the
        # raw files are not published.
        tools = (self.root / SHARED_TOOLS_DIR).resolve()
        for file in list(files):
            source = Path(file.abs_src_path or "")
            if source.suffix == ".yml" and source.resolve().is_relative_to(tools):
                files.remove(file)
        if self.live is not None:
            self.live.begin(self.knowledge)
        self.site_map = SiteMap(self.knowledge)
        self.search_spool = SearchSpool(self.root / ".cache" / "hledani")
        self.laws = LawRegistry(self.knowledge.laws)
        self.deferred = DeferredHtml()
        self.site_url = config.site_url or ""
        self.citations = self._cite_editions()
        self.mkdocs_config = config
        whole = len(self.knowledge.methodologies) <= HANDBOOK_METHODOLOGIES
        # Each methodology's generated pages are made again only when it changed (see _recall).
        made = {
            methodology.slug: self._recall(
                ("metodika", methodology.slug),
                (methodology, whole),
                lambda m=methodology: self._methodology_files(m, whole),
            )
            for methodology in self.knowledge.methodologies
        }
        for edition in self.site_map.editions:
            for file in made[edition.methodology.slug].citation_files[edition.prefix]:
                files.append(file)
        for edition in self.site_map.editions:
            hidden = {"inclusion": InclusionLevel.NOT_IN_NAV} if edition.version else {}
            overview = made[edition.methodology.slug].overviews[edition.prefix]
            files.append(
                File.generated(config, f"{edition.prefix}index.md", content=overview, **hidden)
            )
            for chapter in edition.content.chapters:
                uri = edition.chapter_uri(chapter)
                files.append(
                    File.generated(config, uri, abs_src_path=str(chapter.source), **hidden)
                )
        for methodology in self.knowledge.methodologies:
            changes = made[methodology.slug].changes
            files.append(
                File.generated(config, f"{methodology.slug}/{CHANGES_NAME}", content=changes)
            )
        for file in self._recall("odkazy", (), self._permalink_pages):
            files.append(file)
        files.append(
            File.generated(config, GLOSSARY_URI, content=render_glossary_markdown(self.knowledge))
        )
        slugs = [methodology.slug for methodology in self.knowledge.methodologies]
        offline_page = render_offline_page(
            config.nav, slugs if stored_on_demand(len(slugs)) else ()
        )
        files.append(
            File.generated(
                config, OFFLINE_PAGE_URI, content=offline_page, inclusion=InclusionLevel.NOT_IN_NAV
            )
        )
        listed = LAWS_URI in str(config.nav)
        files.append(
            File.generated(
                config,
                LAWS_URI,
                content=render_law_index_markdown(self.knowledge),
                inclusion=InclusionLevel.UNDEFINED if listed else InclusionLevel.NOT_IN_NAV,
            )
        )
        shared = shared_tools(self.knowledge)
        embeds = [
            *(page for m in self.knowledge.methodologies for page in made[m.slug].embeds),
            *self._recall(
                "sdilene-nastroje",
                tuple(tool for tool, _, _ in shared),
                lambda: self._static(embed_files(self.site_map, shared, self.site_url)),
            ),
        ]
        for file in [*self._static(site_files(self.knowledge, self.site_url)), *embeds]:
            files.append(file)
        for path, source in self._artifact_files(config).items():
            files.append(File.generated(config, path, abs_src_path=str(source)))
        if self.live is not None:
            self.live.mark(files)
            self.live.recall.forget_unused()
        return files

    def _recall(self, name: Hashable, inputs: tuple, make: Callable[[], T]) -> T:
        """`make()`, or in the preview its value from the previous build if made from the same
        inputs: `inputs`, the site's address and everything every page may show (the layout)."""
        if self.live is None:
            return make()
        return self.live.recall.get(name, (*inputs, self.live.layout, self.site_url), make)

    def _methodology_files(self, methodology: Methodology, whole: bool) -> MethodologyFiles:
        editions = [e for e in self.site_map.editions if e.methodology is methodology]
        return MethodologyFiles(
            citation_files={e.prefix: self._static(self._citation_files(e)) for e in editions},
            overviews={
                e.prefix: render_overview_markdown(e.content, pdf_downloads(e, whole))
                for e in editions
            },
            changes=render_changes_markdown(
                methodology, self.site_map.has_unreleased_changes(methodology)
            ),
            embeds=self._static(embed_files(self.site_map, own_tools(methodology), self.site_url)),
        )

    def _permalink_pages(self) -> list[File]:
        return self._static(
            (f"{path}index.html", render_redirect_html(relative_href(url, path), title))
            for path, (url, title) in permalink_targets(self.site_map).items()
        )

    def _static(self, made: Iterable[tuple[str, str]]) -> list[File]:
        """Generated files that are not pages; HTML ones are reached by link, not by the menu."""
        return [
            File.generated(
                self.mkdocs_config,
                path,
                content=content,
                inclusion=(
                    InclusionLevel.NOT_IN_NAV
                    if path.endswith(".html")
                    else InclusionLevel.UNDEFINED
                ),
            )
            for path, content in made
        ]

    def _cite_editions(self) -> dict[tuple[str, str], Citation]:
        """Citations of every edition; in the preview only a changed methodology's are made
        again (one pandoc call for its chunk only when its citable units changed)."""
        cache = self.root / ".cache" / "citace"
        if self.live is None:
            return cite_editions(self.site_map.editions, self.site_url, cache)
        methodologies = self.knowledge.methodologies
        changed = [
            m
            for m in methodologies
            if not self.live.recall.has(("citace", m.slug), (m, self.site_url))
        ]
        editions = [e for e in self.site_map.editions if any(e.methodology is m for m in changed)]
        # Only a call with every edition may prune the citation cache on disk.
        fresh = cite_editions(
            editions, self.site_url, cache if len(changed) == len(methodologies) else None
        )
        cited: dict[tuple[str, str], Citation] = {}
        for methodology in methodologies:
            prefixes = {e.prefix for e in self.site_map.editions if e.methodology is methodology}
            cited |= self.live.recall.get(
                ("citace", methodology.slug),
                (methodology, self.site_url),
                lambda p=prefixes: {key: c for key, c in fresh.items() if key[0] in p},
            )
        return cited

    # --- build only what changed: PDFs and Word files, and the live preview of `serve` -------

    live: LivePreview | None = None
    rendered_pages: set[str] = frozenset()  # type: ignore[assignment]

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining this hook also keeps the plugin between the rebuilds of `serve`.
        self.live = LivePreview() if command == "serve" and dirty else None

    def on_shutdown(self) -> None:
        if self.live is not None:
            self.live.close()
        worker = self.__dict__.pop("search_worker", None)  # a next session makes a new one
        if worker is not None:
            worker.shutdown(wait=True, cancel_futures=True)

    def on_pre_build(self, config: MkDocsConfig) -> None:
        # Pages (source URIs) rendered by this build; in the preview, only what an edit touched.
        self.rendered_pages = set()

    def on_pre_page(self, page: Page, **_: object) -> Page:
        self.rendered_pages.add(page.file.src_uri)
        self._pack_previous(page)
        return page

    # --- page memory: MkDocs renders every page before writing any ---------------------------

    _unpacked: Page | None = None

    def on_env(self, env: Environment, **_: object) -> Environment:
        self._pack_previous(None)  # the last page rendered
        self._finish_artifacts()
        if self.live is not None:
            env.bytecode_cache = self.live.templates
        return env

    @event_priority(100)  # before the search plugins and the template read the content
    def on_page_context(self, context: dict, page: Page, **_: object) -> dict:
        self._pack_previous(page)  # the page written before this one
        if self.live is not None:
            self.live.keep_title(page)
        if isinstance(page.content, PackedHtml):
            page.content = page.content.unpack()
        return context

    def _pack_previous(self, current: Page | None) -> None:
        """Compress the HTML of the page handled last, now that its turn is over."""
        previous, self._unpacked = self._unpacked, current
        if previous is not None and isinstance(previous.content, str):
            previous.content = PackedHtml(previous.content)

    def _artifact_files(self, config: MkDocsConfig) -> dict[str, Path]:
        """Each PDF and Word file (site path → file to publish). The preview does not wait for
        them: it publishes them into its folder itself when they are ready."""
        cache = ArtifactCache(self.root / ".cache" / "soubory")
        knowledge, site_url = self.knowledge, self.site_url

        def plan() -> list[Artifact]:
            return slow_files(knowledge, site_url, ContentKeys(knowledge))

        if self.live is not None:
            # The files carry the public address as published, so `make`'s cached files serve.
            site_url = published_site_url(config) or site_url
            site_dir = Path(config.site_dir)
            return {path: site_dir / path for path in self.live.artifacts(plan, cache, site_dir)}
        # Made while the pages render (pandoc and Typst use the other core); on_env waits.
        with self._artifact_errors():
            self._artifacts = cache.start(plan())
        return self._artifacts.paths

    _artifacts: PendingArtifacts | None = None

    def _finish_artifacts(self) -> None:
        """Wait for the PDFs and Word files started in on_files: MkDocs copies them next."""
        pending, self._artifacts = self._artifacts, None
        if pending is not None:
            with self._artifact_errors():
                pending.wait()

    def on_build_error(self, **_: object) -> None:
        if self.live is not None:
            self.live.stop()
        pending, self._artifacts = self._artifacts, None
        if pending is not None:
            pending.cancel()

    @contextlib.contextmanager
    def _artifact_errors(self) -> Iterator[None]:
        try:
            yield
        except ContentErrors as problem:
            raise PluginError(
                f"Chyby v obsahu příručky PDF nebo dokumentu Word:\n{problem}"
            ) from None
        except HandbookError as error:
            located = locate_handbook_error(self.knowledge)
            raise PluginError(located.format() if located else str(error)) from None

    def _page_citations(self, edition: Edition, src_uri: str) -> list[Citation]:
        """The citations of one methodology page, the page's own first."""
        chapter = next(
            (c for c in edition.content.chapters if edition.chapter_uri(c) == src_uri), None
        )
        return [self.citations[(edition.prefix, unit)] for unit in page_units(edition, chapter)]

    def _citation_files(self, edition: Edition) -> list[tuple[str, str]]:
        """RIS and BibTeX beside each page of an edition, for reference managers such as Zotero."""
        files = []
        pages = [(f"{edition.prefix}index.md", edition.prefix)] + [
            (edition.chapter_uri(c), f"{edition.prefix}{c.stem}/") for c in edition.content.chapters
        ]
        for src_uri, folder in pages:
            citations = self._page_citations(edition, src_uri)
            files.append((f"{folder}{RIS_FILE}", render_ris(citations)))
            files.append((f"{folder}{BIBTEX_FILE}", render_bibtex(citations)))
        return files

    def on_page_markdown(self, markdown: str, page: Page, **_: object) -> str:
        # Pages get the restricted macro language only, never the macros plugin's Jinja.
        page.meta["render_macros"] = False
        edition = self.site_map.edition_of(page.file.src_uri)
        if self.config.czech_search:
            self._mark_for_search(page, edition)
        if edition is None:
            return self._expand_macros(markdown, page)
        page.meta["metodika"] = edition_facts(self.site_map, edition, page.file.src_uri)
        own = self._page_citations(edition, page.file.src_uri)[0]
        page.meta["metodika"]["cite"] = page_citation_facts(own)
        if page.file.src_uri.endswith("/index.md"):  # chapters describe themselves, see below
            summary = shorten(edition.content.manifest.summary)
            page.meta.setdefault("description", plain_html(summary))  # printed into an attribute
        if edition.version and not page.file.src_uri.endswith("/index.md"):
            markdown = rebase_parent_links(markdown)
        return self._expand_macros(
            number_headings(markdown, section_numbers(edition.content)), page
        )

    def _mark_for_search(self, page: Page, edition: Edition | None) -> None:
        """Decide whether and how Pagefind indexes the page; Material's own index gets nothing."""
        excluded = bool((page.meta.get("search") or {}).get("exclude"))
        archived = bool(edition and edition.version)  # reachable by link, not by search
        page.meta["mk_search"] = {
            "indexed": not (excluded or archived),
            "tags": [edition.methodology.manifest.short_title] if edition else [],
            "changes": is_changes_page(page.file.src_uri),
            "headings_only": answers_by_headings(page.file.src_uri),
        }
        page.meta["search"] = {"exclude": True}

    def _spool_for_search(self, html: str, page: Page) -> None:
        wanted = page.meta.get("mk_search") or {}
        entry = None
        if wanted.get("indexed"):
            location = page.url or "./"  # the home page
            entry = PageEntry(
                location=location,
                title=plain_html(page.title or ""),
                tags=tuple(plain_html(tag) for tag in wanted["tags"]),
                weight=CHANGES_PAGE_BOOST if wanted["changes"] else 1.0,
                titles_only=wanted["headings_only"],
                sections=tuple(page_sections(html, location, page.title or "")),
            )
        self.search_spool.put(entry, page.url)

    def _expand_macros(self, markdown: str, page: Page) -> str:
        # Only pages written by authors carry macros; generated pages hold YAML text, never a macro.
        if page.file.abs_src_path is None or not has_template_syntax(markdown):
            return markdown
        shown = page.file.src_uri
        try:
            return expand_macros(markdown, shown, site_macro_functions(self, page))
        except ContentErrors as problem:
            raise PluginError(f"Chyby v obsahu:\n{problem}") from None

    def on_page_content(self, html: str, page: Page, files: Files, **_: object) -> str:
        edition = self.site_map.edition_of(page.file.src_uri)
        archived = bool(edition and edition.version and not page.file.src_uri.endswith("/index.md"))

        def url_of(uri: str) -> str | None:
            target = files.get_file_from_path(uri)
            return target.url_relative_to(page.file) if target else None

        html = resolve_raw_page_links(html, page.file.src_uri, url_of, rebase=archived)
        html = self.deferred.restore(html)
        if edition is not None and not page.file.src_uri.endswith("/index.md"):
            # The page's own citation is under „Citovat“ by the title; headings get the rest.
            _own, *parts = self._page_citations(edition, page.file.src_uri)
            sections = {c.unit: c for c in parts}
            html = add_section_citations(html, sections)
        # A shared link to a chapter shows its own opening, not the methodology's summary.
        described = "description" in page.meta or page.is_homepage
        if not described and (description := page_description(html)):
            page.meta["description"] = description
        html = bind_in_html(link_citations_in_html(html, self.laws))
        if self.config.czech_search:
            html = exclude_page_furniture(html)
            self._spool_for_search(html, page)
        return html

    def on_serve(self, server, config: MkDocsConfig, builder, **_: object):  # noqa: ANN001
        watch_by_file_events(server)
        for folder in ("methodology", "glossary"):
            server.watch(str(self.root / folder))
        return server

    def on_nav(self, nav, config: MkDocsConfig, files: Files, **_: object):  # noqa: ANN001
        # Search lists pages in reading order: where two sections score alike, the earlier wins.
        in_nav = [page.url for page in nav.pages]
        listed = set(in_nav)
        others = [f.url for f in files.documentation_pages() if f.url not in listed]
        self.page_locations = in_nav + others
        if self.live is not None:
            self.live.restore_titles(nav.pages)
        return nav

    def on_post_build(self, config: MkDocsConfig, **_: object) -> None:
        site, name = Path(config.site_dir), config.site_name
        pages, knowledge = list(self.page_locations), self.knowledge
        if self.live is None:
            self._write_search_and_offline(site, name, pages, knowledge)
            return
        self.live.finish()
        # The preview shows the edited page at once; search and the offline list follow (at 150
        # methodologies indexing takes tens of seconds). Only the newest edit's job runs.
        self.search_generation += 1
        generation = self.search_generation

        def wanted() -> bool:
            """After any rebuild under way: whether no later edit scheduled its own job."""
            self.live.idle.wait()
            return generation == self.search_generation

        def later() -> None:
            if not wanted():
                return
            try:
                self._write_search_and_offline(site, name, pages, knowledge, wanted)
            except _Superseded:
                return  # left off before the index was touched
            except PluginError as error:
                click.echo(str(error), err=True)

        self.search_worker.submit(later)

    search_generation = 0

    @functools.cached_property
    def search_worker(self) -> ThreadPoolExecutor:
        return background_executor("metodiky-hledani")

    def _write_search_and_offline(
        self,
        site: Path,
        site_name: str,
        pages: list[str],
        knowledge: KnowledgeBase,
        wanted: Callable[[], bool] = lambda: True,
    ) -> None:
        """Search index and offline list; `wanted` is asked before each page is read (it may
        wait while the preview rebuilds) and ends the job early by answering False."""
        searchable: set[str] | None = None
        if self.config.czech_search:
            searchable = set()

            def entries():  # one page's entry in memory at a time
                for entry in self.search_spool.entries(pages):
                    if not wanted():
                        raise _Superseded
                    searchable.add(entry.location)
                    yield entry

            try:
                write_search_index(site, entries(), knowledge)
            except SearchIndexError as error:
                raise PluginError(
                    f"Vyhledávání se nepodařilo sestavit (Pagefind): {error}"
                ) from None
        permalinks = offline_permalinks(self.site_map)
        slugs = [methodology.slug for methodology in knowledge.methodologies]
        write_offline_files(site, site_name, permalinks, searchable, slugs)
