"""Every page on a 360×640 phone: no sideways scrolling, tap targets of 24 px, text readable without zoom;
decision trees a thumb can use and a diagram that fits."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import PHONE, SiteAudit, site_page_with
from .support import discover_pages


def test_no_page_scrolls_sideways(site_audit: SiteAudit) -> None:
    wide = {
        path: found["overflow"] for path, found in site_audit.phone.items() if found["overflow"]
    }
    assert not wide, wide


def test_tap_targets_are_at_least_24_px(site_audit: SiteAudit) -> None:
    # Links inside sentences are exempt (WCAG 2.5.8 inline exception); the menu is measured open.
    small = [f"/{path}: {t}" for path, found in site_audit.phone.items() for t in found["targets"]]
    assert not small, f"{len(small)} undersized tap target(s):\n" + "\n".join(small)


def test_text_is_at_least_the_body_size(site_audit: SiteAudit) -> None:
    # 16 px is Material's body size on phones; code samples and diagram labels are not body text.
    small = [f"/{path}: {t}" for path, found in site_audit.phone.items() for t in found["text"]]
    assert not small, f"{len(small)} piece(s) of small text:\n" + "\n".join(small)


# Overlap of two boxes {x, y, width, height}, in CSS pixels.
def _overlap(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


LABEL_BOXES = """d => [...d.querySelectorAll('.mk-tree-diagram__answer')].map(t => {
  const r = t.getBoundingClientRect();
  return {text: t.textContent, x: r.x, y: r.y, width: r.width, height: r.height};
})"""


def tree_views(site: Path) -> list[str]:
    """The embeddable view of every decision tree: one tree per page, each tree once."""
    return [
        path
        for path in discover_pages(site)
        if path.startswith("vlozit/")
        and 'class="mk-tree"' in (site / path / "index.html").read_text(encoding="utf-8")
    ]


def test_tree_diagram_answers_never_overlap_on_a_desktop(
    new_page: Callable[..., Page], real_site: Path
) -> None:
    views = tree_views(real_site)
    assert len(views) >= 10, views
    page = new_page(views[0], viewport={"width": 1366, "height": 900})
    clashes = []
    for path in views:
        page.goto(page.url.split("/vlozit/")[0] + "/" + path)
        diagram = page.locator(".mk-tree__diagram")
        diagram.locator("summary").click()
        expect(diagram.locator("svg")).to_be_visible()
        labels = diagram.evaluate(LABEL_BOXES)
        assert len(labels) >= 2 and all(label["width"] > 0 for label in labels), path
        clashes += [
            f"/{path}: „{a['text']}“ × „{b['text']}“"
            for i, a in enumerate(labels)
            for b in labels[i + 1 :]
            if _overlap(a, b)
        ]
    assert not clashes, "\n".join(clashes)


@pytest.mark.parametrize("view", ["chapter", "embed"])
def test_whole_tree_on_a_phone_is_a_list_that_fits(
    view: str, new_page: Callable[..., Page], real_site: Path
) -> None:
    path = (
        tree_views(real_site)[0]
        if view == "embed"
        else site_page_with(real_site, 'class="mk-tree"')
    )
    page = new_page(path, **PHONE)
    tree = page.locator(".mk-tree").first
    diagram = tree.locator(".mk-tree__diagram")
    diagram.locator("summary").click()
    outline = diagram.locator(".mk-tree__outline")
    expect(outline).to_be_visible()
    expect(diagram.locator("svg")).to_be_hidden()
    # Every step of the tree is in the list, with its answers and where they lead.
    expect(outline.locator(":scope > li")).to_have_count(
        tree.locator(".mk-tree__steps > li").count()
    )
    expect(outline.locator("ul > li").first).to_contain_text("→ krok")
    sizes = diagram.evaluate(
        "d => [d.scrollWidth, d.clientWidth, document.documentElement.scrollWidth]"
    )
    assert sizes[0] <= sizes[1] and sizes[2] <= 360, sizes


def test_tree_answers_look_like_buttons(new_page: Callable[..., Page], real_site: Path) -> None:
    page = new_page(site_page_with(real_site, 'class="mk-tree"'), **PHONE)
    answers = page.locator(".mk-tree").first.locator(".mk-tree__current a[data-next]")
    assert answers.count() >= 2
    for index in range(answers.count()):
        look = answers.nth(index).evaluate(BUTTON_LOOK)
        assert abs(look["dx"]) <= 2 and abs(look["dy"]) <= 2, f"text not centred: {look}"
        assert look["height"] >= 44 and look["width"] >= 44, look
        assert look["border"][0] == "solid" and float(look["border"][1].removesuffix("px")) >= 1, (
            look
        )
        assert look["background"] != "rgba(0, 0, 0, 0)", look


# Where an answer's text sits in its box, and what makes the box look pressable.
BUTTON_LOOK = """a => {
  const range = document.createRange();
  range.selectNodeContents(a);
  const text = range.getBoundingClientRect(), box = a.getBoundingClientRect(), style = getComputedStyle(a);
  return {
    dx: (text.left + text.right - box.left - box.right) / 2,
    dy: (text.top + text.bottom - box.top - box.bottom) / 2,
    height: box.height, width: box.width,
    border: [style.borderTopStyle, style.borderTopWidth], background: style.backgroundColor,
  };
}"""
