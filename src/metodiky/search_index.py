"""The site's search index: every page's sections as Pagefind records, tokenised by the Czech rule.

Pagefind splits the index into small files, so the first query on a phone downloads the engine,
the index chunks of the query's words and the records it shows – not the whole site's text.

Each page is one Pagefind record, its sections (the text under each heading) headings of their
own inside it, so Pagefind reports which section matched. Pagefind indexes the tokens of our rule
(`search.search_tokens`: folded, stemmed, short forms joined), never the words themselves, and
the browser applies the same rule to the query (`czech-search.js`). What a reader sees of a
page's sections – titles, texts and addresses – and where each section begins among the record's
words is one small file per page (`pagefind/texty/`), not Pagefind metadata, whose every word
Pagefind would index; the browser never needs Pagefind's own record of the page.
Records are spooled to disk per page while pages render, so memory does not grow with the site,
and a rebuild that renders only some pages reuses the others' records.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import math
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from pathlib import Path

from .model import KnowledgeBase
from .search import glossary_names, search_tokens

PAGEFIND_FOLDER = "pagefind"
LANGUAGE = "cs"
# Pagefind weighs the words of an element by `data-pagefind-weight` (1 by default, at most 10):
# a word in a section's title counts as much as ten in its text; a glossary synonym twice.
TITLE_WEIGHT = 10.0
SYNONYM_WEIGHT = 0.5
TEXT_WEIGHT = 0.25
# A token's repeats beyond this many say little more about a section (ranking saturates) but
# would grow the index: the index stores where each occurrence is.
TOKEN_REPEATS = 3
# Kept in the snippet text so that sentences and list items can be told apart; all else is text.
KEPT_TAGS = ("p", "li", "pre")
_HEADING = re.compile(r"h[1-6]")
_SKIPPED_TAGS = ("script", "style", "template", "svg")
_VOID_TAGS = frozenset(
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"]
)
_SPACE = re.compile(r"\s+")
# The site's numbering in front of a title („4.2 Oslovení“, „1 Úvod“) is not searched for: as a
# token the „1“ of every first chapter would answer „obec I. typu“.
_NUMBERING = re.compile(r"^\s*\d+(?:\.\d+)*\s+")


@dataclass(frozen=True)
class Section:
    """The text under one heading of a page, as search shows it."""

    location: str  # relative to the site root: `slug/page/` or `slug/page/#section-id`
    title: str  # escaped text
    text: str  # escaped text with <p>, <li> and <pre> kept


@dataclass(frozen=True)
class PageEntry:
    """What search knows of one page: where it is, how it is labelled, and its sections."""

    location: str
    title: str
    tags: tuple[str, ...]
    weight: float  # 1.0; less for pages that should answer only when nothing else does
    titles_only: bool  # headings searchable, text only shown
    sections: tuple[Section, ...]


class _SectionParser(HTMLParser):
    """Splits a page's content at its headings with an id; skips what is marked not to be searched."""

    def __init__(self, location: str, title: str):
        super().__init__(convert_charrefs=True)
        self.location = location
        self.sections: list[list] = [[location, [], [], True]]  # location, title, text, untitled
        self._open: list[str] = []
        self._skip_depth: int | None = None
        self._heading_depth: int | None = None
        self._page_title = title

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag in _VOID_TAGS:
            if tag == "br" and self._skip_depth is None:
                self._text().append("<br>")
            return
        self._open.append(tag)
        if self._skip_depth is not None:
            return
        classes = (names.get("class") or "").split()
        if "data-search-exclude" in names or tag in _SKIPPED_TAGS or "headerlink" in classes:
            self._skip_depth = len(self._open)
            return
        if _HEADING.fullmatch(tag) and names.get("id"):
            first = len(self.sections) == 1 and self.sections[0][3] and tag == "h1"
            if not first:
                self.sections.append([f"{self.location}#{names['id']}", [], [], False])
            else:
                self.sections[0][3] = False
            self._heading_depth = len(self._open)
        elif tag in KEPT_TAGS and self._heading_depth is None:
            self._text().append(f"<{tag}>")
        elif self._heading_depth is None:
            self._text().append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS or tag not in self._open:
            return
        while self._open:
            depth = len(self._open)
            closed = self._open.pop()
            if self._skip_depth == depth:
                self._skip_depth = None
            elif self._skip_depth is None:
                if self._heading_depth == depth:
                    self._heading_depth = None
                elif closed in KEPT_TAGS and self._heading_depth is None:
                    self._text().append(f"</{closed}>")
            if closed == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._skip_depth is not None:
            return
        target = self.sections[-1][1] if self._heading_depth is not None else self._text()
        target.append(html.escape(data, quote=False))

    def _text(self) -> list[str]:
        return self.sections[-1][2]

    def result(self) -> list[Section]:
        sections = []
        for location, title, text, untitled in self.sections:
            heading = _SPACE.sub(" ", "".join(title)).strip()
            if untitled:
                heading = html.escape(self._page_title, quote=False)
            body = _SPACE.sub(" ", "".join(text)).strip()
            body = re.sub(r"<(p|li|pre)>\s*</\1>", "", body)
            if heading or body:
                sections.append(Section(location, heading, body))
        return sections


