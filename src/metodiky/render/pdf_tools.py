"""Checklists, decision trees and terms as pandoc Markdown for the PDF handbook."""

from __future__ import annotations

from collections.abc import Callable

from ..model import Checklist, DecisionTree, KnowledgeBase, OutcomeNode, QuestionNode


def pdf_macro_functions(knowledge: KnowledgeBase) -> dict[str, Callable[..., str]]:
    """The macro functions chapters call, rendering for the PDF instead of the site."""
    checklists = {c.id: c for c in knowledge.all_checklists()}
    trees = {t.id: t for t in knowledge.all_trees()}
    terms = {entry.id: entry for entry in knowledge.glossary}
    return {
        "checklist": lambda tool_id: render_checklist_markdown(checklists[tool_id]),
        "decision_tree": lambda tool_id: render_tree_markdown(trees[tool_id]),
        "term": lambda term_id, text=None: text or terms[term_id].term,
    }


def markdown_text(text: str) -> str:
    """YAML text for pandoc: inline Markdown stays, raw HTML is shown as text, lines stay one."""
    return text.replace("\\", "\\\\").replace("<", "\\<").replace("\n", " ")


def render_checklist_markdown(checklist: Checklist) -> str:
    """A checklist as a printable block with an empty box before every item."""
    lines = [
        "",
        '::: {.typst-call function="checklist"}',
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
        lines.append("")
    lines += [":::", ""]
    return "\n".join(lines)


def render_tree_markdown(tree: DecisionTree) -> str:
    """A decision tree as numbered steps: questions point to step numbers and outcomes."""
    order = walk_order(tree)
    numbers = {node_id: index for index, node_id in enumerate(order, start=1)}
    lines = [
        "",
        '::: {.typst-call function="decision-tree"}',
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
            answers = "; ".join(f"{markdown_text(o.label)} → {numbers[o.next]}" for o in node.options)
            lines += [f"{numbers[node_id]}. {markdown_text(node.question)} {answers}", ""]
        elif isinstance(node, OutcomeNode):
            lines += [f"{numbers[node_id]}. **{markdown_text(node.outcome)}:** {markdown_text(node.text)}", ""]
    lines += [":::", ""]
    return "\n".join(lines)


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
