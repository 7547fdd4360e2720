"""Search in a real browser, shared by bench/run.py and bench/search.py.

Engine-agnostic on purpose: it types into Material's search field and reads Material's result
list (`.md-search-result__item`), counts what the network carries and times what the UI shows,
whatever index or engine sits behind the field.
"""

from __future__ import annotations

import gzip
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml
from playwright.sync_api import Browser, Request, Response, sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser.support import (  # noqa: E402
    CHROMIUM,
    GZIP_LEVEL,
    MISSING_CHROMIUM,
    ChromiumMissing,
    launch_chromium,
    serve_site,
)

QUERIES = yaml.safe_load((REPO / "bench" / "search_queries.yml").read_text(encoding="utf-8"))
PHONE = {"viewport": {"width": 360, "height": 640}, "is_mobile": True, "has_touch": True}
# A chapter every size of the synthetic project has, opened before searching.
START_PAGE = "kontaktni-prace/prvni-kontakt/"
# Two queries of the query set, so the second may need other index parts; typed as the text
# writes them, so that any engine (stock Material's too) finds something.
FIRST_QUERY, SECOND_QUERY = "kolizní opatrovník", "snižování škod"
# Words every page of the project uses: any engine has results once its index has loaded.
WARM_UP_QUERY = "kontaktní práce"

# Clears the field, then types the query and fires the keyup Material listens to. Resolves with
# the result links and the milliseconds from the keystroke until the result list last changed
# before it stayed still for SETTLE ms (an engine may render results in several steps), or null
# when nothing rendered within the timeout.
MEASURE_JS = """
async ([query, timeout]) => {
  const SETTLE = 150;
  const input = document.querySelector("input[data-md-component=search-query]");
  const list = document.querySelector(".md-search-result__list");
  input.value = "";
  input.dispatchEvent(new Event("input", {bubbles: true}));
  input.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true}));
  await new Promise(r => setTimeout(r, 60));
  let last = null;
  const settled = new Promise(resolve => {
    let quiet = null;
    const observer = new MutationObserver(() => {
      last = performance.now();
      clearTimeout(quiet);
      quiet = setTimeout(() => { observer.disconnect(); resolve(); }, SETTLE);
    });
    observer.observe(list, {childList: true, subtree: true});
    setTimeout(() => { observer.disconnect(); resolve(); }, timeout);
  });
  input.value = query;
  const start = performance.now();
  input.dispatchEvent(new Event("input", {bubbles: true}));
  input.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true}));
  await settled;
  const items = [...document.querySelectorAll(".md-search-result__item")].map(
    item => [...item.querySelectorAll("a")].map(a => a.getAttribute("href")));
  return {ms: last === null ? null : last - start, items};
}
"""
RESULT_LINKS = """() => [...document.querySelectorAll(".md-search-result__item a")]
  .map(a => a.getAttribute("href")).join(" ")"""


