"""Cross-file rules: unique ids, decision-tree graphs and references that must resolve."""

from __future__ import annotations

import bisect
import functools
import html
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import ContentError, ContentErrors, quoted
from .frozen_downloads import check_frozen_downloads
from .legal import check_legal_citations
from .macros import MacroCall, find_macro_calls
from .model import (
    MACRO_CALL,
    WORKSHOPS_FILE,
    Checklist,
    DecisionTree,
    KnowledgeBase,
    Link,
    OutcomeNode,
    QuestionNode,
)
from .privacy import scan_personal_data
from .releases import check_id_continuity, check_releases
from .render.glossary import letter_anchors
from .render.site_tools import tool_anchor_ids
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
        "workshop": {workshop.id for workshop in knowledge.workshops},
    }
    errors += _dangling_links(knowledge, targets)
    macro_calls, template_errors = _page_macro_calls(knowledge)
    errors += template_errors
    errors += check_raw_html(knowledge)
    errors += _dangling_macros(macro_calls, targets)
    errors += check_page_links(knowledge)
    errors += check_page_ids(knowledge, macro_calls)
    errors += check_releases(knowledge)
    errors += check_frozen_downloads(knowledge)
    errors += check_id_continuity(knowledge)
    errors += scan_personal_data(knowledge)
    errors += check_legal_citations(knowledge)
    errors += check_safety_coverage(knowledge, targets["section"])
    errors += check_workshops(knowledge, targets)
    return errors


def check_workshops(knowledge: KnowledgeBase, targets: dict[str, set[str]]) -> list[ContentError]:
    """Workshop outlines name a methodology, tools and sections that exist; packs need that."""
    errors: list[ContentError] = []
    slugs = {methodology.slug for methodology in knowledge.methodologies}

    def report(path: tuple, message: str, hint: str = "") -> None:
        line, column = knowledge.sources.locate(WORKSHOPS_FILE, path)
        errors.append(ContentError(WORKSHOPS_FILE, line, column, message, hint))

    def unknown(path: tuple, kind: str, target: str) -> None:
        line, column = knowledge.sources.locate(WORKSHOPS_FILE, path)
        errors.append(_unknown(WORKSHOPS_FILE, line, column, kind, target, targets))

    seen: set[str] = set()
    for index, workshop in enumerate(knowledge.workshops):
        if workshop.id in seen:
            report((index, "id"), f"osnova {quoted(workshop.id)} je uvedena dvakrát")
        seen.add(workshop.id)
        if workshop.methodology not in slugs:
            hint = f"metodiky jsou: {', '.join(sorted(slugs))}"
            report((index, "methodology"), f"neznámá metodika {quoted(workshop.methodology)}", hint)
        if workshop.section not in targets["section"]:
            unknown((index, "section"), "section", workshop.section)
        for b, block in enumerate(workshop.blocks):
            for a, aid in enumerate(block.aids):
                if isinstance(aid, Link) and aid.target not in targets[aid.kind]:
                    unknown((index, "blocks", b, "aids", a, aid.kind), aid.kind, aid.target)
        for t, tree_id in enumerate(workshop.trees):
            if tree_id not in targets["tree"]:
                unknown((index, "trees", t), "tree", tree_id)
        chapters = next(
            (m.chapters for m in knowledge.methodologies if m.slug == workshop.methodology), ()
        )
        own = {heading.id for chapter in chapters for heading in chapter.headings}
        for n, section_id in enumerate(workshop.situations):
            if section_id not in own:
                report(
                    (index, "situations", n),
                    f"modelová situace {quoted(section_id)} není oddílem metodiky "
                    f"{quoted(workshop.methodology)}",
                )
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
        for number, column, url in _link_targets(markdown):
            problem = _link_problem(url, uri, anchors)
            if problem:
                errors.append(ContentError(shown, number, column, problem))
    return errors


@functools.lru_cache(maxsize=1 << 15)  # every page, so that `serve` finds the unchanged ones
def _link_targets(markdown: str) -> tuple[tuple[int, int, str], ...]:
    """Line, column and target of every relative-looking link of a page, outside code."""
    targets = []
    text = FENCED_BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), markdown)
    for number, line in enumerate(text.split("\n"), start=1):
        code_free = INLINE_CODE.sub("", line)
        matches = [*MARKDOWN_LINK.finditer(code_free), *REFERENCE_DEFINITION.finditer(line)]
        targets += [(number, match.start(1) + 1, match.group(1)) for match in matches]
    # `<a href="…">` is published as written, so its target must exist just the same.
    for attribute in raw_html_attributes(markdown):
        if attribute.tag == "a" and attribute.name == "href":
            targets.append((attribute.line, attribute.column, attribute.value))
    return tuple(targets)


