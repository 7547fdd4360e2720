"""What a page says about itself when it is shared or listed: a short plain-text description."""

from __future__ import annotations

import html
from html.parser import HTMLParser

# Link previews (Facebook, WhatsApp, Teams) and search engines show about this many characters.
DESCRIPTION_LIMIT = 200
# A paragraph inside these is an aside (a note, a tool, a table), not the page's opening.
_ASIDES = {"aside", "details", "div", "figure", "li", "nav", "section", "table", "blockquote"}


def page_description(page_html: str) -> str | None:
    """The page's first paragraph of running text as a short description, escaped for an attribute."""
    finder = _FirstParagraph()
    finder.feed(page_html)
    text = " ".join("".join(finder.text).split())
    return html.escape(shorten(text), quote=True) if text else None


def shorten(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """Text of at most `limit` characters, cut at a word with an ellipsis when it is longer."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


class _FirstParagraph(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self._asides = 0
        self._inside = False
        self._done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _ASIDES:
            self._asides += 1
        elif tag == "p" and not self._asides and not self._done:
            self._inside = True

    def handle_endtag(self, tag: str) -> None:
        if tag in _ASIDES:
            self._asides = max(0, self._asides - 1)
        elif tag == "p" and self._inside:
            self._inside = False
            self._done = bool("".join(self.text).strip())

    def handle_data(self, data: str) -> None:
        if self._inside and not self._done:
            self.text.append(data)
