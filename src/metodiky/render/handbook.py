"""The PDF handbook: methodologies → pandoc AST → Typst source → PDF via the typst package."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

import pypandoc

from ..citation import chapter_citation
from ..legal import LawRegistry, link_citations_in_markdown
from ..macros import expand_macros
from ..model import MACRO_CALL, Chapter, DecisionTree, Edition, KnowledgeBase, Methodology, SitePage
from ..releases import version_key
from ..typography import bind_in_pandoc_inlines, bind_single_letter_words, format_date
from .diagram import render_tree_svg
from .glossary import czech_sort_key
from .markdown_source import admonitions_to_fenced_divs
from .pdf_tools import diagram_file_name, markdown_text, pdf_macro_functions

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


def plan_handbooks(knowledge: KnowledgeBase, site_url: str = "") -> list[Handbook]:
    """The full handbook, plus every released version of every methodology as its own PDF."""
    current = tuple(Edition(m, m, None) for m in knowledge.methodologies)
    plans = [Handbook(HANDBOOK_FILE, TITLE, SUBTITLE, current, site_url)]
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
    return assets


def render_handbook_typst(knowledge: KnowledgeBase, handbook: Handbook | None = None) -> str:
    """The complete Typst source of one PDF, a pure function of the knowledge base and the plan."""
    handbook = handbook or plan_handbooks(knowledge)[0]
    blocks: list[dict[str, Any]] = []
    api_version: list[int] = []
    link_targets = _link_targets(knowledge, handbook)
    functions = pdf_macro_functions(knowledge, [edition.content for edition in handbook.editions])
    laws = LawRegistry(knowledge.laws)
    for edition in handbook.editions:
        document = _methodology_ast(edition, handbook, functions, laws)
        api_version = document["pandoc-api-version"]
        blocks += _opening_blocks(edition)
        blocks += _transform(document["blocks"], edition.content, link_targets)
    for page in _shared_pages(knowledge, handbook):
        document = _shared_page_ast(page, functions, laws)
        api_version = document["pandoc-api-version"]
        blocks += _raise_headings(_transform(document["blocks"], None, link_targets))
    glossary = _glossary_document(knowledge)
    if glossary is not None:
        api_version = glossary["pandoc-api-version"]
        blocks += glossary["blocks"]
    return _preamble(handbook) + typst_body(blocks, api_version)


def pandoc_ast(markdown: str) -> dict[str, Any]:
    """Pandoc's JSON document of Markdown, read with the handbook's extensions."""
    return json.loads(pypandoc.convert_text(markdown, "json", format=PANDOC_READER))


def typst_body(blocks: list[dict[str, Any]], api_version: list[int]) -> str:
    """Typst markup of transformed pandoc blocks (the part after the preamble)."""
    return pypandoc.convert_text(
        json.dumps({"pandoc-api-version": api_version, "meta": {}, "blocks": blocks}),
        "typst",
        format="json",
        extra_args=["--wrap=preserve"],
    )


def render_qr_svg(url: str) -> str:
    """A vector QR code of a URL (segno), small enough to print beside a chapter heading."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=4, border=2, xmldecl=False)
    return buffer.getvalue().decode("utf-8")


def _qr_file(chapter: Chapter) -> str:
    return f"qr-{chapter.id}.svg"


def _chapter_permalink(edition: Edition, chapter: Chapter, site_url: str) -> str:
    released = {record.version for record in edition.methodology.releases}
    version = edition.shown_version
    path = f"odkaz/{chapter.id}/{version}/" if version in released else f"odkaz/{chapter.id}/"
    return f"{site_url.rstrip('/')}/{path}" if site_url else f"/{path}"


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
    import typst

    workdir.mkdir(parents=True, exist_ok=True)
    for name, content in assets.items():
        (workdir / name).write_text(content, encoding="utf-8")
    source = workdir / "prirucka.typ"
    source.write_text(typst_source, encoding="utf-8")
    try:
        pdf = typst.compile(str(source), root=str(workdir))
    except Exception as error:  # typst raises its own error types; all mean the same to us
        raise HandbookError(f"Typst nedokázal sestavit příručku PDF ({source}): {error}") from None
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(pdf)


