"""The PDF handbook: methodologies → pandoc AST → Typst source → PDF via the typst package."""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

import pypandoc

from ..citation import chapter_citation, chapter_citations
from ..headings import parse_headings
from ..knowledge import page_url
from ..legal import LawRegistry, link_citations_in_markdown
from ..macros import expand_macros
from ..model import MACRO_CALL, Chapter, DecisionTree, Edition, KnowledgeBase, SitePage
from ..permalinks import absolute_url, permalink_path, permalink_version
from ..releases import version_key
from ..typography import bind_in_pandoc_inlines, bind_single_letter_words, format_date
from .diagram import render_tree_svg
from .glossary import GLOSSARY_URI, czech_sort_key
from .laws import LAWS_URI, render_law_index_markdown
from .markdown_source import admonitions_to_fenced_divs
from .pdf_tools import diagram_file_name, markdown_text, pdf_macro_functions
from .recent import RecentResults, per_knowledge
from .site import site_targets
from .typst_process import TypstFailed, compile_typst

# No citations, TeX math, raw TeX or YAML metadata: `@name`, `$…$`, `\\[` or a `---` block in
# ordinary text would break the PDF.
PANDOC_READER = (
    "markdown-smart-implicit_figures-citations-tex_math_dollars-raw_tex-yaml_metadata_block"
)
HANDBOOK_FILE = "prirucka.pdf"
TITLE = "Metodiky sociální práce"
SUBTITLE = "Příručka pro praxi: kontaktní práce, Cochemská praxe, sociální práce na malých obcích"
PUBLISHER = "Znalostní báze Metodiky sociální práce"
STATUS_NAMES = {"koncept": "pracovní verze", "platná": "platná verze"}
# Shared pages the methodologies lean on; they follow the methodologies in every PDF that cites them.
SHARED_PAGES = ("nastroje/bezpecnost.md",)
# From here on, sections of a part do not start a page each (see handbook.typ).
SECTIONS_FLOW = {"t": "RawBlock", "c": ["typst", "#sections-flow.update(true)"]}
# The full handbook also carries what the site offers every reader beside the methodologies.
HANDBOOK_ONLY_PAGES = (
    "zacinam.md",
    "nastroje/index.md",
    "nastroje/pripadove-konference.md",
    "nastroje/rodinne-konference.md",
    "nastroje/supervize.md",
    "nastroje/mezioborova-spoluprace.md",
    "nastroje/vzdelavani.md",
)


# The most methodologies one printed handbook carries whole. About 80 pages each, so ten make a
# book of some 800 pages, which a person can still print and read; Typst, which lays out the
# whole document in memory (about 180 MiB per methodology), stays under 2 GiB. Beyond that the
# handbook is the common ground every worker needs (Začínám, shared tools and safety, laws,
# glossary) with a list of the methodologies and the addresses of their PDFs; each methodology
# is printed from its own PDF of a released version.
HANDBOOK_METHODOLOGIES = 10
COMMON_SUBTITLE = "Příručka pro praxi: společný základ všech metodik a jejich přehled"


class HandbookError(Exception):
    """The PDF could not be produced; the message says why in words an author understands."""


@dataclass(frozen=True)
class Handbook:
    """One PDF: the full handbook of current versions, or one methodology in one released version."""

    file_name: str
    title: str
    subtitle: str
    editions: tuple[Edition, ...]
    site_url: str = ""
    address: str = ""  # where the cover points; by default the site or the methodology version
    catalogue: tuple[Edition, ...] = ()  # methodologies listed with their addresses, not printed


