"""Citations per ČSN ISO 690: one CSL-JSON record per citable unit, formatted by a CSL processor.

The records (a methodology version, its chapters, sections, checklists and trees) are data; the
text is made by pandoc's citeproc with the Czech ISO 690 style vendored in `templates/`, never
assembled here. Records go to pandoc in a few large calls and the results are cached.

The date of access is part of the formatted text but only the reader knows it: records are
formatted with a sentinel date that is replaced by `ACCESS_PLACEHOLDER`; the site's script puts
today's date in its place when a reader copies a citation, and print leaves the template to fill.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from html import unescape
from importlib import resources
from pathlib import Path
from typing import Any

import pypandoc

from .model import Chapter, Edition, Methodology
from .numbering import section_numbers
from .permalinks import absolute_url, permalink_path, permalink_version

PUBLISHER = "Metodiky sociální práce"
STYLE_FILE = "iso690-numeric-cs.csl"
ACCESS_PLACEHOLDER = "RRRR-MM-DD"
# Any real date would do; this one cannot be mistaken for a reader's date of access.
_SENTINEL = dt.date(1111, 11, 11)
TOOL_NAMES = {"checklist": "kontrolní seznam", "decision_tree": "rozhodovací strom"}

Record = dict[str, Any]


@dataclass(frozen=True)
class Citation:
    """A citable unit: its CSL-JSON record and the citation text (plain, and HTML with italics)."""

    unit: str  # chapter, section or tool id; the methodology's slug for the whole version
    record: Record
    text: str
    html: str


def edition_records(edition: Edition, site_url: str) -> list[Record]:
    """One CSL-JSON record per citable unit of a methodology version: the version itself, each
    chapter and section (by its permanent link) and each checklist and tree (by its anchor)."""
    content = edition.content
    numbers = section_numbers(content)
    records = [_record(edition, edition.methodology.slug, None, _edition_url(edition, site_url))]
    for chapter in content.chapters:
        for heading in chapter.headings:
            if heading.id in numbers:
                number = numbers[heading.id]
                kind = "Oddíl" if "." in number else "Kapitola"
                part = f"{kind} {number}, {_plain(heading.title)}"
                url = _permalink(edition, heading.id, site_url)
                records.append(_record(edition, heading.id, part, url))
        records += _tool_records(edition, chapter, site_url)
    return records


def format_records(
    records: Sequence[Record], accessed: dt.date | None = None, cache: Path | None = None
) -> list[Citation]:
    """Format records with the ISO 690 style in one pandoc call; same order as given.

    Without `accessed`, the date of access reads `ACCESS_PLACEHOLDER`. With `cache`, a result
    for the same records, style and pandoc is read from that folder instead of running pandoc.
    """
    day = accessed or _SENTINEL
    keys = [_record_key(record, day) for record in records]
    missing = [record for record, key in zip(records, keys, strict=True) if key not in _FORMATTED]
    if missing:
        payload = _payload(missing, day)
        formatted = _cached_format(payload, cache) if cache else _format(payload)
        for record, (text, html) in zip(missing, formatted, strict=True):
            if accessed is None:
                text = text.replace(_SENTINEL.isoformat(), ACCESS_PLACEHOLDER)
                html = html.replace(_SENTINEL.isoformat(), ACCESS_PLACEHOLDER)
            _FORMATTED[_record_key(record, day)] = (text, html)
    return [
        Citation(_unit(record), record, *_FORMATTED[key])
        for record, key in zip(records, keys, strict=True)
    ]


def cite_editions(
    editions: Sequence[Edition], site_url: str, cache: Path | None = None
) -> dict[tuple[str, str], Citation]:
    """Every citable unit of the given editions, keyed by (edition prefix, unit id).

    Records go to pandoc in chunks of whole methodologies: citeproc holds all records of a call
    at once (gigabytes for 150 methodologies), and an edit re-formats only its own chunk. The
    chunks are formatted side by side, one pandoc per core (a cold build waits for them all).
    """
    cited: dict[tuple[str, str], Citation] = {}
    used: set[Path] = set()

    def format_chunk(chunk: list[tuple[Edition, list[Record]]]) -> None:
        keyed = [(edition.prefix, record) for edition, records in chunk for record in records]
        records = [record for _, record in keyed]
        citations = format_records(records, cache=cache)
        cited.update({(p, c.unit): c for (p, _), c in zip(keyed, citations, strict=True)})
        if cache:
            used.add(_cache_path(_payload(records, _SENTINEL), cache))

    chunks = list(_chunks([(e, edition_records(e, site_url)) for e in editions]))
    with ThreadPoolExecutor(max_workers=min(len(chunks), os.cpu_count() or 1) or 1) as pool:
        list(pool.map(format_chunk, chunks))  # list(): the first failure is raised here
    if cache and cache.is_dir():
        for stale in cache.glob("citace-*.json"):
            if stale not in used:
                stale.unlink(missing_ok=True)
    return cited


# Units per pandoc call: citeproc's memory grows with the records of one call.
CHUNK_UNITS = 1500


def _chunks(
    editions: list[tuple[Edition, list[Record]]],
) -> Iterator[list[tuple[Edition, list[Record]]]]:
    """Editions in consecutive groups of whole methodologies, about CHUNK_UNITS records each."""
    chunk: list[tuple[Edition, list[Record]]] = []
    units = 0
    for index, (edition, records) in enumerate(editions):
        chunk.append((edition, records))
        units += len(records)
        following = editions[index + 1][0] if index + 1 < len(editions) else None
        if following is None or (
            units >= CHUNK_UNITS and following.methodology is not edition.methodology
        ):
            yield chunk
            chunk, units = [], 0


def page_units(edition: Edition, chapter: Chapter | None) -> list[str]:
    """Units cited on one page, the page's own first: the version on its overview; a chapter,
    its sections and its tools on a chapter page."""
    if chapter is None:
        return [edition.methodology.slug]
    numbers = section_numbers(edition.content)
    units = [heading.id for heading in chapter.headings if heading.id in numbers]
    tools = {tool.id for tool in (*edition.content.checklists, *edition.content.trees)}
    for kind in TOOL_NAMES:
        units += [f"nastroj-{i}" for i in chapter.macro_calls(kind) if i in tools]
    return units


def chapter_citation(edition: Edition, chapter: Chapter, site_url: str) -> str:
    """The plain citation of one chapter (for the PDF and Word files), date of access to fill in."""
    citations = _edition_citations(edition, site_url)
    return citations[chapter.id].text


def chapter_citations(edition: Edition, site_url: str) -> dict[str, str]:
    """The plain citation of every chapter of a version by chapter id, formatted once."""
    citations = _edition_citations(edition, site_url)
    return {chapter.id: citations[chapter.id].text for chapter in edition.content.chapters}


def methodology_citation(edition: Edition, site_url: str) -> str:
    """The plain citation of a whole methodology version."""
    return _edition_citations(edition, site_url)[edition.methodology.slug].text


def current_citation(methodologies: Sequence[Methodology], unit: str, site_url: str) -> Citation:
    """The citation of a unit in the current version of whichever methodology has it."""
    for methodology in methodologies:
        if not _may_cite(methodology, unit):
            continue  # formatting every methodology's records per lookup is quadratic at scale
        citations = _edition_citations(Edition(methodology, methodology, None), site_url)
        if unit in citations:
            return citations[unit]
    raise KeyError(unit)


def _may_cite(methodology: Methodology, unit: str) -> bool:
    """Whether a unit may belong to a methodology's current version (a cheap superset test)."""
    if unit == methodology.slug:
        return True
    if unit.startswith("nastroj-"):
        tool_id = unit.removeprefix("nastroj-")
        return any(tool.id == tool_id for tool in (*methodology.checklists, *methodology.trees))
    return any(h.id == unit for chapter in methodology.chapters for h in chapter.headings)


