"""Czech search: one token rule shared with the browser, and glossary synonyms added to the index.

The rule (fold diacritics, strip case endings, join a few irregular stems) is implemented twice:
here for the index and in `overrides/assets/javascripts/lunr/min/lunr.cs.min.js` for queries.
A test feeds both the same words and requires identical tokens.
"""

from __future__ import annotations

import functools
import html
import json
import re
import unicodedata
from pathlib import Path

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
# Stems of the same word that the endings alone cannot join (dítě – děti, člověk – lidé).
STEM_ALIASES = {"det": "dit", "lid": "clovek", "clovec": "clovek", "obc": "obec"}
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
        "co",
        "coz",
        "da",
        "do",
        "i",
        "jak",
        "jako",
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
        "ktera",
        "ktere",
        "kteri",
        "ktery",
        "ma",
        "mate",
        "me",
        "mezi",
        "mi",
        "mit",
        "mu",
        "muze",
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
        "pro",
        "proc",
        "proto",
        "pri",
        "s",
        "se",
        "si",
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


def fold(word: str) -> str:
    """Lowercase without diacritics: `Dítěte` → `ditete`."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


# Indexing the site asks for the same few thousand words hundreds of thousands of times.
@functools.lru_cache(maxsize=1 << 16)
def search_token(word: str) -> str:
    """The index and query token of a word: folded, case ending removed, irregular stems joined."""
    folded = fold(word)
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


def add_synonyms_to_index(
    index_path: Path, knowledge: KnowledgeBase, field: str = "synonyma"
) -> int:
    """Give every indexed section that names a glossary term the term's other names as keywords.

    A reader who types `ospod` then finds sections that spell out „orgán sociálně-právní ochrany
    dětí“, and the other way round. Returns the number of sections enriched.
    """
    index = json.loads(index_path.read_text(encoding="utf-8"))
    # Phrases by their first token: one pass over a section's tokens finds every name in it.
    phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    groups = glossary_names(knowledge)
    for number, group in enumerate(groups):
        for name in group:
            tokens = tuple(_tokens(name))
            if tokens:
                phrases.setdefault(tokens[0], []).append((tokens, number))
    enriched = 0
    for document in index["docs"]:
        tokens = _tokens(
            re.sub(r"<[^>]+>", " ", f"{document.get('title', '')} {document.get('text', '')}")
        )
        found: set[int] = set()
        for position, token in enumerate(tokens):
            for phrase, number in phrases.get(token, ()):
                if (
                    number not in found
                    and tuple(tokens[position : position + len(phrase)]) == phrase
                ):
                    found.add(number)
        if found:
            keywords = [name for number in sorted(found) for name in groups[number]]
            # Stored as HTML like the index's other fields: a synonym is text, never markup.
            document[field] = html.escape(" ".join(dict.fromkeys(keywords)), quote=False)
            enriched += 1
    index_path.write_text(
        json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )
    return enriched


def _tokens(text: str) -> list[str]:
    """The search tokens of a text in order, so inflected mentions (OSPODu, lokalitách) count too."""
    return [search_token(word) for word in re.findall(r"\w+", text)]