@dataclass
class Transfer:
    """Compressed bytes the first query and a second, different one made the browser fetch."""

    first_bytes: int
    first_requests: int
    second_bytes: int
    second_requests: int
    fetched: list[str]  # addresses the first query fetched, for a reader of the report


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium, headless; a clear message instead of a traceback when it is missing."""
    with sync_playwright() as playwright:
        try:
            browser = launch_chromium(playwright)
        except ChromiumMissing as missing:
            raise SystemExit(str(missing)) from None
        try:
            yield browser
        finally:
            browser.close()


def chromium_missing() -> str | None:
    """How to install Chromium when it is missing, checked before any long build starts."""
    return None if CHROMIUM.is_file() else MISSING_CHROMIUM


def compressed_size(body: bytes) -> int:
    """Bytes a static host sends for a body: gzip-compressed unless that would not make it
    smaller (files that are compressed already, such as Pagefind's, are sent as they are)."""
    return min(len(body), len(gzip.compress(body, compresslevel=GZIP_LEVEL)))


def page_of(href: str, base: str) -> str:
    """`http://…/male-obce/depistaz/?h=x#id` → `male-obce/depistaz/`."""
    return href.replace(base, "").split("#")[0].split("?")[0].removeprefix("../")


def search_transfer(site: Path, timeout: float) -> Transfer:
    """What searching costs a reader's phone on a first visit: a 360 px touch profile with an
    empty cache and the service worker blocked (its offline copy would otherwise fetch the
    index in the background) opens a chapter, waits until the page is quiet, opens the search,
    types a query and waits for results; every response from opening the search until the
    network is quiet again counts, compressed as a static host sends it. Then a second, different
    query: what it adds."""
    with serve_site(site) as base, chromium() as browser:
        context = browser.new_context(service_workers="block", **PHONE)
        context.set_default_timeout(timeout * 1000)
        network = _Network()
        context.on("request", network.started)
        context.on("requestfinished", network.finished)
        context.on("requestfailed", network.failed)
        context.on("response", network.received)
        page = context.new_page()
        page.goto(base + START_PAGE)
        network.wait_until_quiet(page, timeout)
        mark = len(network.responses)
        page.click("label[for=__search]")
        _type_query(page, FIRST_QUERY)
        page.wait_for_selector(".md-search-result__item")
        network.wait_until_quiet(page, timeout)
        first = network.responses[mark:]
        mark = len(network.responses)
        before = page.evaluate(RESULT_LINKS)
        _type_query(page, SECOND_QUERY)
        page.wait_for_function(
            f"() => ({RESULT_LINKS})() !== {before!r} && ({RESULT_LINKS})() !== ''"
        )
        network.wait_until_quiet(page, timeout)
        second = network.responses[mark:]
        transfer = Transfer(
            sum(map(_compressed_response, first)),
            len(first),
            sum(map(_compressed_response, second)),
            len(second),
            [response.url.removeprefix(base) for response in first],
        )
        context.close()
    return transfer


def run_queries(site: Path, timeout: float = 10.0, load_timeout: float = 60.0) -> list[dict]:
    """Every query of the query set typed into the search field of the served site; each result
    with the rank of the first expected page and the milliseconds until results rendered.

    A result counts only on an expected page itself: clones in a synthetic N× project live under
    `<slug>-kopie-N/`, so a clone's copy of the expected section is never a hit. `timeout` is
    per query, `load_timeout` for the search to answer its first query at all."""
    results = []
    with serve_site(site) as base, chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base)
        page.click("input[data-md-component=search-query]")
        # Until a query has results, the index is still loading; then the engine is warm too.
        deadline = time.monotonic() + load_timeout
        while not page.evaluate(MEASURE_JS, [WARM_UP_QUERY, timeout * 1000])["items"]:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no results for „{WARM_UP_QUERY}“: the search never loaded")
        for query in QUERIES:
            outcome = page.evaluate(MEASURE_JS, [query["query"], timeout * 1000])
            pages = [page_of(links[0], base) for links in outcome["items"] if links]
            expected = [target.split("#")[0] for target in query["expected"]]
            rank = next((i + 1 for i, found in enumerate(pages) if found in expected), None)
            results.append({**query, "rank": rank, "ms": outcome["ms"]})
    return results


def summarise(results: list[dict]) -> dict[str, float]:
    """hit@1, hit@3, MRR and the 95th percentile of the query time; a query whose results never
    rendered counts as a miss and is left out of the times (`timeouts` says how many)."""
    ranks = [r["rank"] for r in results]
    times = sorted(r["ms"] for r in results if r["ms"] is not None)
    return {
        "hit@1": sum(1 for r in ranks if r == 1) / len(ranks),
        "hit@3": sum(1 for r in ranks if r and r <= 3) / len(ranks),
        "MRR": sum(1 / r for r in ranks if r) / len(ranks),
        "p95 ms": statistics.quantiles(times, n=20)[-1] if len(times) > 1 else float("nan"),
        "timeouts": len(results) - len(times),
    }


def _type_query(page, query: str) -> None:  # noqa: ANN001
    field = page.locator(".md-search__input")
    field.fill(query)
    field.dispatch_event("keyup")


def _compressed_response(response: Response) -> int:
    try:
        body = response.body()
    except Exception:  # a redirect or an aborted request has no body of its own
        return 0
    return compressed_size(body)


class _Network:
    """Requests in flight in a browser context, pages and their workers alike."""

    def __init__(self) -> None:
        self.pending: set[Request] = set()
        self.responses: list[Response] = []

    def started(self, request: Request) -> None:
        self.pending.add(request)

    def finished(self, request: Request) -> None:
        self.pending.discard(request)

    failed = finished

    def received(self, response: Response) -> None:
        self.responses.append(response)

    def wait_until_quiet(self, page, timeout: float) -> None:  # noqa: ANN001
        """Like Playwright's "networkidle": nothing in flight for 3 polls in a row."""
        deadline = time.monotonic() + timeout
        quiet_polls = 0
        while quiet_polls < 3:
            if time.monotonic() > deadline:
                raise TimeoutError(f"network still busy after {timeout:.0f} s: {self.pending}")
            page.wait_for_timeout(100)
            quiet_polls = quiet_polls + 1 if not self.pending else 0
