"""Citations where a reader meets them: one „Citovat“ per page, a copy menu on each heading,
and a methodology header that reads as one line of facts."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

CHAPTER = "kontaktni-prace/prvni-kontakt/"
PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True}
CLIPBOARD = {"permissions": ["clipboard-read", "clipboard-write"]}
SECTION_CITATION = (
    "AUTORSKÝ TÝM ZNALOSTNÍ BÁZE METODIKY SOCIÁLNÍ PRÁCE. Metodika kontaktní práce [online]. "
    "Verze 1.1. B.m.: Metodiky sociální práce, 2026 [cit.\u00a0{today}]. Oddíl 4.2, Oslovení. "
    "Dostupné z:\u00a0https://metodiky-socialni-prace.cz/odkaz/kp-osloveni/1.1/"
)


def _today(page: Page) -> str:
    """Today as the page's script sees it (the browser's local date)."""
    return page.evaluate(
        "(() => { const d = new Date(); return d.getFullYear() + '-' +"
        " String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0'); })()"
    )


def test_a_chapter_on_a_phone_has_exactly_one_citovat_control(
    new_page: Callable[..., Page],
) -> None:
    page = new_page(CHAPTER, **PHONE)
    expect(page.get_by_text(re.compile(r"^\s*Citovat"))).to_have_count(1)
    expect(page.get_by_text("Citovat", exact=True)).to_be_visible()
    # Every section heading has its small menu instead, and no lone „#“ stands under the H1.
    sections = page.locator(".md-typeset h2[id], .md-typeset h3[id]")
    expect(page.locator(".mk-anchor__toggle")).to_have_count(sections.count())
    expect(page.locator("h1 .headerlink")).to_be_hidden()
    first = page.locator(".mk-anchor__toggle").first
    box = first.bounding_box()
    assert box and box["width"] >= 24 and box["height"] >= 24, box  # WCAG 2.5.8 target size


def test_copying_a_section_citation_from_the_heading_menu(new_page: Callable[..., Page]) -> None:
    page = new_page(CHAPTER, viewport={"width": 1366, "height": 900}, **CLIPBOARD)
    toggle = page.locator("#kp-osloveni .mk-anchor__toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    menu = page.locator("#kp-osloveni .mk-anchor__menu")
    expect(menu.get_by_role("button", name="Kopírovat citaci")).to_be_visible()
    menu.get_by_role("button", name="Kopírovat citaci").click()
    expect(menu.get_by_role("status")).to_have_text("Zkopírováno.")
    assert page.evaluate("navigator.clipboard.readText()") == SECTION_CITATION.format(
        today=_today(page)
    )
    menu.get_by_role("button", name="Kopírovat odkaz").click()
    assert (
        page.evaluate("navigator.clipboard.readText()")
        == "https://metodiky-socialni-prace.cz/odkaz/kp-osloveni/1.1/"
    )
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_be_focused()


def test_the_heading_menu_works_by_touch(new_page: Callable[..., Page]) -> None:
    page = new_page(CHAPTER, **PHONE, **CLIPBOARD)
    toggle = page.locator("#kp-osloveni .mk-anchor__toggle")
    toggle.tap()
    button = page.locator("#kp-osloveni").get_by_role("button", name="Kopírovat citaci")
    expect(button).to_be_in_viewport()
    page.locator("h1").tap()  # a tap elsewhere closes it
    expect(button).to_be_hidden()
    # However long the heading, its open menu stays on the screen.
    for toggle in page.locator(".mk-anchor__toggle").all():
        toggle.tap()
        menu = page.locator(".mk-anchor__menu:visible")
        box = menu.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, box
        toggle.tap()
        expect(menu).to_have_count(0)


def test_the_page_citation_shows_todays_date_and_offers_ris_and_bibtex(
    new_page: Callable[..., Page],
) -> None:
    page = new_page(CHAPTER, viewport={"width": 1366, "height": 900}, **CLIPBOARD)
    cite = page.locator(".mk-cite-page")
    cite.get_by_text("Citovat", exact=True).click()
    text = cite.locator(".mk-cite__text")
    expect(text).to_contain_text(f"2026 [cit.\u00a0{_today(page)}]. Kapitola 4, První kontakt")
    cite.get_by_role("button", name="Kopírovat citaci").click()
    assert page.evaluate("navigator.clipboard.readText()") == text.inner_text()
    with page.expect_download() as download:
        cite.get_by_role("link", name="RIS").click()
    saved = download.value.path().read_bytes().decode("utf-8")  # RIS lines end in CRLF
    assert f"Y2  - {_today(page)}\r\n" in saved and "RRRR" not in saved
    assert saved.startswith("TY  - CHAP\r\nTI  - Kapitola 4, První kontakt a budování důvěry")


def test_the_methodology_header_is_one_line_of_separated_facts(
    new_page: Callable[..., Page],
) -> None:
    page = new_page(CHAPTER, viewport={"width": 1366, "height": 900})
    facts = page.locator(".mk-methodology-facts .mk-fact")
    texts = [re.sub(r"\s+", " ", t).strip() for t in facts.all_inner_texts()]
    assert texts[:5] == [
        "Metodika kontaktní práce·",
        "verze 1.1·",
        "platná verze·",
        "schváleno 30. 11. 2026·",
        "poslední revize 30. 11. 2026·",
    ], texts
    lines = facts.evaluate_all(
        "(all) => all.slice(0, 5).map(e => [...e.getClientRects()].map(r => Math.round(r.top)))"
    )
    assert all(len(rects) == 1 for rects in lines), f"a fact breaks across lines: {lines}"
    assert len({rects[0] for rects in lines}) == 1, f"the facts wrap onto several lines: {lines}"
    links = page.locator(".mk-page-links")
    expect(links.get_by_role("link", name="Co se změnilo")).to_be_visible()
    # Plain links, not admonition boxes: no border, no icon before „Jiné verze“.
    versions = page.locator(".mk-versions > summary")
    assert versions.evaluate("e => getComputedStyle(e, '::before').display") == "none"
    assert page.locator(".mk-versions").evaluate("e => getComputedStyle(e).borderTopWidth") == "0px"


def test_print_hides_the_citation_controls(new_page: Callable[..., Page]) -> None:
    page = new_page(CHAPTER, viewport={"width": 1366, "height": 900})
    page.locator(".mk-cite-page > summary").click()
    page.emulate_media(media="print")
    expect(page.locator(".mk-cite-page")).to_be_hidden()
    expect(page.locator(".mk-anchor").first).to_be_hidden()
    expect(page.locator(".mk-versions")).to_be_hidden()
    expect(page.locator(".mk-methodology-facts .mk-fact").first).to_be_visible()
