"""What the search index holds: the text of the pages, not their controls, citations or archives."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from metodiky.search import CHANGES_PAGE_BOOST, exclude_page_furniture, search_tokens

# Pages that explain citing, printing and the controls (the accessibility statement) may name the
# controls; no other page may hold their words.
EXPLAINING_CONTROLS = ("jak-citovat/", "skolitele/", "pristupnost/")
NOT_CONTENT = ("Citovat", "Kopírovat", "Vytisknout", "Vymazat", "Stáhnout jako", "Jiné verze")


@pytest.fixture(scope="module")
def index_docs(real_site: Path) -> list[dict]:
    return json.loads((real_site / "search" / "search_index.json").read_text("utf-8"))["docs"]


def test_no_indexed_section_holds_a_citation_or_a_control(index_docs: list[dict]) -> None:
    citations = [
        d["location"] for d in index_docs if re.search(r"Dostupné z: https?://", d["text"])
    ]
    assert not citations, citations[:10]
    controls = [
        (d["location"], word)
        for d in index_docs
        if not d["location"].startswith(EXPLAINING_CONTROLS)
        for word in NOT_CONTENT
        if word in d["text"]
    ]
    assert not controls, controls[:10]


def test_chapter_sections_are_indexed_with_their_text(index_docs: list[dict]) -> None:
    section = next(
        d for d in index_docs if d["location"] == "male-obce/depistaz/#mo-depistaz-co-je"
    )
    text = section["text"].replace("\u00a0", " ")
    assert text.startswith("<p>Depistáž znamená cílené a včasné vyhledávání"), text[:200]


def test_archives_are_left_out_and_changes_pages_rank_low(index_docs: list[dict]) -> None:
    pages = {d["location"].split("#")[0] for d in index_docs}
    assert not [p for p in pages if re.search(r"/\d+\.\d+/", p) or p.startswith("odkaz/")]
    changes = [d for d in index_docs if d["location"].split("#")[0].endswith("/zmeny/")]
    assert changes and all(d.get("boost") == CHANGES_PAGE_BOOST for d in changes)
    assert not [d for d in index_docs if "boost" in d and d not in changes]


def test_synonyms_join_short_forms_and_ordinals(index_docs: list[dict]) -> None:
    """A section that writes „kontaktní centrum“ is found by `kcentrum`, „obce I. typu“ by
    `prvního typu`: the glossary's other names are added to it, tokenised by the shared rule."""
    centre = next(
        d for d in index_docs if d["location"] == "kontaktni-prace/uvod/#kp-nizkoprahova-zarizeni"
    )
    assert search_tokens("kcentrum")[0] in search_tokens(centre["synonyma"])
    first_type = next(
        d for d in index_docs if d["location"] == "male-obce/typy-obci/#mo-typy-obec-i"
    )
    assert " ".join(search_tokens("obec prvního typu")) in " ".join(
        search_tokens(first_type["synonyma"])
    )


@pytest.mark.parametrize(
    ("html", "excluded"),
    [
        ('<details class="mk-cite"><summary>Citovat</summary></details>', True),
        ('<p class="mk-tool__actions" hidden><button type="button">Vymazat</button></p>', True),
        ('<button type="button" class="md-button">Další krok</button>', True),
        ('<nav aria-label="Obsah"><a href="#x">x</a></nav>', True),
        ('<p class="mk-tool__download"><a href="a.docx">Stáhnout jako formulář Word</a></p>', True),
        ('<p title="hidden gem">Text</p>', False),
        ('<p class="mk-citation-note">Text</p>', False),
        ('<label for="x">Položka kontrolního seznamu</label>', False),
    ],
)
def test_page_furniture_is_marked_for_the_indexer(html: str, excluded: bool) -> None:
    marked = exclude_page_furniture(html)
    first_tag = marked[: marked.index(">") + 1]
    assert ("data-search-exclude" in first_tag) is excluded, marked
    assert re.sub(r' data-search-exclude="1"', "", marked) == html