def page_sections(content_html: str, location: str, title: str) -> list[Section]:
    """The sections of a page's content: the page itself (its title and opening), then one per
    heading with an id. Elements marked `data-search-exclude`, scripts and heading links are left out.
    """
    parser = _SectionParser(location, title)
    parser.feed(content_html)
    parser.close()
    return parser.result()


def plain_text(section_html: str) -> str:
    """The words of escaped text with its few tags, as a reader sees them."""
    return html.unescape(re.sub(r"<[^>]+>", " ", section_html))


class SynonymTable:
    """The glossary's groups of names (term, abbreviation, synonyms, forms) found in a text."""

    def __init__(self, knowledge: KnowledgeBase):
        self.groups = glossary_names(knowledge)
        # Phrases by their first token: one pass over a text's tokens finds every name in it.
        self.phrases: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for number, group in enumerate(self.groups):
            for name in group:
                tokens = tuple(search_tokens(name))
                if tokens:
                    self.phrases.setdefault(tokens[0], []).append((tokens, number))

    def synonyms(self, tokens: list[str]) -> list[str]:
        """Every name of every glossary group one of whose names occurs in the tokens."""
        found: set[int] = set()
        for position, token in enumerate(tokens):
            for phrase, number in self.phrases.get(token, ()):
                if (
                    number not in found
                    and tuple(tokens[position : position + len(phrase)]) == phrase
                ):
                    found.add(number)
        return list(dict.fromkeys(name for number in sorted(found) for name in self.groups[number]))


# A number is indexed between two of these letters (`1` → `c1c`), see index_word.
NUMBER_MARK = "c"


def index_word(token: str) -> str:
    """A token as Pagefind's index holds it: a number between two letters (`1` → `c1c`), because
    Pagefind matches beginnings of words: the ordinal `1` („obec I. typu“) would otherwise match
    every „128/2000“ and „1.1“ by its first digit, and with only the letter in front still every
    10, 128 and 1999 – thousands of places in a large site, each costing the browser time.
    search-worker.js asks with the same form."""
    return f"{NUMBER_MARK}{token}{NUMBER_MARK}" if token.isdigit() else token


def condensed(tokens: list[str], repeats: int = TOKEN_REPEATS) -> list[str]:
    """Each token as often as it occurs, at most `repeats` times, grouped in order of first use,
    in the form the index holds (`index_word`)."""
    counts: dict[str, int] = {}
    for token in map(index_word, tokens):
        counts[token] = counts.get(token, 0) + 1
    return [token for token, count in counts.items() for _ in range(min(count, repeats))]


@dataclass(frozen=True)
class IndexedSection:
    """A section as its page's record holds it: the words of its heading, then of its text, then
    the glossary's other names found in it. The browser tells by these counts whether a matched
    word is in a title, the text or a synonym (their weights differ), without Pagefind's record."""

    number: int
    text_words: int
    synonym_words: int


