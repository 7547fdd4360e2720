"""Cross-file rules: unique ids, decision-tree graphs and references that must resolve."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from .errors import ContentError, ContentErrors, quoted
from .legal import check_legal_citations
from .macros import find_macro_calls
from .model import (
    MACRO_CALL,
    Checklist,
    DecisionTree,
    KnowledgeBase,
    Link,
    OutcomeNode,
    QuestionNode,
)
from .privacy import scan_personal_data
from .releases import check_id_continuity, check_releases
from .safety import check_safety_coverage, check_tree_safety


def check_knowledge_base(knowledge: KnowledgeBase) -> list[ContentError]:
    """Apply every rule that needs more than one file; return all problems found."""
    sections = _section_ids(knowledge)
    errors = [*_duplicate_sections(sections)]
    errors += _duplicate_tools(knowledge)
    errors += _duplicate_terms(knowledge)
    for tree in knowledge.all_trees():
        errors += check_tree_graph(tree, knowledge.sources.file_of(tree), knowledge)
        errors += check_tree_safety(tree, knowledge.sources.file_of(tree), knowledge)
    targets = {
        "section": {section for section, _, _ in sections},
        "term": {entry.id for entry in knowledge.glossary},
        "checklist": {checklist.id for checklist in knowledge.all_checklists()},
        "tree": {tree.id for tree in knowledge.all_trees()},
    }
    errors += _dangling_links(knowledge, targets)
    errors += _template_errors(knowledge)
    errors += check_raw_html(knowledge)
    errors += _dangling_macros(knowledge, targets)
    errors += check_page_links(knowledge)
    errors += check_releases(knowledge)
    errors += check_id_continuity(knowledge)
    errors += scan_personal_data(knowledge)
    errors += check_legal_citations(knowledge)
    errors += check_safety_coverage(knowledge, targets["section"])
    return errors


MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCED_BLOCK = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[ \t]*$", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
# `[ref]: target "title"` – the target of reference-style links `[text][ref]`.
REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*<?([^\s>]+)>?")
GENERATED_PAGES = {"slovnik/index.md", "predpisy/index.md", "prirucka.pdf", "novinky.xml"}


def check_page_links(knowledge: KnowledgeBase) -> list[ContentError]:
    """Relative links in chapters and site pages must reach an existing page and section."""
    anchors = _page_anchors(knowledge)
    pages = [
        (f"{m.slug}/{c.name}", c.markdown, c.shown)
        for m in knowledge.methodologies
        for c in m.chapters
    ]
    pages += [(page.uri, page.markdown, page.shown) for page in knowledge.site_pages]
    errors = []
    for uri, markdown, shown in pages:
        text = FENCED_BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), markdown)
        for number, line in enumerate(text.split("\n"), start=1):
            code_free = INLINE_CODE.sub("", line)
            matches = [*MARKDOWN_LINK.finditer(code_free), *REFERENCE_DEFINITION.finditer(line)]
            for match in matches:
                problem = _link_problem(match.group(1), uri, anchors)
                if problem:
                    errors.append(ContentError(shown, number, match.start(1) + 1, problem))
    return errors


def _link_problem(url: str, page_uri: str, anchors: dict[str, set[str] | None]) -> str:
    if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
        return ""
    path, _, fragment = url.partition("#")
    target = (
        posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), path)) if path else page_uri
    )
    if target not in anchors:
        return f"odkaz na stránku, která neexistuje: {quoted(url)}"
    known = anchors[target]
    if fragment and known is not None and fragment not in known:
        return f"odkaz na oddíl, který neexistuje: {quoted(url)}"
    return ""


def _page_anchors(knowledge: KnowledgeBase) -> dict[str, set[str] | None]:
    """Every page URI of the site with the anchors it offers (None: not checked, generated)."""
    anchors: dict[str, set[str] | None] = dict.fromkeys(GENERATED_PAGES)
    pages = [
        (f"{m.slug}/{c.name}", c.headings, c.markdown)
        for m in knowledge.methodologies
        for c in m.chapters
    ]
    pages += [(page.uri, page.headings, page.markdown) for page in knowledge.site_pages]
    trees = {tree.id: tree for tree in knowledge.all_trees()}
    for methodology in knowledge.methodologies:
        anchors[f"{methodology.slug}/index.md"] = None
    for uri, headings, markdown in pages:
        found = {heading.id for heading in headings if heading.id}
        for kind, tool_id in MACRO_CALL.findall(markdown):
            found.add(f"nastroj-{tool_id}")
            if kind == "decision_tree" and tool_id in trees:
                found.update(f"{tool_id}--{node}" for node in trees[tool_id].nodes)
        anchors[uri] = found
    return anchors


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
            ContentError(shown, *at("start"), f"počáteční uzel {quoted(tree.start)} neexistuje")
        )
    for node_id, node in nodes.items():
        if not isinstance(node, QuestionNode):
            continue
        if len(node.options) < 2:
            errors.append(
                ContentError(
                    shown,
                    *at("nodes", node_id),
                    f"otázka {quoted(node_id)} má méně než dvě odpovědi",
                )
            )
        for index, option in enumerate(node.options):
            if option.next not in nodes:
                errors.append(
                    ContentError(
                        shown,
                        *at("nodes", node_id, "options", index, "next"),
                        f"odpověď {quoted(option.label)} otázky {quoted(node_id)} vede "
                        f"na uzel {quoted(option.next)}, který neexistuje",
                    )
                )
    if errors:
        return errors
    reachable = _reachable(tree)
    for node_id in nodes:
        if node_id not in reachable:
            errors.append(
                ContentError(
                    shown,
                    *at("nodes", node_id),
                    f"uzel {quoted(node_id)} není dosažitelný z počátečního uzlu",
                )
            )
    cycle = _find_cycle(tree)
    if cycle:
        path = " → ".join(cycle)
        errors.append(
            ContentError(shown, *at("nodes", cycle[0]), f"cyklus v rozhodovacím stromu: {path}")
        )
    ends = _nodes_reaching_outcome(tree)
    for node_id in sorted(reachable - ends, key=list(nodes).index):
        errors.append(
            ContentError(
                shown,
                *at("nodes", node_id),
                f"z uzlu {quoted(node_id)} nevede cesta k žádnému výsledku",
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
                ContentError(shown, line, 1, f"duplicitní id {quoted(section_id)} (také v {where})")
            )
        else:
            first[section_id] = (shown, line)
    return errors


def _duplicate_tools(knowledge: KnowledgeBase) -> list[ContentError]:
    errors, first = [], {}
    for tool in [*knowledge.all_checklists(), *knowledge.all_trees()]:
        shown = knowledge.sources.file_of(tool)
        if tool.id in first:
            line, column = knowledge.sources.locate(shown, ("id",))
            message = f"duplicitní id {quoted(tool.id)} (také v {first[tool.id]})"
            errors.append(ContentError(shown, line, column, message))
        else:
            first[tool.id] = shown
    return errors


def _duplicate_terms(knowledge: KnowledgeBase) -> list[ContentError]:
    errors: list[ContentError] = []
    seen: dict[str, str] = {}
    for entry, (shown, index) in zip(knowledge.glossary, knowledge.sources.terms, strict=True):
        line, column = knowledge.sources.locate(shown, (index, "id"))
        labels = {entry.id, entry.term.casefold()}
        clash = next((label for label in sorted(labels) if label in seen), None)
        if clash:
            message = f"duplicitní pojem slovníku {quoted(clash)} (také v {seen[clash]})"
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
        shown = knowledge.sources.file_of(tool)
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


# Raw HTML an author may write (layout blocks of the home page); scripts, frames, forms, images,
# styles and every event handler are refused, so that reviewed prose can never run code.
ALLOWED_HTML = {"div", "nav", "span", "br", "abbr", "kbd", "sub", "sup", "details", "summary"}
ALLOWED_ATTRIBUTES = {"class", "id", "markdown", "aria-label", "title", "open", "lang"}
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)((?:\s[^<>]*)?)/?>")
_ATTRIBUTE = re.compile(r"([^\s=/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_UNSAFE_URL = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data):", re.I)


def check_raw_html(knowledge: KnowledgeBase) -> list[ContentError]:
    """Pages may use a few layout tags; no scripts, handlers or javascript: links."""
    pages = [(c.markdown, c.shown) for m in knowledge.methodologies for c in m.chapters]
    pages += [(page.markdown, page.shown) for page in knowledge.site_pages]
    errors: list[ContentError] = []
    for markdown, shown in pages:
        text = FENCED_BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), markdown)
        for number, line in enumerate(text.split("\n"), start=1):
            code_free = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)
            for match in _HTML_TAG.finditer(code_free):
                problem = _html_problem(match.group(2).lower(), match.group(3))
                if problem:
                    errors.append(ContentError(shown, number, match.start() + 1, problem))
            for match in _UNSAFE_URL.finditer(code_free):
                message = f"odkaz typu „{match.group(1).lower()}:“ není dovolen"
                errors.append(ContentError(shown, number, match.start() + 1, message))
    return errors


def _html_problem(tag: str, attributes: str) -> str:
    if tag not in ALLOWED_HTML:
        allowed = ", ".join(sorted(ALLOWED_HTML))
        return (
            f"nepovolený prvek HTML „<{tag}>“ (povolené jsou jen {allowed}; jinak pište Markdown)"
        )
    for name, value in _ATTRIBUTE.findall(attributes):
        if name.lower() not in ALLOWED_ATTRIBUTES:
            return f"nepovolený atribut HTML „{name}“ u prvku „<{tag}>“"
        if re.search(r"(javascript|vbscript|data):", value, re.I):
            return f"nepovolená adresa v atributu „{name}“ u prvku „<{tag}>“"
    return ""


def _template_errors(knowledge: KnowledgeBase) -> list[ContentError]:
    """Pages may use only the restricted macro language: calls of known macros, raw blocks."""
    pages = [(c.markdown, c.shown) for m in knowledge.methodologies for c in m.chapters]
    pages += [(page.markdown, page.shown) for page in knowledge.site_pages]
    errors: list[ContentError] = []
    for markdown, shown in pages:
        try:
            find_macro_calls(markdown, shown)
        except ContentErrors as problem:
            errors += problem.errors
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
        "section": "neznámé id oddílu",
        "term": "neznámý pojem slovníku",
        "checklist": "neznámý kontrolní seznam",
        "tree": "neznámý rozhodovací strom",
    }
    close = difflib.get_close_matches(target, sorted(targets[kind]), n=1, cutoff=0.7)
    hint = f"myslíte {quoted(close[0])}?" if close else ""
    return ContentError(shown, line, column, f"{names[kind]} {quoted(target)}", hint)
