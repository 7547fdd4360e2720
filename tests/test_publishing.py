"""For municipalities and publishers: feed, robots, sitemap, Word downloads and embeddable tools."""

from __future__ import annotations

import html
import posixpath
import re
import struct
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pypandoc

ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"
ATOM_FEED_CHILDREN = ("title", "subtitle", "id", "link", "updated", "author", "entry")
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


def test_municipality_page_offers_ready_snippets(real_site: Path, knowledge) -> None:
    page = (real_site / "obce" / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(
        r'<div class="mk-snippets__tool" data-tool="([^"]+)"(.*?)</div>', page, re.S
    )
    assert len(blocks) == len([*knowledge.all_checklists(), *knowledge.all_trees()])
    for tool_id, block in blocks:
        snippets = {
            kind: html.unescape(text)
            for kind, text in re.findall(
                rf'<textarea id="kod-{tool_id}-([a-z-]+)"[^>]*>(.*?)</textarea>', block, re.S
            )
        }
        iframe = snippets["iframe"]
        assert f'src="{SITE_URL}vlozit/{tool_id}/"' in iframe
        assert 'e.origin !== "https://metodiky-socialni-prace.cz"' in iframe
        assert "metodikyVyska" in iframe
        # For CMSs that strip scripts: the same frame with a fixed height, and no script.
        fixed = snippets["iframe-bez-skriptu"]
        assert f'src="{SITE_URL}vlozit/{tool_id}/"' in fixed and "<script" not in fixed
        assert re.search(r"height:\d+px", fixed)
        # Links lead citizens to the tool in its methodology, never to the bare embed view.
        link = snippets["odkaz"]
        assert link.startswith(SITE_URL) and "/vlozit/" not in link, link
        target, anchor = link.removeprefix(SITE_URL).split("#")
        assert anchor == f"nastroj-{tool_id}"
        assert f'id="{anchor}"' in (real_site / target / "index.html").read_text(encoding="utf-8")
        assert snippets["odkaz-s-textem"].startswith(f'<a href="{link}">')


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
    assert 'type="application/atom+xml"' in page


def test_each_chapter_is_described_by_its_own_opening(real_site: Path, knowledge) -> None:
    # A shared chapter shows what it is about, not the methodology's summary shared by all.
    descriptions = {}
    for methodology in knowledge.methodologies:
        summary = _description(real_site / methodology.slug)
        assert summary.startswith(" ".join(methodology.manifest.summary.split())[:40])
        for chapter in methodology.chapters:
            described = _description(real_site / methodology.slug / chapter.stem)
            assert described != summary and len(described) <= 200, chapter.stem
            opening = re.sub(r"<[^>]+>", "", chapter.markdown.split("\n\n", 2)[1])
            assert described.startswith(" ".join(opening.split())[:30]), (described, opening)
            descriptions[chapter.stem] = described
    assert len(set(descriptions.values())) == len(descriptions)


def test_shared_links_show_a_card_image_and_the_home_page_as_the_site(real_site: Path) -> None:
    home = (real_site / "index.html").read_text(encoding="utf-8")
    assert '<meta property="og:title" content="Metodiky sociální práce">' in home
    image = f"{SITE_URL}assets/images/nahled.png"
    card = real_site / "assets" / "images" / "nahled.png"
    assert card.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", card.read_bytes()[16:24]) == (1200, 630)
    themed = [p for p in real_site.rglob("index.html") if "data-md-color-scheme" in p.read_text()]
    for page in themed:
        text = page.read_text(encoding="utf-8")
        assert f'<meta property="og:image" content="{image}">' in text, page
        assert '<meta name="twitter:card" content="summary_large_image">' in text, page


def test_footer_credits_in_czech_and_o_projektu_credits_the_tools(real_site: Path) -> None:
    themed = [p for p in real_site.rglob("index.html") if "data-md-color-scheme" in p.read_text()]
    for page in themed:
        footer = page.read_text(encoding="utf-8").split('<div class="md-copyright">', 1)[1]
        footer = footer.split("</footer>", 1)[0]
        assert "Made with" not in footer, page
        assert "O projektu" in footer and "Obsah CC BY 4.0" in footer, page
    about = (real_site / "o-projektu" / "index.html").read_text(encoding="utf-8")
    assert "Material for MkDocs" in about.split('<div class="md-copyright">', 1)[0]


def test_raw_yaml_sources_are_not_published(real_site: Path) -> None:
    assert (real_site / "nastroje" / "index.html").is_file()
    assert not sorted(real_site.rglob("*.yml")), "YAML sources are copied into the site"


def test_the_feed_reads_as_a_czech_page_and_stays_a_valid_feed(real_site: Path) -> None:
    text = (real_site / "novinky.xml").read_text(encoding="utf-8")
    assert '<?xml-stylesheet type="text/css" href="assets/novinky.css"?>' in text
    assert (real_site / "assets" / "novinky.css").is_file()
    feed = ET.fromstring(text.encode())
    # Feed readers see an Atom feed whose extra elements are all in another namespace.
    assert feed.tag == f"{ATOM}feed"
    assert {child.tag for child in feed} - {f"{ATOM}{n}" for n in ATOM_FEED_CHILDREN} == {
        f"{XHTML}div"
    }
    intro = "".join(feed.find(f"{XHTML}div").itertext())
    assert "Jak odebírat" in intro and f"{SITE_URL}novinky.xml" in intro


def _description(folder: Path) -> str:
    page = (folder / "index.html").read_text(encoding="utf-8")
    return html.unescape(re.search(r'<meta name="description" content="([^"]*)">', page).group(1))
