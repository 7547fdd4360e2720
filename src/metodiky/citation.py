"""Citations in Czech style for a section of a precise version, with its permanent link."""

from __future__ import annotations

from html import escape

from .model import Manifest

PUBLISHER = "Metodiky sociální práce"


def format_citation(
    manifest: Manifest, version: str, year: int, number: str, section_title: str, url: str
) -> str:
    """AUTHORS. Title [online]. Verze X.Y. Publisher, year. Oddíl 3.2 Title. Dostupné z: URL"""
    authors = ", ".join(manifest.authors)
    part = (
        f"Oddíl {number} {section_title}" if "." in number else f"Kapitola {number} {section_title}"
    )
    return (
        f"{authors}. {manifest.title} [online]. Verze {version}. {PUBLISHER}, {year}. "
        f"{part}. Dostupné z: {url}"
    )


def render_cite_html(citation: str, number: str) -> str:
    """A „Citovat“ control: the citation text, the date of access added by the script, a copy button."""
    text = escape(citation)
    return (
        f'<details class="mk-cite"><summary>Citovat {"oddíl" if "." in number else "kapitolu"} {escape(number)}</summary>'
        f'<p class="mk-cite__text" data-citation="{text}">{text}</p>'
        '<p class="mk-cite__actions" hidden><button type="button" class="md-button" '
        'data-action="copy-citation">Kopírovat citaci</button> '
        '<span class="mk-cite__status" role="status"></span></p></details>'
    )
