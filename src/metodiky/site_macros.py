"""Functions the chapters call as macros (`{{ checklist("…") }}`), rendered for the site."""

from __future__ import annotations

from typing import Any

from .model import KnowledgeBase
from .render.site import render_methodology_cards, render_methodology_links, site_targets
from .render.site_tools import render_checklist_html, render_term_html, render_tree_html
from .site_build import relative_href, relative_markdown_link


def register_macros(env: Any, knowledge: KnowledgeBase) -> None:
    """Register the tool macros on a mkdocs-macros environment."""
    targets = site_targets(knowledge)
    checklists = {c.id: c for c in knowledge.all_checklists()}
    trees = {t.id: t for t in knowledge.all_trees()}
    terms = {entry.id: entry for entry in knowledge.glossary}
    versions = {c.id: m.manifest.version for m in knowledge.methodologies for c in m.checklists}

    def resolve(kind: str, target_id: str) -> tuple[str, str] | None:
        target = targets.get((kind, target_id))
        if target is None:
            return None
        url, title = target
        return relative_href(url, env.page.url), title

    @env.macro
    def checklist(checklist_id: str) -> str:
        return render_checklist_html(
            checklists[checklist_id], versions.get(checklist_id, "1"), resolve
        )

    @env.macro
    def decision_tree(tree_id: str) -> str:
        return render_tree_html(trees[tree_id], resolve)

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
