"""Site pages generated from the models: methodology overviews and page headers."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from ..model import KnowledgeBase, Methodology
from ..typography import format_date
from .inline import plain_html, plain_markdown

STATUS_NAMES = {"koncept": "pracovní verze", "platná": "platná verze"}
TOOL_MACRO = re.compile(r"\{\{\s*(checklist|decision_tree)\(\s*[\"']([^\"']+)[\"']")


def methodology_facts(methodology: Methodology) -> dict[str, str]:
    """What every page of a methodology shows about it: title, version, status and date."""
    manifest = methodology.manifest
    return {
        "slug": methodology.slug,
        "title": manifest.title,
        "short_title": manifest.short_title,
        "version": manifest.version,
        "status": STATUS_NAMES[manifest.status],
        "date": format_date(manifest.approved),
        "iso_date": manifest.approved.isoformat(),
    }


def tool_homes(methodology: Methodology) -> dict[str, str]:
    """Which chapter file embeds each checklist or tree, so the overview can link to it."""
    homes: dict[str, str] = {}
    for chapter in methodology.chapters:
        for match in TOOL_MACRO.finditer(chapter.markdown):
            homes.setdefault(match.group(2), chapter.name)
    return homes


def render_overview_markdown(
    methodology: Methodology, downloads: Sequence[tuple[str, str]] = ()
) -> str:
    """The overview page of a methodology: summary, facts, downloads, chapters, tools and changes."""
    manifest = methodology.manifest
    homes = tool_homes(methodology)
    lines = [
        f"# {plain_markdown(manifest.title)}",
        "",
        plain_markdown(manifest.summary),
        "",
        f"**Verze:** {manifest.version} ({STATUS_NAMES[manifest.status]}), "
        f"schváleno {format_date(manifest.approved)}  ",
        f"**Autoři:** {', '.join(plain_markdown(a) for a in manifest.authors)}  ",
        f"**Komu je určena:** {', '.join(plain_markdown(a) for a in manifest.audiences)}",
        "",
    ]
    if downloads:
        lines += [
            "**Ke stažení:** " + " · ".join(f"[{label}]({href})" for label, href in downloads),
            "",
        ]
    lines += [
        "## Kapitoly",
        "",
    ]
    lines += [
        f"- {n} [{plain_markdown(c.title)}]({c.name})"
        for n, c in enumerate(methodology.chapters, start=1)
    ]
    lines += _tool_list("Kontrolní seznamy", methodology.checklists, homes)
    lines += _tool_list("Rozhodovací stromy", methodology.trees, homes)
    lines += ["", "## Historie verzí", ""]
    for entry in manifest.changelog:
        lines.append(
            f"- **{entry.version}** ({format_date(entry.date)}): "
            + " ".join(plain_markdown(change) for change in entry.changes)
        )
    return "\n".join(lines) + "\n"


def _tool_list(heading: str, tools: tuple, homes: dict[str, str]) -> list[str]:
    if not tools:
        return []
    lines = ["", f"## {heading}", ""]
    for tool in tools:
        home = homes.get(tool.id)
        title = plain_markdown(tool.title)
        lines.append(f"- [{title}]({home}#nastroj-{tool.id})" if home else f"- {title}")
    return lines


GLOSSARY_URL = "slovnik/"


def edition_targets(
    methodology: Methodology, prefix: str
) -> dict[tuple[str, str], tuple[str, str]]:
    """Sections and tools of one methodology version published under `prefix` (e.g. `kp/1.0/`)."""
    targets: dict[tuple[str, str], tuple[str, str]] = {}
    for chapter in methodology.chapters:
        url = f"{prefix}{chapter.stem}/"
        targets[("section", chapter.id)] = (url, chapter.title)
        for heading in chapter.headings[1:]:
            if heading.id:
                targets[("section", heading.id)] = (f"{url}#{heading.id}", heading.title)
        for match in TOOL_MACRO.finditer(chapter.markdown):
            kind = "checklist" if match.group(1) == "checklist" else "tree"
            tool = next(
                (
                    t
                    for t in (*methodology.checklists, *methodology.trees)
                    if t.id == match.group(2)
                ),
                None,
            )
            if tool is not None:
                targets.setdefault((kind, tool.id), (f"{url}#nastroj-{tool.id}", tool.title))
    return targets


def site_targets(knowledge: KnowledgeBase) -> dict[tuple[str, str], tuple[str, str]]:
    """Every linkable thing as (kind, id) → (URL from the site root with anchor, title)."""
    targets: dict[tuple[str, str], tuple[str, str]] = {}
    homes: dict[str, str] = {}
    for methodology in knowledge.methodologies:
        targets.update(edition_targets(methodology, f"{methodology.slug}/"))
        for chapter in methodology.chapters:
            for match in TOOL_MACRO.finditer(chapter.markdown):
                homes.setdefault(match.group(2), f"{methodology.slug}/{chapter.stem}/")
    for page in knowledge.site_pages:
        for index, heading in enumerate(page.headings):
            if heading.id:
                anchor = "" if index == 0 and heading.level == 1 else f"#{heading.id}"
                targets[("section", heading.id)] = (f"{page.url}{anchor}", heading.title)
        for match in TOOL_MACRO.finditer(page.markdown):
            homes.setdefault(match.group(2), page.url)
    for entry in knowledge.glossary:
        targets[("term", entry.id)] = (f"{GLOSSARY_URL}#{entry.id}", entry.term)
    for kind, tools in (("checklist", knowledge.all_checklists()), ("tree", knowledge.all_trees())):
        for tool in tools:
            if tool.id in homes and (kind, tool.id) not in targets:
                targets[(kind, tool.id)] = (f"{homes[tool.id]}#nastroj-{tool.id}", tool.title)
    return targets


def render_methodology_cards(knowledge: KnowledgeBase, href: Callable[[str], str]) -> str:
    """Home-page cards: one per methodology with its version, date and summary."""
    lines = ['<div class="grid cards" markdown>', ""]
    for methodology in knowledge.methodologies:
        facts = methodology_facts(methodology)
        lines += [
            f"-   **[{plain_markdown(facts['title'])}]({href(methodology.slug + '/index.md')})**",
            "",
            f"    Verze {facts['version']} ({facts['status']}), schváleno {facts['date']}.",
            f"    {plain_markdown(methodology.manifest.summary)}",
            "",
        ]
    lines += ["</div>", ""]
    return "\n".join(lines)


def render_methodology_links(knowledge: KnowledgeBase, href: Callable[[str], str]) -> str:
    """A compact list of the methodologies with version and date, to fit a phone's first screen."""
    lines = ['<ul class="mk-methodology-links">']
    for methodology in knowledge.methodologies:
        facts = methodology_facts(methodology)
        lines.append(
            f'<li><a href="{href(methodology.slug + "/index.md")}">{plain_html(facts["short_title"])}</a> '
            f'<span class="mk-methodology-links__version">verze {facts["version"]}, {facts["date"]}</span></li>'
        )
    lines.append("</ul>")
    return "\n".join(lines)
