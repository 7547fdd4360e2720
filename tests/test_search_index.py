"""What the search index holds: the text of the pages, not their controls, citations or archives."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from conftest import REPO
from metodiky import search_index
from metodiky.model import KnowledgeBase
from metodiky.search import exclude_page_furniture, glossary_names, search_tokens
from metodiky.search_index import (
    COMMON_WORDS_FILE,
    NUMBER_MARK,
    PAGEFIND_FOLDER,
    PLACE_FILTER,
    READING_ORDER_FILE,
    SHOWN_FOLDER,
    SYNONYM_WEIGHT,
    TEXT_WEIGHT,
    TITLE_MARK,
    TITLE_WEIGHT,
    PageEntry,
    SearchIndexError,
    Section,
    SynonymTable,
    _read_fragment,
    index_word,
    page_record_html,
    page_sections,
    place_sections,
    read_search_records,
    write_search_index,
)

# Pages that explain citing, printing and the controls (the accessibility statement) may name the
# controls; no other page may hold their words.
EXPLAINING_CONTROLS = ("jak-citovat/", "skolitele/", "pristupnost/")
NOT_CONTENT = ("Citovat", "Kopírovat", "Vytisknout", "Vymazat", "Stáhnout jako", "Jiné verze")


@pytest.fixture(scope="module")
def index_docs(real_site: Path) -> list[dict]:
    """Every record of the built Pagefind index: what it shows, and the tokens it is found by."""
    return read_search_records(real_site)


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
    assert section["page"].endswith("Depistáž na venkově")
    assert section["tags"] == ["Sociální práce na malých obcích"]
    # The index holds the Czech rule's tokens, never the words themselves.
    assert "depistaz" in section["content"].split() and "Depistáž" not in section["content"]


def test_archives_are_left_out_and_index_pages_answer_by_headings(
    index_docs: list[dict], knowledge: KnowledgeBase
) -> None:
    pages = {d["page_location"] for d in index_docs}
    assert not [p for p in pages if re.search(r"/\d+\.\d+/", p) or p.startswith("odkaz/")]
    changes = [d for d in index_docs if d["page_location"].endswith(("/zmeny/", "predpisy/"))]
    assert changes and all(d["text"] == "" for d in changes)
    # Only the headings of the changes pages and of the law index are searchable (with the
    # glossary's names for what they name): the old and new text they quote, the section titles
    # they list, would outrank the chapters themselves.
    names = {
        index_word(token)
        for group in glossary_names(knowledge)
        for name in group
        for token in search_tokens(name)
    }
    for record in changes:
        title = {index_word(token) for token in search_tokens(html.unescape(record["title"]))}
        # "." ends a block; title words are indexed once more with a mark in front
        indexed = {word.rstrip(".").removeprefix(TITLE_MARK) for word in record["content"].split()}
        assert indexed <= title | names, record["location"]


def test_synonyms_join_short_forms_and_ordinals(index_docs: list[dict]) -> None:
    """A section that writes „kontaktní centrum“ is found by `kcentrum`, „obce I. typu“ by
    `prvního typu`: the glossary's other names are indexed with it, tokenised by the shared rule."""
    centre = next(
        d for d in index_docs if d["location"] == "kontaktni-prace/uvod/#kp-nizkoprahova-zarizeni"
    )
    assert index_word(search_tokens("kcentrum")[0]) in centre["content"].split()
    first_type = next(
        d for d in index_docs if d["location"] == "male-obce/typy-obci/#mo-typy-obec-i"
    )
    wanted = {index_word(token) for token in search_tokens("obec prvního typu")}
    assert wanted == {"obec", "c1c", "typ"} and wanted <= set(first_type["content"].split())


def test_each_section_is_its_own_record_under_its_heading(index_docs: list[dict]) -> None:
    locations = [d["location"] for d in index_docs]
    assert len(locations) == len(set(locations))
    osloveni = next(d for d in index_docs if d["location"].endswith("#kp-osloveni"))
    assert osloveni["title"] == "4.2 Oslovení"
    assert osloveni["page_location"] == "kontaktni-prace/prvni-kontakt/"