TOOL_KINDS = {
    "checklist": ("kontrolní seznam", "kontrolního seznamu"),
    "decision_tree": ("rozhodovací strom", "rozhodovacího stromu"),
}


@dataclass(frozen=True)
class _PageId:
    """An id on a page: an author's (heading, raw HTML) or an anchor a tool brings along."""

    line: int
    column: int
    id: str
    tool: tuple[str, str] | None = None  # (macro, tool id)
    section: bool = False  # a heading id, already unique across the site (_duplicate_sections)


def check_page_ids(
    knowledge: KnowledgeBase, macro_calls: dict[str, list[MacroCall]]
) -> list[ContentError]:
    """Ids on one page never clash: headings, raw HTML ids and the anchors of embedded tools
    (`nastroj-<id>`, `<strom>--<uzel>`, checkboxes), and glossary terms with the letter anchors."""
    tool_ids = _tool_anchor_ids(knowledge)
    pages = [
        (c.markdown, c.shown, c.headings, True) for m in knowledge.methodologies for c in m.chapters
    ]
    pages += [(p.markdown, p.shown, p.headings, False) for p in knowledge.site_pages]
    errors: list[ContentError] = []
    for markdown, shown, headings, all_sections in pages:
        ids = [
            _PageId(h.line, 1, h.id, section=all_sections or h.level <= 3) for h in headings if h.id
        ]
        ids += [
            _PageId(a.line, a.column, a.value)
            for a in raw_html_attributes(markdown)
            if a.name == "id"
        ]
        for call in macro_calls.get(shown, ()):
            if call.name in TOOL_KINDS:
                tool = (call.name, call.arguments[0])
                anchors = tool_ids.get(tool, ())
                ids += [_PageId(call.line, call.column, anchor, tool) for anchor in anchors]
        first: dict[str, _PageId] = {}
        for item in sorted(ids, key=lambda found: (found.line, found.column)):
            earlier = first.setdefault(item.id, item)
            if earlier is not item and not (earlier.section and item.section):
                errors.append(_id_clash(shown, earlier, item))
    letters = letter_anchors(knowledge.glossary)
    for entry, (shown, index) in zip(knowledge.glossary, knowledge.sources.terms, strict=True):
        if entry.id in letters:
            line, column = knowledge.sources.locate(shown, (index, "id"))
            message = (
                f"id pojmu {quoted(entry.id)} koliduje s kotvou písmene "
                f"{quoted(letters[entry.id])} na stránce slovníku"
            )
            errors.append(ContentError(shown, line, column, message, "zvolte jiné id"))
    return errors


def _id_clash(shown: str, earlier: _PageId, later: _PageId) -> ContentError:
    if earlier.tool and later.tool:
        if earlier.tool == later.tool:
            name = TOOL_KINDS[later.tool[0]][0]
            message = (
                f"{name} {quoted(later.tool[1])} je na stránce vložen podruhé "
                f"(poprvé na řádku {earlier.line}); jeho kotvy by se opakovaly"
            )
            return ContentError(
                shown,
                later.line,
                later.column,
                message,
                "každý nástroj vložte na stránku jen jednou",
            )
        message = (
            f"kotva {quoted(later.id)} {TOOL_KINDS[later.tool[0]][1]} {quoted(later.tool[1])} "
            f"koliduje s kotvou {TOOL_KINDS[earlier.tool[0]][1]} {quoted(earlier.tool[1])} "
            f"vloženého na řádku {earlier.line}"
        )
        return ContentError(shown, later.line, later.column, message)
    if earlier.tool or later.tool:
        tool, author = (earlier, later) if earlier.tool else (later, earlier)
        assert tool.tool is not None
        message = (
            f"id {quoted(author.id)} koliduje s kotvou {TOOL_KINDS[tool.tool[0]][1]} "
            f"{quoted(tool.tool[1])} vloženého na řádku {tool.line}"
        )
        return ContentError(shown, author.line, author.column, message, "zvolte jiné id")
    # A heading id is a permanent link target: blame the other id, whichever comes first.
    kept, blamed = (later, earlier) if later.section and not earlier.section else (earlier, later)
    message = f"duplicitní id {quoted(blamed.id)} (také v {shown}:{kept.line})"
    return ContentError(shown, blamed.line, blamed.column, message)


def _tool_anchor_ids(knowledge: KnowledgeBase) -> dict[tuple[str, str], list[str]]:
    """The ids each tool puts on the page that embeds it, by (macro, tool id)."""
    tools = {("checklist", c.id): tool_anchor_ids(c) for c in knowledge.all_checklists()}
    tools.update({("decision_tree", t.id): tool_anchor_ids(t) for t in knowledge.all_trees()})
    return tools


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
        found.update(a.value for a in raw_html_attributes(markdown) if a.name == "id")
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


