"""Privacy on every page: nothing is requested from other hosts, no cookies, no errors in the console."""

from __future__ import annotations

from .conftest import SiteAudit


def test_no_page_requests_anything_from_another_host(site_audit: SiteAudit) -> None:
    leaks = {p: v.foreign_requests for p, v in site_audit.visits.items() if v.foreign_requests}
    assert not leaks, _listing("requests to other hosts", leaks)


def test_no_page_sets_a_cookie(site_audit: SiteAudit) -> None:
    cookies = {p: v.cookies for p, v in site_audit.visits.items() if v.cookies}
    assert not cookies, _listing("cookies set", cookies)


def test_no_page_logs_a_console_error(site_audit: SiteAudit) -> None:
    errors = {p: v.console_errors for p, v in site_audit.visits.items() if v.console_errors}
    assert not errors, _listing("console errors", errors)


def _listing(what: str, found: dict[str, list[str]]) -> str:
    lines = [f"{len(found)} page(s) with {what}:"]
    lines += [f"  /{path}: {', '.join(items)}" for path, items in found.items()]
    return "\n".join(lines)
