"""Browser fixtures: the real site built once, served locally, one headless Chromium for the session,
and one pass over every page whose findings several tests share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect, sync_playwright

from .support import (
    OPEN_ALL_DETAILS,
    ChromiumMissing,
    FirstVisits,
    Visit,
    add_axe,
    collect_axe,
    discover_pages,
    launch_chromium,
    serve_site,
    start_axe,
)

PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True}
# axe-core runs on every page in each: tables scroll sideways only at phone width, colours
# differ by scheme.
AXE_PROFILES = ("desktop-light", "desktop-dark", "phone-light", "phone-dark")
MEASURE_PHONE_PAGE = (Path(__file__).parent / "measure_phone_page.js").read_text(encoding="utf-8")
# The menu slides in; without transitions it can be measured as soon as it is open.
NO_TRANSITIONS = (
    "addEventListener('DOMContentLoaded', () => document.head.insertAdjacentHTML('beforeend',"
    " '<style>*, *::before, *::after { transition: none !important; }</style>'))"
)


@dataclass
class SiteAudit:
    """Per page: the first visit, axe-core's findings on a desktop and on a 360 px phone, each in
    light and dark scheme, and the phone measurements."""

    visits: dict[str, Visit] = field(default_factory=dict)
    axe: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: {profile: {} for profile in AXE_PROFILES}
    )
    phone: dict[str, dict] = field(default_factory=dict)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for the whole session; a missing browser is a failure, never a skip."""
    with sync_playwright() as playwright:
        try:
            chromium = launch_chromium(playwright)
        except ChromiumMissing as missing:
            pytest.fail(str(missing), pytrace=False)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def site_url(real_site: Path) -> Iterator[str]:
    """The real site, served from 127.0.0.1 on a free port."""
    with serve_site(real_site) as url:
        yield url


@pytest.fixture(scope="session")
def site_pages(real_site: Path) -> list[str]:
    """Every page of the built site (each index.html but the permanent-link redirects), not a sample."""
    pages = discover_pages(real_site)
    assert "" in pages and len(pages) > 10, pages
    return pages


@pytest.fixture(scope="session")
def site_audit(browser: Browser, site_url: str, site_pages: list[str]) -> SiteAudit:
    """Every page in four profiles, one browser context each, reused from page to page: a first
    visit on a desktop in light scheme, the same desktop in dark scheme, and a 360×640 touch
    phone in light (where the layout is also measured) and in dark scheme. axe-core runs in all
    four; each run is started before the next profile loads, so the runs overlap."""
    audit = SiteAudit()
    light = FirstVisits(browser, site_url, color_scheme="light")
    dark = browser.new_context(service_workers="block", color_scheme="dark")
    phone = browser.new_context(service_workers="block", color_scheme="light", **PHONE)
    phone_dark = browser.new_context(service_workers="block", color_scheme="dark", **PHONE)
    for context in (light.context, dark, phone, phone_dark):
        add_axe(context)
    phone.add_init_script(NO_TRANSITIONS)
    dark_page, phone_page, phone_dark_page = (c.new_page() for c in (dark, phone, phone_dark))
    try:
        for path in site_pages:
            audit.visits[path] = light.visit(path)
            light.page.evaluate(OPEN_ALL_DETAILS)
            start_axe(light.page)
            dark_page.goto(site_url + path)
            _expect_scheme(dark_page, "slate", path)
            dark_page.evaluate(OPEN_ALL_DETAILS)
            start_axe(dark_page)
            phone_page.goto(site_url + path)
            audit.phone[path] = phone_page.evaluate(MEASURE_PHONE_PAGE)
            phone_page.evaluate(OPEN_ALL_DETAILS)
            start_axe(phone_page)
            phone_dark_page.goto(site_url + path)
            _expect_scheme(phone_dark_page, "slate", path)
            phone_dark_page.evaluate(OPEN_ALL_DETAILS)
            start_axe(phone_dark_page)
            for profile, page in zip(
                AXE_PROFILES, (light.page, dark_page, phone_page, phone_dark_page), strict=True
            ):
                audit.axe[profile][path] = collect_axe(page)
    finally:
        light.close()
        for context in (dark, phone, phone_dark):
            context.close()
    return audit


@pytest.fixture
def new_page(browser: Browser, site_url: str) -> Iterator[Callable[..., Page]]:
    """Opens a page in a fresh profile that fails the test on any request to another host."""
    contexts: list[BrowserContext] = []
    foreign: list[str] = []

    def open_page(path: str = "", **options) -> Page:
        context = browser.new_context(**{"service_workers": "block", **options})
        context.route("**/*", lambda route: _local_only(route, site_url, foreign))
        contexts.append(context)
        page = context.new_page()
        page.goto(site_url + path)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not foreign, f"requests to other hosts: {foreign}"


def site_page_with(site: Path, marker: str) -> str:
    """The shallowest page of the site's theme whose HTML contains a marker (a checklist, a tree)."""
    found = [
        path
        for path in discover_pages(site)
        if marker in (html := (site / path / "index.html").read_text(encoding="utf-8"))
        and "data-md-color-scheme" in html
    ]
    assert found, f"no page of the site contains {marker!r}"
    return min(found, key=lambda path: (path.count("/"), path))


def walk_to_outcome(tree: Locator, last_answer: bool = False) -> list[str]:
    """Click the first answer of each step (or the last, usually „no, go on“, for a longer walk)
    until an outcome; return the nodes passed."""
    current = tree.locator(".mk-tree__steps > li.mk-tree__current")
    trail = [current.get_attribute("data-node")]
    while "mk-tree__outcome" not in (current.get_attribute("class") or ""):
        assert len(trail) < 30, f"no outcome after {trail}"
        answers = current.locator("a[data-next]")
        answer = answers.last if last_answer else answers.first
        following = answer.get_attribute("data-next")
        answer.click()
        expect(current).to_have_attribute("data-node", following)
        trail.append(following)
    return trail


def _expect_scheme(page: Page, scheme: str, path: str) -> None:
    # Material follows the reader's system setting; make sure the emulation reached it.
    # Embedded views (for municipal web sites) have no Material theme and no scheme to check.
    actual = page.evaluate("document.body.dataset.mdColorScheme || null")
    assert actual in (scheme, None), f"/{path}: Material shows {actual!r}, expected {scheme!r}"


def _local_only(route, site_url: str, foreign: list[str]) -> None:  # noqa: ANN001
    if route.request.url.startswith((site_url, "data:", "blob:")):
        route.continue_()
    else:
        foreign.append(route.request.url)
        route.abort("blockedbyclient")
