"""What readers do with the site: tick a checklist, walk a decision tree, search."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, Route, expect

from .conftest import PHONE, site_page_with, walk_to_outcome

# A word that occurs throughout the methodologies.
COMMON_WORD = "rodina"
OUTCOME = re.compile(r"\bmk-tree__outcome\b")
CURRENT = re.compile(r"\bmk-tree__current\b")


def test_checklist_tick_survives_a_reload(new_page: Callable[..., Page], real_site: Path) -> None:
    page = new_page(site_page_with(real_site, 'class="mk-checklist"'))
    boxes = page.locator(".mk-checklist input[type=checkbox]")
    boxes.nth(1).check()
    page.reload()
    expect(boxes.nth(1)).to_be_checked()
    expect(boxes.nth(0)).not_to_be_checked()


def test_checklist_shows_progress_as_it_is_ticked(
    new_page: Callable[..., Page], real_site: Path
) -> None:
    page = new_page(site_page_with(real_site, 'class="mk-checklist"'))
    checklist = page.locator(".mk-checklist").first
    boxes = checklist.locator("input[type=checkbox]")
    progress = checklist.locator(".mk-checklist__progress")
    expect(progress).to_have_text(f"Splněno 0 z {boxes.count()}")
    expect(progress).to_have_attribute("aria-live", "polite")
    boxes.nth(0).check()
    boxes.nth(2).check()
    expect(progress).to_have_text(f"Splněno 2 z {boxes.count()}")
    boxes.nth(0).uncheck()
    expect(progress).to_have_text(f"Splněno 1 z\u00a0{boxes.count()}")


def test_clearing_a_checklist_stands_apart_and_can_be_undone(
    new_page: Callable[..., Page], real_site: Path
) -> None:
    page = new_page(site_page_with(real_site, 'class="mk-checklist"'), **PHONE)
    checklist = page.locator(".mk-checklist").first
    boxes = checklist.locator("input[type=checkbox]")
    clear = checklist.get_by_role("button", name="Vymazat zaškrtnutí")
    printing = checklist.get_by_role("button", name="Vytisknout vyplněný")
    # Not stacked against the print buttons: a clear gap a thumb does not miss.
    gap = clear.bounding_box()["y"] - (
        printing.bounding_box()["y"] + printing.bounding_box()["height"]
    )
    assert gap >= 16, f"only {gap:.0f} px between printing and clearing"
    boxes.nth(0).check()
    boxes.nth(1).check()
    clear.click()
    expect(checklist.locator("input:checked")).to_have_count(0)
    expect(checklist.locator(".mk-checklist__progress")).to_contain_text("Splněno 0 z")
    checklist.get_by_role("button", name="Zpět").click()
    expect(boxes.nth(0)).to_be_checked()
    expect(boxes.nth(1)).to_be_checked()
    expect(checklist.locator(".mk-checklist__undo")).to_have_text("Zaškrtnutí vrácena.")
    page.reload()
    expect(boxes.nth(0)).to_be_checked()
    expect(boxes.nth(1)).to_be_checked()


def test_undo_after_clearing_is_offered_for_ten_seconds(
    new_page: Callable[..., Page], real_site: Path
) -> None:
    page = new_page(site_page_with(real_site, 'class="mk-checklist"'))
    page.clock.install()
    page.reload()
    checklist = page.locator(".mk-checklist").first
    checklist.locator("input[type=checkbox]").nth(0).check()
    checklist.get_by_role("button", name="Vymazat zaškrtnutí").click()
    undo = checklist.get_by_role("button", name="Zpět")
    page.clock.run_for(9000)
    expect(undo).to_be_visible()
    page.clock.run_for(2000)
    expect(undo).to_have_count(0)
    expect(checklist.locator("input:checked")).to_have_count(0)


def test_ticks_survive_a_new_release_and_old_ticks_are_read_once(
    new_page: Callable[..., Page], real_site: Path
) -> None:
    path = site_page_with(real_site, 'class="mk-checklist"')
    page = new_page(path)
    checklist = page.locator(".mk-checklist").first
    checklist_id = checklist.get_attribute("data-checklist")
    version = checklist.get_attribute("data-version")
    # Ticks stored by the previous script, per version, for items 1 and 3.
    page.evaluate(
        "([key]) => localStorage.setItem(key, JSON.stringify({'1-1': true, '1-3': true}))",
        [f"metodiky:{checklist_id}:{version}"],
    )
    page.reload()
    boxes = checklist.locator("input[type=checkbox]")
    expect(boxes.nth(0)).to_be_checked()
    expect(boxes.nth(2)).to_be_checked()
    expect(boxes.nth(1)).not_to_be_checked()
    keys = page.evaluate("Object.keys(localStorage)")
    assert f"metodiky:{checklist_id}:{version}" not in keys, keys
    # The same page in a new release: same checklist and item ids, another version number.
    release = {"1-1": ""}
    page.route(f"**/{path}", lambda route: _new_release(route, version, checklist_id, release))
    page.reload()
    expect(checklist).to_have_attribute("data-version", "99.0")
    expect(boxes.nth(0)).to_be_checked()
    expect(boxes.nth(2)).to_be_checked()
    # A later release rewords item 1 (or puts another item in its place): its tick was given
    # to something else and does not carry over; item 3 is unchanged and stays ticked.
    release["1-1"] = "Nově: "
    page.reload()
    expect(boxes.nth(0)).not_to_be_checked()
    expect(boxes.nth(2)).to_be_checked()


def _new_release(route: Route, version: str, checklist_id: str, prefixes: dict[str, str]) -> None:
    """Serve the page as a new release would: another version, optionally reworded items."""
    body = route.fetch().text().replace(f'data-version="{version}"', 'data-version="99.0"')
    for item, prefix in prefixes.items():
        label = f'<label for="{checklist_id}-{item}">'
        body = body.replace(label, label + prefix)
    route.fulfill(body=body, content_type="text/html; charset=utf-8")


def test_decision_tree_walks_to_an_outcome_and_back(
    new_page: Callable[..., Page], real_site: Path
) -> None:
    page = new_page(site_page_with(real_site, 'class="mk-tree"'))
    tree = page.locator(".mk-tree").first
    current = tree.locator(".mk-tree__steps > li.mk-tree__current")
    start = current.get_attribute("data-node")
    expect(tree.get_by_role("button", name="Zpět")).to_be_disabled()
    trail = walk_to_outcome(tree)
    assert len(trail) >= 2 and trail[0] == start
    expect(current).to_have_class(OUTCOME)
    expect(tree.locator(".mk-tree__steps > li:visible")).to_have_count(1)
    tree.get_by_role("button", name="Zpět").first.click()
    expect(current).to_have_attribute("data-node", trail[-2])
    tree.get_by_role("button", name="Začít znovu").click()
    expect(current).to_have_attribute("data-node", start)
    expect(tree.get_by_role("button", name="Zpět")).to_be_disabled()


def test_stepper_numbers_steps_in_the_order_taken(
    new_page: Callable[..., Page], real_site: Path
) -> None:
    # The review walked this tree and saw steps 1, 4, 7, 12: the places of the steps in the tree.
    page = new_page(site_page_with(real_site, 'data-tree="kp-kdo-prevezme-zakazku"'))
    tree = page.locator("#nastroj-kp-kdo-prevezme-zakazku")
    current = tree.locator(".mk-tree__steps > li.mk-tree__current")
    shown, places = [], []
    while True:
        shown.append(current.locator(".mk-tree__stepno").inner_text())
        places.append(int(current.get_attribute("value")))
        expect(tree.locator(".mk-tree__status")).to_have_text(re.compile(rf"^{shown[-1]}: "))
        if "mk-tree__outcome" in (current.get_attribute("class") or ""):
            break
        answer = current.locator("a[data-next]").last
        following = answer.get_attribute("data-next")
        answer.click()
        expect(current).to_have_attribute("data-node", following)
    assert places != list(range(1, len(places) + 1)), "this walk does not skip any step"
    assert shown == [f"Krok {number}" for number in range(1, len(shown) + 1)], shown
    assert current.evaluate("li => getComputedStyle(li).listStyleType") == "none"


def test_outcome_is_labelled_with_back_and_restart_under_it(
    new_page: Callable[..., Page], real_site: Path
) -> None:
    page = new_page(site_page_with(real_site, 'class="mk-tree"'), **PHONE)
    tree = page.locator(".mk-tree").first
    current = tree.locator(".mk-tree__steps > li.mk-tree__current")
    end = tree.locator(".mk-tree__end")
    expect(end).to_be_hidden()  # a question has its answers below it, nothing else
    trail = walk_to_outcome(tree)
    expect(current.locator(".mk-tree__outcome-label")).to_have_text("Doporučený postup")
    expect(end).to_be_visible()
    outcome_box, end_box = current.bounding_box(), end.bounding_box()
    assert end_box["y"] >= outcome_box["y"] + outcome_box["height"], (outcome_box, end_box)
    end.get_by_role("button", name="Zpět").click()
    expect(current).to_have_attribute("data-node", trail[-2])
    walk_to_outcome(tree)
    end.get_by_role("button", name="Začít znovu").click()
    expect(current).to_have_attribute("data-node", trail[0])


def test_a_steps_address_opens_that_step(new_page: Callable[..., Page], real_site: Path) -> None:
    path = site_page_with(real_site, 'class="mk-tree"')
    page = new_page(path)
    tree = page.locator(".mk-tree").first
    tree_id = tree.get_attribute("data-tree")
    outcome = walk_to_outcome(tree)[-1]
    other = new_page(f"{path}#{tree_id}--{outcome}")
    step = other.locator(f"#{tree_id}--{outcome}")
    expect(step).to_be_visible()
    expect(step).to_have_class(CURRENT)
    expect(other.locator(f"#nastroj-{tree_id} .mk-tree__steps > li:visible")).to_have_count(1)


def test_search_opens_and_finds_a_common_word(new_page: Callable[..., Page]) -> None:
    page = new_page("", viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    page.locator("label.md-header__button[for=__search]").click()
    page.locator("input[name=query]").fill(COMMON_WORD)
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible()
    expect(results.first).to_contain_text(COMMON_WORD[:5], ignore_case=True)
    assert results.count() >= 3


def test_search_index_is_fetched_only_when_searching(new_page: Callable[..., Page]) -> None:
    # Readers on mobile data do not pay for the search engine and its index unless they search.
    page = new_page("")
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.reload(wait_until="networkidle")
    assert not [url for url in requested if "/pagefind/" in url]
    with page.expect_request("**/pagefind/pagefind.js"):
        page.locator("input[name=query]").fill(COMMON_WORD)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