def page_record_html(
    entry: PageEntry, synonyms: SynonymTable, place: int = 0
) -> tuple[str, list[IndexedSection]] | None:
    """One page as the HTML document Pagefind indexes – its sections' tokens only, each section
    under a heading with the id `s<number>`, so Pagefind reports where each section begins –
    and the sections indexed (None: the page has no tokens at all).

    Pagefind indexes every word of a record's metadata too, so what a reader sees (title, text,
    address) is not metadata but a file of its own (`shown_page`). A page that answers only by
    its headings (`titles_only`: the changes pages, which quote old and new text of every changed
    section) has its sections' text shown but not indexed. One record per page, not per section:
    the list of records every first query downloads stays small as the site grows.
    `place` is the page's place in reading order, a Pagefind filter (PLACE_FILTER).
    """

    def block(tag: str, tokens: list[str], weight: float, extra: str = "") -> str:
        if not tokens:
            return ""
        words = html.escape(" ".join(tokens), quote=False)  # a token may hold `<` („/<id>“)
        return f'<{tag}{extra} data-pagefind-weight="{weight * entry.weight:g}">{words}</{tag}>'

    parts, indexed = [], []
    for number, section in enumerate(entry.sections):
        title_tokens = search_tokens(_NUMBERING.sub("", plain_text(section.title)))
        text_tokens = [] if entry.titles_only else search_tokens(plain_text(section.text))
        if not title_tokens and not text_tokens:
            continue  # a glossary letter heading „K“: a stop word
        names = synonyms.synonyms(title_tokens + text_tokens)
        # A section's heading needs a word for Pagefind to count it; `0` is never asked for
        # (numbers are asked for as `c0c`, see index_word).
        heading = condensed(title_tokens, 1) or [SECTION_WITHOUT_TITLE]
        heading += [TITLE_MARK + word for word in condensed(title_tokens, 1)]
        text = condensed(text_tokens)
        names = condensed(search_tokens(" ".join(names)), 1)
        parts.append(block("h2", heading, TITLE_WEIGHT, f' id="s{number}"'))
        parts.append(block("p", text, TEXT_WEIGHT))
        parts.append(block("p", names, SYNONYM_WEIGHT))
        indexed.append(IndexedSection(number, len(text), len(names)))
    if not indexed:
        return None
    body = "".join(parts)
    return (
        f'<html lang="{LANGUAGE}"><body><main data-pagefind-body '
        f'data-pagefind-filter="{PLACE_FILTER}:{place}">{body}</main></body></html>',
        indexed,
    )


SECTION_WITHOUT_TITLE = "0"
# Each word of a section's title is indexed a second time with this mark in front: a query asks
# for both forms and so learns which pages have its words in a title. Common words („sociální
# práce“) occur in most pages, so their scores alone barely tell pages apart; in titles they do.
# No Czech word begins so.
TITLE_MARK = "zz"


def shown_page(entry: PageEntry, indexed: list[IndexedSection]) -> dict:
    """What results show of a page – its title, address, tags and each indexed section's address,
    title and text – and how many words each section has in the text and synonym parts of the
    record. `place_sections` adds where each section begins once Pagefind has counted."""
    return {
        "page": entry.title,
        "location": entry.location,
        "tags": list(entry.tags),
        "weight": entry.weight,
        "sections": [
            {
                "id": f"s{section.number}",
                "text_words": section.text_words,
                "synonym_words": section.synonym_words,
                "location": entry.sections[section.number].location,
                "title": entry.sections[section.number].title,
                "text": "" if entry.titles_only else entry.sections[section.number].text,
            }
            for section in indexed
        ],
    }


