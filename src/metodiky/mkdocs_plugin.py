"""MkDocs plugin: wires the knowledge base into the build. Logic lives in the package modules."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from .errors import ContentErrors
from .knowledge import load_knowledge_base
from .model import KnowledgeBase, Methodology
from .render.glossary import abbreviation_glossary, render_glossary_markdown
from .render.handbook import (
    HandbookError,
    compile_handbook,
    render_handbook_assets,
    render_handbook_typst,
)
from .render.site import methodology_facts, render_overview_markdown
from .site_build import expand_navigation
from .typography import bind_in_html

log = logging.getLogger("mkdocs.plugins.metodiky")
HANDBOOK_URI = "prirucka.pdf"
GLOSSARY_URI = "slovnik/index.md"


class MetodikyPlugin(BasePlugin):
    """Adds methodologies, overviews, the glossary and the PDF handbook to the site."""

    knowledge: KnowledgeBase
    root: Path

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent
        try:
            self.knowledge = load_knowledge_base(self.root)
        except ContentErrors as problem:
            raise PluginError(f"Content errors:\n{problem}") from None
        config.nav = expand_navigation(config.nav, self.knowledge)
        # Python-Markdown's abbr extension takes a glossary: tooltips without touching the pages.
        config.mdx_configs.setdefault("abbr", {})["glossary"] = abbreviation_glossary(
            self.knowledge
        )
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        self.chapter_pages: dict[str, Methodology] = {}
        for methodology in self.knowledge.methodologies:
            overview = f"{methodology.slug}/index.md"
            files.append(
                File.generated(config, overview, content=render_overview_markdown(methodology))
            )
            self.chapter_pages[overview] = methodology
            for chapter in methodology.chapters:
                uri = f"{methodology.slug}/{chapter.name}"
                files.append(File.generated(config, uri, abs_src_path=str(chapter.source)))
                self.chapter_pages[uri] = methodology
        files.append(
            File.generated(config, GLOSSARY_URI, content=render_glossary_markdown(self.knowledge))
        )
        files.append(File.generated(config, HANDBOOK_URI, content=self._handbook_pdf()))
        return files

    def on_page_markdown(self, markdown: str, page: Page, **_: object) -> str:
        methodology = self.chapter_pages.get(page.file.src_uri)
        if methodology is not None:
            page.meta["metodika"] = methodology_facts(methodology)
        return markdown

    def on_page_content(self, html: str, **_: object) -> str:
        return bind_in_html(html)

    def on_serve(self, server, config: MkDocsConfig, builder, **_: object):  # noqa: ANN001
        for folder in ("methodology", "glossary"):
            server.watch(str(self.root / folder))
        return server

    def _handbook_pdf(self) -> bytes:
        """Build the PDF, reusing a cached copy when the Typst source has not changed."""
        try:
            source = render_handbook_typst(self.knowledge)
            assets = render_handbook_assets(self.knowledge)
        except ContentErrors as problem:
            raise PluginError(f"Content errors in the handbook:\n{problem}") from None
        fingerprint = hashlib.sha256(source.encode())
        for name in sorted(assets):
            fingerprint.update(name.encode() + assets[name].encode())
        digest = fingerprint.hexdigest()[:16]
        cache = self.root / ".cache" / "handbook"
        cached = cache / f"prirucka-{digest}.pdf"
        if not cached.is_file():
            try:
                compile_handbook(source, assets, cached, cache)
            except HandbookError as error:
                raise PluginError(str(error)) from None
            for stale in cache.glob("prirucka-*.pdf"):
                if stale != cached:
                    stale.unlink()
            log.info("Handbook PDF built: %s", cached.name)
        return cached.read_bytes()