def plan_handbooks(knowledge: KnowledgeBase, site_url: str = "") -> list[Handbook]:
    """The full handbook, plus every released version of every methodology as its own PDF."""
    current = tuple(Edition(m, m, None) for m in knowledge.methodologies)
    if len(current) <= HANDBOOK_METHODOLOGIES:
        plans = [Handbook(HANDBOOK_FILE, TITLE, SUBTITLE, current, site_url)]
    else:
        plans = [Handbook(HANDBOOK_FILE, TITLE, COMMON_SUBTITLE, (), site_url, catalogue=current)]
    for methodology in knowledge.methodologies:
        for version, content in sorted(
            methodology.editions.items(), key=lambda item: version_key(item[0])
        ):
            plans.append(
                Handbook(
                    f"{methodology.slug}-{version}.pdf",
                    content.manifest.title,
                    f"Verze {version}",
                    (Edition(methodology, content, version),),
                    site_url,
                )
            )
    return plans


def render_handbook_assets(
    knowledge: KnowledgeBase, handbook: Handbook | None = None
) -> dict[str, str]:
    """Files the Typst source refers to: tree diagrams and a QR code per chapter."""
    handbook = handbook or plan_handbooks(knowledge)[0]
    assets = {
        diagram_file_name(tree): render_tree_svg(tree) for tree in _trees(knowledge, handbook)
    }
    for edition in handbook.editions:
        for chapter in edition.content.chapters:
            assets[_qr_file(chapter)] = render_qr_svg(
                _chapter_permalink(edition, chapter, handbook.site_url)
            )
    for tool_id, address in _link_targets(knowledge, handbook).tool_addresses.items():
        assets[_tool_qr_file(f"nastroj-{tool_id}")] = render_qr_svg(address)
    assets[COVER_QR] = render_qr_svg(_cover_address(handbook))
    return assets


def render_handbook_typst(knowledge: KnowledgeBase, handbook: Handbook | None = None) -> str:
    """The complete Typst source of one PDF, a pure function of the knowledge base and the plan.

    Each methodology, shared page and the glossary goes through pandoc on its own: the full
    handbook's pandoc document of every methodology at once would hold gigabytes of Python
    objects (and a pandoc child as large) at scale; one methodology at a time stays small.
    """
    handbook = handbook or plan_handbooks(knowledge)[0]
    link_targets = _link_targets(knowledge, handbook)
    functions = pdf_macro_functions(knowledge, [edition.content for edition in handbook.editions])
    laws = LawRegistry(knowledge.laws)
    parts = []
    for edition in handbook.editions:
        document = _methodology_ast(knowledge, edition, handbook.site_url, functions, laws)
        blocks = _opening_blocks(edition)
        blocks += _transform(document["blocks"], edition.methodology.slug, link_targets)
        parts.append(typst_body(blocks, document["pandoc-api-version"]))
    if handbook.catalogue:
        document = pandoc_ast(_catalogue_markdown(handbook))
        blocks = _transform(document["blocks"], None, link_targets)
        parts.append(typst_body(blocks, document["pandoc-api-version"]))
    for page in _shared_pages(knowledge, handbook):
        document = _shared_page_ast(page, functions, laws)
        folder = posixpath.dirname(page.uri)
        blocks = [
            SECTIONS_FLOW,
            *_raise_headings(_transform(document["blocks"], folder, link_targets)),
        ]
        parts.append(_shared_typst_body(blocks, document["pandoc-api-version"]))
    glossary = _glossary_typst(knowledge)
    if glossary is not None:
        parts.append(glossary)
    return _preamble(handbook) + "\n".join(parts)


# The parts every PDF of a build carries alike (the glossary, a shared page such as the safety
# page): written once per build, not once per PDF. Methodology text never goes through these.
_SHARED_PARTS: RecentResults[Any] = RecentResults(16)


def _shared_typst_body(blocks: list[dict[str, Any]], api_version: list[int]) -> str:
    """typst_body of a shared page, reused by the next PDF whose copy of the page is the same
    (its links resolve alike)."""
    document = json.dumps({"pandoc-api-version": api_version, "meta": {}, "blocks": blocks})
    return _SHARED_PARTS.get(("typst", document), lambda: _typst_of_json(document))


def _glossary_typst(knowledge: KnowledgeBase) -> str | None:
    """The glossary appendix as Typst markup, written once per knowledge base."""
    if not knowledge.glossary:
        return None

    def write() -> str:
        glossary = _glossary_document(knowledge)
        return typst_body(glossary["blocks"], glossary["pandoc-api-version"])

    return _SHARED_PARTS.get_about(knowledge, ("glossary",), write)


