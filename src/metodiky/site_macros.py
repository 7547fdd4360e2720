"""Functions the chapters call as macros (`{{ checklist("…") }}`), rendered for the site."""

from __future__ import annotations

from typing import Any

from .publish import tools_with_origin
from .render.docx import checklist_docx_path
from .render.embed import embed_path, render_snippet_generator
from .render.site import render_methodology_cards, render_methodology_links
from .render.site_tools import render_checklist_html, render_term_html, render_tree_html
from .site_build import relative_href, relative_markdown_link


def register_macros(env: Any, plugin: Any) -> None:
    """Register the tool macros; each renders the tool as it is in the page's methodology version."""
    knowledge = plugin.knowledge
    terms = {entry.id: entry for entry in knowledge.glossary}

    def edition():
        return plugin.site_map.edition_of(env.page.file.src_uri)

    def resolve(kind: str, target_id: str) -> tuple[str, str] | None:
        target = plugin.site_map.targets(edition()).get((kind, target_id))
        if target is None:
            return None
        url, title = target
        return relative_href(url, env.page.url), title

    @env.macro
    def checklist(checklist_id: str) -> str:
        current = edition()
        version = current.shown_version if current else "1"
        tool = plugin.site_map.tool(current, "checklist", checklist_id)
        archived = current is not None and current.version is not None
        word = None if archived else relative_href(checklist_docx_path(tool), env.page.url)
        return plugin.deferred.placeholder(render_checklist_html(tool, version, resolve, word))

    @env.macro
    def embed_snippet_generator() -> str:
        base = plugin.site_url.rstrip("/")
        origin = "/".join(base.split("/")[:3])
        tools = []
        for tool, _, _ in tools_with_origin(knowledge):
            kind = "Kontrolní seznam" if hasattr(tool, "sections") else "Rozhodovací strom"
            tools.append((tool.id, f"{kind}: {tool.title}", f"{base}/{embed_path(tool.id)}"))
        return render_snippet_generator(tools, origin)

    @env.macro
    def decision_tree(tree_id: str) -> str:
        tree = plugin.site_map.tool(edition(), "tree", tree_id)
        return plugin.deferred.placeholder(render_tree_html(tree, resolve))

    @env.macro
    def term(term_id: str, text: str | None = None) -> str:
        return render_term_html(terms[term_id], text, resolve)

    @env.macro
    def methodology_links() -> str:
        return render_methodology_links(
            knowledge, lambda uri: relative_href(uri.removesuffix("index.md"), env.page.url)
        )

    @env.macro
    def methodology_cards() -> str:
        return render_methodology_cards(
            knowledge, lambda uri: relative_markdown_link(uri, env.page)
        )