def place_sections(page: dict, fragment: dict) -> dict:
    """The page's shown record completed from Pagefind's record of it (`fragment`): where each
    section begins, how many words its title has, and the length of every indexed word. With
    these the browser finds a matched word's section and scores it as Pagefind would (a word the
    token only begins counts less the longer it is) from the search result alone, so a query
    needs no Pagefind record: one request less per page shown."""
    by_id = {anchor["id"]: anchor for anchor in fragment["anchors"]}
    sections = []
    for section in page["sections"]:
        anchor = by_id[section["id"]]
        title_words = len(anchor["text"].split())
        sections.append({"start": anchor["location"], "title_words": title_words, **section})
    sections.sort(key=lambda section: section["start"])
    for section, following in zip(sections, [*sections[1:], None], strict=True):
        own = section["title_words"] + section["text_words"] + section["synonym_words"]
        if following is not None and section["start"] + own != following["start"]:
            counted = following["start"] - section["start"]
            raise SearchIndexError(
                f"{page['location']}: oddíl {section['id']} má v indexu {counted} slov místo "
                f"{own}; hledání by ukazovalo špatné oddíly"
            )
        del section["synonym_words"], section["id"]
    # One letter per word: `a` for one character … `z` for 26 or more (block ends carry a „.“).
    lengths = "".join(
        chr(ord("a") + min(len(word.rstrip(".")), 26) - 1) for word in fragment["content"].split()
    )
    return {**page, "word_lengths": lengths, "sections": sections}


class SearchSpool:
    """Each page's search entry on disk, written as the page renders, read when the index is made.

    A page that is not rendered again (a rebuild of changed pages only) keeps its earlier entry.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def _path(self, page_location: str) -> Path:
        name = hashlib.sha256(page_location.encode()).hexdigest()[:24]
        return self.folder / f"{name}.json"

    def put(self, entry: PageEntry | None, page_location: str) -> None:
        """Store a page's entry; None means the page is not searchable (any old entry goes)."""
        path = self._path(page_location)
        if entry is None:
            path.unlink(missing_ok=True)
            return
        partial = path.with_suffix(".partial")
        partial.write_text(json.dumps(asdict(entry), ensure_ascii=False), encoding="utf-8")
        partial.replace(path)

    def entries(self, page_locations: Iterable[str]) -> Iterator[PageEntry]:
        """The stored entries of these pages, in the order given (pages without one are skipped)."""
        for location in page_locations:
            path = self._path(location)
            if path.is_file():
                data = json.loads(path.read_text(encoding="utf-8"))
                sections = tuple(Section(**section) for section in data.pop("sections"))
                yield PageEntry(**{**data, "tags": tuple(data["tags"]), "sections": sections})


class SearchIndexError(Exception):
    """Pagefind could not index the records (its own message follows)."""


def write_search_index(
    site_dir: Path, entries: Iterable[PageEntry], knowledge: KnowledgeBase
) -> int:
    """Index every section of the entries into `site_dir/pagefind/`; return the section count.

    Each page is written as a small HTML file and Pagefind's command indexes the folder in one
    run (its Python wrapper answers one record per tenth of a second). What results show of a
    page goes to `pagefind/texty/<id>.json`, named by the page id Pagefind gives the browser, so
    showing a page's results costs one small file fetched right after the index chunks.
    """
    from pagefind.service import get_executable

    synonyms = SynonymTable(knowledge)
    output = site_dir / PAGEFIND_FOLDER
    with tempfile.TemporaryDirectory(prefix="metodiky-hledani-") as folder:
        records = Path(folder)
        count = pages = 0
        for entry in entries:
            record = page_record_html(entry, synonyms, place=pages)
            if record is None:
                continue
            html_text, indexed = record
            pages += 1
            path = records / f"{pages // 1000:04d}" / f"{pages:07d}.html"
            path.parent.mkdir(exist_ok=True)
            path.write_text(html_text, encoding="utf-8")
            shown = json.dumps(shown_page(entry, indexed), ensure_ascii=False)
            path.with_suffix(".json").write_text(shown, encoding="utf-8")
            count += len(indexed)
        shutil.rmtree(output, ignore_errors=True)
        command = [
            str(get_executable()),
            "--site", str(records),
            "--output-path", str(output.resolve()),
            "--force-language", LANGUAGE,
            "--include-characters", INNER_CHARACTERS,
            "--quiet",
        ]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise SearchIndexError((done.stderr or done.stdout).strip()[-2000:])
        shown_folder = output / SHOWN_FOLDER
        shown_folder.mkdir()
        numbered = []
        pages_with: dict[str, int] = {}
        for fragment in (output / "fragment").glob("*.pf_fragment"):
            indexed = _read_fragment(fragment)
            for word in {word.rstrip(".") for word in indexed["content"].split()}:
                pages_with[word] = pages_with.get(word, 0) + 1
            source = (records / indexed["url"].strip("/")).with_suffix(".json")
            page = place_sections(json.loads(source.read_text(encoding="utf-8")), indexed)
            shown = json.dumps(page, ensure_ascii=False, separators=(",", ":"))
            (shown_folder / f"{fragment.stem}.json").write_text(shown, encoding="utf-8")
            numbered.append((source.stem, fragment.stem))
        order = [page_id for _, page_id in sorted(numbered)]
        (output / READING_ORDER_FILE).write_text(json.dumps(order), encoding="utf-8")
        common = common_words(pages_with, len(order))
        (output / COMMON_WORDS_FILE).write_text(json.dumps(common), encoding="utf-8")
    for name in UNUSED_FILES:
        (output / name).unlink(missing_ok=True)
    return count


