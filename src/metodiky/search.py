"""Czech search: one token rule shared with the browser, and glossary synonyms added to the index.

The rule is implemented twice: here (the reference, applied to every indexed section by
`search_index.py`) and in `overrides/assets/javascripts/czech-search.js`, which the search worker
applies to every query. A test feeds both the same words, texts and queries and requires
identical tokens. The rule, in order:

1. split a text at white space and hyphens (`SEPARATOR`), except after a lone letter, so a
   hyphenated short form (`K-centrum`, `e-mail`) stays one word;
2. lowercase, trim punctuation; a Roman ordinal with its full stop (`I.`, `III.`) becomes a digit;
3. drop stop words, including question words („co dělat, když…“);
4. fold diacritics, join the short form (`kcentrum`), turn ordinal words into digits
   (`prvního` → `1`), strip one case ending, join irregular stems.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .model import KnowledgeBase

# Case and number endings of Czech nouns and adjectives, written without diacritics, longest first.
# After Dolamic & Savoy's light stemmer for Czech, folded so that a query typed without háčky
# and čárky lands on the same stem.
SUFFIXES = (
    "atech", "etem", "atum", "ech", "ich", "eho", "emi", "emu", "ete", "eti", "iho", "imi", "imu",
    "ach", "ata", "aty", "ych", "ama", "ami", "ovi", "ymi", "ou", "em", "es", "im", "um",
    "at", "am", "os", "us", "ym", "mi", "a", "e", "i", "o", "u", "y",
)  # fmt: skip
MIN_STEM = 3
# Stems of the same word that the endings alone cannot join (dítě – děti, člověk – lidé), and
# ordinal stems written as the digit (obec prvního typu = obec I. typu = obec 1. typu).
STEM_ALIASES = {
    "det": "dit", "lid": "clovek", "clovec": "clovek", "obc": "obec", "prvn": "1", "tret": "3",
}  # fmt: skip
# „druhý“ shares its stem with „druh“ (kind): only its unambiguous forms are the ordinal 2.
ORDINAL_WORDS = dict.fromkeys(
    ["druha", "druhe", "druheho", "druhemu", "druhou", "druhych", "druhym", "druhymi"], "2"
)
ROMAN_ORDINALS = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
# Every indexed text and every query is split with this pattern (JavaScript and Python read it
# alike): white space, and hyphens except one right after a lone letter (`K-centrum`).
SEPARATOR = r"\s+|(?<![\s(„/][A-Za-z])(?<!^[A-Za-z])-+"
_SEPARATOR = re.compile(SEPARATOR)
# A Roman ordinal keeps its full stop until here (`I.`, `III.,`); a lone `i` is the conjunction.
_ROMAN_ORDINAL = re.compile(r"^(iv|i{1,3})\.[\W_]*$")
_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
STOP_WORDS = frozenset(
    [
        "a",
        "aby",
        "ale",
        "ani",
        "ano",
        "asi",
        "az",
        "bez",
        "by",
        "byl",
        "byla",
        "byli",
        "bylo",
        "byt",
        "cem",
        "cim",
        "co",
        "coz",
        "da",
        "dal",
        "delat",
        "do",
        "i",
        "jaci",
        "jak",
        "jaka",
        "jake",
        "jako",
        "jaky",
        "je",
        "jeho",
        "jej",
        "jeji",
        "jejich",
        "jen",
        "jeste",
        "ji",
        "jiz",
        "jsem",
        "jsme",
        "jsou",
        "jste",
        "k",
        "kam",
        "kde",
        "kdo",
        "kdy",
        "kdyz",
        "ke",
        "koho",
        "kolik",
        "komu",
        "ktera",
        "ktere",
        "kteri",
        "ktery",
        "ma",
        "mam",
        "mate",
        "me",
        "mezi",
        "mi",
        "mit",
        "mohu",
        "mu",
        "musim",
        "muze",
        "muzu",
        "my",
        "na",
        "nad",
        "nam",
        "nas",
        "ne",
        "nebo",
        "neni",
        "nez",
        "nic",
        "o",
        "od",
        "po",
        "pod",
        "pokud",
        "postupovat",
        "pri",
        "pro",
        "proc",
        "proto",
        "s",
        "se",
        "si",
        "smim",
        "sve",
        "svych",
        "ta",
        "tak",
        "take",
        "taky",
        "tam",
        "te",
        "tedy",
        "ten",
        "tento",
        "teto",
        "tim",
        "to",
        "tohoto",
        "tom",
        "tomto",
        "tu",
        "tuto",
        "ty",
        "u",
        "udelat",
        "uz",
        "v",
        "ve",
        "vice",
        "vsak",
        "z",
        "za",
        "ze",
    ]
)


# What a page shows around its text – controls, citations, download links – is not what a reader
# searches for, and it would crowd the snippets: the indexer (search_index.py) skips elements
# marked so.
# Controls are found by their tag or by the `hidden` attribute that page scripts lift; the rest
# by the classes the build gives them.
NOT_CONTENT_TAGS = ("button", "form", "nav", "select", "textarea", "template")
NOT_CONTENT_CLASSES = (
    "mk-cite",
    "mk-cite-ui",
    "mk-cite-example",
    "mk-tool__actions",
    "mk-tool__download",
)
EXCLUDE_MARK = ' data-search-exclude="1"'
_START_TAG = re.compile(r"""<([a-zA-Z][a-zA-Z0-9]*)\b((?:"[^"]*"|'[^']*'|[^>"'])*)>""")
_QUOTED = re.compile(r""""[^"]*"|'[^']*'""")
_HIDDEN = re.compile(r"(?:^|\s)hidden(?:\s|=|$)")
_CLASS = re.compile(r"""\sclass=(?:"([^"]*)"|'([^']*)')""")
# A page about changes quotes old and new text of every changed section: it should answer „co se
# změnilo“ (its title), never push the chapter itself out of the first results.
CHANGES_PAGE_BOOST = 0.1


def exclude_page_furniture(page_html: str) -> str:
    """Mark the controls, citations and download links of a page so search does not index them."""

    def mark(match: re.Match[str]) -> str:
        tag, attributes = match.group(1).lower(), match.group(2)
        if attributes.rstrip().endswith("/") or "data-search-exclude" in attributes:
            return match.group(0)
        classes = _CLASS.search(attributes)
        names = set((classes.group(1) or classes.group(2) or "").split()) if classes else set()
        if (
            tag in NOT_CONTENT_TAGS
            or _HIDDEN.search(_QUOTED.sub('""', attributes))
            or names.intersection(NOT_CONTENT_CLASSES)
        ):
            return f"<{match.group(1)}{attributes}{EXCLUDE_MARK}>"
        return match.group(0)

    return _START_TAG.sub(mark, page_html)


def fold(word: str) -> str:
    """Lowercase without diacritics: `Dítěte` → `ditete`."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


def search_tokens(text: str) -> list[str]:
    """The tokens of a text in order, as the search index holds them (stop words left out)."""
    tokens = (word_token(word) for word in _SEPARATOR.split(text))
    return [token for token in tokens if token]


def word_token(word: str) -> str | None:
    """The token of one word as split from a text or a query; None for a stop word or punctuation."""
    trimmed = trim_word(word.lower())
    if not trimmed or is_stop_word(trimmed):
        return None
    return search_token(trimmed)


def trim_word(word: str) -> str:
    """A lowercased word without surrounding punctuation; `iii.` → `3` (a Roman ordinal)."""
    roman = _ROMAN_ORDINAL.match(word)
    if roman:
        return ROMAN_ORDINALS[roman.group(1)]
    return _EDGES.sub("", word)


def joined_token(previous: str, word: str) -> str | None:
    """The token of a short form typed apart (`K centrum` → `kcentrum`): a lone letter + a word."""
    letter, rest = trim_word(previous.lower()), trim_word(word.lower())
    if len(letter) != 1 or not letter.isalpha() or not rest or "-" in rest:
        return None
    return search_token(letter + rest)


def query_tokens(query: str) -> list[str]:
    """The tokens the browser searches for a typed query: each word's, then the joined short forms."""
    words = [word for word in _SEPARATOR.split(query) if word]
    tokens = [token for token in map(word_token, words) if token]
    joined = (joined_token(a, b) for a, b in zip(words, words[1:], strict=False))
    return tokens + [token for token in joined if token]


# Indexing the site asks for the same few thousand words hundreds of thousands of times.
@functools.lru_cache(maxsize=1 << 16)
def search_token(word: str) -> str:
    """The index and query token of a trimmed word: folded, short form joined, ordinal as a digit,
    case ending removed, irregular stems joined."""
    folded = fold(word).replace("-", "")
    if folded in ORDINAL_WORDS:
        return ORDINAL_WORDS[folded]
    if len(folded) <= MIN_STEM:
        return folded
    for suffix in SUFFIXES:
        if folded.endswith(suffix) and len(folded) - len(suffix) >= MIN_STEM:
            folded = folded[: -len(suffix)]
            break
    if folded.endswith("ic"):  # palatalised k: uprchlíci – uprchlík, pracovnice – pracovník
        folded = folded[:-2] + "ik"
    return STEM_ALIASES.get(folded, folded)


def is_stop_word(word: str) -> bool:
    """Very common words that say nothing about a page (checked on the folded word)."""
    return fold(word) in STOP_WORDS


def glossary_names(knowledge: KnowledgeBase) -> list[tuple[str, ...]]:
    """Every group of names the glossary declares for one thing: term, abbreviation, synonyms, forms."""
    groups = []
    for entry in knowledge.glossary:
        names = [
            entry.term,
            *(entry.abbreviation and [entry.abbreviation] or []),
            *entry.synonyms,
            *entry.forms,
        ]
        groups.append(tuple(dict.fromkeys(names)))
    return groups
