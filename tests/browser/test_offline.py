"""Offline after the first visit: pages (visited or not), search, permanent links and opened PDFs
come from the service worker's cache, anything else gets a Czech offline page; the site can be
added to a phone's home screen."""

from __future__ import annotations

import gzip
import json
import re
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from metodiky.offline import write_offline_files
from metodiky.search_index import read_search_records

from .conftest import site_page_with
from .support import GZIP_LEVEL, format_kb, serve_site

SITE_NAME = "Metodiky sociální práce"
OFFLINE_HEADING = "Jste bez připojení"
# What installing the offline copy may cost a reader on mobile data (gzip, as a server sends it).
FIRST_VISIT_BUDGET = 2000 * 1024
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
    records = read_search_records(real_site)
    searchable = {site_url + record["page_location"].removeprefix("./") for record in records}
    assert site_url in searchable and len(searchable) > 10
    assert not searchable - cached, f"not available offline: {sorted(searchable - cached)}"
    # The search engine, every index chunk and every page's shown file: offline search is whole.
    search_files = {
        site_url + path.relative_to(real_site).as_posix()
        for folder in ("index", "texty")
        for path in (real_site / "pagefind" / folder).iterdir()
    }
    assert site_url + "pagefind/pagefind.js" in cached
    assert site_url + "pagefind/poradi.json" in cached  # without it no query is answered
    assert site_url + "pagefind/caste.json" in cached  # nor without this one
    filters = {
        site_url + path.relative_to(real_site).as_posix()
        for path in (real_site / "pagefind" / "filter").iterdir()
    }
    assert filters and not filters - cached  # a large site's common words are searched by it
    assert not search_files - cached
    # Pagefind's own page records are never read by our search: not downloaded in advance.
    assert not [url for url in cached if "/pagefind/fragment/" in url]


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


def test_a_permalink_opens_offline_after_one_visit(
    online_then_offline: tuple[BrowserContext, Page], real_site: Path, site_url: str
) -> None:
    context, page = online_then_offline
    section, target = _permalink_to_a_section(real_site)
    context.set_offline(True)
    page.goto(f"{site_url}odkaz/{section}/")
    assert page.url == site_url + target
    expect(page.locator(f"#{section}")).to_be_in_viewport()


def test_a_qr_code_link_to_the_current_release_opens_offline(
    online_then_offline: tuple[BrowserContext, Page], real_site: Path, site_url: str
) -> None:
    # The printed handbook's QR codes open /odkaz/<chapter>/<version>/. The archive copy of the
    # newest release is not stored, but when the current text is that release, the current
    # chapter (stored) is the same text.
    context, page = online_then_offline
    chapter, version, current = _qr_link_with_a_stored_twin(real_site)
    context.set_offline(True)
    page.goto(f"{site_url}odkaz/{chapter}/{version}/")
    assert page.url.split("#")[0] == site_url + current
    expect(page.locator("h1").first).to_be_visible()
    expect(page.locator("h1").first).not_to_contain_text(OFFLINE_HEADING)


def test_a_page_not_stored_shows_the_czech_offline_page(
    online_then_offline: tuple[BrowserContext, Page], real_site: Path, site_url: str
) -> None:
    context, page = online_then_offline
    archived = next(
        path
        for path in sorted(real_site.glob("*/[0-9]*.[0-9]*/*/index.html"))
        if "data-md-color-scheme" in path.read_text(encoding="utf-8")
    )
    address = site_url + archived.parent.relative_to(real_site).as_posix() + "/"
    embed = (
        site_url + sorted(real_site.glob("vlozit/*/"))[0].relative_to(real_site).as_posix() + "/"
    )
    context.set_offline(True)
    for unstored in (address, embed):
        page.goto(unstored)
        expect(page.locator("h1")).to_contain_text(OFFLINE_HEADING)
        assert page.url == unstored, "the reader's address is kept, so a reload works online"
        expect(page.locator("html")).to_have_attribute("lang", "cs")
    # Its links lead to what is stored, and they work offline.
    page.get_by_role("link", name="Začínám", exact=True).last.click()
    assert page.url == site_url + "zacinam/"
    expect(page.locator("h1").first).not_to_contain_text(OFFLINE_HEADING)


def test_the_first_visit_stores_the_whole_site_within_budget(
    online_then_offline: tuple[BrowserContext, Page], real_site: Path, site_url: str
) -> None:
    # What the offline copy costs on top of the page itself, as gzip-compressed bytes on the wire.
    _, page = online_then_offline
    cached = [url.removeprefix(site_url) for url in page.evaluate(CACHED_URLS)]
    files = [
        real_site / (url + "index.html" if url.endswith("/") or not url else url) for url in cached
    ]
    total = sum(len(gzip.compress(path.read_bytes(), GZIP_LEVEL)) for path in files)
    assert "bez-pripojeni/" in cached and "pagefind/pagefind.js" in cached
    assert total <= FIRST_VISIT_BUDGET, f"the offline copy costs {format_kb(total)}"