def common_words(pages_with: dict[str, int], page_count: int) -> dict[str, int]:
    """The indexed words found in a quarter of the pages or more (COMMON_SHARE), and in at
    least COMMON_PAGES, with their page counts: the words whose search costs the browser most
    (search-worker.js)."""
    at_least = max(COMMON_PAGES, math.ceil(page_count * COMMON_SHARE))
    return {word: count for word, count in sorted(pages_with.items()) if count >= at_least}


SHOWN_FOLDER = "texty"
# Pagefind's time for one word grows with the places it is found at, and it returns every one
# of them: a word of most of 2 000 pages costs 20–40 ms in a phone-class browser. The worker
# searches such a word, once the query's other words have found the candidate pages, only in
# those (a Pagefind filter: the record's place in reading order). Which words are that common
# is counted here and fetched with the engine (3 kB at 50× content, `{}` below COMMON_PAGES
# pages); a word of fewer pages is searched in full, and the filter's own file (10 kB at 50×)
# is fetched only by a query that has a common word.
COMMON_WORDS_FILE = "caste.json"
COMMON_PAGES = 300
COMMON_SHARE = 0.25
PLACE_FILTER = "p"
# The page ids in reading order, fetched with the engine: of two pages that score alike (a text
# copied into another methodology), the one read first is shown first. A sort key inside
# Pagefind's index would cost a third, sorted search per word of every query.
READING_ORDER_FILE = "poradi.json"
# Tokens keep these characters inside (section numbers „4.2“, laws „128/2000“, „o.p.s.“): Pagefind
# would split there, and the ordinal `1` of „obec I. typu“ would then match every section 4.1.
INNER_CHARACTERS = "./"


def _read_fragment(path: Path) -> dict:
    data = gzip.decompress(path.read_bytes())
    return json.loads(data[data.index(b"{") :])


# Pagefind's own search interfaces; Material's search box is used instead.
UNUSED_FILES = (
    "pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js",
    "pagefind-worker.js",
)  # fmt: skip


def read_search_records(site_dir: Path) -> list[dict]:
    """Every section of a built index: what it shows, and the tokens Pagefind indexed for it
    (`content`), for tests and the benchmark."""
    output = site_dir / PAGEFIND_FOLDER
    records = []
    for path in sorted((output / "fragment").glob("*.pf_fragment")):
        words = _read_fragment(path)["content"].split()
        shown = json.loads(
            (output / SHOWN_FOLDER / f"{path.stem}.json").read_text(encoding="utf-8")
        )
        page = {"page": shown["page"], "page_location": shown["location"], "tags": shown["tags"]}
        sections = shown["sections"]
        ends = [section["start"] for section in sections[1:]] + [len(words)]
        for section, end in zip(sections, ends, strict=True):
            content = " ".join(words[section["start"] : end])
            records.append({**page, **section, "content": content})
    return records
