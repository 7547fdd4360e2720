"""Functions the pages call as macros (`{{ checklist("…") }}`), rendered for the site."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .publish import SHARED_TOOLS_SOURCE, tools_with_origin
from .render.citation_ui import render_citation_example
from .render.docx import checklist_docx_path
from .render.embed import EmbedChoice, embed_path, order_choices, render_snippet_generator
from .render.site import render_methodology_cards, render_methodology_links
from .render.site_tools import render_checklist_html, render_term_html, render_tree_html
from .render.workshop import render_workshop_outline_html
from .site_build import relative_href, relative_markdown_link


def site_macro_functions(plugin: Any, page: Any) -> dict[str, Callable[..., str]]:
    """The macros of one page; each renders a tool as it is in the page's methodology version."""
    knowledge = plugin.knowledge
    terms = {entry.id: entry for entry in knowledge.glossary}
    edition = plugin.site_map.edition_of(page.file.src_uri)

    def resolve(kind: str, target_id: str) -> tuple[str, str] | None:
        target = plugin.site_map.targets(edition).get((kind, target_id))
        if target is None:
            return None
        url, title = target
        return relative_href(url, page.url), title

    # What a printed tool names as its source: the methodology and version, or the shared tools.
    origin = (
        f"{edition.content.manifest.title}, verze {edition.shown_version}"
        if edition
        else SHARED_TOOLS_SOURCE
    )

    def checklist(checklist_id: str) -> str:
        version = edition.shown_version if edition else "1"
        tool = plugin.site_map.tool(edition, "checklist", checklist_id)
        archived = edition is not None and edition.version is not None
        word = None if archived else relative_href(checklist_docx_path(tool), page.url)
        html = render_checklist_html(tool, version, resolve, word, origin)
        return plugin.deferred.placeholder(html)

    def decision_tree(tree_id: str) -> str:
        tree = plugin.site_map.tool(edition, "tree", tree_id)
        return plugin.deferred.placeholder(render_tree_html(tree, resolve, origin))

    def term(term_id: str, text: str | None = None) -> str:
        return render_term_html(terms[term_id], text, resolve)

    def embed_snippet_generator(*featured: str) -> str:
        base = plugin.site_url.rstrip("/")
        origin = "/".join(base.split("/")[:3])
        targets = plugin.site_map.targets(None)
        tools = []
        for tool, source, _ in tools_with_origin(knowledge):
            checklist = hasattr(tool, "sections")
            kind = "Kontrolní seznam" if checklist else "Rozhodovací strom"
            home = targets.get(("checklist" if checklist else "tree", tool.id))
            choice = EmbedChoice(
                id=tool.id,
                title=f"{kind}: {tool.title}",
                group="Společné nástroje" if source == SHARED_TOOLS_SOURCE else source,
                embed_url=f"{base}/{embed_path(tool.id)}",
                page_url=f"{base}/{home[0]}" if home else f"{base}/",
                preview_href=relative_href(embed_path(tool.id), page.url),
            )
            tools.append(choice)
        return render_snippet_generator(order_choices(tools, list(featured)), origin)

    def methodology_links() -> str:
        return render_methodology_links(
            knowledge, lambda uri: relative_href(uri.removesuffix("index.md"), page.url)
        )

    def methodology_cards() -> str:
        return render_methodology_cards(knowledge, lambda uri: relative_markdown_link(uri, page))

    def citation(unit: str) -> str:
        current = [e for e in plugin.site_map.editions if e.version is None]
        found = next(
            (
                plugin.citations[(e.prefix, unit)]
                for e in current
                if (e.prefix, unit) in plugin.citations
            ),
            None,
        )
        if found is None:
            raise ValueError(f"neznámé id oddílu „{unit}“")
        return render_citation_example(found)

    def workshop_outline(workshop_id: str) -> str:
        workshop = next(w for w in knowledge.workshops if w.id == workshop_id)
        html = render_workshop_outline_html(
            workshop, knowledge, resolve, lambda path: relative_href(path, page.url)
        )
        return plugin.deferred.placeholder(html)

    return {
        "citation": citation,
        "checklist": checklist,
        "decision_tree": decision_tree,
        "term": term,
        "embed_snippet_generator": embed_snippet_generator,
        "methodology_links": methodology_links,
        "methodology_cards": methodology_cards,
        "workshop_outline": workshop_outline,
    }
