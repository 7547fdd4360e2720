"""Accessibility on every page: axe-core finds no WCAG 2.1 A/AA violation on a desktop and on a
360 px phone, each in light and dark scheme."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import AXE_PROFILES, SiteAudit, site_page_with, walk_to_outcome
from .support import collect_axe, load_axe, start_axe


@pytest.mark.parametrize("profile", AXE_PROFILES)
def test_every_page_has_no_axe_violations(profile: str, site_audit: SiteAudit) -> None:
    results = site_audit.axe[profile]
    assert results.keys() == site_audit.visits.keys()
    problems = [f"/{path}: {line}" for path, lines in results.items() for line in lines]
    assert not problems, f"{len(problems)} axe finding(s), {profile}:\n" + "\n".join(problems)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_open_search_and_a_tree_outcome_have_no_axe_violations(
    scheme: str, new_page: Callable[..., Page], real_site: Path
) -> None:
    # States the page-by-page check never sees: results over the page, a tree at its end.
    page = new_page("", color_scheme=scheme)
    page.locator("input[name=query]").fill("rodina")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    problems = [f"search results: {line}" for line in _axe_now(page)]
    page = new_page(site_page_with(real_site, 'class="mk-tree"'), color_scheme=scheme)
    walk_to_outcome(page.locator(".mk-tree").first)
    problems += [f"tree outcome: {line}" for line in _axe_now(page)]
    assert not problems, "\n".join(problems)


def _axe_now(page: Page) -> list[str]:
    page.evaluate(load_axe())
    start_axe(page)
    return collect_axe(page)
