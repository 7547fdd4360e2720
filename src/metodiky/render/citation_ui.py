"""Where citations appear on the site: the page's „Citovat“ facts and each heading's copy menu.

The text comes from `metodiky.citation`; nothing here formats a citation. Everything a reader
sees carries the class `CITE_UI_CLASS`, which print hides, and nothing of it reaches the search
index: the page's citation lives in the page template (not in the indexed content) and section
citations are attribute values, which the search plugin never indexes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

from ..citation import Citation

CITE_UI_CLASS = "mk-cite-ui"
RIS_FILE = "citace.ris"
BIBTEX_FILE = "citace.bib"

# Python-Markdown's toc extension ends each heading with `<a class="headerlink" href="#id" …>`.
_HEADERLINK = re.compile(r'<a class="headerlink" href="#([^"]+)"')


def add_section_citations(html: str, citations: Mapping[str, Citation]) -> str:
    """Give each section heading's permalink its citation; the script turns it into a menu with
    „Kopírovat odkaz“ and „Kopírovat citaci“."""

    def attach(match: re.Match[str]) -> str:
        citation = citations.get(match.group(1))
        if citation is None:
            return match.group(0)
        text, url = escape(citation.text, quote=True), escape(citation.record["URL"], quote=True)
        return f'{match.group(0)} data-citation="{text}" data-permalink="{url}"'

    return _HEADERLINK.sub(attach, html)


def page_citation_facts(citation: Citation) -> dict[str, str]:
    """What the page template shows under „Citovat“: the citation and its reference-manager files."""
    return {
        "text": citation.text,
        "html": citation.html,
        "ris": RIS_FILE,
        "bibtex": BIBTEX_FILE,
        "css_class": CITE_UI_CLASS,
    }


def render_citation_example(citation: Citation) -> str:
    """A citation shown in running text („Jak citovat“, „Pro školitele“), kept out of search."""
    return (
        f'<blockquote class="mk-cite-example" data-search-exclude>'
        f"<p>{citation.html}</p></blockquote>"
    )
