"""Embeddable views of checklists and trees (`/vlozit/<id>/`) and the snippets municipalities paste."""

from __future__ import annotations

from dataclasses import dataclass, replace
from html import escape

EMBED_FOLDER = "vlozit"


def embed_path(tool_id: str) -> str:
    """Site path of a tool's embeddable view."""
    return f"{EMBED_FOLDER}/{tool_id}/"


def render_embed_page(
    tool_html: str, title: str, source: str, page_href: str, canonical: str
) -> str:
    """A page with nothing but the tool, where it comes from and a link back; it reports its
    height to the embedding page so the iframe fits the content."""
    return (
        "<!doctype html>\n"
        '<html lang="cs">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="canonical" href="{escape(canonical)}">\n'
        '<link rel="icon" href="../../assets/images/favicon.png">\n'
        '<link rel="stylesheet" href="../../assets/vlozit.css">\n'
        '<link rel="stylesheet" href="../../assets/metodiky.css">\n'
        "</head>\n"
        '<body class="mk-embed">\n<main class="md-typeset">\n'
        f"{tool_html}\n"
        f'<p class="mk-embed__source">{escape(source)} · '
        f'<a href="{escape(page_href)}" target="_blank" rel="noopener">Otevřít v metodice</a></p>\n'
        "</main>\n"
        '<script src="../../assets/metodiky.js"></script>\n'
        '<script src="../../assets/vlozit.js"></script>\n'
        "</body>\n</html>\n"
    )


# Height of the frame when the host page's CMS strips the script that fits it to the content.
FIXED_HEIGHT = 800
FEATURED_GROUP = "Doporučené pro obce"


@dataclass(frozen=True)
class EmbedChoice:
    """One tool in the chooser: where its embed view and its full page are, and its group."""

    id: str
    title: str
    group: str
    embed_url: str  # absolute: pasted into another site
    page_url: str  # absolute: the tool on its methodology page, where plain links lead
    preview_href: str  # relative to the page with the chooser


def embed_snippets(tool: EmbedChoice, site_origin: str) -> dict[str, str]:
    """The ways to put a tool on a municipal website: a frame that fits its content, a frame of
    fixed height for CMSs that strip scripts, a plain link and a link with text. Links lead to
    the full page (with navigation and context), never to the bare embed view."""
    frame_id = "metodiky-" + tool.id
    title = escape(tool.title)
    iframe = (
        f'<iframe id="{frame_id}" src="{tool.embed_url}" title="{title}" '
        'style="width:100%;min-height:420px;border:0" loading="lazy"></iframe>\n'
        "<script>\n"
        'window.addEventListener("message", function (e) {\n'
        f'  if (e.origin !== "{site_origin}" || !e.data || !e.data.metodikyVyska) return;\n'
        f'  var f = document.getElementById("{frame_id}");\n'
        '  if (f && e.source === f.contentWindow) f.style.height = e.data.metodikyVyska + "px";\n'
        "});\n"
        "</script>"
    )
    fixed = (
        f'<iframe src="{tool.embed_url}" title="{title}" '
        f'style="width:100%;height:{FIXED_HEIGHT}px;border:0" loading="lazy"></iframe>'
    )
    return {
        "iframe": iframe,
        "iframe-bez-skriptu": fixed,
        "odkaz": tool.page_url,
        "odkaz-s-textem": f'<a href="{tool.page_url}">{title} – Metodiky sociální práce</a>',
    }


SNIPPET_FIELDS = (
    ("iframe", "Vložení do stránky (iframe, výška podle obsahu)", 9),
    ("iframe-bez-skriptu", "Vložení bez skriptu (pevná výška)", 3),
    ("odkaz", "Prostý odkaz na nástroj v metodice", 1),
    ("odkaz-s-textem", "Odkaz s textem", 2),
)


def order_choices(tools: list[EmbedChoice], featured: list[str]) -> list[EmbedChoice]:
    """The featured tools first (in the given order, in their own group), then the rest as listed."""
    by_id = {tool.id: tool for tool in tools}
    first = [replace(by_id[tool_id], group=FEATURED_GROUP) for tool_id in featured]
    return [*first, *(tool for tool in tools if tool.id not in featured)]


def render_snippet_generator(tools: list[EmbedChoice], site_origin: str) -> str:
    """A chooser of tools grouped by methodology, with a live preview and ready snippets with copy
    buttons; without script it shows the first tool."""
    groups: dict[str, list[EmbedChoice]] = {}
    for tool in tools:
        groups.setdefault(tool.group, []).append(tool)
    options = "".join(
        f'<optgroup label="{escape(group)}">'
        + "".join(f'<option value="{escape(t.id)}">{escape(t.title)}</option>' for t in members)
        + "</optgroup>"
        for group, members in groups.items()
    )
    blocks = []
    for tool in tools:
        snippets = embed_snippets(tool, site_origin)
        hidden = "" if tool is tools[0] else " hidden"
        fields = "".join(
            f'<p><label for="kod-{tool.id}-{kind}">{label}</label>'
            f'<textarea id="kod-{tool.id}-{kind}" readonly rows="{rows}">{escape(snippets[kind])}</textarea>'
            f'<button type="button" class="md-button" data-copy="kod-{tool.id}-{kind}" hidden>'
            f"Kopírovat</button></p>"
            for kind, label, rows in SNIPPET_FIELDS
        )
        blocks.append(
            f'<div class="mk-snippets__tool" data-tool="{escape(tool.id)}" '
            f'data-preview="{escape(tool.preview_href)}"{hidden}>{fields}</div>'
        )
    first = tools[0]
    preview = (
        '<div class="mk-snippets__preview">'
        "<p>Náhled: takto nástroj uvidí návštěvníci webu obce.</p>"
        f'<iframe src="{escape(first.preview_href)}" title="Náhled: {escape(first.title)}" '
        'loading="lazy"></iframe></div>'
    )
    return (
        '<div class="mk-snippets">'
        '<p><label for="mk-snippets-vyber">Nástroj</label> '
        f'<select id="mk-snippets-vyber">{options}</select></p>'
        f"{preview}{''.join(blocks)}</div>"
    )
