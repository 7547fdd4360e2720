"""Embeddable views of checklists and trees (`/vlozit/<id>/`) and the snippets municipalities paste."""

from __future__ import annotations

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


def embed_snippets(url: str, title: str, site_origin: str) -> dict[str, str]:
    """The three ways to put a tool on a municipal website: iframe, plain link, link with text."""
    frame_id = "metodiky-" + url.rstrip("/").rsplit("/", 1)[-1]
    iframe = (
        f'<iframe id="{frame_id}" src="{url}" title="{escape(title)}" '
        'style="width:100%;min-height:420px;border:0" loading="lazy"></iframe>\n'
        "<script>\n"
        'window.addEventListener("message", function (e) {\n'
        f'  if (e.origin !== "{site_origin}" || !e.data || !e.data.metodikyVyska) return;\n'
        f'  var f = document.getElementById("{frame_id}");\n'
        '  if (f && e.source === f.contentWindow) f.style.height = e.data.metodikyVyska + "px";\n'
        "});\n"
        "</script>"
    )
    return {
        "iframe": iframe,
        "odkaz": url,
        "odkaz-s-textem": f'<a href="{url}">{escape(title)} – Metodiky sociální práce</a>',
    }


def render_snippet_generator(tools: list[tuple[str, str, str]], site_origin: str) -> str:
    """A chooser of tools with ready snippets and copy buttons (works without script: first tool)."""
    options = "".join(
        f'<option value="{escape(tool_id)}">{escape(title)}</option>' for tool_id, title, _ in tools
    )
    blocks = []
    for tool_id, title, url in tools:
        snippets = embed_snippets(url, title, site_origin)
        hidden = "" if tool_id == tools[0][0] else " hidden"
        fields = "".join(
            f'<p><label for="kod-{tool_id}-{kind}">{label}</label>'
            f'<textarea id="kod-{tool_id}-{kind}" readonly rows="{rows}">{escape(snippets[kind])}</textarea>'
            f'<button type="button" class="md-button" data-copy="kod-{tool_id}-{kind}" hidden>'
            f"Kopírovat</button></p>"
            for kind, label, rows in (
                ("iframe", "Vložení do stránky (iframe)", 9),
                ("odkaz", "Prostý odkaz", 1),
                ("odkaz-s-textem", "Odkaz s textem", 2),
            )
        )
        blocks.append(
            f'<div class="mk-snippets__tool" data-tool="{escape(tool_id)}"{hidden}>{fields}</div>'
        )
    return (
        '<div class="mk-snippets">'
        '<p><label for="mk-snippets-vyber">Nástroj</label> '
        f'<select id="mk-snippets-vyber">{options}</select></p>'
        f"{''.join(blocks)}</div>"
    )
