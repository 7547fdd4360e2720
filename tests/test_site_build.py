"""The real site builds strictly, and every methodology page says what it is and which version."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import REPO
from metodiky.typography import format_date


def test_every_chapter_is_a_page_with_title_version_and_date(real_site: Path, knowledge) -> None:
    for methodology in knowledge.methodologies:
        manifest = methodology.manifest
        for chapter in methodology.chapters:
            page = real_site / methodology.slug / chapter.stem / "index.html"
            assert page.is_file(), f"missing page for {chapter.shown}"
            html = page.read_text(encoding="utf-8")
            assert f'id="{chapter.id}"' in html
            assert _text(chapter.title) in _text(html)
            facts = _facts_line(html)
            assert manifest.title in facts
            assert f"verze {manifest.version}" in facts
            assert _text(format_date(manifest.approved)) in facts


def test_home_page_has_three_doors_methodologies_and_handbook(real_site: Path, knowledge) -> None:
    html = (real_site / "index.html").read_text(encoding="utf-8")
    for door in ("zacinam/", "skolitele/", "obce/"):
        assert f'href="{door}"' in html
    for methodology in knowledge.methodologies:
        assert f'href="{methodology.slug}/"' in html
        assert methodology.manifest.version in html
    assert 'href="prirucka.pdf"' in html
    assert (real_site / "prirucka.pdf").stat().st_size > 10_000


def test_navigation_lists_the_three_methodologies(real_site: Path, knowledge) -> None:
    html = (real_site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('class="md-nav md-nav--primary"') :]
    titles = [m.manifest.short_title for m in knowledge.methodologies]
    assert len(titles) == 3
    for title in titles:
        assert _text(title) in _text(nav)


def test_site_loads_nothing_from_other_origins(real_site: Path) -> None:
    # A canonical or alternate <link> names an address; it loads nothing, so it is allowed.
    external = re.compile(
        r'<(?:script|img|iframe|source)\b[^>]*src="(?:https?:)?//'
        r'|<link\b(?![^>]*rel="(?:canonical|alternate)")[^>]*href="(?:https?:)?//',
        re.I,
    )
    for page in real_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not external.search(html), f"{page} loads a resource from another origin"
        assert "fonts.googleapis" not in html


def test_site_is_in_czech_and_states_licences(real_site: Path) -> None:
    html = (real_site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="cs"' in html
    assert "CC BY 4.0" in html and "MIT" in html


def test_readme_names_the_two_setup_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "\nmake\n" in readme
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


def _facts_line(html: str) -> str:
    match = re.search(r'<div class="mk-methodology-facts">(.*?)</div>', html, re.S)
    assert match, "page has no methodology facts line"
    return _text(match.group(1))


def _text(html: str) -> str:
    plain = re.sub(r"<[^>]+>", " ", html).replace("\u00a0", " ").replace("&nbsp;", " ")
    return re.sub(r"\s+", " ", plain).strip()


def test_every_checklist_and_tree_stands_where_its_macro_was(real_site: Path, knowledge) -> None:
    """Tools skip Markdown parsing and are put back after it: none may be lost or left behind."""
    pages = {page: page.read_text(encoding="utf-8") for page in real_site.rglob("*.html")}
    assert not [page for page, html in pages.items() if "data-mk-deferred" in html]
    html = pages[real_site / "kontaktni-prace" / "sit-sluzeb" / "index.html"]
    source = next(
        c for m in knowledge.methodologies for c in m.chapters if c.name == "sit-sluzeb.md"
    )
    used = re.findall(r'(?:checklist|decision_tree)\("([a-z0-9-]+)"\)', source.markdown)
    assert len(used) == 2, "the test needs a chapter that embeds two tools"
    for tool_id in used:
        assert len(re.findall(rf'<section class="mk-[a-z]+" id="nastroj-{tool_id}"', html)) == 1


def test_menu_of_a_chapter_lists_its_own_methodology_only(real_site: Path) -> None:
    """Pruned navigation: other methodologies are one link each, keeping every page light."""
    html = (real_site / "kontaktni-prace" / "uvod" / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('class="md-nav md-nav--primary"') : html.index("md-sidebar--secondary")]
    assert 'href="../sit-sluzeb/"' in nav
    assert 'href="../../cochemska-praxe/"' in nav
    assert "cochemska-praxe/postup/" not in nav
