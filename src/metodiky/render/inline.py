"""Safe inline Markdown for YAML text: bold, italics and links; any HTML is shown as text."""

from __future__ import annotations

import functools
import html
import re

import markdown

_SAFE_HREF = re.compile(r"^(https?://|mailto:|#|\.{0,2}/|[a-z0-9-]+(\.md|/)?(#[\w-]*)?$)", re.I)
_HREF = re.compile(r'href="([^"]*)"')
_CODE = re.compile(r"(<code>)(.*?)(</code>)", re.S)
_LEADING_HASH = re.compile(r"^([ \t]*)#", re.M)
_converter = markdown.Markdown(extensions=[], output_format="html")
# Images would load files from anywhere, even other sites; in YAML text they stay plain links.
for _pattern in ("image_link", "image_reference", "short_image_ref"):
    _converter.inlinePatterns.deregister(_pattern)
# YAML text is inline: a line starting "- ", "1. ", "> " or "#" must not open a list, quote or
# heading (a heading inside a checklist item or a tree step would break the page outline).
for _block in ("indent", "code", "hashheader", "setextheader", "hr", "olist", "ulist", "quote"):
    _converter.parser.blockprocessors.deregister(_block)


# A tool appears on its page, in its embed and in every archived version: convert each text once.
@functools.lru_cache(maxsize=1 << 14)
def render_inline(text: str) -> str:
    """Render one YAML text field to HTML: Markdown emphasis and links, everything else escaped."""
    _converter.reset()
    rendered = _converter.convert(html.escape(text, quote=False)).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        rendered = rendered[3:-4]
    # Code spans escape the already escaped text once more; undo that one extra level.
    rendered = _CODE.sub(
        lambda m: m.group(1) + m.group(2).replace("&amp;", "&") + m.group(3), rendered
    )
    return _HREF.sub(_safe_href, rendered)


def _safe_href(match: re.Match[str]) -> str:
    href = html.unescape(match.group(1))
    return match.group(0) if _SAFE_HREF.match(href) else 'href="#"'


_MARKDOWN_SPECIAL = str.maketrans({"[": "\\[", "]": "\\]", "{": "\\{", "}": "\\}", "`": "\\`"})


def plain_markdown(text: str) -> str:
    """YAML text placed into generated Markdown as text: no HTML, links, code or attributes."""
    escaped = html.escape(" ".join(text.split()), quote=False).translate(_MARKDOWN_SPECIAL)
    return _LEADING_HASH.sub(r"\1\\#", escaped)


def plain_html(text: str) -> str:
    """YAML text placed into a template or an attribute: every markup character escaped."""
    return html.escape(text, quote=True)
