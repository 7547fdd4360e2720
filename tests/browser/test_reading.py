"""Details a reader notices: the page title is the strongest heading, tables are readable and
keyboard-scrollable on a phone, and the news feed opens as a Czech page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True}
HEADINGS = """() => {
  const style = (el) => getComputedStyle(el);
  const rgba = (colour) => { const [r, g, b, a = 1] = colour.match(/[\\d.]+/g).map(Number); return [r, g, b, a]; };
  const channel = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  const probe = document.createElement("div");
  probe.style.background = "var(--md-default-bg-color)";
  document.querySelector(".md-typeset").appendChild(probe);
  const back = rgba(style(probe).backgroundColor);
  probe.remove();
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const contrast = (el) => {
    const fg = rgba(style(el).color);
    const text = luminance(fg.slice(0, 3).map((c, i) => c * fg[3] + back[i] * (1 - fg[3])));
    const ground = luminance(back);
    return (Math.max(text, ground) + 0.05) / (Math.min(text, ground) + 0.05);
  };
  const measure = (el) => ({
    weight: Number(style(el).fontWeight), size: parseFloat(style(el).fontSize), contrast: contrast(el),
  });
  return {
    h1: measure(document.querySelector(".md-typeset h1")),
    h2: measure(document.querySelector(".md-typeset h2")),
  };
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1280])
def test_the_page_title_is_the_strongest_heading(
    scheme: str, width: int, new_page: Callable[..., Page]
) -> None:
    page = new_page(
        "kontaktni-prace/uvod/", color_scheme=scheme, viewport={"width": width, "height": 800}
    )
    headings = page.evaluate(HEADINGS)
    h1, h2 = headings["h1"], headings["h2"]
    assert h1["weight"] >= 700 and h1["weight"] >= h2["weight"], headings
    assert h1["size"] > h2["size"], headings
    assert h1["contrast"] >= 7 and h1["contrast"] >= h2["contrast"] - 0.01, headings


def test_a_wide_table_reads_row_by_row_on_a_phone(new_page: Callable[..., Page]) -> None:
    page = new_page("skolitele/", **PHONE)
    table = page.locator(".md-typeset table").first
    cell = table.locator("tbody td").nth(1)
    expect(cell).to_be_visible()
    # Each cell shows its column's name above it and takes the whole width, nothing scrolls.
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    header = table.locator("thead th").nth(1).inner_text()
    assert label == f'"{header}"', (label, header)
    assert cell.bounding_box()["width"] > 250
    wrap = page.locator(".md-typeset__scrollwrap").first
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth + 1")
    # Screen readers still hear a table with its column headers.
    assert page.get_by_role("table").count() >= 1
    assert page.get_by_role("columnheader", name=header).count() >= 1


def test_a_table_that_scrolls_sideways_can_be_scrolled_by_keyboard(
    new_page: Callable[..., Page],
) -> None:
    page = new_page("obce/", **PHONE)
    wrap = page.locator(".md-typeset__scrollwrap").first
    expect(wrap).not_to_have_attribute("tabindex", "0")  # it fits: no extra tab stop
    # A cell too wide for the phone (a long address, say) makes the table scroll.
    wrap.locator("td").first.evaluate("td => { td.textContent = 'x'.repeat(120); }")
    expect(wrap).to_have_attribute("tabindex", "0")
    expect(wrap).to_have_attribute("role", "region")
    wrap.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.md-typeset__scrollwrap').scrollLeft > 0")


def test_the_feed_opens_as_a_czech_page_on_how_to_subscribe(
    new_page: Callable[..., Page], real_site: Path
) -> None:
    page = new_page("novinky.xml", **PHONE)
    # An XML document: Playwright's role queries do not see into it, CSS selectors do.
    expect(page.locator("h1")).to_have_text("Novinky: nové verze metodik")
    expect(page.locator("h2", has_text="Jak odebírat")).to_be_visible()
    expect(page.locator("li", has_text="Zkopírujte adresu kanálu")).to_be_visible()
    expect(page.get_by_text("This XML file")).to_have_count(0)
    assert page.locator("pre").count() == 0, "the feed is shown as raw text"
    releases = page.locator("a", has_text="Otevřít verzi")
    expect(releases.first).to_be_visible()
    assert releases.count() == len(list(real_site.glob("*/[0-9]*.[0-9]*/index.html")))
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
