"""Printing: a chapter shows only its content, and "Vytisknout" on a checklist or a tree prints that
tool alone, with empty boxes or with the ticks made in this browser."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from .conftest import site_page_with
from .support import OPEN_ALL_DETAILS

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


# The review's example: "Vytisknout" on this list gave the whole chapter, 7 A4 pages.
FIELD_CHECKLIST = "kp-prvni-kontakt"
# What the site's controls and citation helpers say; none of it belongs on paper.
SCREEN_ONLY_TEXT = ["Citovat", "Kopírovat", "Jiné verze", "Vytisknout", "Vymazat", "Začít znovu"]
STUB_PRINT = "() => { window.__printed = 0; window.print = () => { window.__printed += 1; }; }"


def test_vytisknout_prints_the_checklist_alone_on_at_most_two_pages(
    new_page: Callable[..., Page], real_site: Path
) -> None:
    page = new_page(site_page_with(real_site, f'data-checklist="{FIELD_CHECKLIST}"'))
    checklist = page.locator(f"#nastroj-{FIELD_CHECKLIST}")
    chapter_text = _words(page.locator("article > p:not([class])").first.inner_text())
    page.evaluate(STUB_PRINT)
    checklist.get_by_role("button", name="Vytisknout prázdný").click()
    assert page.evaluate("window.__printed") == 1
    pages = PdfReader(io.BytesIO(page.pdf(format="A4"))).pages
    text = _words(" ".join(p.extract_text() for p in pages))
    assert len(pages) <= 2, f"{len(pages)} A4 pages"
    for label in checklist.locator(".mk-checklist__items label").all_inner_texts()[:3]:
        assert _words(label) in text
    assert _words(checklist.locator(".mk-tool__title").inner_text()) in text
    assert chapter_text not in text
    # The sheet says where it comes from: the methodology and its version, the page's public
    # address (not the local server's) and the licence a trainer handing it out must keep.
    assert "Vytištěno z:" in text and "metodiky-socialni-prace.cz" in text
    assert _words("Metodika kontaktní práce, verze") in text and "CC BY 4.0" in text
    assert not [word for word in SCREEN_ONLY_TEXT if word in text]


def test_filled_print_shows_the_ticks_and_blank_print_empty_boxes(
    new_page: Callable[..., Page], real_site: Path
) -> None:
    page = new_page(
        site_page_with(real_site, f'data-checklist="{FIELD_CHECKLIST}"'), device_scale_factor=2
    )
    checklist = page.locator(f"#nastroj-{FIELD_CHECKLIST}")
    boxes = checklist.locator("input[type=checkbox]")
    boxes.nth(0).check()
    page.evaluate(STUB_PRINT)
    checklist.get_by_role("button", name="Vytisknout vyplněný").click()
    page.emulate_media(media="print")
    ticked, empty = _ink(boxes.nth(0)), _ink(boxes.nth(1))
    assert ticked > 1.3 * empty, (
        f"a ticked box prints like an empty one ({ticked} vs {empty} dark pixels)"
    )
    assert _mark(boxes.nth(0)) == '"✓"' and _mark(boxes.nth(1)) == "none"
    page.emulate_media(media="screen")
    checklist.get_by_role("button", name="Vytisknout prázdný").click()
    page.emulate_media(media="print")
    ticked, empty = _ink(boxes.nth(0)), _ink(boxes.nth(1))
    assert abs(ticked - empty) <= empty // 10, f"blank print shows a tick ({ticked} vs {empty})"
    assert _mark(boxes.nth(0)) == "none"
    expect(boxes.nth(0)).to_be_checked()  # printing blank keeps the ticks on screen


def test_vytisknout_on_a_tree_prints_every_step_of_it_alone(
    new_page: Callable[..., Page], real_site: Path
) -> None:
    page = new_page(site_page_with(real_site, 'class="mk-tree"'))
    tree = page.locator(".mk-tree").first
    page.evaluate(STUB_PRINT)
    tree.get_by_role("button", name="Vytisknout strom").click()
    page.emulate_media(media="print")
    expect(page.locator("h1")).to_be_hidden()
    steps = tree.locator(".mk-tree__steps > li")
    for index in range(steps.count()):
        expect(steps.nth(index)).to_be_visible()
    expect(tree.locator(".mk-tree__controls")).to_be_hidden()
    expect(tree.locator(".mk-tree__diagram")).to_be_hidden()


def test_printed_chapter_has_no_citation_version_or_button_text(
    new_page: Callable[..., Page], real_site: Path
) -> None:
    page = new_page(site_page_with(real_site, f'data-checklist="{FIELD_CHECKLIST}"'))
    # Ctrl+P: Material opens every <details> first, which is what once printed every citation.
    page.evaluate(OPEN_ALL_DETAILS)
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = _words(" ".join(p.extract_text() for p in pdf.pages))
    assert _words(page.locator("h1").inner_text().removesuffix("#")) in text
    assert _words(page.locator(".mk-checklist__items label").first.inner_text()) in text
    found = [word for word in SCREEN_ONLY_TEXT if word in text]
    assert not found, f"the printed chapter shows {found}"


def _mark(box: Locator) -> str:
    return box.evaluate("b => getComputedStyle(b, '::after').content")


def _ink(box: Locator) -> int:
    """Dark pixels of a checkbox as printed: a tick adds many to the square's outline."""
    image = Image.open(io.BytesIO(box.screenshot())).convert("L")
    return image.point(lambda value: 255 if value < 128 else 0).histogram()[255]


def _words(text: str) -> str:
    return " ".join(text.split())
