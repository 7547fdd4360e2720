"""Printing a checklist page: only the content, with every item and its box to tick by hand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import site_page_with

SITE_CHROME = [".md-header", ".md-sidebar--primary", ".md-sidebar--secondary", ".md-footer"]


def test_printed_checklist_page_shows_every_item_with_its_box(
    new_page: Callable[..., Page], real_site: Path
) -> None:
    page = new_page(site_page_with(real_site, 'class="mk-checklist"'))
    page.emulate_media(media="print")
    for chrome in SITE_CHROME:
        expect(page.locator(chrome)).to_be_hidden()
    expect(page.locator(".mk-tool__actions").first).to_be_hidden()
    items = page.locator(".mk-checklist__items > li")
    assert items.count() > 3
    for index in range(items.count()):
        box = items.nth(index).locator("input[type=checkbox]")
        expect(box).to_be_visible()
        expect(items.nth(index).locator("label")).to_be_visible()
        style = box.evaluate(
            "b => [getComputedStyle(b).borderTopStyle, getComputedStyle(b).borderTopWidth]"
        )
        assert style[0] == "solid" and float(style[1].removesuffix("px")) >= 1, style
