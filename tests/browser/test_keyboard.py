"""Keyboard alone: the checklist, the decision-tree stepper and search work with Tab, Enter and Space,
and the focused element always shows it has focus."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import site_page_with

FOCUS_RING = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && !style.outlineColor.endsWith(", 0)") &&
    (style.outlineStyle === "auto" || parseFloat(style.outlineWidth) >= 2);
  return {
    visible: outline || style.boxShadow !== "none",
    element: element.outerHTML.slice(0, 120),
    style: [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow].join(" "),
  };
}"""


def test_checklist_by_keyboard(new_page: Callable[..., Page], real_site: Path) -> None:
    page = new_page(site_page_with(real_site, 'class="mk-checklist"'))
    skip_to_content(page)
    box_id = tab_to(page, ".mk-checklist input[type=checkbox]").get_attribute("id")
    box = page.locator(f"[id='{box_id}']")
    assert_focus_visible(page)
    page.keyboard.press("Space")
    expect(box).to_be_checked()
    tab_to(page, ".mk-checklist [data-action=clear]")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(box).not_to_be_checked()
    # The focus waits on "Zpět", which brings the tick back.
    expect(page.locator(":focus")).to_have_text("Zpět")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(box).to_be_checked()


def test_decision_tree_by_keyboard(new_page: Callable[..., Page], real_site: Path) -> None:
    page = new_page(site_page_with(real_site, 'class="mk-tree"'))
    skip_to_content(page)
    current = page.locator(".mk-tree").first.locator(".mk-tree__steps > li.mk-tree__current")
    trail = [current.get_attribute("data-node")]
    while "mk-tree__outcome" not in (current.get_attribute("class") or ""):
        assert len(trail) < 30, f"no outcome after {trail}"
        answer = tab_to(page, ".mk-tree__current a[data-next]")
        assert_focus_visible(page)
        following = answer.get_attribute("data-next")
        page.keyboard.press("Enter")
        expect(current).to_have_attribute("data-node", following)
        # The new step takes the focus, so the next Tab reaches its answers.
        expect(page.locator(":focus")).to_have_attribute("data-node", following)
        assert_focus_visible(page)
        assert_ring_clear_of_step_number(page)
        trail.append(following)
    tab_to(page, ".mk-tree [data-action=back]", backwards=True)
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(current).to_have_attribute("data-node", trail[-2])


def test_search_by_keyboard(new_page: Callable[..., Page]) -> None:
    page = new_page("")
    tab_to(page, "input[name=query]")
    assert_focus_visible(page)
    page.keyboard.type("rodina")
    first = page.locator(".md-search-result__item a").first
    expect(first).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.locator(":focus")).to_have_class(re.compile("md-search-result__link"))
    assert_focus_visible(page)
    target = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url(target.split("#")[0] + "**")


def skip_to_content(page: Page) -> None:
    """The first Tab reaches Material's skip link; Enter moves on to the page's content."""
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_class(re.compile("md-skip"))
    page.keyboard.press("Enter")


def tab_to(page: Page, selector: str, backwards: bool = False, limit: int = 400):  # noqa: ANN201
    """Press Tab (or Shift+Tab) until an element matching the selector has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        page.keyboard.press(key)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return page.locator(":focus")
    raise AssertionError(f"{selector} not reached with {key} in {limit} presses")


def assert_ring_clear_of_step_number(page: Page) -> None:
    """The focused step's number lies inside the step, so the ring drawn round it never crosses it."""
    found = page.evaluate(STEP_NUMBER_INSIDE)
    assert found["inside"], f"step number outside the focused step: {found}"


STEP_NUMBER_INSIDE = """() => {
  const step = document.activeElement, number = step.querySelector('.mk-tree__stepno');
  const outer = step.getBoundingClientRect(), inner = number.getBoundingClientRect();
  const style = getComputedStyle(step);
  return {
    inside: inner.left >= outer.left && inner.right <= outer.right && inner.top >= outer.top &&
      inner.bottom <= outer.bottom && style.listStyleType === 'none' &&
      parseFloat(style.outlineOffset) >= 0,
    step: [outer.left, outer.top, outer.right, outer.bottom], number: [inner.left, inner.top],
    marker: style.listStyleType, offset: style.outlineOffset,
  };
}"""


def assert_focus_visible(page: Page) -> None:
    """The focused element shows a focus ring: an outline of 2 px or the browser's own, or a shadow."""
    ring = page.evaluate(FOCUS_RING)
    assert ring["visible"], f"no visible focus on {ring['element']}: {ring['style']}"
