"""Checklists, decision trees and terms as accessible HTML for the site (pure functions)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ..model import Checklist, DecisionTree, GlossaryEntry, Link, OutcomeNode, QuestionNode
from .diagram import render_tree_svg
from .inline import render_inline
from .pdf_tools import walk_order

# Resolves (kind, id) to (href relative to the current page, title), or None when unknown.
Resolve = Callable[[str, str], tuple[str, str] | None]
LINK_LABELS = {
    "section": "oddíl",
    "term": "pojem",
    "checklist": "kontrolní seznam",
    "tree": "rozhodovací strom",
}
# Shown by the script: progress, printing the list alone (blank or as ticked here), and clearing,
# set apart from printing because it loses work (the script offers "Zpět" for a while after it).
CHECKLIST_ACTIONS = (
    '<div class="mk-tool__actions" hidden>'
    '<p class="mk-checklist__progress" aria-live="polite"></p>'
    '<p class="mk-tool__print" role="group" aria-label="Vytisknout jen tento seznam">'
    '<button type="button" class="md-button" data-action="print" data-print="prazdny">'
    "Vytisknout prázdný</button> "
    '<button type="button" class="md-button" data-action="print" data-print="vyplneny">'
    "Vytisknout vyplněný</button></p>"
    '<p class="mk-checklist__clear">'
    '<button type="button" class="md-button" data-action="clear">Vymazat zaškrtnutí</button> '
    '<span class="mk-checklist__undo" aria-live="polite"></span></p>'
    # Ticks outlive the page visit: the next case must not start half ticked from the last one.
    '<p class="mk-checklist__note">Zaškrtnutí si pamatuje jen tento prohlížeč. '
    "Než seznam použijete pro další případ, vymažte ho.</p></div>"
)
TREE_ACTIONS = (
    '<p class="mk-tool__actions" hidden>'
    '<button type="button" class="md-button" data-action="print" data-print="strom">'
    "Vytisknout strom</button></p>"
)


def render_checklist_html(
    checklist: Checklist,
    version: str,
    resolve: Resolve,
    word_href: str | None = None,
    origin: str = "",
) -> str:
    """A checklist of real checkboxes; the script keeps ticks per checklist id and item id.

    `origin` (methodology and version) goes on a printed sheet, which must say where it is from."""
    parts = [
        f'<section class="mk-checklist" id="nastroj-{checklist.id}" '
        f'data-checklist="{checklist.id}" data-version="{escape(version)}"{_origin(origin)} '
        f'aria-labelledby="nastroj-{checklist.id}-nazev">',
        '<p class="mk-tool__kind">Kontrolní seznam</p>',
        f'<p class="mk-tool__title" id="nastroj-{checklist.id}-nazev">{render_inline(checklist.title)}</p>',
        f'<p class="mk-tool__purpose">{render_inline(checklist.purpose)}</p>',
    ]
    for s, section in enumerate(checklist.sections):
        parts.append(
            f'<fieldset class="mk-checklist__section"><legend>{render_inline(section.title)}</legend>'
        )
        parts.append('<ul class="mk-checklist__items">')
        for i, item in enumerate(section.items):
            box_id = f"{checklist.id}-{s + 1}-{i + 1}"
            parts.append(
                f'<li><input type="checkbox" id="{box_id}" data-item="{s + 1}-{i + 1}">'
                f'<label for="{box_id}">{render_inline(item.text)}</label>'
            )
            if item.hint:
                parts.append(f'<p class="mk-checklist__hint">{render_inline(item.hint)}</p>')
            parts.append(_links_html(item.links, resolve))
            parts.append("</li>")
        parts.append("</ul></fieldset>")
    if word_href:
        parts.append(
            f'<p class="mk-tool__download"><a href="{escape(word_href)}" download>'
            "Stáhnout jako formulář Word</a></p>"
        )
    parts.append(CHECKLIST_ACTIONS)
    parts.append("</section>")
    return "\n".join(part for part in parts if part)


def _origin(origin: str) -> str:
    return f' data-origin="{escape(origin)}"' if origin else ""


def render_tree_html(tree: DecisionTree, resolve: Resolve, origin: str = "") -> str:
    """A decision tree as numbered steps linked by anchors; the script turns it into a stepper."""
    order = walk_order(tree)
    numbers = {node_id: index for index, node_id in enumerate(order, start=1)}
    parts = [
        f'<section class="mk-tree" id="nastroj-{tree.id}" data-tree="{tree.id}"{_origin(origin)} '
        f'aria-labelledby="nastroj-{tree.id}-nazev">',
        '<p class="mk-tool__kind">Rozhodovací strom</p>',
        f'<p class="mk-tool__title" id="nastroj-{tree.id}-nazev">{render_inline(tree.title)}</p>',
        f'<p class="mk-tool__purpose">{render_inline(tree.situation)}</p>',
    ]
    for warning in tree.warnings:
        parts.append(
            f'<p class="mk-tree__warning"><strong>Pozor:</strong> {render_inline(warning)}</p>'
        )
    parts.append('<ol class="mk-tree__steps">')
    for node_id in order:
        node = tree.nodes[node_id]
        anchor = f"{tree.id}--{node_id}"
        if isinstance(node, QuestionNode):
            parts.append(
                f'<li id="{anchor}" class="mk-tree__question" data-node="{node_id}" value="{numbers[node_id]}">'
            )
            parts.append(f'<p class="mk-tree__text">{render_inline(node.question)}</p>')
            if node.hint:
                parts.append(f'<p class="mk-tree__hint">{render_inline(node.hint)}</p>')
            parts.append('<ul class="mk-tree__options">')
            for option in node.options:
                parts.append(
                    f'<li><a href="#{tree.id}--{option.next}" data-next="{option.next}">'
                    f"{render_inline(option.label)}</a> "
                    f'<span class="mk-tree__goto">(krok {numbers[option.next]})</span></li>'
                )
            parts.append("</ul></li>")
        elif isinstance(node, OutcomeNode):
            parts.append(
                f'<li id="{anchor}" class="mk-tree__outcome" data-node="{node_id}" value="{numbers[node_id]}">'
            )
            parts.append('<p class="mk-tree__outcome-label">Doporučený postup</p>')
            parts.append(
                f'<p class="mk-tree__text"><strong>{render_inline(node.outcome)}</strong></p>'
            )
            parts.append(f"<p>{render_inline(node.text)}</p>")
            if node.warning:
                parts.append(
                    f'<p class="mk-tree__warning"><strong>Pozor:</strong> {render_inline(node.warning)}</p>'
                )
            if node.contacts:
                contacts = "".join(f"<li>{render_inline(c)}</li>" for c in node.contacts)
                parts.append(f'<p class="mk-tree__label">Koho kontaktovat:</p><ul>{contacts}</ul>')
            parts.append(_links_html(node.links, resolve))
            parts.append("</li>")
    parts.append("</ol>")
    parts.append(
        '<details class="mk-tree__diagram"><summary>Celý strom jako diagram</summary>'
        # Wide diagrams scroll sideways; keyboard users need to reach the scrolling box too.
        f'<div class="mk-tree__scroll" tabindex="0" role="group" aria-labelledby="diagram-{tree.id}">'
        f"{render_tree_svg(tree)}</div></details>"
    )
    parts.append(TREE_ACTIONS)
    parts.append("</section>")
    return "\n".join(part for part in parts if part)


def tool_anchor_ids(tool: Checklist | DecisionTree) -> list[str]:
    """Every id the HTML of a tool puts on the page that embeds it (kept in step with the
    renderers above by a test), so that `check` can find clashes without rendering."""
    ids = [f"nastroj-{tool.id}", f"nastroj-{tool.id}-nazev"]
    if isinstance(tool, Checklist):
        for s, section in enumerate(tool.sections):
            ids += [f"{tool.id}-{s + 1}-{i + 1}" for i in range(len(section.items))]
    else:
        ids += [f"{tool.id}--{node_id}" for node_id in tool.nodes]
        ids += [f"diagram-{tool.id}", f"sipka-{tool.id}"]
    return ids


def render_term_html(entry: GlossaryEntry, text: str | None, resolve: Resolve) -> str:
    """A term in running text, linked to its glossary entry."""
    target = resolve("term", entry.id)
    label = escape(text or entry.term)
    return f'<a class="mk-term" href="{escape(target[0])}">{label}</a>' if target else label


def _links_html(links: list[Link], resolve: Resolve) -> str:
    if not links:
        return ""
    items = []
    for link in links:
        target = resolve(link.kind, link.target)
        if target:
            href, title = target
            items.append(
                f'<a href="{escape(href)}">{LINK_LABELS[link.kind]} „{render_inline(title)}“</a>'
            )
    return f'<p class="mk-tool__links">Viz též: {", ".join(items)}</p>' if items else ""