def _catalogue_markdown(handbook: Handbook) -> str:
    """The methodologies a handbook lists instead of printing: name, version, where to read it
    and the PDF of its newest release."""
    lines = ["# Metodiky {#metodiky}", ""]
    for edition in handbook.catalogue:
        methodology, manifest = edition.methodology, edition.content.manifest
        address = absolute_url(edition.prefix, handbook.site_url)
        line = f"- **{markdown_text(manifest.title)}**, verze {edition.shown_version}: <{address}>"
        if methodology.releases:
            newest = methodology.releases[-1].version
            pdf = absolute_url(f"{methodology.slug}-{newest}.pdf", handbook.site_url)
            line += f", k tisku verze {newest}: <{pdf}>"
        lines.append(line)
    return "\n".join(lines) + "\n"


def pandoc_ast(markdown: str) -> dict[str, Any]:
    """Pandoc's JSON document of Markdown, read with the handbook's extensions."""
    return json.loads(pandoc_json(markdown))


def pandoc_json(markdown: str) -> str:
    """Pandoc's JSON document of Markdown as text: what a shared result keeps, so that each
    user loads a copy of its own to transform."""
    return pypandoc.convert_text(markdown, "json", format=PANDOC_READER)


def typst_body(blocks: list[dict[str, Any]], api_version: list[int]) -> str:
    """Typst markup of transformed pandoc blocks (the part after the preamble)."""
    return _typst_of_json(
        json.dumps({"pandoc-api-version": api_version, "meta": {}, "blocks": blocks})
    )


def _typst_of_json(document: str) -> str:
    return pypandoc.convert_text(document, "typst", format="json", extra_args=["--wrap=preserve"])


def single_chapter_typst(handbook: Handbook, markdown: str, base: str | None) -> str:
    """One chapter's Markdown as a whole Typst document with this PDF's preamble: what the error
    locator and the fuzz test compile to find what Typst cannot take."""
    document = pandoc_ast(markdown)
    blocks = _transform(document["blocks"], base, {})
    return _preamble(handbook) + typst_body(blocks, document["pandoc-api-version"])


def render_qr_svg(url: str) -> str:
    """A vector QR code of a URL (segno), small enough to print beside a chapter heading."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=2, xmldecl=False)
    return buffer.getvalue().decode("utf-8")


def _qr_file(chapter: Chapter) -> str:
    return f"qr-{chapter.id}.svg"


def _tool_qr_file(anchor: str) -> str:
    return f"qr-{anchor}.svg"


TOOL_FUNCTIONS = ("checklist", "decision-tree")


def _chapter_permalink(edition: Edition, chapter: Chapter, site_url: str) -> str:
    return absolute_url(permalink_path(chapter.id, permalink_version(edition)), site_url)


def _trees(knowledge: KnowledgeBase, handbook: Handbook) -> list[DecisionTree]:
    """The trees this PDF's chapters show (a version's own copy first): each needs a diagram."""
    trees = {tree.id: tree for tree in knowledge.all_trees()}
    used: set[str] = set()
    for edition in handbook.editions:
        trees.update({tree.id: tree for tree in edition.content.trees})
        used.update(id_ for c in edition.content.chapters for id_ in c.macro_calls("decision_tree"))
    for page in _shared_pages(knowledge, handbook):
        used.update(i for kind, i in MACRO_CALL.findall(page.markdown) if kind == "decision_tree")
    return [trees[tree_id] for tree_id in sorted(used) if tree_id in trees]


def compile_handbook(
    typst_source: str, assets: dict[str, str], output: Path, workdir: Path
) -> None:
    """Compile Typst source to a PDF file; raise HandbookError with Typst's message on failure."""
    workdir.mkdir(parents=True, exist_ok=True)
    for name, content in assets.items():
        (workdir / name).write_text(content, encoding="utf-8")
    source = workdir / "prirucka.typ"
    source.write_text(typst_source, encoding="utf-8")
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        compile_typst(source, workdir, output)
    except TypstFailed as error:
        raise HandbookError(f"Typst nedokázal sestavit příručku PDF ({source}): {error}") from None


