"""Workshop outlines of „Pro školitele“: the outline on the site and a printable pack (PDF, Word).

A pack holds what a trainer hands out for one half-day workshop: the outline with its blocks and
aids, every checklist and tree it uses (one tool per sheet, as in the handbook), the model
situations it works with and the discussion questions. It is built from the same pandoc AST for
the PDF (Typst) and the Word file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from typing import Any

from ..legal import LawRegistry, link_citations_in_markdown
from ..macros import expand_macros
from ..model import Chapter, Edition, KnowledgeBase, Link, Methodology, Workshop
from ..permalinks import absolute_url, permalink_path, permalink_version
from .diagram import render_tree_svg
from .docx import break_before_tools, docx_from
from .embed import embed_path
from .handbook import (
    COVER_QR,
    SOURCES,
    Handbook,
    LinkTargets,
    _preamble,
    _raise_headings,
    _tool_qr_file,
    _transform,
    pandoc_json,
    render_qr_svg,
    site_paths,
    typst_body,
)
from .inline import plain_html, render_inline
from .markdown_source import admonitions_to_fenced_divs
from .pdf_tools import diagram_file_name, markdown_text, pdf_macro_functions

PACK_FOLDER = "skoleni"
TRAINERS_PAGE = "skolitele/"
SUBTITLE = "Balíček pro školitele: osnova, nástroje, modelové situace a otázky k diskusi"
# Resolves a (kind, id) link to (href relative to the page, title), or None when unknown.
Resolve = Callable[[str, str], tuple[str, str] | None]


def workshop_pack_path(workshop: Workshop, suffix: str) -> str:
    """Site path of a workshop's pack: `skoleni/<id>.pdf` or `.docx`."""
    return f"{PACK_FOLDER}/{workshop.id}.{suffix}"


def render_workshop_outline_html(
    workshop: Workshop, knowledge: KnowledgeBase, resolve: Resolve, href: Callable[[str], str]
) -> str:
    """The outline on „Pro školitele“: aids link to the tool, its printable view and Word form."""
    checklists = {c.id for c in knowledge.all_checklists()}
    rows = []
    for number, block in enumerate(workshop.blocks, start=1):
        aids = ", ".join(_aid_html(aid, resolve, href, checklists) for aid in block.aids)
        rows.append(
            f"<tr><td>{number} (asi {block.minutes} minut)</td>"
            f"<td>{render_inline(block.content)}</td><td>{aids}</td></tr>"
        )
    trees = "; ".join(_aid_html(Link(tree=t), resolve, href, checklists) for t in workshop.trees)
    situations = "; ".join(
        _aid_html(Link(section=s), resolve, href, checklists) for s in workshop.situations
    )
    questions = "".join(f"<li>{render_inline(q)}</li>" for q in workshop.questions)
    pdf, word = (
        href(workshop_pack_path(workshop, "pdf")),
        href(workshop_pack_path(workshop, "docx")),
    )
    parts = [
        f"<p><strong>Pro koho:</strong> {render_inline(workshop.audience)}</p>",
        f"<p><strong>Cíle:</strong> {render_inline(workshop.goals)}</p>",
        '<div class="md-typeset__scrollwrap"><div class="md-typeset__table"><table>',
        "<thead><tr><th>Blok</th><th>Obsah</th><th>Pomůcky</th></tr></thead>",
        f"<tbody>{''.join(rows)}</tbody></table></div></div>",
    ]
    if trees:
        parts.append(f"<p><strong>Rozhodovací stromy k projití:</strong> {trees}</p>")
    if situations:
        parts.append(f"<p><strong>Modelové situace:</strong> {situations}</p>")
    parts += [
        f"<p><strong>Otázky k diskusi:</strong></p><ul>{questions}</ul>",
        f'<p class="metodiky-workshop-pack"><strong>Balíček k tisku:</strong> '
        f'<a href="{escape(pdf)}" download>PDF</a> · <a href="{escape(word)}" download>Word</a> '
        "– osnova, všechny nástroje workshopu (každý na vlastním listu), modelové situace "
        "a otázky k diskusi.</p>",
    ]
    return "\n".join(parts)


def _aid_html(
    aid: Link | str, resolve: Resolve, href: Callable[[str], str], checklists: set[str]
) -> str:
    if isinstance(aid, str):
        return render_inline(aid)
    target = resolve(aid.kind, aid.target)
    if target is None:  # `check` refuses unknown ids; this keeps a stale build readable
        return plain_html(aid.target)
    link = f'<a href="{escape(target[0])}">{plain_html(target[1])}</a>'
    if aid.kind == "section":
        return link
    kind = "kontrolní seznam" if aid.kind == "checklist" else "rozhodovací strom"
    extras = [f'<a href="{escape(href(embed_path(aid.target)))}">k tisku</a>']
    if aid.target in checklists:
        extras.append(f'<a href="{escape(href(f"docx/{aid.target}.docx"))}" download>Word</a>')
    return f"{kind} {link} ({', '.join(extras)})"