def _permalink_to_a_section(site: Path) -> tuple[str, str]:
    """A current permalink that lands on a section inside a chapter: (id, target address)."""
    for stub in sorted((site / "odkaz").glob("*/index.html")):
        target = re.search(r'url=([^"]+)"', stub.read_text(encoding="utf-8")).group(1)
        if "#" in target:
            return stub.parent.name, target.removeprefix("../../")
    raise AssertionError("no permalink to a section")


def _qr_link_with_a_stored_twin(site: Path) -> tuple[str, str, str]:
    """A chapter permalink of a release whose text is the current one: (id, version, current page)."""
    for stub in sorted((site / "odkaz").glob("*/*/index.html")):
        chapter, version = stub.parent.parent.name, stub.parent.name
        archived = re.search(r'url=([^"]+)"', stub.read_text(encoding="utf-8")).group(1)
        current = re.search(
            r'url=([^"]+)"', (stub.parent.parent / "index.html").read_text(encoding="utf-8")
        ).group(1)
        archived, current = archived.removeprefix("../../../"), current.removeprefix("../../")
        twin = "#" not in current and archived.replace(f"/{version}/", "/", 1) == current
        if twin and _same_text(site / archived, site / current):
            return chapter, version, current
    raise AssertionError("no released chapter equals its current text")


def _same_text(archived: Path, current: Path) -> bool:
    def article(page: Path) -> str:
        html = (page / "index.html").read_text(encoding="utf-8")
        text = re.sub(r"<[^>]+>", " ", html.split("<article", 1)[1].split("</article>", 1)[0])
        return " ".join(text.split())

    return article(archived) == article(current)


@pytest.fixture(scope="module")
def large_site(
    real_site: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, str]]:
    """The real site with the offline copy of a site with more methodologies than a first visit
    stores whole (the limit set to none): common pages precached, methodologies on demand."""
    site = tmp_path_factory.mktemp("large") / "site"
    shutil.copytree(real_site, site)
    _write_offline_copy_of_a_large_site(site, real_site)
    with serve_site(site) as url:
        yield site, url


def _write_offline_copy_of_a_large_site(site: Path, real_site: Path) -> None:
    searchable = {record["page_location"] for record in read_search_records(real_site)}
    slugs = ["kontaktni-prace", "cochemska-praxe", "male-obce"]
    write_offline_files(site, SITE_NAME, None, searchable, slugs, whole=0)


def test_a_large_site_stores_a_methodology_when_a_reader_opens_one_of_its_pages(
    browser: Browser, large_site: tuple[Path, str], real_site: Path
) -> None:
    site, large_site_url = large_site
    context = browser.new_context(service_workers="allow")
    page = context.new_page()
    page.goto(large_site_url)
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=60_000)
    cached = {url.removeprefix(large_site_url) for url in page.evaluate(CACHED_URLS)}
    assert {"zacinam/", "slovnik/", "nastroje/bezpecnost/", "bez-pripojeni/"} <= cached
    assert not [url for url in cached if url.startswith(("kontaktni-prace/", "male-obce/"))]

    page.goto(large_site_url + "kontaktni-prace/uvod/")
    # The rest of the methodology follows in the background; the other ones stay on the server.
    page.wait_for_function(
        """async () => {
          const names = (await caches.keys()).filter(name => name.startsWith("metodiky-web-"));
          const urls = (await (await caches.open(names[0])).keys()).map(r => r.url);
          return urls.some(url => url.includes("__ulozeno__/kontaktni-prace/"));
        }""",
        timeout=60_000,
    )
    cached = {url.removeprefix(large_site_url) for url in page.evaluate(CACHED_URLS)}
    methodology = {url for url in cached if url.startswith("kontaktni-prace/")}
    assert {"kontaktni-prace/", "kontaktni-prace/prvni-kontakt/"} <= methodology
    assert len(methodology) >= 10
    assert not [url for url in cached if url.startswith("male-obce/")]

    context.set_offline(True)
    page.goto(large_site_url + "kontaktni-prace/prvni-kontakt/")
    expect(page.locator("h1").first).not_to_contain_text(OFFLINE_HEADING)
    page.goto(large_site_url + "male-obce/")
    expect(page.locator("h1")).to_contain_text(OFFLINE_HEADING)

    # The site is updated: the new worker stores the methodology again, with the new text.
    context.set_offline(False)
    changed = site / "kontaktni-prace" / "prvni-kontakt" / "index.html"
    changed.write_text(
        changed.read_text(encoding="utf-8").replace("</h1>", " (upraveno)</h1>", 1),
        encoding="utf-8",
    )
    _write_offline_copy_of_a_large_site(site, real_site)
    page.goto(large_site_url)
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    page.wait_for_function(
        """async () => {
          const names = (await caches.keys()).filter(name => name.startsWith("metodiky-web-"));
          if (names.length !== 1) { return false; }
          const cache = await caches.open(names[0]);
          const page = await cache.match(location.href + "kontaktni-prace/prvni-kontakt/");
          return page !== undefined && (await page.text()).includes("(upraveno)");
        }""",
        timeout=60_000,
    )
    context.close()