def typst_string(text: str) -> str:
    """A Typst string literal holding the text, safe for any characters."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def typst_text(text: str) -> str:
    """Inline Typst code that shows the text literally, with Czech no-break spaces applied."""
    return f"#({typst_string(bind_single_letter_words(text))})"


_ADDRESS = re.compile(r"https?://[^\s<>\]]*[^\s<>\].,;:)]")


def typst_with_addresses(text: str) -> str:
    """Typst content of a text whose web addresses print unhyphenated, breaking only after `/`."""
    parts, position = [], 0
    for match in _ADDRESS.finditer(text):
        parts.append(typst_text(text[position : match.start()]))
        parts.append(f"#url-link({typst_string(match.group())})")
        position = match.end()
    parts.append(typst_text(text[position:]))
    return "[" + "".join(part for part in parts if part != '#("")') + "]"


def _preamble(handbook: Handbook) -> str:
    template = Template(
        resources.files(__package__).joinpath("../templates/handbook.typ").read_text()
    )
    entries = []
    for edition in handbook.editions:
        manifest = edition.content.manifest
        entries.append(
            f"#block(below: 0.9em)[*{typst_text(manifest.title)}* \\\n"
            f"verze {edition.shown_version} ({STATUS_NAMES[manifest.status]}), "
            f"schváleno {typst_text(format_date(manifest.approved))}]"
        )
    if len(entries) == 1:  # the title already names the methodology; the cover says which version
        contents = entries[0]
    elif handbook.catalogue:
        contents = (
            '#text(size: 12pt, weight: "bold")[Přehled metodik]\n'
            "#v(0.3cm)\nKaždá metodika je na webu a k tisku ve vlastním PDF; adresy jsou v přehledu."
        )
    else:
        contents = '#text(size: 12pt, weight: "bold")[Obsahuje tyto metodiky:]\n#v(0.3cm)\n'
        contents += "\n".join(entries)
    colophon = (
        f"{PUBLISHER}. Obsah je šířen pod licencí Creative Commons Uveďte původ 4.0 (CC BY 4.0). "
        "Sestaveno z týchž zdrojů jako webové stránky; verze je uvedena výše."
    )
    return template.substitute(
        title=handbook.title,
        title_short=TITLE,
        subtitle=typst_text(handbook.subtitle),
        publisher=PUBLISHER,
        contents=contents,
        colophon=typst_text(colophon),
        address=typst_string(_cover_address(handbook)),
        cover_qr=COVER_QR,
    )


COVER_QR = "qr-titulni-strana.svg"


def _cover_address(handbook: Handbook) -> str:
    """The site (full handbook) or the methodology version's own pages (one methodology)."""
    if handbook.address:
        return handbook.address
    if handbook.file_name == HANDBOOK_FILE or len(handbook.editions) != 1:
        return absolute_url("", handbook.site_url)
    edition = handbook.editions[0]
    return absolute_url(edition.prefix, handbook.site_url)


# Each version's pandoc document, read once for its PDF and its Word file (see recent.py); the
# workshop packs share theirs the same way.
SOURCES: RecentResults[Any] = RecentResults(8)


def _methodology_ast(
    knowledge: KnowledgeBase,
    edition: Edition,
    site_url: str,
    functions: dict[str, Callable[..., str]],
    laws: LawRegistry,
) -> dict[str, Any]:
    """The pandoc document of one edition's chapters (before `_transform`), a fresh copy each
    call: the PDF's and the Word file's transforms change it in place.

    `functions` and `laws` must be the ones this knowledge base and edition give (they are
    within a build), so the edition and the address are the whole key."""

    def read() -> str:
        citations = chapter_citations(edition, site_url)
        chapters = [
            _prepare_chapter(edition, chapter, site_url, functions, laws, citations[chapter.id])
            for chapter in edition.content.chapters
        ]
        return pandoc_json("\n\n".join(chapters))

    key = ("edition", edition.methodology.slug, edition.version, site_url)
    return json.loads(SOURCES.get_about(knowledge, key, read))


