"""Checklists, decision trees and terms as pandoc Markdown for the PDF handbook."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..citation import current_citation
from ..model import (
    Checklist,
    DecisionTree,
    KnowledgeBase,
    Link,
    Methodology,
    OutcomeNode,
    QuestionNode,
)
from .recent import per_knowledge


def pdf_macro_functions(
    knowledge: KnowledgeBase, editions: list[Methodology] | None = None, site_url: str = ""
) -> dict[str, Callable[..., str]]:
    """The macro functions chapters call, rendering for the PDF; a version's own tools come first."""
    checklists = {c.id: c for c in knowledge.all_checklists()}
    trees = {t.id: t for t in knowledge.all_trees()}
    for edition in editions or []:
        checklists.update({c.id: c for c in edition.checklists})
        trees.update({t.id: t for t in edition.trees})
    terms = {entry.id: entry for entry in knowledge.glossary}
    titles = link_titles(knowledge)
    return {
        "checklist": lambda tool_id: render_checklist_markdown(checklists[tool_id], titles),
        "decision_tree": lambda tool_id: render_tree_markdown(trees[tool_id], titles),
        "term": lambda term_id, text=None: (
            f"[{markdown_text(text or terms[term_id].term)}](#pojem-{term_id})"
        ),
        "citation": lambda unit: (
            "> " + markdown_text(current_citation(knowledge.methodologies, unit, site_url).text)
        ),
    }


@per_knowledge
def link_titles(knowledge: KnowledgeBase) -> dict[tuple[str, str], tuple[str, str]]:
    """(kind, id) → (handbook label, title) for everything a tool may link to."""
    titles: dict[tuple[str, str], tuple[str, str]] = {}
    for methodology in knowledge.methodologies:
        for chapter in methodology.chapters:
            for heading in chapter.headings:
                if heading.id and heading.level <= 3:
                    titles[("section", heading.id)] = (heading.id, heading.title)
    for page in knowledge.site_pages:  # in the PDF when the page is; plain text otherwise
        for heading in page.headings:
            if heading.id and heading.level <= 3:
                titles.setdefault(("section", heading.id), (heading.id, heading.title))
    for entry in knowledge.glossary:
        titles[("term", entry.id)] = (f"pojem-{entry.id}", entry.term)
    for tool in knowledge.all_checklists():
        titles[("checklist", tool.id)] = (f"nastroj-{tool.id}", tool.title)
    for tool in knowledge.all_trees():
        titles[("tree", tool.id)] = (f"nastroj-{tool.id}", tool.title)
    return titles


LINK_NAMES = {"section": "oddíl", "term": "pojem", "checklist": "kontrolní seznam", "tree": "strom"}
Titles = dict[tuple[str, str], tuple[str, str]]


def _links_markdown(links: list[Link], titles: Titles) -> str:
    """ "Viz též" references; links to content outside the handbook (site pages) show as text."""
    parts = []
    for link in links:
        label, title = titles.get((link.kind, link.target), ("", link.target))
        text = f"{LINK_NAMES[link.kind]} „{markdown_text(title)}“"
        parts.append(f"[{text}](#{label})" if label else text)
    return f"*Viz též:* {', '.join(parts)}" if parts else ""


def markdown_text(text: str) -> str:
    """YAML text for pandoc: inline Markdown stays, raw HTML and images are shown as text, lines stay one."""
    escaped = text.replace("\\", "\\\\").replace("<", "\\<").replace("![", "!\\[")
    # The text may start a list item or a definition: a leading # would open a heading there.
    return _LEADING_HASH.sub(r"\1\\#", escaped.replace("\n", " "))


_LEADING_HASH = re.compile(r"^(\s*)#")


def render_checklist_markdown(checklist: Checklist, titles: Titles) -> str:
    """A checklist as a printable block with an empty box before every item."""
    lines = [
        "",
        f'::: {{#nastroj-{checklist.id} .typst-call function="checklist"}}',
        f"**Kontrolní seznam: {markdown_text(checklist.title)}**",
        "",
        f"*{markdown_text(checklist.purpose)}*",
        "",
    ]
    for section in checklist.sections:
        lines += [f"**{markdown_text(section.title)}**", ""]
        for item in section.items:
            lines.append(f"- {markdown_text(item.text)}")
            if item.hint:
                lines += ["", f"  *{markdown_text(item.hint)}*"]
            if item.links:
                lines += ["", f"  {_links_markdown(item.links, titles)}"]
        lines.append("")
    lines += [":::", ""]
    return "\n".join(lines)


def render_tree_markdown(tree: DecisionTree, titles: Titles) -> str:
    """A decision tree as numbered steps: questions point to step numbers and outcomes."""
    order = walk_order(tree)
    numbers = {node_id: index for index, node_id in enumerate(order, start=1)}
    lines = [
        "",
        f'::: {{#nastroj-{tree.id} .typst-call function="decision-tree"}}',
        f"**Rozhodovací strom: {markdown_text(tree.title)}**",
        "",
        f"*{markdown_text(tree.situation)}*",
        "",
    ]
    for warning in tree.warnings:
        lines += [f"**Pozor:** {markdown_text(warning)}", ""]
    for node_id in order:
        node = tree.nodes[node_id]
        if isinstance(node, QuestionNode):
            answers = "; ".join(
                f"{markdown_text(o.label)} → {numbers[o.next]}" for o in node.options
            )
            lines += [f"{numbers[node_id]}. {markdown_text(node.question)} {answers}", ""]
        elif isinstance(node, OutcomeNode):
            lines += [
                f"{numbers[node_id]}. **{markdown_text(node.outcome)}:** {markdown_text(node.text)}",
                "",
            ]
            if node.warning:
                lines += [f"    **Pozor:** {markdown_text(node.warning)}", ""]
            if node.contacts:
                contacts = ", ".join(markdown_text(contact) for contact in node.contacts)
                lines += [f"    *Koho kontaktovat:* {contacts}", ""]
            if node.links:
                lines += [f"    {_links_markdown(node.links, titles)}", ""]
    lines += ["```{=typst}", f'#tree-diagram("{diagram_file_name(tree)}")', "```", ""]
    lines += [":::", ""]
    return "\n".join(lines)


def diagram_file_name(tree: DecisionTree) -> str:
    """File name under which the handbook build stores a tree's SVG diagram."""
    return f"diagram-{tree.id}.svg"


def walk_order(tree: DecisionTree) -> list[str]:
    """Breadth-first from the start, so step numbers follow the reading order."""
    order, queue = [], [tree.start]
    while queue:
        node_id = queue.pop(0)
        if node_id in order or node_id not in tree.nodes:
            continue
        order.append(node_id)
        node = tree.nodes[node_id]
        if isinstance(node, QuestionNode):
            queue.extend(option.next for option in node.options)
    return order
