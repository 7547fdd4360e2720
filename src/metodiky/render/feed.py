"""The Atom feed of released versions (`/novinky.xml`), so municipalities and trainers can follow changes.

Opened in a browser, the feed reads as a Czech page that says how to subscribe: a CSS stylesheet
and a few XHTML elements, which feed readers skip as foreign markup (RFC 4287, section 6). Not
XSLT: Chromium marks pages using it with an English warning that it is being removed.
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from ..model import KnowledgeBase
from ..releases import version_key
from ..typography import bind_single_letter_words, format_date

ATOM = "http://www.w3.org/2005/Atom"
XHTML = "http://www.w3.org/1999/xhtml"
FEED_FILE = "novinky.xml"
FEED_STYLESHEET = "assets/novinky.css"
FEED_TITLE = "Metodiky sociální práce – nové verze metodik"


def render_atom_feed(knowledge: KnowledgeBase, site_url: str) -> str:
    """One entry per released version of each methodology, newest first, with its changelog."""
    base = site_url.rstrip("/") + "/"
    releases = [
        (record, methodology)
        for methodology in knowledge.methodologies
        for record in methodology.releases
    ]
    releases.sort(key=lambda item: (item[0].date, version_key(item[0].version)), reverse=True)
    ET.register_namespace("", ATOM)
    ET.register_namespace("h", XHTML)
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "cs"})
    feed.append(_how_to_subscribe(base))
    _text(feed, "title", FEED_TITLE)
    _text(feed, "subtitle", "Vydané verze metodik znalostní báze a jejich změny.")
    _text(feed, "id", base + FEED_FILE)
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": base + FEED_FILE})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": base})
    newest = releases[0][0].date if releases else dt.date(2026, 1, 1)
    _text(feed, "updated", _timestamp(newest))
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "Metodiky sociální práce")
    for record, methodology in releases:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        title = f"{methodology.manifest.title}, verze {record.version}"
        url = f"{base}{methodology.slug}/{record.version}/"
        _text(entry, "title", title)
        _text(entry, "id", url)
        ET.SubElement(
            entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html", "href": url}
        )
        _text(entry, "updated", _timestamp(record.date))
        changes = next(
            (e.changes for e in methodology.manifest.changelog if e.version == record.version), []
        )
        summary = ET.SubElement(entry, f"{{{ATOM}}}summary", {"type": "text"})
        summary.text = " ".join(changes) or title
        released = f"Vydáno {format_date(record.date)}"
        _xhtml(entry, "p", released, {"class": "datum"})
        _xhtml(entry, "a", f"Otevřít verzi {record.version}", {"href": url})
    declaration, body = ET.tostring(feed, encoding="unicode", xml_declaration=True).split("\n", 1)
    stylesheet = f'<?xml-stylesheet type="text/css" href="{FEED_STYLESHEET}"?>'
    return f"{declaration}\n{stylesheet}\n{body}\n"


def _how_to_subscribe(base: str) -> ET.Element:
    """What a person who opens the feed in a browser reads first."""
    intro = ET.Element(f"{{{XHTML}}}div", {"class": "uvod"})
    _xhtml(intro, "p", "Metodiky sociální práce", {"class": "web"})
    _xhtml(intro, "h1", "Novinky: nové verze metodik")
    _xhtml(
        intro,
        "p",
        "Tato stránka je kanál novinek ve formátu Atom. Je určená čtečkám novinek, "
        "které vám nové verze metodik ohlásí samy, jakmile vyjdou.",
    )
    _xhtml(intro, "h2", "Jak odebírat")
    steps = _xhtml(intro, "ol", "")
    _xhtml(steps, "li", f"Zkopírujte adresu kanálu: {base}{FEED_FILE}")
    _xhtml(
        steps,
        "li",
        "Vložte ji do čtečky novinek (aplikace nebo webové služby pro RSS a Atom) "
        "nebo do poštovního programu, který kanály umí (například Thunderbird nebo Outlook), "
        "volbou „Přidat kanál“ nebo „Odebírat“.",
    )
    _xhtml(steps, "li", "Nové verze se pak objeví mezi zprávami ve čtečce.")
    _xhtml(intro, "p", "Obsah kanálu můžete převzít i do webu obce; stačí adresa výše.")
    back = _xhtml(intro, "p", "")
    _xhtml(back, "a", "Přejít na web Metodiky sociální práce", {"href": base})
    _xhtml(intro, "h2", "Vydané verze")
    return intro


def _xhtml(parent: ET.Element, name: str, text: str, attributes: dict | None = None) -> ET.Element:
    element = ET.SubElement(parent, f"{{{XHTML}}}{name}", attributes or {})
    element.text = bind_single_letter_words(text) if text else None
    return element


def _text(parent: ET.Element, name: str, value: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{name}").text = value


def _timestamp(date: dt.date) -> str:
    return f"{date.isoformat()}T00:00:00Z"


def render_robots_txt(site_url: str) -> str:
    """Everything may be indexed except the redirect pages; the sitemap names every page."""
    lines = ["User-agent: *", "Disallow: /odkaz/", "Allow: /"]
    if site_url:
        lines.append(f"Sitemap: {site_url.rstrip('/')}/sitemap.xml")
    return "\n".join(lines) + "\n"