def _shared_pages(knowledge: KnowledgeBase, handbook: Handbook) -> list[SitePage]:
    """The shared pages this PDF carries: all in the handbook, those a version maps in its own."""
    pages = {page.uri: page for page in knowledge.site_pages}
    if handbook.file_name == HANDBOOK_FILE:
        wanted = (*SHARED_PAGES, *HANDBOOK_ONLY_PAGES)
        laws = [_law_index_page(knowledge)] if knowledge.laws else []
    elif any(edition.content.manifest.safety for edition in handbook.editions):
        wanted, laws = SHARED_PAGES, []
    else:
        return []
    return [pages[uri] for uri in wanted if uri in pages] + laws


def _law_index_page(knowledge: KnowledgeBase) -> SitePage:
    """The generated page „Právní předpisy“, read like a hand-written one."""
    markdown = render_law_index_markdown(knowledge)
    headings = tuple(parse_headings(markdown))
    return SitePage(Path(LAWS_URI), LAWS_URI, LAWS_URI, page_url(LAWS_URI), markdown, headings)


def _shared_page_ast(
    page: SitePage, functions: dict[str, Callable[..., str]], laws: LawRegistry
) -> dict[str, Any]:
    expanded = expand_macros(page.markdown, page.shown, functions)
    markdown = admonitions_to_fenced_divs(link_citations_in_markdown(expanded, laws))
    # A fresh copy each time: _transform edits the document in place.
    return json.loads(_SHARED_PARTS.get(("json", markdown), lambda: pandoc_json(markdown)))


def _raise_headings(blocks: list[Any]) -> list[Any]:
    """A shared page is a part of its own: undo the level _transform adds under a methodology."""
    for block in blocks:
        if isinstance(block, dict) and block.get("t") == "Header":
            block["c"][0] -= 1
    return blocks


def _prepare_chapter(
    edition: Edition,
    chapter: Chapter,
    site_url: str,
    functions: dict[str, Callable[..., str]],
    laws: LawRegistry,
    citation: str | None = None,
) -> str:
    """Chapter Markdown for pandoc, with its citation and QR code right below the heading."""
    expanded = expand_macros(chapter.markdown, chapter.shown, functions)
    markdown = admonitions_to_fenced_divs(link_citations_in_markdown(expanded, laws))
    heading, _, rest = markdown.partition("\n")
    if citation is None:
        citation = chapter_citation(edition, chapter, site_url)
    meta = f"#chapter-meta({typst_string(_qr_file(chapter))}, {typst_with_addresses(citation)})"
    return f"{heading}\n\n```{{=typst}}\n{meta}\n```\n{rest}"


def _opening_blocks(edition: Edition) -> list[dict[str, Any]]:
    methodology = edition.methodology
    manifest = edition.content.manifest
    facts = (
        f"#methodology-facts(version: {typst_string(edition.shown_version)}, "
        f"status: {typst_string(STATUS_NAMES[manifest.status])}, "
        f"approved: {typst_string(format_date(manifest.approved))}, "
        f"authors: {typst_string(bind_single_letter_words(', '.join(manifest.authors)))}, "
        f"summary: [{typst_text(manifest.summary)}])"
    )
    title = [{"t": "Str", "c": manifest.title}]
    return [
        {"t": "Header", "c": [1, [methodology.slug, [], []], title]},
        {"t": "RawBlock", "c": ["typst", facts]},
    ]


