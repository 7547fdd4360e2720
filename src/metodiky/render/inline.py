"""Safe inline Markdown for YAML text: bold, italics and links; any HTML is shown as text."""

from __future__ import annotations

import html
import re

import markdown

_SAFE_HREF = re.compile(r"^(https?://|mailto:|#|\.{0,2}/|[a-z0-9-]+(\.md|/)?(#[\w-]*)?$)", re.I)
_HREF = re.compile(r'href="([^"]*)"')
_converter = markdown.Markdown(extensions=[], output_format="html")


def render_inline(text: str) -> str:
    """Render one YAML text field to HTML: Markdown emphasis and links, everything else escaped."""
    _converter.reset()
    rendered = _converter.convert(html.escape(text, quote=False)).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    return _HREF.sub(_safe_href, rendered)


def _safe_href(match: re.Match[str]) -> str:
    href = html.unescape(match.group(1))
    return match.group(0) if _SAFE_HREF.match(href) else 'href="#"'
