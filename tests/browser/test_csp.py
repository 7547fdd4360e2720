"""The site under deploy/nginx.conf's Content-Security-Policy, served by a real nginx: no page has
anything blocked, search and the offline copy still work, and only the embed views can be shown
inside another site's page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page

from .support import serve_site

MISSING_PAGE = "metodika-ktera-neexistuje/"
# Violations are reported to the page as events; Chromium also logs them to the console.
REPORT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline code"}` +
    ` (${event.sourceFile || location.pathname}:${event.lineNumber})`);
}, true);
"""
# Let violation events queued during loading be dispatched before they are read.
COLLECT_VIOLATIONS = "() => new Promise(done => setTimeout(() => done(window.__cspViolations), 0))"
# How long background work (the search worker, the offline copy) may take before a test gives up.
PATIENCE_MS = 30_000


class PolicyWatch:
    """A browser profile that records every CSP violation, from events and from the console."""

    def __init__(self, browser: Browser, **context_options) -> None:
        self.context: BrowserContext = browser.new_context(**context_options)
        self.context.add_init_script(REPORT_VIOLATIONS)
        self.page: Page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", self._note)

    def violations(self) -> list[str]:
        found = self.page.evaluate(COLLECT_VIOLATIONS) + self.console
        self.console = []
        return found

    def _note(self, message) -> None:  # noqa: ANN001
        if "Content Security Policy" in message.text:
            self.console.append(message.text[:200])


@pytest.fixture
def watch(browser: Browser) -> Iterator[PolicyWatch]:
    watch = PolicyWatch(browser, service_workers="block")
    yield watch
    watch.context.close()


def test_no_page_violates_the_content_security_policy(
    watch: PolicyWatch, nginx_url: str, site_pages: list[str]
) -> None:
    findings = {}
    for path in [*site_pages, MISSING_PAGE]:
        watch.page.goto(nginx_url + path)
        if violations := watch.violations():
            findings[path] = violations
    assert not findings, f"{len(findings)} page(s) with CSP violations:\n" + "\n".join(
        f"  /{path}: {'; '.join(found)}" for path, found in findings.items()
    )


def test_search_finds_results_under_the_policy(watch: PolicyWatch, nginx_url: str) -> None:
    # Material's search box asks our web worker, which loads Pagefind and its WebAssembly.
    watch.page.goto(nginx_url)
    watch.page.fill(".md-search__input", "supervize")
    watch.page.press(".md-search__input", "End")  # Material searches on key-up
    watch.page.wait_for_selector(".md-search-result__item", timeout=PATIENCE_MS)
    assert not watch.violations()


def test_offline_copy_installs_under_the_policy(browser: Browser, nginx_url: str) -> None:
    watch = PolicyWatch(browser, service_workers="allow")
    try:
        watch.page.goto(nginx_url)
        # The worker becomes active only once it has stored every page, so the wait is bounded.
        active = watch.page.evaluate(
            """timeout => Promise.race([
                navigator.serviceWorker.ready.then(registration => registration.active.scriptURL),
                new Promise(done => setTimeout(() => done(null), timeout)),
            ])""",
            PATIENCE_MS,
        )
        assert active == nginx_url + "sw.js", "the offline copy (sw.js) did not install"
        assert not watch.violations()
    finally:
        watch.context.close()


def test_only_embed_views_can_be_shown_on_another_site(
    watch: PolicyWatch, nginx_url: str, real_site: Path, tmp_path: Path
) -> None:
    embeds = sorted((real_site / "vlozit").glob("*/index.html"))
    assert embeds, "the build has no embed view (site/vlozit/<id>/index.html) to frame"
    embed = f"{nginx_url}{embeds[0].parent.relative_to(real_site).as_posix()}/"
    page = f"{nginx_url}zacinam/"
    # A municipality's page on another origin (another port) with the snippet and a plain page.
    (tmp_path / "index.html").write_text(
        f'<!doctype html><title>Obec</title><iframe src="{embed}"></iframe>'
        f'<iframe src="{page}"></iframe>',
        encoding="utf-8",
    )
    with serve_site(tmp_path) as municipality:
        watch.page.goto(municipality)
        shown = [frame.url for frame in watch.page.main_frame.child_frames]
    assert shown[0] == embed, f"the embed view {embed} was not shown on another site"
    assert shown[1] != page, f"{page} can be framed by any site; only /vlozit/ should be"
