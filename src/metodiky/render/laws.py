"""The page „Právní předpisy“: every registered law with the places that cite it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..legal import LawRegistry, registry_digest, scan_markdown, yaml_texts
from ..model import MACRO_CALL, Heading, KnowledgeBase
from .inline import plain_markdown

LAWS_URI = "predpisy/index.md"


@dataclass(frozen=True)
class Place:
    """Where a law is cited: a label, a link relative to the law page, and the paragraphs."""

    label: str
    href: str
    paragraphs: tuple[str, ...]


def render_law_index_markdown(knowledge: KnowledgeBase) -> str:
    """The law index page: each law, a link to its official text, and where our content cites it."""
    places = cited_places(knowledge)
    laws = sorted(knowledge.laws, key=lambda law: (law.year, law.number))
    lines = [
        "# Právní předpisy {#predpisy}",
        "",
        "Zákony a vyhlášky, na které metodiky a společné nástroje odkazují, a místa, kde je citují.",
        "Odkaz vede na úplné znění předpisu ve Sbírce zákonů (e-Sbírka); znění předpisů se mění, "
        "proto před rozhodnutím vždy ověřte aktuální text.",
        "",
    ]
    for law in laws:
        anchor = f"predpis-{law.number}-{law.year}"
        title = plain_markdown(law.title)
        lines += [f"## {title} {{#{anchor}}}", "", f"[Úplné znění v e-Sbírce]({law.url})", ""]
        cited = places.get(law.designation, [])
        if not cited:
            lines += ["Předpis je v rejstříku, ale obsah ho zatím necituje.", ""]
            continue
        for place in cited:
            paragraphs = f" ({', '.join(place.paragraphs)})" if place.paragraphs else ""
            lines.append(f"- [{plain_markdown(place.label)}]({place.href}){paragraphs}")
        lines.append("")
    return "\n".join(lines)


def cited_places(knowledge: KnowledgeBase) -> dict[str, list[Place]]:
    """Law designation → the places citing it, in reading order, each listed once."""
    registry = LawRegistry(knowledge.laws)
    laws = registry_digest(knowledge)
    found: dict[str, dict[tuple[str, str], list[str]]] = defaultdict(dict)

    def note(designation: str, label: str, href: str, paragraph: str) -> None:
        paragraphs = found[designation].setdefault((label, href), [])
        if paragraph and paragraph not in paragraphs:
            paragraphs.append(paragraph)

    for source, label_prefix, markdown, headings in _markdown_pages(knowledge):
        by_line = sorted((h for h in headings if h.id and h.level <= 3), key=lambda h: h.line)
        for number, findings in scan_markdown(registry, laws, markdown):
            citations = findings.citations
            if not citations:
                continue
            heading = _heading_above(by_line, number)
            label = f"{label_prefix} › {heading.title}" if heading else label_prefix
            href = f"../{source}#{heading.id}" if heading else f"../{source}"
            for citation in citations:
                note(citation.law.designation, label, href, citation.paragraph)
    shown_at = _tool_pages(knowledge)
    tools = (*knowledge.all_checklists(), *knowledge.all_trees())
    source_tools = {knowledge.sources.file_of(tool): tool for tool in tools}
    terms = {entry.id: entry for entry in knowledge.glossary}
    for shown, path, text in yaml_texts(knowledge):
        for findings in registry.scan_text(text):
            for citation in findings.citations:
                label, href = _yaml_place(knowledge, shown, path, source_tools, terms, shown_at)
                note(citation.law.designation, label, href, citation.paragraph)
    return {
        designation: [
            Place(label, href, tuple(paragraphs)) for (label, href), paragraphs in places.items()
        ]
        for designation, places in found.items()
    }


def _markdown_pages(knowledge: KnowledgeBase):
    for methodology in knowledge.methodologies:
        for chapter in methodology.chapters:
            label = f"{methodology.manifest.short_title} › {chapter.title}"
            yield f"{methodology.slug}/{chapter.name}", label, chapter.markdown, chapter.headings
    for page in knowledge.site_pages:
        title = next((h.title for h in page.headings if h.level == 1), page.uri)
        yield page.uri, title, page.markdown, page.headings


def _heading_above(headings: list[Heading], line: int) -> Heading | None:
    above = [heading for heading in headings if heading.line <= line]
    return above[-1] if above else None


def _tool_pages(knowledge: KnowledgeBase) -> dict[str, str]:
    """Tool id → the source page that shows it (its first appearance)."""
    pages = [
        (f"{m.slug}/{c.name}", c.markdown) for m in knowledge.methodologies for c in m.chapters
    ]
    pages += [(page.uri, page.markdown) for page in knowledge.site_pages]
    shown: dict[str, str] = {}
    for uri, markdown in pages:
        for kind, tool_id in MACRO_CALL.findall(markdown):
            if kind != "term":
                shown.setdefault(tool_id, uri)
    return shown


def _yaml_place(knowledge, shown, path, source_tools, terms, shown_at) -> tuple[str, str]:
    tool = source_tools.get(shown)
    if tool is not None:
        page = shown_at.get(tool.id)
        href = f"../{page}#nastroj-{tool.id}" if page else "../slovnik/index.md"
        return f"Nástroj: {tool.title}", href
    entries = [
        entry
        for (file, _), entry in zip(knowledge.sources.terms, knowledge.glossary, strict=True)
        if file == shown
    ]
    entry = (
        entries[path[0]] if path and isinstance(path[0], int) and path[0] < len(entries) else None
    )
    if entry is not None and entry.id in terms:
        return f"Slovník pojmů › {entry.term}", f"../slovnik/index.md#{entry.id}"
    return shown, "../slovnik/index.md"