# Raw HTML an author may write (layout blocks of the home page, a link); scripts, frames, forms,
# images, styles and every event handler are refused, so that reviewed prose can never run code.
ALLOWED_HTML = {"a", "div", "nav", "span", "br", "abbr", "kbd", "sub", "sup", "details", "summary"}
ALLOWED_ATTRIBUTES = {"class", "id", "markdown", "aria-label", "title", "open", "lang"}
# Attributes only one element takes: the target of a link, checked like a Markdown link's.
ELEMENT_ATTRIBUTES = {"a": {"href"}}
# A start or end tag as a browser reads it: the name runs to a blank, `/` or `>`; quoted values may
# hold `>` and a tag may span lines (Python-Markdown passes both through as raw HTML).
_HTML_TAG = re.compile(r"""<(/?)([A-Za-z][^\s/<>]*)((?:[\s/](?:"[^"]*"|'[^']*'|[^<>])*)?)>""")
# `<https://…>` and `<name@example.org>` are Markdown autolinks, not HTML.
_AUTOLINK = re.compile(r"<(?:(?:https?|ftp)://[^<>]*|[^<> !]+@[^@<> ]+)>", re.I)
_ATTRIBUTE = re.compile(r"([^\s=/]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
_UNSAFE_URL = re.compile(r"\]\(\s*<?\s*(javascript|vbscript|data):", re.I)


@dataclass(frozen=True)
class HtmlTag:
    """A raw HTML tag in a page, outside code: where it starts and its attributes text."""

    line: int
    column: int
    closing: bool
    name: str
    attributes: str


@dataclass(frozen=True)
class HtmlAttribute:
    """One attribute of a raw HTML start tag in a page, outside code, with its value's position."""

    line: int
    column: int
    tag: str
    name: str
    value: str


@functools.lru_cache(maxsize=1 << 15)
def _raw_html(markdown: str) -> tuple[tuple[HtmlTag, ...], tuple[HtmlAttribute, ...]]:
    """The raw HTML tags of a page and the attributes of its start tags (values decoded)."""
    text = FENCED_BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), markdown)
    text = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), text)
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def position(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(line_starts, offset)
        return line, offset - line_starts[line - 1] + 1

    tags, attributes = [], []
    for match in _HTML_TAG.finditer(text):
        if _AUTOLINK.fullmatch(match.group(0)):
            continue
        name = match.group(2).lower()
        tags.append(HtmlTag(*position(match.start()), bool(match.group(1)), name, match.group(3)))
        if match.group(1):
            continue
        for attribute in _ATTRIBUTE.finditer(match.group(3)):
            raw = attribute.group(2) or ""
            quoted_value = raw[:1] in ("'", '"')
            value = raw[1:-1] if quoted_value else raw
            start = attribute.start(2) if attribute.group(2) else attribute.end(1)
            line, column = position(match.start(3) + start + quoted_value)
            attribute_name = attribute.group(1).lower()
            attributes.append(
                HtmlAttribute(line, column, name, attribute_name, html.unescape(value))
            )
    return tuple(tags), tuple(attributes)


def raw_html_attributes(markdown: str) -> tuple[HtmlAttribute, ...]:
    """Attributes of the raw HTML start tags of a page (ids are anchors, `href`s are links)."""
    return _raw_html(markdown)[1]


def check_raw_html(knowledge: KnowledgeBase) -> list[ContentError]:
    """Pages may use a few layout tags; no scripts, handlers or javascript: links."""
    pages = [(c.markdown, c.shown) for m in knowledge.methodologies for c in m.chapters]
    pages += [(page.markdown, page.shown) for page in knowledge.site_pages]
    return [
        ContentError(shown, number, column, message)
        for markdown, shown in pages
        for number, column, message in _raw_html_problems(markdown)
    ]


@functools.lru_cache(maxsize=1 << 15)  # every page, so that `serve` finds the unchanged ones
def _raw_html_problems(markdown: str) -> tuple[tuple[int, int, str], ...]:
    """Line, column and message of each forbidden tag, link, image or raw block of a page."""
    problems = []
    for tag in _raw_html(markdown)[0]:
        problem = _html_problem(tag.name, tag.attributes)
        if problem:
            problems.append((tag.line, tag.column, problem))
    text = FENCED_BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), markdown)
    for number, line in enumerate(text.split("\n"), start=1):
        code_free = INLINE_CODE.sub(lambda m: " " * len(m.group(0)), line)
        for match in _UNSAFE_URL.finditer(code_free):
            message = f"odkaz typu „{match.group(1).lower()}:“ není dovolen"
            problems.append((number, match.start() + 1, message))
        for match in _IMAGE.finditer(code_free):
            message = "obrázky do textu nepatří (příručka PDF by je nenačetla); popište věc slovy"
            problems.append((number, match.start() + 1, message))
    for number, line in enumerate(markdown.split("\n"), start=1):
        raw = _RAW_FORMAT.search(line)
        if raw:
            message = f"blok pro jiný výstupní formát „{raw.group(0).strip()}“ není dovolen"
            problems.append((number, raw.start() + 1, message))
    return tuple(problems)


