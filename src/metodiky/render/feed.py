"""The Atom feed of released versions (`/novinky.xml`), so municipalities and trainers can follow changes."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from ..model import KnowledgeBase
from ..releases import version_key

ATOM = "http://www.w3.org/2005/Atom"
FEED_FILE = "novinky.xml"
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
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "cs"})
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
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


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
