"""Word (DOCX) downloads made by pandoc: each checklist as a printable form, each methodology whole."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pypandoc

from ..citation import methodology_citation
from ..legal import LawRegistry
from ..model import Checklist, Edition, KnowledgeBase
from ..numbering import section_numbers
from .handbook import (
    PANDOC_READER,
    Handbook,
    _link_targets,
    _methodology_ast,
    _raise_headings,
    _transform,
    pandoc_ast,
)
from .pdf_tools import markdown_text, pdf_macro_functions

DOCX_FOLDER = "docx"


def checklist_docx_path(checklist: Checklist) -> str:
    """Site path of a checklist's Word form."""
    return f"{DOCX_FOLDER}/{checklist.id}.docx"


def render_checklist_form_markdown(
    checklist: Checklist, methodology_title: str, version: str, citation: str | None = None
) -> str:
    """A checklist as a Word form: task-list boxes to tick by hand, hints in italics."""
    # The title is the document's own (Word's Title style); repeating it as Heading 1 doubled it.
    lines = [
        f"*{markdown_text(methodology_title)}, verze {version}*",
        "",
        markdown_text(checklist.purpose),
        "",
    ]
    for section in checklist.sections:
        lines += [f"# {markdown_text(section.title)}", ""]
        for item in section.items:
            lines.append(f"- [ ] {markdown_text(item.text)}")
            if item.hint:
                lines += ["", f"    *{markdown_text(item.hint)}*", ""]
        lines.append("")
    lines += ["Datum: ………………………  Vyplnil/a: ………………………………", ""]
    if citation:
        lines += [f"*Citace:* {markdown_text(citation)}", ""]
    return "\n".join(lines)


def render_methodology_docx(
    knowledge: KnowledgeBase, edition: Edition, site_url: str = ""
) -> bytes:
    """The whole methodology as a Word document, from the same pandoc AST as the PDF handbook."""
    # Links to what the file does not carry are plain text here: no site address to point to.
    handbook = Handbook(f"{edition.methodology.slug}.docx", "", "", (edition,))
    functions = pdf_macro_functions(knowledge, [edition.content])
    # The PDF's document (read once for both): its Typst-only chapter notes do not reach Word.
    laws = LawRegistry(knowledge.laws)
    document = _methodology_ast(knowledge, edition, site_url, functions, laws)
    manifest = edition.content.manifest
    intro = pandoc_ast(
        f"*Verze {edition.shown_version}, {markdown_text(', '.join(manifest.authors))}.*\n\n"
        f"{markdown_text(manifest.summary)}\n\n"
        f"*Citace:* {markdown_text(methodology_citation(edition, site_url))}\n"
    )["blocks"]
    numbered = _number_headings(document["blocks"], section_numbers(edition.content))
    # Chapters are Word's Heading 1 under the document title (the PDF nests them in a part).
    blocks = intro + _raise_headings(
        _transform(
            break_before_tools(numbered),
            edition.methodology.slug,
            _link_targets(knowledge, handbook),
        )
    )
    ast = {"pandoc-api-version": document["pandoc-api-version"], "meta": {}, "blocks": blocks}
    return docx_from(json.dumps(ast), "json", manifest.title)


def _number_headings(blocks: list[Any], numbers: dict[str, str]) -> list[Any]:
    """Prefix headings with the numbers the site and the PDF show, so „Oddíl 4.2“ is findable."""
    for block in blocks:
        if block.get("t") == "Header" and block["c"][1][0] in numbers:
            number = numbers[block["c"][1][0]]
            block["c"][2] = [{"t": "Str", "c": number}, {"t": "Space"}, *block["c"][2]]
    return blocks


# A Word page break: pandoc passes raw OpenXML through to the document.
_PAGE_BREAK = {"t": "RawBlock", "c": ["openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>']}


def break_before_tools(blocks: list[Any]) -> list[Any]:
    """Each checklist and tree starts on a new page, so a trainer can print exactly one tool."""
    result: list[Any] = []
    for block in blocks:
        if block.get("t") == "Div" and block["c"][0][0].startswith("nastroj-"):
            result.append(_PAGE_BREAK)
        result.append(block)
    return result


def render_checklist_docx(
    checklist: Checklist, methodology_title: str, version: str, citation: str | None = None
) -> bytes:
    """A checklist as a Word form, with its citation when it belongs to a methodology."""
    markdown = render_checklist_form_markdown(checklist, methodology_title, version, citation)
    return docx_from(markdown, PANDOC_READER, checklist.title)


def docx_from(source: str, reader: str, title: str) -> bytes:
    """Convert with pandoc, marking the document Czech so Word checks Czech spelling."""
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "vystup.docx"
        pypandoc.convert_text(
            source,
            "docx",
            format=reader,
            outputfile=str(output),
            extra_args=["-M", "lang=cs-CZ", "-M", f"title={title}"],
        )
        return output.read_bytes()
