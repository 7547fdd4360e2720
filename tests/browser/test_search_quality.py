"""Search as people type Czech on a phone: no diacritics, other cases, abbreviations, hyphenated
short forms, ordinals and questions; snippets of chapter text; an empty panel that helps (not a
timing)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, Request, expect

from .support import collect_axe, load_axe, start_axe

REPRESENTATIVE = [
    ("depistaz", "male-obce/depistaz/"),
    ("rodicovsky plan", "cochemska-praxe/rodicovsky-plan/"),
    ("dětem", "cochemska-praxe/prace-s-ditetem/"),
    ("konferenci", "nastroje/"),
    ("svl", "slovnik/"),  # the abbreviation's own entry first
    # The principle's definition or, since 1.1, the practice of harm reduction with drug users.
    ("harm reduction", ("kontaktni-prace/principy/", "kontaktni-prace/zavislosti-v-svl/")),
    ("rodinna konference", "nastroje/rodinne-konference/"),
]
# The same thing typed as people type it: the glossary entry or the chapter that explains it first.
TYPED_FORMS = [
    ("k-centrum", ("slovnik/", "kontaktni-prace/")),
    ("K centrum", ("slovnik/", "kontaktni-prace/")),
    ("kcentrum", ("slovnik/", "kontaktni-prace/")),
    ("obce prvního typu", ("male-obce/typy-obci/", "slovnik/")),
    ("obec I. typu", ("male-obce/typy-obci/", "slovnik/")),
    ("obec 1. typu", ("male-obce/typy-obci/", "slovnik/")),
    ("obec III. typu", ("male-obce/typy-obci/", "slovnik/")),
    ("co dělat, když se obec dozví o člověku v nouzi?", ("male-obce/depistaz/",)),
]
NOT_CONTENT = ("Dostupné z:", "Citovat", "Kopírovat", "Vytisknout", "Vymazat", "Stáhnout jako")


def search(page: Page, query: str) -> None:
    """Type a query into the search field and wait until the results for all of it are shown."""
    field = page.locator("input[name=query]")
    field.focus()
    field.fill(query)
    field.press("End")  # Material searches on key-up
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    page.wait_for_timeout(500)  # the last key-up's results replace any earlier ones


def result_pages(page: Page) -> list[str]:
    """The page of each result, best first, as `folder/page/`."""
    return page.eval_on_selector_all(
        ".md-search-result__item > a:first-child",
        "links => links.map(a => new URL(a.href).pathname.replace(/^\\/+/, ''))",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    REPRESENTATIVE + TYPED_FORMS,
    ids=[q for q, _ in REPRESENTATIVE + TYPED_FORMS],
)
def test_query_puts_the_expected_page_first(
    new_page: Callable[..., Page], query: str, expected: str | tuple[str, ...]
) -> None:
    page = new_page("")
    search(page, query)
    first = result_pages(page)[0]
    accepted = expected if isinstance(expected, tuple) else (expected,)
    assert any(first.startswith(path) for path in accepted), (query, result_pages(page)[:3])


def test_archived_versions_are_not_searched(new_page: Callable[..., Page]) -> None:
    page = new_page("")
    search(page, "kontaktni prace")
    hrefs = page.eval_on_selector_all(
        ".md-search-result__item a", "links => links.map(a => a.href)"
    )
    assert hrefs and not [href for href in hrefs if "/1.0/" in href or "/1.1/" in href]


def test_changes_pages_rank_below_the_chapters(new_page: Callable[..., Page]) -> None:
    page = new_page("")
    search(page, "terenni prace")
    top = result_pages(page)[:3]
    assert len(top) == 3 and not [path for path in top if "/zmeny/" in path], top
    # Still found by what it is about (beside a model situation's section of the same title).
    search(page, "co se zmenilo")
    assert [path for path in result_pages(page)[:3] if path.endswith("/zmeny/")]


def test_snippets_show_the_matched_sentence_of_the_chapter(new_page: Callable[..., Page]) -> None:
    page = new_page("", viewport={"width": 360, "height": 640}, is_mobile=True)
    page.locator("label.md-header__button[for=__search]").click()
    search(page, "depistaz")
    snippets = page.locator(".md-search-result__article").all_inner_texts()
    assert not [s for s in snippets if any(text in s for text in NOT_CONTENT)], snippets
    depistaz = page.locator(
        ".md-search-result__item", has=page.locator("a[href*='male-obce/depistaz/']")
    )
    # The chapter's own words, the match marked, one or two sentences rather than whole blocks.
    text = depistaz.first.inner_text()
    assert "vyhledávat lidi" in text, text
    marked = page.locator(".md-search-result__article mark").all_text_contents()
    words = [word.strip("„“()").lower() for word in marked]
    assert words and all(word.startswith("depist") for word in words), words
    longest = max(len(s) for s in page.locator(".md-search-result__article p").all_inner_texts())
    assert longest < 600, longest


def test_empty_search_offers_examples_and_the_three_doors(new_page: Callable[..., Page]) -> None:
    page = new_page("", viewport={"width": 360, "height": 640}, is_mobile=True)
    page.locator("label.md-header__button[for=__search]").click()
    panel = page.locator(".md-search-result .mk-search-start")
    expect(panel).to_be_visible()
    for door, path in (
        ("Začínám", "/zacinam/"),
        ("Pro školitele", "/skolitele/"),
        ("Pro obce", "/obce/"),
    ):
        link = panel.get_by_role("link", name=door)
        assert link.evaluate("a => new URL(a.href).pathname") == path
    example = panel.get_by_role("link", name="rodičovský plán")
    example.click()
    expect(page.locator("input[name=query]")).to_have_value("rodičovský plán")
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    expect(panel).to_have_count(0)  # out of the way of the results and of the arrow keys
    assert result_pages(page)[0].startswith("cochemska-praxe/rodicovsky-plan/")
    page.locator("input[name=query]").fill("")
    page.locator("input[name=query]").press("Backspace")
    expect(panel).to_be_visible()


def test_example_queries_reached_by_arrow_keys(new_page: Callable[..., Page]) -> None:
    page = new_page("")
    field = page.locator("input[name=query]")
    field.focus()
    page.keyboard.press("Enter")  # nothing typed: stays in the search, goes nowhere
    expect(field).to_be_focused()
    # The search panel opens with the focus; a loaded machine can take a moment to show it.
    expect(page.locator(".mk-search-start")).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(page.locator(":focus")).to_have_attribute("data-mk-query", "depistáž")
    page.keyboard.press("Enter")
    expect(field).to_have_value("depistáž")
    expect(page.locator(".md-search-result__item").first).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_empty_search_panel_has_no_axe_violations(
    scheme: str, new_page: Callable[..., Page]
) -> None:
    page = new_page("", viewport={"width": 360, "height": 640}, is_mobile=True, color_scheme=scheme)
    page.locator("label.md-header__button[for=__search]").click()
    expect(page.locator(".md-search-result .mk-search-start")).to_be_visible()
    # The search panel fades in; colours measured halfway through the fade are not what is read.
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')")
    page.evaluate(load_axe())
    start_axe(page)
    problems = collect_axe(page)
    assert not problems, "\n".join(problems)


def test_first_query_loads_only_the_index_chunks_it_needs(
    new_page: Callable[..., Page], real_site: Path
) -> None:
    """A phone on a weak signal downloads, for its first query, the search engine, the index
    chunks of the query's words and the texts of the results shown – not the whole index."""
    fetched: dict[str, int] = {}

    def count(request: Request) -> None:
        path = urlparse(request.url).path.lstrip("/")
        fetched[path] = fetched.get(path, 0) + request.sizes()["responseBodySize"]

    page = new_page("kontaktni-prace/")
    page.on("requestfinished", count)
    page.wait_for_load_state("networkidle")
    assert not [path for path in fetched if path.startswith("pagefind/")], "fetched before a query"
    search(page, "depistaz")
    expect(
        page.locator(".md-search-result__item a[href*='male-obce/depistaz/']").first
    ).to_be_visible()

    folder = real_site / "pagefind"
    chunks = [path for path in fetched if path.startswith("pagefind/index/")]
    pages = [path for path in fetched if path.startswith("pagefind/texty/")]
    assert 1 <= len(chunks) < len(list((folder / "index").iterdir())) / 2, chunks
    # One file per page shown, at most ten (search-worker.js, SHOWN_PAGES); Pagefind's own page
    # records are not needed: where each section begins is in our file.
    assert 1 <= len(pages) <= 10, pages
    assert not [path for path in fetched if path.startswith("pagefind/fragment/")]
    whole = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
    first = sum(size for path, size in fetched.items() if path.startswith(("pagefind/", "search/")))
    assert first < whole / 4, f"first query {first} B of an index of {whole} B"
    # Material's own index is empty: its search box is answered by Pagefind.
    assert fetched.get("search/search_index.json", 0) < 1000