def _glossary_document(knowledge: KnowledgeBase) -> dict[str, Any] | None:
    """The glossary appendix: every term with its abbreviation and definition, in Czech order."""
    if not knowledge.glossary:
        return None
    lines = []
    for entry in sorted(knowledge.glossary, key=lambda e: czech_sort_key(e.term)):
        name = f"{entry.term} ({entry.abbreviation})" if entry.abbreviation else entry.term
        lines += [
            f"[{markdown_text(name)}]{{#pojem-{entry.id}}}",
            f":   {markdown_text(entry.definition)}",
            "",
        ]
    document = pandoc_ast("\n".join(lines))
    heading = {"t": "Header", "c": [1, ["slovnik", [], []], [{"t": "Str", "c": "Slovník pojmů"}]]}
    document["blocks"] = [heading, *_transform(document["blocks"], None, {})]
    return document


def _link_targets(knowledge: KnowledgeBase, handbook: Handbook) -> LinkTargets:
    """Map every link form a page may use (`#id`, `slug/file.md`, `nastroje/x.md`) to a label."""
    targets = LinkTargets(
        {f"#pojem-{entry.id}": f"pojem-{entry.id}" for entry in knowledge.glossary}
    )
    targets.site_url = handbook.site_url
    targets.site_paths = site_paths(knowledge)
    shared = _shared_pages(knowledge, handbook)
    shown_tools = {
        i for page in shared for kind, i in MACRO_CALL.findall(page.markdown) if kind != "term"
    }
    addresses: dict[str, str] = {}
    for tool in (*knowledge.shared_checklists, *knowledge.shared_trees):
        if tool.id in shown_tools:
            targets[f"#nastroj-{tool.id}"] = f"nastroj-{tool.id}"
            addresses[tool.id] = absolute_url(permalink_path(tool.id), handbook.site_url)
    for page in shared:
        first = next((h for h in page.headings if h.level == 1 and h.id), None)
        if first is not None:
            targets[page.uri] = first.id
        for heading in page.headings:
            if heading.id:
                targets[f"#{heading.id}"] = heading.id
    for edition in handbook.editions:
        content = edition.content
        slug = edition.methodology.slug
        targets[f"{slug}/index.md"] = slug
        version = permalink_version(edition)
        for tool in (*content.checklists, *content.trees):
            targets[f"#nastroj-{tool.id}"] = f"nastroj-{tool.id}"
            addresses[tool.id] = absolute_url(permalink_path(tool.id, version), handbook.site_url)
        for chapter in content.chapters:
            targets[f"{slug}/{chapter.name}"] = chapter.id
            for heading in chapter.headings:
                if heading.id:
                    targets[f"#{heading.id}"] = heading.id
    targets.tool_addresses = addresses
    if handbook.file_name == HANDBOOK_FILE and knowledge.glossary:
        targets[GLOSSARY_URI] = "slovnik"
        for entry in knowledge.glossary:  # the site's glossary anchors are the bare term ids
            targets.setdefault(f"#{entry.id}", f"pojem-{entry.id}")
    return targets


def _transform(node: Any, base: str | None, targets: dict[str, str]) -> Any:
    """Walk the pandoc AST: shift headings below the methodology, typeset boxes, resolve links.

    `base` is the source folder relative links start from (`kontaktni-prace`, `nastroje`, `` for
    the site root); None where relative links mean nothing (glossary, tests)."""
    if isinstance(node, list):
        node = [_transform(item, base, targets) for item in _keep_headings_with_tools(node)]
        flat: list[Any] = []
        for item in node:
            flat.extend(item if isinstance(item, _Splice) else [item])
        if flat and all(isinstance(i, dict) and i.get("t") in _INLINE_TYPES for i in flat):
            return bind_in_pandoc_inlines(_separate_calls(flat))
        return flat
    if not isinstance(node, dict) or "t" not in node:
        return node
    kind = node["t"]
    if kind == "Header":
        level, attributes, inlines = node["c"]
        return {
            "t": "Header",
            "c": [level + 1, attributes, _transform(inlines, base, targets)],
        }
    if kind == "Div":
        return _div(node, base, targets)
    if kind == "Link":
        return _link(node, base, targets)
    if kind in ("BulletList", "OrderedList"):
        listed = {"t": kind, "c": _transform(node["c"], base, targets)}
        for blocks in listed["c"] if kind == "BulletList" else listed["c"][1]:
            _escape_term_marker(blocks)
        return listed
    if kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps"):
        return {"t": kind, "c": _escape_leading_slash(_transform(node["c"], base, targets))}
    if "c" in node:
        return {"t": kind, "c": _transform(node["c"], base, targets)}
    return node