def render_pack_typst(knowledge: KnowledgeBase, workshop: Workshop, site_url: str) -> str:
    """The Typst source of a workshop's pack, a pure function of the knowledge base."""
    blocks, api_version = _pack_blocks(knowledge, workshop, site_url)
    return _preamble(_plan(knowledge, workshop, site_url)) + typst_body(blocks, api_version)


def render_pack_assets(
    knowledge: KnowledgeBase, workshop: Workshop, site_url: str
) -> dict[str, str]:
    """Tree diagrams, a QR code per tool and the cover's QR code."""
    trees = {tree.id: tree for tree in knowledge.all_trees()}
    assets = {COVER_QR: render_qr_svg(_trainers_address(workshop, site_url))}
    for link in workshop.tool_links():
        if link.kind == "tree":
            assets[diagram_file_name(trees[link.target])] = render_tree_svg(trees[link.target])
    for tool_id, address in _tool_addresses(knowledge, workshop, site_url).items():
        assets[_tool_qr_file(f"nastroj-{tool_id}")] = render_qr_svg(address)
    return assets


def render_pack_docx(knowledge: KnowledgeBase, workshop: Workshop, site_url: str) -> bytes:
    """The pack as a Word file: the same content, a page break before each tool."""
    blocks, api_version = _pack_blocks(knowledge, workshop, site_url, break_before_tools)
    ast = {"pandoc-api-version": api_version, "meta": {}, "blocks": blocks}
    return docx_from(json.dumps(ast), "json", workshop.title)


def _plan(knowledge: KnowledgeBase, workshop: Workshop, site_url: str) -> Handbook:
    methodology = knowledge.methodology(workshop.methodology)
    edition = Edition(methodology, methodology, None)
    address = _trainers_address(workshop, site_url)
    file_name = workshop_pack_path(workshop, "pdf")
    return Handbook(file_name, workshop.title, SUBTITLE, (edition,), site_url, address)


def _trainers_address(workshop: Workshop, site_url: str) -> str:
    return absolute_url(f"{TRAINERS_PAGE}#{workshop.section}", site_url)


def _tool_addresses(knowledge: KnowledgeBase, workshop: Workshop, site_url: str) -> dict[str, str]:
    """Each tool's permanent address: versioned for a released methodology's own tools."""
    versions = {}
    for methodology in knowledge.methodologies:
        version = permalink_version(Edition(methodology, methodology, None))
        versions.update({t.id: version for t in (*methodology.checklists, *methodology.trees)})
    return {
        link.target: absolute_url(permalink_path(link.target, versions.get(link.target)), site_url)
        for link in workshop.tool_links()
    }


def _pack_blocks(
    knowledge: KnowledgeBase,
    workshop: Workshop,
    site_url: str,
    prepare: Callable[[list[Any]], list[Any]] = lambda blocks: blocks,
) -> tuple[list[dict[str, Any]], list[int]]:
    """Outline, tools and model situations as transformed pandoc blocks (parts are level 1)."""
    methodology = knowledge.methodology(workshop.methodology)
    functions = pdf_macro_functions(knowledge)
    situations = [_situation_markdown(methodology, s) for s in workshop.situations]
    targets = LinkTargets()
    targets.site_url = site_url
    targets.site_paths = site_paths(knowledge)
    targets.tool_addresses = _tool_addresses(knowledge, workshop, site_url)
    for tool_id in targets.tool_addresses:
        targets[f"#nastroj-{tool_id}"] = f"nastroj-{tool_id}"
    for chapter, markdown in situations:
        for heading in chapter.headings:
            if heading.id and f"{{#{heading.id}" in markdown:
                targets[f"#{heading.id}"] = heading.id
    laws = LawRegistry(knowledge.laws)
    tools = [
        functions["checklist" if link.kind == "checklist" else "decision_tree"](link.target)
        for link in workshop.tool_links()
    ]
    parts = [
        (outline_markdown(knowledge, workshop, site_url), None),
        (_tools_markdown(knowledge, workshop) + "\n\n".join(tools), None),
    ]
    if situations:
        text = "\n\n".join(
            link_citations_in_markdown(expand_macros(md, chapter.shown, functions), laws)
            for chapter, md in situations
        )
        heading = "# Modelové situace {#workshop-situace}\n\n"
        parts.append((heading + admonitions_to_fenced_divs(text), methodology.slug))
    # The PDF and the Word file of a pack read the same Markdown: once for both.
    read = lambda: [pandoc_json(markdown) for markdown, _ in parts]  # noqa: E731
    documents = SOURCES.get_about(knowledge, ("workshop", workshop.id, site_url), read)
    blocks: list[dict[str, Any]] = []
    api_version: list[int] = []
    for text, (_, base) in zip(documents, parts, strict=True):
        document = json.loads(text)
        api_version = document["pandoc-api-version"]
        blocks += _raise_headings(_transform(prepare(document["blocks"]), base, targets))
    return blocks, api_version


