"""Cross-file rules: unique ids, decision-tree graphs and references that must resolve."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .errors import ContentError, display_path
from .model import Checklist, DecisionTree, KnowledgeBase, Link, OutcomeNode, QuestionNode

MACRO_CALL = re.compile(r"\{\{\s*(checklist|decision_tree|term)\(\s*[\"']([^\"']*)[\"']")


def check_knowledge_base(knowledge: KnowledgeBase) -> list[ContentError]:
    """Apply every rule that needs more than one file; return all problems found."""
    sections = _section_ids(knowledge)
    errors = [*_duplicate_sections(sections)]
    errors += _duplicate_tools(knowledge)
    errors += _duplicate_terms(knowledge)
    for tree in knowledge.all_trees():
        errors += check_tree_graph(tree, knowledge.sources.files.get(tree.id, tree.id), knowledge)
    targets = {
        "section": {section for section, _, _ in sections},
        "term": {entry.id for entry in knowledge.glossary},
        "checklist": {checklist.id for checklist in knowledge.all_checklists()},
        "tree": {tree.id for tree in knowledge.all_trees()},
    }
    errors += _dangling_links(knowledge, targets)
    errors += _dangling_macros(knowledge, targets)
    return errors


def check_tree_graph(
    tree: DecisionTree, shown: str, knowledge: KnowledgeBase
) -> list[ContentError]:
    """A tree starts at an existing node, reaches every node, has no cycle and always ends."""

    def at(*path: str | int) -> tuple[int, int]:
        return knowledge.sources.locate(shown, path)

    errors: list[ContentError] = []
    nodes = tree.nodes
    if tree.start not in nodes:
        errors.append(
            ContentError(shown, *at("start"), f"start node '{tree.start}' does not exist")
        )
    for node_id, node in nodes.items():
        if not isinstance(node, QuestionNode):
            continue
        if len(node.options) < 2:
            errors.append(
                ContentError(
                    shown, *at("nodes", node_id), f"question '{node_id}' has fewer than two options"
                )
            )
        for index, option in enumerate(node.options):
            if option.next not in nodes:
                errors.append(
                    ContentError(
                        shown,
                        *at("nodes", node_id, "options", index, "next"),
                        f"option '{option.label}' of '{node_id}' leads to missing node '{option.next}'",
                    )
                )
    if errors:
        return errors
    reachable = _reachable(tree)
    for node_id in nodes:
        if node_id not in reachable:
            errors.append(
                ContentError(
                    shown, *at("nodes", node_id), f"node '{node_id}' is unreachable from start"
                )
            )
    cycle = _find_cycle(tree)
    if cycle:
        path = " → ".join(cycle)
        errors.append(
            ContentError(shown, *at("nodes", cycle[0]), f"cycle in decision tree: {path}")
        )
    ends = _nodes_reaching_outcome(tree)
    for node_id in sorted(reachable - ends, key=list(nodes).index):
        errors.append(
            ContentError(
                shown, *at("nodes", node_id), f"no outcome can be reached from node '{node_id}'"
            )
        )
    return errors


def _successors(tree: DecisionTree, node_id: str) -> list[str]:
    node = tree.nodes[node_id]
    return [option.next for option in node.options] if isinstance(node, QuestionNode) else []


def _reachable(tree: DecisionTree) -> set[str]:
    seen, stack = set(), [tree.start]
    while stack:
        node_id = stack.pop()
        if node_id not in seen:
            seen.add(node_id)
            stack.extend(_successors(tree, node_id))
    return seen


def _find_cycle(tree: DecisionTree) -> list[str]:
    """Depth-first search with colours; returns the node ids of the first cycle found."""
    state: dict[str, int] = {}
    trail: list[str] = []

    def visit(node_id: str) -> list[str]:
        state[node_id] = 1
        trail.append(node_id)
        for successor in _successors(tree, node_id):
            if state.get(successor) == 1:
                return trail[trail.index(successor) :] + [successor]
            if successor not in state and (found := visit(successor)):
                return found
        trail.pop()
        state[node_id] = 2
        return []

    for node_id in [tree.start, *tree.nodes]:
        if node_id not in state and (found := visit(node_id)):
            return found
    return []


def _nodes_reaching_outcome(tree: DecisionTree) -> set[str]:
    good = {node_id for node_id, node in tree.nodes.items() if isinstance(node, OutcomeNode)}
    changed = True
    while changed:
        changed = False
        for node_id in tree.nodes:
            if node_id not in good and any(s in good for s in _successors(tree, node_id)):
                good.add(node_id)
                changed = True
    return good


def _section_ids(knowledge: KnowledgeBase) -> list[tuple[str, str, int]]:
    """Every heading id with its file and line: methodology chapters and site pages."""
    found = [
        (heading.id, chapter.shown, heading.line)
        for methodology in knowledge.methodologies
        for chapter in methodology.chapters
        for heading in chapter.headings
        if heading.id
    ]
    for page in knowledge.site_pages:
        found += [(h.id, page.shown, h.line) for h in page.headings if h.id and h.level <= 3]
    return found


def _duplicate_sections(sections: list[tuple[str, str, int]]) -> list[ContentError]:
    errors, first = [], {}
    for section_id, shown, line in sections:
        if section_id in first:
            where = "{}:{}".format(*first[section_id])
            errors.append(
                ContentError(shown, line, 1, f"duplicate id '{section_id}' (also {where})")
            )
        else:
            first[section_id] = (shown, line)
    return errors


def _duplicate_tools(knowledge: KnowledgeBase) -> list[ContentError]:
    errors, first = [], {}
    for tool, shown in _tool_files(knowledge):
        if tool.id in first:
            errors.append(
                ContentError(shown, 1, 1, f"duplicate id '{tool.id}' (also {first[tool.id]})")
            )
        else:
            first[tool.id] = shown
    return errors


def _tool_files(knowledge: KnowledgeBase) -> list[tuple[Checklist | DecisionTree, str]]:
    """Tools with the file each came from; duplicates share an id, so files are tracked apart."""
    tools = []
    for methodology in knowledge.methodologies:
        for kind, items in (("checklists", methodology.checklists), ("trees", methodology.trees)):
            for tool in items:
                path = methodology.folder / kind / f"{tool.id}.yml"
                tools.append((tool, display_path(path, knowledge.root)))
    for kind, items in (
        ("checklists", knowledge.shared_checklists),
        ("trees", knowledge.shared_trees),
    ):
        for tool in items:
            path = knowledge.root / "docs" / "nastroje" / kind / f"{tool.id}.yml"
            tools.append((tool, display_path(path, knowledge.root)))
    return tools


def _duplicate_terms(knowledge: KnowledgeBase) -> list[ContentError]:
    errors: list[ContentError] = []
    seen: dict[str, str] = {}
    for entry, (shown, index) in zip(knowledge.glossary, knowledge.sources.terms, strict=True):
        line, column = knowledge.sources.locate(shown, (index, "id"))
        labels = {entry.id, entry.term.casefold()}
        clash = next((label for label in sorted(labels) if label in seen), None)
        if clash:
            message = f"duplicate glossary term '{clash}' (also {seen[clash]})"
            errors.append(ContentError(shown, line, column, message))
        else:
            seen.update(dict.fromkeys(labels, f"{shown}:{line}"))
    return errors


def _links(tool: Checklist | DecisionTree) -> Iterator[tuple[tuple, Link]]:
    if isinstance(tool, Checklist):
        for s, section in enumerate(tool.sections):
            for i, item in enumerate(section.items):
                for k, link in enumerate(item.links):
                    yield ("sections", s, "items", i, "links", k), link
    else:
        for node_id, node in tool.nodes.items():
            for k, link in enumerate(getattr(node, "links", [])):
                yield ("nodes", node_id, "links", k), link


def _dangling_links(knowledge: KnowledgeBase, targets: dict[str, set[str]]) -> list[ContentError]:
    errors = []
    for tool in [*knowledge.all_checklists(), *knowledge.all_trees()]:
        shown = knowledge.sources.files.get(tool.id, tool.id)
        for path, link in _links(tool):
            if link.target not in targets[link.kind]:
                line, column = knowledge.sources.locate(shown, (*path, link.kind))
                errors.append(_unknown(shown, line, column, link.kind, link.target, targets))
    for entry, (shown, index) in zip(knowledge.glossary, knowledge.sources.terms, strict=True):
        for k, related in enumerate(entry.see_also):
            if related not in targets["term"]:
                line, column = knowledge.sources.locate(shown, (index, "see_also", k))
                errors.append(_unknown(shown, line, column, "term", related, targets))
    return errors


def _dangling_macros(knowledge: KnowledgeBase, targets: dict[str, set[str]]) -> list[ContentError]:
    kinds = {"checklist": "checklist", "decision_tree": "tree", "term": "term"}
    pages = [(c.markdown, c.shown) for m in knowledge.methodologies for c in m.chapters]
    pages += [(page.markdown, page.shown) for page in knowledge.site_pages]
    errors = []
    for markdown, shown in pages:
        for number, line in enumerate(markdown.split("\n"), start=1):
            for match in MACRO_CALL.finditer(line):
                kind = kinds[match.group(1)]
                if match.group(2) not in targets[kind]:
                    errors.append(
                        _unknown(shown, number, match.start() + 1, kind, match.group(2), targets)
                    )
    return errors


def _unknown(shown: str, line: int, column: int, kind: str, target: str, targets) -> ContentError:
    import difflib

    names = {
        "section": "section id",
        "term": "glossary term",
        "checklist": "checklist",
        "tree": "decision tree",
    }
    close = difflib.get_close_matches(target, sorted(targets[kind]), n=1, cutoff=0.7)
    hint = f"did you mean '{close[0]}'?" if close else ""
    return ContentError(shown, line, column, f"unknown {names[kind]} '{target}'", hint)