# Inlines pandoc writes as Typst calls (`#strong[…]`, `#link(…)[…]`): a directly following `.`
# would continue the call (`#strong[x].Dál` reads a field „Dál“), so it is escaped; pandoc
# escapes `(` and `[` itself.
_CALL_INLINES = {"Strong", "Emph", "Underline", "Strikeout", "SmallCaps", "Superscript", "Subscript", "Link", "Span"}  # fmt: skip


def _separate_calls(inlines: list[Any]) -> list[Any]:
    result: list[Any] = []
    for inline in inlines:
        previous = result[-1] if result else None
        follows_call = isinstance(previous, dict) and previous.get("t") in _CALL_INLINES
        if follows_call and inline.get("t") == "Str" and inline["c"].startswith("."):
            result.append({"t": "RawInline", "c": ["typst", "\\"]})
        result.append(inline)
    return result


def _escape_leading_slash(inlines: list[Any]) -> list[Any]:
    """Typst reads `/` opening a content block (`#link(…)[/ a]`) as a term list; pandoc doesn't escape it."""
    first = inlines[0] if inlines else {}
    if isinstance(first, dict) and first.get("t") == "Str" and first["c"].startswith("/"):
        return [{"t": "RawInline", "c": ["typst", "\\"]}, *inlines]
    return inlines


def _escape_term_marker(blocks: list[dict[str, Any]]) -> None:
    """Typst reads `/` opening a list item as a term list; pandoc escapes it only elsewhere."""
    first = blocks[0] if blocks else {}
    inlines = first.get("c") if first.get("t") in ("Plain", "Para") else None
    if inlines and inlines[0].get("t") == "Str" and inlines[0]["c"].startswith("/"):
        inlines.insert(0, {"t": "RawInline", "c": ["typst", "\\"]})


def _tool_arguments(identifier: str, values: dict[str, str], targets: dict[str, str]) -> str:
    """A tool's id (to keep a heading above it on its page), its address and QR code if known."""
    arguments = f"id: {typst_string(identifier)}"
    if values.get("after-heading"):
        arguments += ", after-heading: true"
    address = getattr(targets, "tool_addresses", {}).get(identifier.removeprefix("nastroj-"))
    if address:
        arguments += (
            f", address: {typst_string(address)}, qr: {typst_string(_tool_qr_file(identifier))}"
        )
    return arguments


def _keep_headings_with_tools(blocks: list[Any]) -> list[Any]:
    """A heading right above a tool longer than a page starts the fresh page with it: the tool
    cannot move its heading, so the heading is told (Typst reads the tool's length)."""
    result: list[Any] = []
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if isinstance(block, dict) and block.get("t") == "Header" and _is_tool(following):
            (identifier, classes, attributes), content = following["c"]
            following["c"] = [[identifier, classes, [*attributes, ["after-heading", "1"]]], content]
            call = f"#break-before-long-tool({typst_string(identifier)})"
            result.append({"t": "RawBlock", "c": ["typst", call]})
        result.append(block)
    return result


def _is_tool(block: Any) -> bool:
    if not isinstance(block, dict) or block.get("t") != "Div":
        return False
    (identifier, classes, attributes), _ = block["c"]
    return "typst-call" in classes and dict(attributes).get("function") in TOOL_FUNCTIONS


class _Splice(list):
    """Several nodes replacing one in its parent list."""


_INLINE_TYPES = {
    "Str", "Space", "SoftBreak", "LineBreak", "Emph", "Strong", "Underline", "Strikeout",
    "Superscript", "Subscript", "SmallCaps", "Quoted", "Cite", "Code", "Math", "RawInline",
    "Link", "Image", "Note", "Span",
}  # fmt: skip