def render_ris(citations: Sequence[Citation]) -> str:
    """The records as RIS (Zotero, Mendeley, EndNote); the date of access is the placeholder."""
    lines: list[str] = []
    for citation in citations:
        record = citation.record
        whole = "section" not in record
        fields = [
            ("TY", "BOOK" if whole else "CHAP"),
            ("TI", record["title"] if whole else _part_title(record)),
            # A trailing comma marks a corporate author: a surname with no given name.
            *(("AU", f"{author['literal']},") for author in record["author"]),
            *(() if whole else (("T2", record["title"]),)),
            ("ET", record["edition"]),
            ("PB", record["publisher"]),
            ("PY", str(record["issued"]["date-parts"][0][0])),
            ("DA", _ris_date(record["issued"]["date-parts"][0])),
            ("UR", record["URL"]),
            ("Y2", ACCESS_PLACEHOLDER),
            ("LA", record["language"]),
            ("ID", record["id"]),
        ]
        lines += [f"{tag}  - {value}" for tag, value in fields]
        lines += ["ER  - ", ""]
    return "\r\n".join(lines)


def render_bibtex(citations: Sequence[Citation]) -> str:
    """The records as BibTeX (biblatex fields `url`, `urldate`); the date of access is the placeholder."""
    entries = []
    for citation in citations:
        record = citation.record
        whole = "section" not in record
        year, month, day = record["issued"]["date-parts"][0]
        fields = {
            "author": "{" + " and ".join(a["literal"] for a in record["author"]) + "}",
            "title": record["title"] if whole else _part_title(record),
            **({} if whole else {"booktitle": record["title"]}),
            "edition": record["edition"],
            "version": record["version"],
            "publisher": record["publisher"],
            "year": str(year),
            "date": f"{year:04d}-{month:02d}-{day:02d}",
            "url": record["URL"],
            "urldate": ACCESS_PLACEHOLDER,
            "langid": "czech",
        }
        body = ",\n".join(f"  {name} = {{{_bibtex_text(value)}}}" for name, value in fields.items())
        kind = "book" if whole else "inbook"
        entries.append(f"@{kind}{{{record['id']},\n{body}\n}}\n")
    return "\n".join(entries)