def test_pages_are_listed_in_reading_order_for_ties(real_site: Path) -> None:
    # Of two pages that score alike, search shows the one read first: the order file must list
    # every searchable page once, as the navigation reads them.
    folder = real_site / PAGEFIND_FOLDER
    ids = json.loads((folder / READING_ORDER_FILE).read_text(encoding="utf-8"))
    assert sorted(ids) == sorted(path.stem for path in (folder / SHOWN_FOLDER).iterdir())
    locations = [
        json.loads((folder / SHOWN_FOLDER / f"{id_}.json").read_text(encoding="utf-8"))["location"]
        for id_ in ids
    ]
    assert locations[:3] == ["./", "zacinam/", "kontaktni-prace/"]
    chapters = [loc for loc in locations if loc.startswith("kontaktni-prace/")]
    assert chapters.index("kontaktni-prace/uvod/") < chapters.index(
        "kontaktni-prace/prvni-kontakt/"
    )


def test_each_section_says_which_of_its_words_are_title_and_which_text(
    index_docs: list[dict],
) -> None:
    # The browser weighs a matched word by the part of its section it falls in, knowing only its
    # position: the counts in the page's file must cut the indexed words where the record does.
    for record in index_docs:
        words = [word.rstrip(".") for word in record["content"].split()]  # "." ends a block
        title = {index_word(token) for token in search_tokens(html.unescape(record["title"]))}
        heading = words[: record["title_words"]]
        assert {word.removeprefix(TITLE_MARK) for word in heading} <= title | {"0"}, record
        text = words[record["title_words"] : record["title_words"] + record["text_words"]]
        plain = html.unescape(re.sub(r"<[^>]+>", " ", record["text"]))
        assert set(text) <= {index_word(token) for token in search_tokens(plain)}, record


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


def test_a_page_splits_into_sections_at_headings_without_its_controls() -> None:
    content = (
        '<h1 id="kp-uvod">1 Úvod<a class="headerlink" href="#kp-uvod">#</a></h1>'
        "<p>První odstavec &amp; text.</p>"
        '<div class="mk-cite-ui" data-search-exclude="1"><button>Citovat</button></div>'
        '<h2 id="kp-a">1.1 Oddíl</h2><ul><li>bod jedna</li><li>bod dva</li></ul>'
        "<script>alert(1)</script>"
    )
    sections = page_sections(content, "kp/uvod/", "1 Úvod")
    assert [(s.location, s.title) for s in sections] == [
        ("kp/uvod/", "1 Úvod"),
        ("kp/uvod/#kp-a", "1.1 Oddíl"),
    ]
    assert sections[0].text == "<p>První odstavec &amp; text.</p>"
    assert sections[1].text == "<li>bod jedna</li><li>bod dva</li>"


def test_a_page_record_holds_tokens_under_numbered_section_headings() -> None:
    entry = PageEntry(
        location="kp/uvod/",
        title="1 Úvod",
        tags=(),
        weight=1.0,
        titles_only=False,
        sections=(
            Section("kp/uvod/", "1 Úvod", "<p>Obec I. typu a dětem dětem dětem dětem.</p>"),
            Section("kp/uvod/#pismeno-a", "A", ""),  # a stop word only: not indexed
            Section("kp/uvod/#kp-a", "Depistáž", "<p>Text.</p>"),
        ),
    )
    record, indexed = page_record_html(entry, SynonymTable(EMPTY_GLOSSARY))
    assert [section.number for section in indexed] == [0, 2]
    assert 'id="s0"' in record and 'id="s2"' in record and 'id="s1"' not in record
    # Numbers as `c1c`, a token repeated at most three times, words never as typed.
    assert "obec c1c typ dit dit dit<" in record.replace("</p>", "<")
    assert "Depistáž" not in record and ">depistaz zzdepistaz<" in record  # title words marked
    assert ">uvod zzuvod<" in record  # the site's numbering „1“ is not a word of the title


