"""Accessibility on every page: axe-core finds no WCAG 2.1 A/AA violation on a desktop and on a
360 px phone, each in light and dark scheme."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import AXE_PROFILES, SiteAudit, site_page_with, walk_to_outcome
from .support import WCAG_TAGS, collect_axe, load_axe, start_axe


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


def _axe_now(page: Page, context: dict | None = None) -> list[str]:
    page.evaluate(load_axe())
    if context:  # start_axe with the run limited to part of the page
        page.evaluate(
            "([tags, context]) => { window.__axeRun = axe.run(context, "
            "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}); }",
            [WCAG_TAGS, context],
        )
    else:
        start_axe(page)
    return collect_axe(page)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [360, 1366])
def test_checklist_and_tree_controls_have_no_axe_violations(
    scheme: str, width: int, new_page: Callable[..., Page], real_site: Path
) -> None:
    # The states a reader makes: progress and "Zpět" after clearing; an outcome with its label and
    # buttons under it, and the whole tree open (a list on a phone, the diagram on a desktop).
    options = {"color_scheme": scheme, "viewport": {"width": width, "height": 800}}
    page = new_page(site_page_with(real_site, 'class="mk-checklist"'), **options)
    checklist = page.locator(".mk-checklist").first
    checklist.locator("input[type=checkbox]").first.check()
    checklist.get_by_role("button", name="Vymazat zaškrtnutí").click()
    expect(checklist.get_by_role("button", name="Zpět")).to_be_visible()
    problems = [f"checklist: {line}" for line in _axe_now(page, TOOLS)]
    page = new_page(site_page_with(real_site, 'class="mk-tree"'), **options)
    tree = page.locator(".mk-tree").first
    walk_to_outcome(tree)
    tree.locator(".mk-tree__diagram summary").click()
    problems += [f"tree: {line}" for line in _axe_now(page, TOOLS)]
    assert not problems, "\n".join(problems)


# The tools alone: the rest of these pages is checked page by page above.
TOOLS = {"include": [".mk-checklist", ".mk-tree"]}