def citation_style() -> Path:
    """The vendored Czech ISO 690 CSL style (CC BY-SA 3.0, see the note beside it)."""
    return Path(str(resources.files(__package__) / "templates" / STYLE_FILE))


# --- records -------------------------------------------------------------------------------


def _record(edition: Edition, unit: str, part: str | None, url: str) -> Record:
    manifest = edition.content.manifest
    version = edition.shown_version
    record: Record = {
        "id": f"{unit}-{version}",
        "type": "book",
        "title": _plain(manifest.title),
        "author": [{"literal": _plain(author)} for author in manifest.authors],
        "publisher": PUBLISHER,
        "edition": f"Verze {version}",
        "version": version,
        "issued": _date_parts(_version_date(edition)),
        "URL": url,
        "language": "cs",
    }
    if part:
        record["section"] = part  # CSL's "logical section of an item"; ISO 690's part designation
    return record


def _tool_records(edition: Edition, chapter: Chapter, site_url: str) -> Iterator[Record]:
    number = edition.content.chapters.index(chapter) + 1
    tools = {tool.id: tool for tool in (*edition.content.checklists, *edition.content.trees)}
    for kind, name in TOOL_NAMES.items():
        for tool_id in chapter.macro_calls(kind):
            tool = tools.get(tool_id)
            if tool is None:
                continue  # a shared tool: it belongs to no methodology version
            part = f"Kapitola {number}, {name} „{_plain(tool.title)}“"
            # The tool's own permanent link, the one its printed QR code carries.
            yield _record(
                edition, f"nastroj-{tool_id}", part, _permalink(edition, tool_id, site_url)
            )


def _version_date(edition: Edition) -> dt.date:
    """The release date of the version shown; the approval date while it is not released."""
    for record in edition.methodology.releases:
        if record.version == edition.shown_version:
            return record.date
    return edition.content.manifest.approved


def _permalink(edition: Edition, section_id: str, site_url: str) -> str:
    return absolute_url(permalink_path(section_id, permalink_version(edition)), site_url)


def _edition_url(edition: Edition, site_url: str) -> str:
    version = permalink_version(edition)
    slug = edition.methodology.slug
    return absolute_url(f"{slug}/{version}/" if version else f"{slug}/", site_url)


