"""Offline after the first visit: pages (visited or not), search and opened PDFs come from the
service worker's cache; the site can be added to a phone's home screen."""

from __future__ import annotations

import json
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .conftest import site_page_with

SITE_NAME = "Metodiky sociální práce"
CACHED_URLS = """async () => {
  const names = (await caches.keys()).filter(name => name.startsWith("metodiky-web-"));
  const cache = await caches.open(names[0]);
  return (await cache.keys()).map(request => request.url);
}"""
DROP_FROM_CACHE = """async url => {
  const names = (await caches.keys()).filter(name => name.startsWith("metodiky-web-"));
  return (await caches.open(names[0])).delete(url);
}"""


@pytest.fixture
def online_then_offline(browser: Browser, site_url: str) -> Iterator[tuple[BrowserContext, Page]]:
    """A reader's first visit of the home page, with the service worker installed and in control."""
    context = browser.new_context(service_workers="allow")
    page = context.new_page()
    page.goto(site_url)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
    yield context, page
    context.close()


def test_every_page_search_finds_is_cached_on_the_first_visit(
    online_then_offline: tuple[BrowserContext, Page], real_site: Path, site_url: str
) -> None:
    # Offline search must not lead to a page that is not there.
    _, page = online_then_offline
    cached = set(page.evaluate(CACHED_URLS))
    index = json.loads((real_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    searchable = {site_url + doc["location"].split("#")[0] for doc in index["docs"]}
    assert site_url in searchable and len(searchable) > 10
    assert not searchable - cached, f"not available offline: {sorted(searchable - cached)}"
    assert site_url + "search/search_index.json" in cached


def test_a_page_visited_online_is_kept_for_offline(
    online_then_offline: tuple[BrowserContext, Page], real_site: Path, site_url: str
) -> None:
    # Archived versions and embedded views are not in the first download; a visit keeps them.
    context, page = online_then_offline
    path = site_page_with(real_site, 'class="mk-checklist"')
    page.evaluate(DROP_FROM_CACHE, site_url + path)
    assert site_url + path not in page.evaluate(CACHED_URLS)
    page.goto(site_url + path)
    context.set_offline(True)
    page.goto(site_url)
    page.goto(site_url + path)
    expect(page.locator(".mk-checklist").first).to_be_visible()


def test_pages_and_search_work_offline(
    online_then_offline: tuple[BrowserContext, Page], real_site: Path, site_url: str
) -> None:
    context, page = online_then_offline
    unvisited = site_page_with(real_site, 'class="mk-tree"')
    context.set_offline(True)
    page.goto(site_url)
    expect(page.locator("h1")).to_be_visible()
    page.goto(site_url + unvisited)
    expect(page.locator(".mk-tree").first).to_be_visible()
    page.locator("input[name=query]").focus()
    page.keyboard.type("rodina")
    expect(page.locator(".md-search-result__item").first).to_be_visible()


def test_a_pdf_opened_once_can_be_opened_offline(
    online_then_offline: tuple[BrowserContext, Page], real_site: Path
) -> None:
    context, page = online_then_offline
    pdf = sorted(real_site.glob("*.pdf"))[0].name
    fetch = "url => fetch(url).then(async r => [r.status, (await r.arrayBuffer()).byteLength])"
    assert page.evaluate(fetch, pdf) == [200, (real_site / pdf).stat().st_size]
    context.set_offline(True)
    assert page.evaluate(fetch, pdf) == [200, (real_site / pdf).stat().st_size]


def test_site_can_be_added_to_the_home_screen(
    online_then_offline: tuple[BrowserContext, Page], real_site: Path, site_url: str
) -> None:
    context, page = online_then_offline
    href = page.evaluate("document.querySelector('link[rel=manifest]').href")
    manifest = json.loads((real_site / href.removeprefix(site_url)).read_text(encoding="utf-8"))
    assert manifest["name"] == SITE_NAME and manifest["lang"] == "cs"
    assert manifest["short_name"] and manifest["theme_color"].startswith("#")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        if icon["type"] == "image/png":
            assert _png_size(real_site / icon["src"]) == icon["sizes"]
    # Chromium's own verdict: manifest, icons and an offline-capable service worker.
    session = context.new_cdp_session(page)
    errors = session.send("Page.getInstallabilityErrors")["installabilityErrors"]
    assert [error["errorId"] for error in errors if error["errorId"] != "in-incognito"] == []


def test_every_page_of_the_site_links_the_manifest(real_site: Path) -> None:
    # Embedded views (for municipal web sites) live inside other sites and have no manifest.
    themed = [
        page
        for page in real_site.rglob("index.html")
        if "data-md-color-scheme" in page.read_text(encoding="utf-8")
    ]
    missing = [
        str(page.relative_to(real_site))
        for page in themed
        if 'rel="manifest"' not in page.read_text(encoding="utf-8")
    ]
    assert themed and not missing, missing


def _png_size(path: Path) -> str:
    width, height = struct.unpack(">II", path.read_bytes()[16:24])
    return f"{width}x{height}"
