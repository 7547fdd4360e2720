"""For municipalities and publishers: feed, robots, sitemap, Word downloads and embeddable tools."""

from __future__ import annotations

import html
import posixpath
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pypandoc

ATOM = "{http://www.w3.org/2005/Atom}"
SITE_URL = "https://metodiky-socialni-prace.cz/"


def test_feed_has_one_entry_per_released_version(real_site: Path, knowledge) -> None:
    feed = ET.parse(real_site / "novinky.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    releases = [(m, r) for m in knowledge.methodologies for r in m.releases]
    assert len(entries) == len(releases) >= 3
    for methodology, record in releases:
        url = f"{SITE_URL}{methodology.slug}/{record.version}/"
        entry = next(e for e in entries if e.find(f"{ATOM}id").text == url)
        assert f"verze {record.version}" in entry.find(f"{ATOM}title").text
        assert entry.find(f"{ATOM}updated").text.startswith(record.date.isoformat())
        changes = next(
            c.changes for c in methodology.manifest.changelog if c.version == record.version
        )
        assert entry.find(f"{ATOM}summary").text == " ".join(changes)
        assert (real_site / methodology.slug / record.version / "index.html").is_file()


def test_robots_and_sitemap_guide_search_engines(real_site: Path) -> None:
    robots = (real_site / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {SITE_URL}sitemap.xml" in robots
    assert "Disallow: /odkaz/" in robots
    sitemap = (real_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<lastmod>" in sitemap and f"<loc>{SITE_URL}kontaktni-prace/uvod/</loc>" in sitemap


def test_every_checklist_has_a_word_form_with_boxes(real_site: Path, knowledge) -> None:
    for checklist in knowledge.all_checklists():
        # Read back as Word shows it: the boxes are list markers, not characters in the text;
        # the title is the document's own (standalone output shows it).
        shown = pypandoc.convert_file(
            str(real_site / "docx" / f"{checklist.id}.docx"), "plain", extra_args=["--standalone"]
        ).replace("\u00a0", " ")
        assert " ".join(checklist.title.split()) in " ".join(shown.split())
        assert shown.count("☐") == sum(len(section.items) for section in checklist.sections)


def test_every_released_methodology_is_a_word_document(real_site: Path, knowledge) -> None:
    for methodology in knowledge.methodologies:
        for version, edition in methodology.editions.items():
            document = _docx_text(real_site / f"{methodology.slug}-{version}.docx")
            assert 'w:val="cs-CZ"' in document
            for chapter in edition.chapters:
                assert html.escape(chapter.title, quote=False) in document, chapter.title


def test_every_tool_has_an_embeddable_view(real_site: Path, knowledge) -> None:
    tools = [*knowledge.all_checklists(), *knowledge.all_trees()]
    for tool in tools:
        page = real_site / "vlozit" / tool.id / "index.html"
        text = page.read_text(encoding="utf-8")
        assert f'id="nastroj-{tool.id}"' in text
        assert "md-header" not in text and "md-sidebar" not in text  # no site chrome
        source = re.search(r'<p class="mk-embed__source">(.*?)</p>', text, re.S).group(1)
        if tool.id.startswith("sn-"):
            assert "Společné nástroje" in source
        else:
            assert re.search(r"Metodika .*, verze \d+\.\d+", source)
        back = re.search(
            r'href="([^"]+)" target="_blank" rel="noopener">Otevřít v metodice', source
        ).group(1)
        target = posixpath.normpath(posixpath.join(f"vlozit/{tool.id}/", back.split("#")[0]))
        assert (real_site / target / "index.html").is_file(), back
        assert not re.search(r'(src|href)="(https?:)?//', text.replace(f'href="{SITE_URL}', ""))
        assert "vlozit.js" in text


def test_municipality_page_offers_ready_snippets(real_site: Path) -> None:
    page = (real_site / "obce" / "index.html").read_text(encoding="utf-8")
    snippets = [
        html.unescape(s) for s in re.findall(r"<textarea[^>]*>(.*?)</textarea>", page, re.S)
    ]
    iframe = next(s for s in snippets if s.startswith("<iframe"))
    assert re.search(rf'src="{SITE_URL}vlozit/[a-z0-9-]+/"', iframe)
    assert (
        'e.origin !== "https://metodiky-socialni-prace.cz"' in iframe and "metodikyVyska" in iframe
    )
    assert any(re.fullmatch(rf"{SITE_URL}vlozit/[a-z0-9-]+/", s) for s in snippets)


def _docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        text = archive.read("word/document.xml").decode("utf-8") + archive.read(
            "word/styles.xml"
        ).decode("utf-8")
    return text.replace("\u00a0", " ")


def test_pages_have_czech_link_previews_and_canonical_urls(real_site: Path, knowledge) -> None:
    page = (real_site / "kontaktni-prace" / "uvod" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{SITE_URL}kontaktni-prace/uvod/">' in page
    assert f'<meta property="og:url" content="{SITE_URL}kontaktni-prace/uvod/">' in page
    assert '<meta property="og:locale" content="cs_CZ">' in page
    title = re.search(r'<meta property="og:title" content="([^"]+)">', page).group(1)
    version = knowledge.methodology("kontaktni-prace").manifest.version
    assert title.endswith(f"Metodika kontaktní práce, verze {version}")
    description = re.search(r'<meta name="description" content="([^"]+)">', page).group(1)
    assert html.unescape(description).startswith(
        knowledge.methodologies[0].manifest.summary.split()[0]
    )
    assert 'type="application/atom+xml"' in page