def _date_parts(day: dt.date) -> dict[str, list[list[int]]]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def _plain(text: str) -> str:
    """Titles may carry inline Markdown emphasis; a citation names them as plain text."""
    return " ".join(re.sub(r"(?<!\\)[*_`]", "", text).split())


def _unit(record: Record) -> str:
    return record["id"].rsplit("-", 1)[0]


def _part_title(record: Record) -> str:
    return record["section"]


def _ris_date(parts: list[int]) -> str:
    year, month, day = parts
    return f"{year:04d}/{month:02d}/{day:02d}/"


def _bibtex_text(value: str) -> str:
    """BibTeX special characters escaped; Czech letters stay UTF-8, which biblatex and Zotero read."""
    return re.sub(r"([&%$#_])", r"\\\1", value)


# --- formatting ----------------------------------------------------------------------------


def _edition_citations(edition: Edition, site_url: str) -> dict[str, Citation]:
    return {c.unit: c for c in format_records(edition_records(edition, site_url))}


def _payload(records: Sequence[Record], day: dt.date) -> str:
    return json.dumps(
        [{**record, "accessed": _date_parts(day)} for record in records],
        ensure_ascii=False,
        sort_keys=True,
    )


def _cache_path(payload: str, folder: Path) -> Path:
    key = hashlib.sha256(
        "\0".join(
            (payload, citation_style().read_text(encoding="utf-8"), _pandoc_version())
        ).encode()
    ).hexdigest()[:24]
    return folder / f"citace-{key}.json"


def _cached_format(payload: str, folder: Path) -> list[tuple[str, str]]:
    path = _cache_path(payload, folder)
    if path.is_file():
        return [tuple(pair) for pair in json.loads(path.read_text(encoding="utf-8"))]
    formatted = _format(payload)
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(formatted, ensure_ascii=False), encoding="utf-8")
    partial.replace(path)
    return formatted


# Formatted text by record: the site formats all records once, and the PDFs and Word files
# formatting their own methodology's records later find them here instead of running pandoc.
# Keyed by a digest, kept as shown (placeholder in place of the date of access): at 150
# methodologies the record texts as keys and a second copy of every result were ≈ 100 MiB.
_FORMATTED: dict[bytes, tuple[str, str]] = {}


def _record_key(record: Record, day: dt.date) -> bytes:
    return hashlib.sha256(_payload([record], day).encode()).digest()


def _format(payload: str) -> list[tuple[str, str]]:
    """Run citeproc once over all records; return (plain text, HTML) per record, in order."""
    records = json.loads(payload)
    # pandoc keys the bibliography by id; ours may repeat across versions, so number them here.
    keyed = [{**record, "id": f"r{index}"} for index, record in enumerate(records)]
    with tempfile.TemporaryDirectory() as folder:
        bibliography = Path(folder) / "citace.json"  # pandoc reads bibliographies from files only
        bibliography.write_text(json.dumps(keyed, ensure_ascii=False), encoding="utf-8")
        html = subprocess.run(
            [
                pypandoc.get_pandoc_path(),
                "--from=markdown",
                "--to=html",
                "--wrap=none",
                "--citeproc",
                f"--csl={citation_style()}",
                f"--bibliography={bibliography}",
                "--metadata=lang:cs-CZ",
            ],
            input='---\nnocite: "@*"\n---\n',  # every record, without citing it in text
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    entries = {}
    for chunk in html.split('<div id="ref-')[1:]:
        key, _, body = chunk.partition('"')
        inline = body.split('<div class="csl-right-inline">', 1)[-1]
        entries[key] = re.sub(r"(\s*</div>)+\s*$", "", inline.strip())
    result = []
    for index in range(len(records)):
        entry = re.sub(r'<a href="[^"]*">([^<]*)</a>', r"\1", entries[f"r{index}"])
        result.append((unescape(re.sub(r"<[^>]+>", "", entry)), entry))
    return result


@functools.cache
def _pandoc_version() -> str:
    return str(pypandoc.get_pandoc_version())