def test_words_most_pages_have_are_listed_and_pages_filtered_by_their_place(
    tmp_path: Path, knowledge: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    # search-worker.js searches a word most pages have only in the pages its query's other
    # words found: it must know which words those are, and find a page by its place in
    # reading order (the place in poradi.json).
    def page(number: int, text: str) -> PageEntry:
        section = Section(f"kp/p{number}/", f"Strana {number}", f"<p>{text}</p>")
        return PageEntry(f"kp/p{number}/", f"Strana {number}", (), 1.0, False, (section,))

    entries = [page(n, "Rodina a depistáž." if n == 2 else "Rodina a obec.") for n in range(4)]
    monkeypatch.setattr(search_index, "COMMON_PAGES", 3)
    write_search_index(tmp_path, entries, knowledge)
    folder = tmp_path / PAGEFIND_FOLDER
    common = json.loads((folder / COMMON_WORDS_FILE).read_text(encoding="utf-8"))
    assert common["rodin"] == 4 and common["obec"] == 3 and "depistaz" not in common
    assert "zzstran" in common  # title forms are words of the index too
    order = json.loads((folder / READING_ORDER_FILE).read_text(encoding="utf-8"))
    for place, page_id in enumerate(order):
        filters = _read_fragment(folder / "fragment" / f"{page_id}.pf_fragment")["filters"]
        assert filters == {PLACE_FILTER: [str(place)]}
    shown = [
        json.loads((folder / SHOWN_FOLDER / f"{id_}.json").read_text("utf-8"))["location"]
        for id_ in order
    ]
    assert shown == [entry.location for entry in entries]


def test_a_small_site_has_no_common_words(real_site: Path) -> None:
    # Below COMMON_PAGES pages every word is searched in full: the file is there (the worker
    # fetches it with the engine, offline too) and empty.
    path = real_site / PAGEFIND_FOLDER / COMMON_WORDS_FILE
    assert json.loads(path.read_text(encoding="utf-8")) == {}


def test_a_token_with_an_angle_bracket_does_not_break_the_record() -> None:
    # „odkaz/<identifikátor>“ on the citing page: unescaped, the indexer read a tag there and
    # lost the rest of the section's words.
    text = "<p>Adresa odkaz/&lt;verze&gt; zůstává.</p>"
    entry = PageEntry("jc/", "Jak citovat", (), 1.0, False, (Section("jc/", "Odkazy", text),))
    record, indexed = page_record_html(entry, SynonymTable(EMPTY_GLOSSARY))
    assert "/&lt;verz" in record and "/<verz" not in record
    assert indexed[0].text_words == 3


def test_sections_are_placed_where_the_indexer_counted_them() -> None:
    page = {
        "location": "kp/uvod/",
        "sections": [
            {"id": "s0", "text_words": 3, "synonym_words": 1, "title": "Úvod"},
            {"id": "s2", "text_words": 5, "synonym_words": 0, "title": "Depistáž"},
        ],
    }
    anchors = [
        {"id": "s2", "text": "depistaz zzdepistaz", "location": 6},
        {"id": "s0", "text": "uvod zzuvod", "location": 0},
    ]
    content = "uvod zzuvod a bb ccc. dddd depistaz zzdepistaz v t t t t."
    placed = place_sections(page, {"anchors": anchors, "content": content})
    sections = placed["sections"]
    assert [(s["start"], s["title_words"], s["text_words"]) for s in sections] == [
        (0, 2, 3),
        (6, 2, 5),
    ]
    assert placed["word_lengths"] == "dfabcdhjaaaaa"  # „ccc.“ ends a block: three letters
    # A record the indexer counted differently must stop the build, not misplace every result.
    anchors[0]["location"] = 7
    with pytest.raises(SearchIndexError, match="s0"):
        place_sections(page, {"anchors": anchors, "content": content})


EMPTY_GLOSSARY = type("Knowledge", (), {"glossary": []})()


def test_the_browser_weighs_matches_as_the_index_was_built() -> None:
    # search-worker.js scores a matched word by the part of its section it falls in and finds
    # title words by their mark; with other numbers than the index's it would show the wrong
    # sections of a page first.
    worker = (REPO / "overrides/assets/javascripts/search-worker.js").read_text(encoding="utf-8")
    weights = re.search(
        r"var TITLE_WEIGHT = ([\d.]+), TEXT_WEIGHT = ([\d.]+), SYNONYM_WEIGHT = ([\d.]+);", worker
    )
    assert weights, "the worker's weights are not where this test looks for them"
    assert tuple(map(float, weights.groups())) == (TITLE_WEIGHT, TEXT_WEIGHT, SYNONYM_WEIGHT)
    assert f'var TITLE_MARK = "{TITLE_MARK}";' in worker
    assert f'var NUMBER_MARK = "{NUMBER_MARK}";' in worker
    assert f'var PLACE_FILTER = "{PLACE_FILTER}";' in worker
    assert f'"pagefind/{COMMON_WORDS_FILE}"' in worker
    assert f'"pagefind/{READING_ORDER_FILE}"' in worker
    assert f'"pagefind/{SHOWN_FOLDER}/"' in worker
