"""Shared by the browser tests and bench/page_weight.py: serve a built site, start Chromium, visit pages."""

from __future__ import annotations

import functools
import gzip
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Request, Response, Route

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING_CHROMIUM = (
    f"Testy v prohlížeči potřebují Chromium ({CHROMIUM}): "
    "sudo apt-get install chromium (make test jej jako root nainstaluje sám)."
)
# The level most static hosts and CDNs use for on-the-fly compression.
GZIP_LEVEL = 6
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Collapsed content (admonitions, the tree diagrams, version lists) is opened so it is checked too.
OPEN_ALL_DETAILS = "document.querySelectorAll('details').forEach(d => { d.open = true; })"


class ChromiumMissing(RuntimeError):
    """Debian's Chromium is not installed; the message says how to install it."""


@dataclass
class Resource:
    url: str
    kind: str
    size: int
    compressed: int


@dataclass
class Visit:
    """What a first visit of one page loaded, and what it should not have done."""

    path: str
    resources: list[Resource] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    cookies: list[str] = field(default_factory=list)
    render_blocking_foreign: list[str] = field(default_factory=list)

    @property
    def compressed_total(self) -> int:
        return sum(resource.compressed for resource in self.resources)

    def compressed_by_kind(self, *kinds: str) -> int:
        return sum(r.compressed for r in self.resources if r.kind in kinds)


def discover_pages(site: Path) -> list[str]:
    """Every page of a built site as a URL path relative to its root ("" is the home page).

    Redirect stubs (the permanent links) forward at once and have nothing to read or operate.
    """
    pages = []
    for index in sorted(site.rglob("index.html")):
        if is_redirect(index):
            continue
        folder = index.parent.relative_to(site).as_posix()
        pages.append("" if folder == "." else f"{folder}/")
    return pages


def is_redirect(page: Path) -> bool:
    return 'http-equiv="refresh"' in page.read_text(encoding="utf-8")


@contextmanager
def serve_site(site: Path) -> Iterator[str]:
    """Serve a built site on a free local port in a background thread; yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, without any of its own network chatter."""
    if not CHROMIUM.is_file():
        raise ChromiumMissing(MISSING_CHROMIUM)
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


class FirstVisits:
    """A browser profile in which every page load is a first visit, recorded request by request.

    Every request is routed, which also turns Chromium's HTTP cache off: each page loads all its
    assets again, as for a reader who has never been here. Anything not addressed to the local
    server is answered with an empty response without touching the network, and noted with its
    kind (script, font, …). Service workers are blocked so that no request bypasses the route.
    """

    def __init__(self, browser: Browser, base_url: str, **context_options) -> None:
        self.base_url = base_url
        self.context: BrowserContext = browser.new_context(
            service_workers="block", **context_options
        )
        self.context.route("**/*", self._route)
        self.page: Page = self.context.new_page()
        self.page.on("console", self._note_console)
        self.page.on("pageerror", lambda error: self._visit.console_errors.append(str(error)))
        self.page.on("request", lambda request: self._pending.add(request))
        self.page.on("requestfinished", lambda request: self._pending.discard(request))
        self.page.on("requestfailed", lambda request: self._pending.discard(request))
        self.page.on("response", lambda response: self._responses.append(response))
        self._visit = Visit("")
        self._pending: set[Request] = set()
        self._responses: list[Response] = []
        self._cookies: set[str] = set()
        self._sizes: dict[str, tuple[int, int]] = {}

    def visit(self, path: str) -> Visit:
        """Load one page, wait until its network is quiet, and return what it loaded."""
        self._visit, self._responses = Visit(path), []
        self.page.goto(self.base_url + path)
        self._wait_until_quiet()
        for response in self._responses:
            self._visit.resources.append(self._measure(response))
        self._visit.render_blocking_foreign = self.page.evaluate(RENDER_BLOCKING_FOREIGN)
        new_cookies = {cookie["name"] for cookie in self.context.cookies()} - self._cookies
        self._visit.cookies = sorted(new_cookies)
        self._cookies |= new_cookies
        return self._visit

    def close(self) -> None:
        self.context.close()

    def _measure(self, response: Response) -> Resource:
        """A resource's size as loaded and as a static host would send it, gzip-compressed."""
        # The site is static: an address seen on an earlier page has the same bytes.
        if response.url not in self._sizes:
            try:
                body = response.body()
            except Exception:  # a redirect has no body of its own
                body = b""
            compressed = min(len(body), len(gzip.compress(body, compresslevel=GZIP_LEVEL)))
            self._sizes[response.url] = (len(body), compressed)
        size, compressed = self._sizes[response.url]
        return Resource(response.url, response.request.resource_type, size, compressed)

    def _wait_until_quiet(self, timeout: float = 10.0) -> None:
        # Like Playwright's "networkidle", without its fixed half-second wait on every page.
        deadline = time.monotonic() + timeout
        quiet_polls = 0
        while quiet_polls < 3 and time.monotonic() < deadline:
            self.page.wait_for_timeout(40)
            quiet_polls = quiet_polls + 1 if not self._pending else 0

    def _route(self, route: Route, request: Request) -> None:
        if request.url.startswith((self.base_url, "data:", "blob:")):
            route.continue_()
        else:
            self._visit.foreign_requests.append(f"{request.resource_type} {request.url}")
            route.fulfill(status=200, body="")

    def _note_console(self, message) -> None:  # noqa: ANN001
        if message.type == "error":
            self._visit.console_errors.append(message.text)


# Chromium reports which resources blocked the first render (Resource Timing, renderBlockingStatus).
RENDER_BLOCKING_FOREIGN = """() => performance.getEntriesByType("resource")
  .filter(entry => entry.renderBlockingStatus === "blocking")
  .map(entry => entry.name)
  .filter(name => new URL(name).origin !== location.origin)"""


def load_axe() -> str:
    """axe-core as bundled (and pinned) by the axe-playwright-python package."""
    return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


def add_axe(context: BrowserContext) -> None:
    """Make axe-core available in every page of a context (sent to the browser once)."""
    context.add_init_script(load_axe())


def start_axe(page: Page) -> None:
    """Start axe-core's WCAG 2.1 A/AA rules and return at once: the run continues in the page's
    own renderer process while other pages load, so the checks use both cores."""
    page.evaluate(
        "tags => { window.__axeRun = null; setTimeout(() => { window.__axeRun = axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}); }, 0); }",
        WCAG_TAGS,
    )


def collect_axe(page: Page) -> list[str]:
    """The violations found by the run start_axe began, one line per rule."""
    violations = page.evaluate(
        "async () => { while (!window.__axeRun) { await new Promise(r => setTimeout(r, 20)); }"
        " return (await window.__axeRun).violations; }"
    )
    return [
        f"{v['id']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['target']}): {v['help']}"
        for v in violations
    ]


def format_kb(size: int) -> str:
    return f"{size / 1024:.1f} kB"


class _QuietHandler(SimpleHTTPRequestHandler):
    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".webmanifest": "application/manifest+json",
        ".js": "text/javascript",
    }

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass
