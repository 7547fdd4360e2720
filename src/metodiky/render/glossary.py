"""The A–Z glossary page, generated from `glossary/` only."""

from __future__ import annotations

from itertools import groupby

from ..model import GlossaryEntry, KnowledgeBase
from .inline import plain_markdown
from .preview import shorten

GLOSSARY_URI = "slovnik/index.md"
CZECH_ALPHABET = "aábcčdďeéěfghiíjklmnňoópqrřsštťuúůvwxyýzž"


def czech_sort_key(text: str) -> tuple:
    """Sort by the Czech alphabet (č after c, ř after r, ch after h), independent of system locales."""
    folded = text.casefold().replace("ch", "h\uffff")
    return tuple(CZECH_ALPHABET.find(c) if c in CZECH_ALPHABET else 100 + ord(c) for c in folded)


def _initial(entry: GlossaryEntry) -> str:
    word = entry.term.casefold()
    if word.startswith("ch"):
        return "Ch"
    first = word[:1]
    return {"č": "Č", "ř": "Ř", "š": "Š", "ž": "Ž"}.get(first, _base_letter(first).upper())


def _base_letter(letter: str) -> str:
    return {
        "á": "a",
        "ď": "d",
        "é": "e",
        "ě": "e",
        "í": "i",
        "ó": "o",
        "ť": "t",
        "ú": "u",
        "ů": "u",
        "ý": "y",
    }.get(letter, letter)


def _letter_anchor(letter: str) -> str:
    return {"Č": "c-hacek", "Ř": "r-hacek", "Š": "s-hacek", "Ž": "z-hacek", "Ch": "ch"}.get(
        letter, letter.lower()
    )


def letter_anchors(entries: tuple[GlossaryEntry, ...]) -> dict[str, str]:
    """The anchors of the letter headings on the glossary page, each with its letter."""
    return {f"pismeno-{_letter_anchor(_initial(entry))}": _initial(entry) for entry in entries}


def render_glossary_markdown(knowledge: KnowledgeBase) -> str:
    """Glossary page: terms grouped by initial letter; each term is a heading with its own anchor,
    so that search lists the definition itself when someone types a term or an abbreviation."""
    terms = {entry.id: entry for entry in knowledge.glossary}
    entries = sorted(knowledge.glossary, key=lambda e: czech_sort_key(e.term))
    groups = [(letter, list(group)) for letter, group in groupby(entries, key=_initial)]
    jump = " · ".join(f"[{letter}](#pismeno-{_letter_anchor(letter)})" for letter, _ in groups)
    lines = [
        "---",
        "hide:",
        "  - toc",
        "---",
        "",
        "# Slovník pojmů",
        "",
        "Pojmy a zkratky používané v metodikách, seřazené abecedně.",
        "Vysvětlení zkratek se zobrazí i po najetí nebo klepnutí na zkratku kdekoli na webu.",
        "",
        f'<nav class="mk-glossary-letters" aria-label="Písmena" markdown>{jump}</nav>',
        "",
    ]
    for letter, group in groups:
        lines += [f"## {letter} {{#pismeno-{_letter_anchor(letter)}}}", ""]
        for entry in group:
            name = f"{entry.term} ({entry.abbreviation})" if entry.abbreviation else entry.term
            definition = plain_markdown(entry.definition)
            lines += [f"### {plain_markdown(name)} {{#{entry.id}}}", "", definition, ""]
            if entry.synonyms:
                lines += [f"*Také:* {', '.join(plain_markdown(s) for s in entry.synonyms)}.", ""]
            if entry.legal_basis:
                lines += [f"*Právní opora:* {plain_markdown(entry.legal_basis)}.", ""]
            related = [terms[i] for i in entry.see_also if i in terms]
            if related:
                lines += [
                    "*Viz též:* "
                    + ", ".join(f"[{plain_markdown(t.term)}](#{t.id})" for t in related)
                    + ".",
                    "",
                ]
    return "\n".join(lines)


TOOLTIP_LIMIT = 220


def abbreviation_glossary(knowledge: KnowledgeBase) -> dict[str, str]:
    """Abbreviations and terms with short explanations, for tooltips on every page.

    Inflected forms are left out on purpose: with them nearly every line of a chapter was
    underlined, which made the text harder to read on a phone.
    """
    definitions: dict[str, str] = {}
    for entry in knowledge.glossary:
        explanation = shorten(entry.definition, TOOLTIP_LIMIT)
        if entry.abbreviation:
            definitions.setdefault(entry.abbreviation, f"{entry.term} – {explanation}")
        definitions.setdefault(entry.term, explanation)
    return definitions