def _div(node: dict[str, Any], base: str | None, targets: dict[str, str]) -> Any:
    (identifier, classes, attributes), blocks = node["c"]
    content = _transform(blocks, base, targets)
    values = dict(attributes)
    if "admonition" in classes:
        kind = next((c for c in classes if c != "admonition"), "note")
        opening = f"#admonition(kind: {typst_string(kind)}, title: {typst_string(values.get('title', ''))})["
    elif "typst-call" in classes:
        arguments = values.get("arguments", "")
        if values["function"] in TOOL_FUNCTIONS:
            arguments = _tool_arguments(identifier, values, targets)
        opening = f"#{values['function']}({arguments})["
    else:
        return {"t": "Div", "c": [[identifier, classes, attributes], content]}
    closing = f"] <{identifier}>" if identifier else "]"
    raw = [
        {"t": "RawBlock", "c": ["typst", opening]},
        *content,
        {"t": "RawBlock", "c": ["typst", closing]},
    ]
    return _Splice(raw)


def _link(node: dict[str, Any], base: str | None, targets: dict[str, str]) -> Any:
    attributes, inlines, (url, title) = node["c"]
    inlines = _escape_leading_slash(_transform(inlines, base, targets))
    if url.startswith(("http://", "https://", "mailto:")):
        if _plain_text(inlines) == url:  # a bare address: printed so it survives paper
            return {"t": "RawInline", "c": ["typst", f"#url-link({typst_string(url)})"]}
        return {"t": "Link", "c": [attributes, inlines, [url, title]]}
    path, _, fragment = url.partition("#")
    label = targets.get(f"#{fragment}") if fragment else None
    source = posixpath.normpath(posixpath.join(base, path)) if base is not None and path else ""
    if label is None and source:
        label = targets.get(source)
    if label is not None:
        return {"t": "Link", "c": [attributes, inlines, [f"#{label}", title]]}
    site_url = getattr(targets, "site_url", "")
    if not path and fragment in getattr(targets, "site_paths", {}) and site_url:
        address = f"{site_url.rstrip('/')}/{targets.site_paths[fragment]}"
    elif not source or not site_url or source.startswith(".."):
        return _Splice(inlines)
    else:
        address = f"{site_url.rstrip('/')}/{page_url(source) if source.endswith('.md') else source}"
        address += f"#{fragment}" if fragment else ""
    # Not in this PDF: the reader gets the address on the site instead of a page number.
    raw = {"t": "RawInline", "c": ["typst", f"#site-address({typst_string(address)})"]}
    return _Splice([{"t": "Link", "c": [attributes, inlines, [address, title]]}, raw])


def _plain_text(inlines: list[Any]) -> str:
    return "".join(
        i["c"] if i.get("t") == "Str" else " " if i.get("t") == "Space" else "\0"
        for i in inlines
        if isinstance(i, dict)
    )


class LinkTargets(dict):
    """Link form → label in this PDF; `site_url` serves links to what the PDF does not carry,
    `site_paths` the anchors tools link to (`kp-oslovení`, `pojem-x`, `nastroj-y`) on the site,
    `tool_addresses` gives each checklist and tree shown its permanent address."""

    site_url: str = ""
    site_paths: dict[str, str] = {}  # noqa: RUF012 - replaced per instance, never mutated
    tool_addresses: dict[str, str] = {}  # noqa: RUF012 - replaced per instance, never mutated


@per_knowledge
def site_paths(knowledge: KnowledgeBase) -> dict[str, str]:
    """Anchor a PDF link may use → where it is on the site: a methodology section by its short
    permanent link, anything else (shared pages, terms, tools) by its page and anchor."""
    prefixes = {"section": "", "term": "pojem-", "checklist": "nastroj-", "tree": "nastroj-"}
    permanent = {h.id for m in knowledge.methodologies for c in m.chapters for h in c.headings}
    return {
        f"{prefixes[kind]}{target}": permalink_path(target)
        if kind == "section" and target in permanent
        else url
        for (kind, target), (url, _) in site_targets(knowledge).items()
    }