def outline_markdown(knowledge: KnowledgeBase, workshop: Workshop, site_url: str) -> str:
    """The pack's first part: audience, goals, blocks with aids pointing to pages of the pack."""
    titles = {("checklist", c.id): c.title for c in knowledge.all_checklists()}
    titles |= {("tree", t.id): t.title for t in knowledge.all_trees()}
    sections = {
        h.id: (c, h.title) for m in knowledge.methodologies for c in m.chapters for h in c.headings
    }
    # `check` lets an aid name a section of any page: shared pages have no versioned permalink.
    shared = {h.id: (p, h.title) for p in knowledge.site_pages for h in p.headings}
    methodology = knowledge.methodology(workshop.methodology)

    def aid(item: Link | str) -> str:
        if isinstance(item, str):
            return markdown_text(item)
        if item.kind == "section" and item.target in shared:  # e.g. the safety page
            page, title = shared[item.target]
            return f"„{markdown_text(title)}“ (<{site_url}{page.url}#{item.target}>)"
        if item.kind == "section":
            _, title = sections[item.target]
            return (
                f"„{markdown_text(title)}“ ({_section_address(methodology, item.target, site_url)})"
            )
        kind = "kontrolní seznam" if item.kind == "checklist" else "strom"
        return (
            f"{kind} [„{markdown_text(titles[(item.kind, item.target)])}“](#nastroj-{item.target})"
        )

    lines = [
        "# Osnova {#workshop-osnova}",
        "",
        f"**Pro koho:** {markdown_text(workshop.audience)}",
        "",
        f"**Cíle:** {markdown_text(workshop.goals)}",
        "",
        "| Blok | Obsah | Pomůcky |",
        "|:----|:----------|:-------|",
    ]
    for number, block in enumerate(workshop.blocks, start=1):
        aids = ", ".join(aid(item) for item in block.aids).replace("|", "\\|")
        content = markdown_text(block.content).replace("|", "\\|")
        lines.append(f"| {number} (asi {block.minutes} minut) | {content} | {aids} |")
    lines.append("")
    if workshop.trees:
        trees = "; ".join(aid(Link(tree=tree_id)) for tree_id in workshop.trees)
        lines += [f"**Rozhodovací stromy k projití:** {trees}", ""]
    if workshop.situations:
        listed = "; ".join(
            f"[„{markdown_text(sections[s][1])}“](#{s})" for s in workshop.situations
        )
        lines += [f"**Modelové situace:** {listed}", ""]
    lines += ["**Otázky k diskusi:**", ""]
    lines += [f"- {markdown_text(question)}" for question in workshop.questions]
    return "\n".join(lines) + "\n"


def _tools_markdown(knowledge: KnowledgeBase, workshop: Workshop) -> str:
    """The part's opening: which tools follow and where, so a trainer prints just those pages."""
    titles = {c.id: f"Kontrolní seznam: {c.title}" for c in knowledge.all_checklists()}
    titles |= {t.id: f"Rozhodovací strom: {t.title}" for t in knowledge.all_trees()}
    lines = [
        "# Nástroje {#workshop-nastroje}",
        "",
        "Každý nástroj je na vlastním listu; vytiskněte jen stránky, které potřebujete.",
        "",
    ]
    for link in workshop.tool_links():
        lines.append(f"- [{markdown_text(titles[link.target])}](#nastroj-{link.target})")
    return "\n".join(lines) + "\n\n"


def _section_address(methodology: Methodology, section_id: str, site_url: str) -> str:
    version = permalink_version(Edition(methodology, methodology, None))
    return f"<{absolute_url(permalink_path(section_id, version), site_url)}>"


def _situation_markdown(methodology: Methodology, section_id: str) -> tuple[Chapter, str]:
    """One model situation: its heading and everything below it up to the next sibling."""
    for chapter in methodology.chapters:
        for index, heading in enumerate(chapter.headings):
            if heading.id != section_id:
                continue
            following = (h for h in chapter.headings[index + 1 :] if h.level <= heading.level)
            end = next((h.line - 1 for h in following), None)
            lines = chapter.markdown.split("\n")
            return chapter, "\n".join(lines[heading.line - 1 : end])
    raise KeyError(section_id)  # `check` guarantees every situation is a section
