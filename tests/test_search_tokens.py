"""The search token rule is the same in Python (build time) and in the browser (czech-search.js)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
import yaml

from conftest import REPO
from metodiky.search import (
    SEPARATOR,
    STOP_WORDS,
    fold,
    is_stop_word,
    query_tokens,
    search_token,
    search_tokens,
    word_token,
)

CZECH_SEARCH_JS = REPO / "overrides" / "assets" / "javascripts" / "czech-search.js"
NODE_SCRIPT = """
const cs = require(process.argv[1]);
const separator = process.argv[2];
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify({
  separator: cs.SEPARATOR,
  words: input.words.map(w => [cs.searchToken(w), cs.isStopWord(w), cs.wordToken(w)]),
  texts: input.texts.map(t => cs.searchTokens(t, separator)),
  queries: input.queries.map(q => cs.queryTokens(q, separator)),
}));
"""
# The forms readers type that the rule joins: short forms, ordinals, questions.
TYPED_QUERIES = [
    "k-centrum",
    "K-centrum",
    "K centrum",
    "kcentrum",
    "v k-centru",
    "obce prvního typu",
    "obec I. typu",
    "obec 1. typu",
    "obce II. a III. typu",
    "co dělat, když člověk odmítá pomoc?",
    "Je-li dítě v ohrožení…",
    "(K-centrum)",
    "vyhledávání a\u00a0obce s\u00a0rozšířenou působností",  # bound one-letter words
]


def _content_files() -> list[str]:
    """The text of every current content file: the vocabulary readers search in."""
    texts = []
    for folder in ("methodology", "glossary", "docs"):
        for path in (REPO / folder).rglob("*"):
            if path.suffix in (".md", ".yml") and "vydani" not in path.parts:
                texts.append(path.read_text(encoding="utf-8"))
    return texts


def _run_browser_rule(words: list[str], texts: list[str], queries: list[str]) -> dict:
    node = shutil.which("node")
    assert node, "the token parity test needs Node.js (Debian package nodejs)"
    result = subprocess.run(
        [node, "-e", NODE_SCRIPT, str(CZECH_SEARCH_JS), SEPARATOR],
        input=json.dumps({"words": words, "texts": texts, "queries": queries}),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_python_and_browser_give_identical_tokens() -> None:
    files = _content_files()
    words = sorted({w for text in files for w in re.findall(r"[^\W\d_]+", text)})
    words += ["Dítěte", "DĚTEM", "obcích", "OSPODu", "ne", "Ž", "K-centrum", "III.", "druhého"]
    words += sorted(STOP_WORDS)
    assert len(words) > 5000
    lines = [line for text in files for line in text.splitlines() if line.strip()]
    assert len(lines) > 3000
    bench = yaml.safe_load((REPO / "bench" / "search_queries.yml").read_text(encoding="utf-8"))
    queries = TYPED_QUERIES + [query["query"] for query in bench]
    browser = _run_browser_rule(words, lines, queries)
    assert browser["separator"] == SEPARATOR  # the worker splits queries with its own copy
    mismatches = [
        (word, py, js)
        for word, js in zip(words, browser["words"], strict=True)
        if (py := [search_token(word), is_stop_word(word), word_token(word)]) != js
    ]
    mismatches += [
        (line, py, js)
        for line, js in zip(lines, browser["texts"], strict=True)
        if (py := search_tokens(line)) != js
    ]
    mismatches += [
        (query, py, js)
        for query, js in zip(queries, browser["queries"], strict=True)
        if (py := query_tokens(query)) != js
    ]
    assert not mismatches, mismatches[:20]


@pytest.mark.parametrize(
    "forms",
    [
        ["depistáž", "depistaz", "Depistáže", "depistáží"],
        ["dítě", "dítěte", "dětem", "děti", "dětí", "detmi"],
        ["obec", "obce", "obcích", "obci", "obcim"],
        ["konference", "konferenci", "konferencí", "konferencich"],
        ["rodičovský", "rodicovsky", "rodičovského", "rodičovském"],
        ["uprchlíci", "uprchlík", "uprchlíků", "uprchliky"],
        ["senior", "seniorům", "seniory", "seniorech"],
    ],
)
def test_inflected_and_unaccented_forms_share_a_token(forms: list[str]) -> None:
    assert len({search_token(form) for form in forms}) == 1, {f: search_token(f) for f in forms}


@pytest.mark.parametrize(
    "forms",
    [
        ["K-centrum", "k-centrum", "kcentrum", "K-centra", "v K-centru", "(K-centrum)"],
        ["obce prvního typu", "obec I. typu", "obcí 1. typu", "obci prvniho typu"],
        ["obce druhého typu", "obec II. typu", "obec 2. typu"],
        ["obcí třetího typu", "obec III. typu", "obec 3. typu", "obec tretiho typu"],
        ["co dělat, když člověk odmítá pomoc?", "Člověk odmítá pomoc", "clovek odmita pomoc"],
        ["Jak mám postupovat, když rodiče nesouhlasí?", "rodiče nesouhlasí"],
    ],
)
def test_typed_variants_of_a_text_search_the_same_tokens(forms: list[str]) -> None:
    """Short forms, ordinals and questions: what the reader types matches what the text says."""
    assert len({tuple(search_tokens(form)) for form in forms}) == 1, {
        form: search_tokens(form) for form in forms
    }


def test_a_short_form_typed_apart_also_searches_the_joined_word() -> None:
    assert search_tokens("kcentrum")[0] in query_tokens("K centrum")
    assert search_tokens("centrum")[0] in query_tokens("K centrum")
    # In a text the preposition stays a preposition: „k centru obce“ is not the K-centrum.
    assert search_tokens("cesta k centru obce") == search_tokens("cesta centru obce")


def test_different_words_stay_apart() -> None:
    assert search_token("model") != search_token("modelové")
    assert search_token("obec") != search_token("obchod")
    assert fold("Žluťoučký") == "zlutoucky"
    # „druh“ (a kind) is not the ordinal „druhý“, the conjunction „i“ not the numeral „I.“.
    assert search_tokens("druhy služeb") == [search_token("druh"), search_token("služeb")]
    assert search_tokens("děti i rodiče") == [search_token("děti"), search_token("rodiče")]
    # A compound of two words is two words: „sociálně-právní“ is found by „právní“.
    assert search_tokens("sociálně-právní ochrana") == ["socialn", "pravn", "ochran"]