def typst_string(text: str) -> str:
    """A Typst string literal holding the text, safe for any characters."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def typst_text(text: str) -> str:
    """Inline Typst code that shows the text literally, with Czech no-break spaces applied."""
    return f"#({typst_string(bind_single_letter_words(text))})"


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
    colophon = (
        f"{PUBLISHER}. Obsah je šířen pod licencí Creative Commons Uveďte původ 4.0 (CC BY 4.0). "
        "Příručka je sestavena z týchž zdrojů jako webové stránky; verze každé metodiky je uvedena výše."
    )
    return template.substitute(
        title=handbook.title,
        title_short=TITLE,
        subtitle=typst_text(handbook.subtitle),
        publisher=PUBLISHER,
        methodology_list="\n".join(entries),
        colophon=typst_text(colophon),
    )


def _methodology_ast(
    edition: Edition,
    handbook: Handbook,
    functions: dict[str, Callable[..., str]],
    laws: LawRegistry,
) -> dict[str, Any]:
    chapters = [
        _prepare_chapter(edition, chapter, handbook, functions, laws)
        for chapter in edition.content.chapters
    ]
    return pandoc_ast("\n\n".join(chapters))


def _shared_pages(knowledge: KnowledgeBase, handbook: Handbook) -> list[SitePage]:
    """The shared pages this PDF carries: all in the handbook, those a version maps in its own."""
    pages = {page.uri: page for page in knowledge.site_pages}
    if handbook.file_name == HANDBOOK_FILE:
        wanted = (*SHARED_PAGES, *HANDBOOK_ONLY_PAGES)
    elif any(edition.content.manifest.safety for edition in handbook.editions):
        wanted = SHARED_PAGES
    else:
        return []
    return [pages[uri] for uri in wanted if uri in pages]


def _shared_page_ast(
    page: SitePage, functions: dict[str, Callable[..., str]], laws: LawRegistry
) -> dict[str, Any]:
    expanded = expand_macros(page.markdown, page.shown, functions)
    markdown = admonitions_to_fenced_divs(link_citations_in_markdown(expanded, laws))
    return pandoc_ast(markdown)


def _raise_headings(blocks: list[Any]) -> list[Any]:
    """A shared page is a part of its own: undo the level _transform adds under a methodology."""
    for block in blocks:
        if isinstance(block, dict) and block.get("t") == "Header":
            block["c"][0] -= 1
    return blocks


def _prepare_chapter(
    edition: Edition,
    chapter: Chapter,
    handbook: Handbook,
    functions: dict[str, Callable[..., str]],
    laws: LawRegistry,
) -> str:
    """Chapter Markdown for pandoc, with its citation and QR code right below the heading."""
    expanded = expand_macros(chapter.markdown, chapter.shown, functions)
    markdown = admonitions_to_fenced_divs(link_citations_in_markdown(expanded, laws))
    heading, _, rest = markdown.partition("\n")
    citation = chapter_citation(edition, chapter, handbook.site_url)
    meta = f"#chapter-meta({typst_string(_qr_file(chapter))}, {typst_string(citation)})"
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


def _link_targets(knowledge: KnowledgeBase, handbook: Handbook) -> dict[str, str]:
    """Map every link form a chapter may use (`#id`, `file.md`, `../slug/file.md`) to a label."""
    targets: dict[str, str] = {
        f"#pojem-{entry.id}": f"pojem-{entry.id}" for entry in knowledge.glossary
    }
    for page in _shared_pages(knowledge, handbook):
        first = next((h for h in page.headings if h.level == 1 and h.id), None)
        if first is not None:
            targets[page.uri] = first.id
        for heading in page.headings:
            if heading.id:
                targets[f"#{heading.id}"] = heading.id
    for edition in handbook.editions:
        content = edition.content
        for tool in (*content.checklists, *content.trees):
            targets[f"#nastroj-{tool.id}"] = f"nastroj-{tool.id}"
        for chapter in content.chapters:
            targets[f"{edition.methodology.slug}/{chapter.name}"] = chapter.id
            for heading in chapter.headings:
                if heading.id:
                    targets[f"#{heading.id}"] = heading.id
    return targets


def _transform(node: Any, methodology: Methodology | None, targets: dict[str, str]) -> Any:
    """Walk the pandoc AST: shift headings below the methodology, typeset boxes, resolve links."""
    if isinstance(node, list):
        node = [_transform(item, methodology, targets) for item in node]
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
            "c": [level + 1, attributes, _transform(inlines, methodology, targets)],
        }
    if kind == "Div":
        return _div(node, methodology, targets)
    if kind == "Link":
        return _link(node, methodology, targets)
    if kind in ("BulletList", "OrderedList"):
        listed = {"t": kind, "c": _transform(node["c"], methodology, targets)}
        for blocks in listed["c"] if kind == "BulletList" else listed["c"][1]:
            _escape_term_marker(blocks)
        return listed
    if kind in ("Emph", "Strong", "Underline", "Strikeout", "SmallCaps"):
        return {"t": kind, "c": _escape_leading_slash(_transform(node["c"], methodology, targets))}
    if "c" in node:
        return {"t": kind, "c": _transform(node["c"], methodology, targets)}
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


class _Splice(list):
    """Several nodes replacing one in its parent list."""


_INLINE_TYPES = {
    "Str", "Space", "SoftBreak", "LineBreak", "Emph", "Strong", "Underline", "Strikeout",
    "Superscript", "Subscript", "SmallCaps", "Quoted", "Cite", "Code", "Math", "RawInline",
    "Link", "Image", "Note", "Span",
}  # fmt: skip


def _div(node: dict[str, Any], methodology: Methodology | None, targets: dict[str, str]) -> Any:
    (identifier, classes, attributes), blocks = node["c"]
    content = _transform(blocks, methodology, targets)
    values = dict(attributes)
    if "admonition" in classes:
        kind = next((c for c in classes if c != "admonition"), "note")
        opening = f"#admonition(kind: {typst_string(kind)}, title: {typst_string(values.get('title', ''))})["
    elif "typst-call" in classes:
        opening = f"#{values['function']}({values.get('arguments', '')})["
    else:
        return {"t": "Div", "c": [[identifier, classes, attributes], content]}
    closing = f"] <{identifier}>" if identifier else "]"
    raw = [
        {"t": "RawBlock", "c": ["typst", opening]},
        *content,
        {"t": "RawBlock", "c": ["typst", closing]},
    ]
    return _Splice(raw)


def _link(node: dict[str, Any], methodology: Methodology | None, targets: dict[str, str]) -> Any:
    attributes, inlines, (url, title) = node["c"]
    inlines = _escape_leading_slash(_transform(inlines, methodology, targets))
    if url.startswith(("http://", "https://", "mailto:")):
        return {"t": "Link", "c": [attributes, inlines, [url, title]]}
    path, _, fragment = url.partition("#")
    label = targets.get(f"#{fragment}") if fragment else None
    if label is None and path.endswith(".md") and methodology is not None:
        label = targets.get(posixpath.normpath(posixpath.join(methodology.slug, path)))
    if label is None:
        return _Splice(inlines)
    return {"t": "Link", "c": [attributes, inlines, [f"#{label}", title]]}
