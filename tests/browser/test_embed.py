"""A tool embedded in a municipality's page: the frame fits the content as the reader steps
forward and back, the steps stay out of the host page's history, and the chooser on „Pro obce“
offers the municipal tools first with a live preview."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Frame, Page, expect

from .conftest import walk_to_outcome
from .support import serve_site

PUBLISHED_ORIGIN = "https://metodiky-socialni-prace.cz"
TREE = "mo-clovek-v-nouzi-v-obci"
FEATURED_GROUP = "Doporučené pro obce"
CONTENT_HEIGHT = """() => {
  const style = getComputedStyle(document.body);
  return document.body.getBoundingClientRect().height
    + parseFloat(style.marginTop) + parseFloat(style.marginBottom);
}"""


@pytest.fixture
def municipal_page(
    browser: Browser, real_site: Path, site_url: str, tmp_path: Path
) -> Iterator[tuple[Page, Frame]]:
    """A town's page on another origin (another port) with the snippet copied from „Pro obce“."""
    snippet = _snippet(real_site, TREE, "iframe").replace(PUBLISHED_ORIGIN + "/", site_url)
    snippet = snippet.replace(PUBLISHED_ORIGIN, site_url.rstrip("/"))
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="cs"><title>Obec Horní Dolní</title>'
        f"<h1>Obec Horní Dolní</h1><p>Sociální poradenství.</p>{snippet}<p>Konec stránky.</p>",
        encoding="utf-8",
    )
    context = browser.new_context(service_workers="block", viewport={"width": 360, "height": 740})
    with serve_site(tmp_path) as town:
        page = context.new_page()
        page.goto(town)
        frame = page.frame_locator("iframe").locator(".mk-tree--stepper")
        expect(frame).to_be_visible()
        yield page, page.frames[1]
    context.close()


def test_the_embedded_tree_grows_and_shrinks_with_its_steps(
    municipal_page: tuple[Page, Frame],
) -> None:
    page, frame = municipal_page
    start = _fitted_height(page, frame)
    tree = page.frame_locator("iframe").locator(".mk-tree").first
    walk_to_outcome(tree, last_answer=True)
    deepest = _fitted_height(page, frame)
    assert deepest > start + 50, (start, deepest)
    tree.get_by_role("button", name="Zpět").first.click()
    back = _fitted_height(page, frame)
    assert back < deepest, f"the frame stayed {deepest} px after a step back"
    tree.get_by_role("button", name="Začít znovu").first.click()
    assert abs(_fitted_height(page, frame) - start) <= 2


def test_steps_in_the_embed_do_not_fill_the_host_pages_history(
    municipal_page: tuple[Page, Frame],
) -> None:
    page, _ = municipal_page
    before = page.evaluate("history.length")
    tree = page.frame_locator("iframe").locator(".mk-tree").first
    trail = walk_to_outcome(tree, last_answer=True)
    assert len(trail) >= 3
    tree.get_by_role("button", name="Zpět").first.click()
    tree.locator(".mk-tree__path a").first.click()
    assert page.evaluate("history.length") == before


def test_chooser_offers_municipal_tools_first_grouped_by_methodology(
    new_page, real_site: Path
) -> None:
    page = new_page("obce/")
    chooser = page.get_by_label("Nástroj", exact=True)
    groups = chooser.locator("optgroup")
    expect(groups.first).to_have_attribute("label", FEATURED_GROUP)
    labels = [groups.nth(i).get_attribute("label") for i in range(groups.count())]
    assert len(labels) >= 4 and len(set(labels)) == len(labels), labels
    featured = [" ".join(t.split()) for t in groups.first.locator("option").all_inner_texts()]
    assert "Obec se dozví o člověku v nouzi" in featured[0], featured
    assert any("Krizová reakce v malé obci" in title for title in featured), featured
    # Every tool is offered exactly once.
    values = chooser.locator("option").evaluate_all("options => options.map(o => o.value)")
    assert len(values) == len(set(values)) == len(list(real_site.glob("vlozit/*/index.html")))


def test_chooser_shows_a_live_preview_of_the_chosen_tool(new_page) -> None:
    page = new_page("obce/")
    before = page.evaluate("history.length")
    chooser = page.get_by_label("Nástroj", exact=True)
    preview = page.frame_locator(".mk-snippets__preview iframe")
    chooser.scroll_into_view_if_needed()
    expect(preview.locator(".mk-tool__title").first).to_contain_text(
        "Obec se dozví o člověku v nouzi"
    )
    chooser.select_option("mo-krizova-reakce-obce")
    expect(preview.locator(".mk-tool__title").first).to_contain_text("Krizová reakce v malé obci")
    expect(page.locator(".mk-snippets__preview iframe")).to_have_attribute(
        "title", re.compile(r"Krizová reakce v\smalé obci")
    )
    snippet = page.locator(".mk-snippets__tool:visible textarea").first
    expect(snippet).to_have_value(re.compile("vlozit/mo-krizova-reakce-obce/"))
    assert page.evaluate("history.length") == before


def _fitted_height(page: Page, frame: Frame) -> float:
    """Wait until the host's iframe is as tall as the tool's content; return that height."""
    page.wait_for_timeout(50)
    content = frame.evaluate(CONTENT_HEIGHT)
    page.wait_for_function(
        "h => Math.abs(document.querySelector('iframe').getBoundingClientRect().height - h) <= 1",
        arg=max(content, 420),
    )
    return page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")


def _snippet(site: Path, tool_id: str, kind: str) -> str:
    page = (site / "obce" / "index.html").read_text(encoding="utf-8")
    found = re.search(rf'id="kod-{tool_id}-{kind}"[^>]*>(.*?)</textarea>', page, re.S)
    assert found, f"„Pro obce“ has no {kind} snippet for {tool_id}"
    return html.unescape(found.group(1))