# `![popis](adresa)`: the site would load it from anywhere, the PDF cannot fetch it.
_IMAGE = re.compile(r"!\[[^\]\n]*\]\(")
# Pandoc's raw blocks and spans (```{=typst}, `…`{=html}) would pass straight into the PDF or Word.
_RAW_FORMAT = re.compile(r"(```|~~~)\s*\{\s*=\s*\w+\s*\}|`\{=\w+\}")


def _html_problem(tag: str, attributes: str) -> str:
    if tag not in ALLOWED_HTML:
        allowed = ", ".join(sorted(ALLOWED_HTML))
        return (
            f"nepovolený prvek HTML „<{tag}>“ (povolené jsou jen {allowed}; jinak pište Markdown)"
        )
    allowed = ALLOWED_ATTRIBUTES | ELEMENT_ATTRIBUTES.get(tag, set())
    for name, value in _ATTRIBUTE.findall(attributes):
        if name.lower() not in allowed:
            return f"nepovolený atribut HTML „{name}“ u prvku „<{tag}>“"
        if re.search(r"(javascript|vbscript|data):", value, re.I) or (
            name.lower() == "href" and not _safe_href(value)
        ):
            return f"nepovolená adresa v atributu „{name}“ u prvku „<{tag}>“"
    return ""


SAFE_SCHEMES = {"http", "https", "mailto", "tel"}


def _safe_href(value: str) -> bool:
    """A link target as the browser reads it (entities decoded, blanks dropped): relative, or
    with a scheme from a short list, so that `jav&#x61;script:` cannot pass as a relative link."""
    url = html.unescape(value.strip("\"'"))
    url = re.sub(r"[\x00-\x20\x7f]", "", url).lower()
    scheme = re.match(r"^([a-z][a-z0-9+.-]*):", url)
    return scheme is None or scheme.group(1) in SAFE_SCHEMES


def _page_macro_calls(
    knowledge: KnowledgeBase,
) -> tuple[dict[str, list[MacroCall]], list[ContentError]]:
    """Every page's macro calls, parsed once; a page outside the macro language gives errors."""
    pages = [(c.markdown, c.shown) for m in knowledge.methodologies for c in m.chapters]
    pages += [(page.markdown, page.shown) for page in knowledge.site_pages]
    calls: dict[str, list[MacroCall]] = {}
    errors: list[ContentError] = []
    for markdown, shown in pages:
        try:
            calls[shown] = find_macro_calls(markdown, shown)
        except ContentErrors as problem:
            errors += problem.errors
    return calls, errors


def _dangling_macros(
    macro_calls: dict[str, list[MacroCall]], targets: dict[str, set[str]]
) -> list[ContentError]:
    kinds = {
        "checklist": "checklist",
        "decision_tree": "tree",
        "term": "term",
        "citation": "section",
        "workshop_outline": "workshop",
    }
    tools = {**targets, "tool": targets["checklist"] | targets["tree"]}
    errors = []
    for shown, calls in macro_calls.items():
        for call in calls:
            kind = kinds.get(call.name)
            if kind and call.arguments[0] not in targets[kind]:
                errors.append(
                    _unknown(shown, call.line, call.column, kind, call.arguments[0], targets)
                )
            if call.name == "embed_snippet_generator":
                errors += [
                    _unknown(shown, call.line, call.column, "tool", tool_id, tools)
                    for tool_id in call.arguments
                    if tool_id not in tools["tool"]
                ]
    return errors


def _unknown(shown: str, line: int, column: int, kind: str, target: str, targets) -> ContentError:
    import difflib

    names = {
        "section": "neznámé id oddílu",
        "term": "neznámý pojem slovníku",
        "checklist": "neznámý kontrolní seznam",
        "tree": "neznámý rozhodovací strom",
        "tool": "neznámý nástroj (kontrolní seznam ani rozhodovací strom)",
        "workshop": f"neznámá osnova workshopu (id v {WORKSHOPS_FILE})",
    }
    close = difflib.get_close_matches(target, sorted(targets[kind]), n=1, cutoff=0.7)
    hint = f"myslíte {quoted(close[0])}?" if close else ""
    return ContentError(shown, line, column, f"{names[kind]} {quoted(target)}", hint)
