"""Personal-data guard: published content must not carry birth numbers, phones, e-mails or addresses.

Case examples are written about invented people, yet one copied detail from a real file is enough
to identify a client. Every Markdown and YAML file under methodology/, glossary/ and docs/ is
scanned; an exact string reviewed as public (e.g. an organisation's contact) is listed with a
reason in the allowlist file at the project root.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from .errors import ContentError, ContentErrors, quoted
from .load import load_yaml, read_text
from .model import KnowledgeBase, Strict, Text
from .validate import validate_document

ALLOWLIST_FILE = "osobni-udaje-povolene.yml"
CONTENT_FOLDERS = ("methodology", "glossary", "docs")
CONTENT_SUFFIXES = {".md", ".yml", ".yaml"}
HINT = f"odstraňte ho, nebo je-li veřejný, zapište jeho přesné znění s důvodem do {ALLOWLIST_FILE}"
# What each kind of finding is called in messages.
KIND_NAMES = {
    "birth number": "rodné číslo",
    "phone number": "telefonní číslo",
    "e-mail address": "e-mailová adresa",
    "street address": "adresa",
}


class AllowedText(Strict):
    """One reviewed exception: an exact string that may appear in content, and why."""

    text: Text = Field(description="The exact text as it appears in content.")
    reason: Text = Field(description="Why it is not personal data, e.g. a public contact.")


ALLOWLIST_MODEL = list[AllowedText]


@dataclass(frozen=True)
class Finding:
    """A piece of text that looks like personal data, at a 1-based line and column."""

    kind: str
    text: str
    line: int
    column: int


def scan_personal_data(knowledge: KnowledgeBase) -> list[ContentError]:
    """Scan all content files of the knowledge base; report findings and stale allowlist entries."""
    root = knowledge.root
    allowed, errors = load_allowlist(root)
    used: set[int] = set()
    for path in content_files(root):
        shown = path.relative_to(root).as_posix()
        try:
            text = read_text(path, shown)
        except ContentErrors:
            continue  # the loader reports unreadable files
        lines = text.split("\n")
        for finding in find_personal_data(text):
            entry = _allowing_entry(finding, lines[finding.line - 1], allowed)
            if entry is not None:
                used.add(entry)
                continue
            kind = KIND_NAMES.get(finding.kind, finding.kind)
            message = f"možný osobní údaj: {kind} {quoted(finding.text)}"
            errors.append(ContentError(shown, finding.line, finding.column, message, HINT))
    for index, (entry, position) in enumerate(allowed):
        if index not in used:
            message = f"výjimka {quoted(entry.text)} už nepokrývá žádný osobní údaj"
            errors.append(ContentError(ALLOWLIST_FILE, *position, message, "výjimku odstraňte"))
    return errors


def content_files(root: Path) -> list[Path]:
    """Markdown and YAML files that end up published; hidden files and folders are not."""
    files = []
    for folder in CONTENT_FOLDERS:
        base = root / folder
        for path in sorted(base.rglob("*")) if base.is_dir() else []:
            hidden = any(part.startswith(".") for part in path.relative_to(base).parts)
            if path.suffix in CONTENT_SUFFIXES and path.is_file() and not hidden:
                files.append(path)
    return files


def load_allowlist(
    root: Path,
) -> tuple[list[tuple[AllowedText, tuple[int, int]]], list[ContentError]]:
    """The reviewed exceptions with their positions in the allowlist file, and its problems."""
    path = root / ALLOWLIST_FILE
    if not path.is_file():
        return [], []
    try:
        document = load_yaml(read_text(path, ALLOWLIST_FILE), ALLOWLIST_FILE)
    except ContentErrors as problem:
        return [], list(problem.errors)
    if document.data is None:
        return [], []
    entries, errors = validate_document(ALLOWLIST_MODEL, document, ALLOWLIST_FILE)
    if errors:
        return [], errors
    return [(entry, document.locate((index, "text"))) for index, entry in enumerate(entries)], []


def find_personal_data(text: str) -> list[Finding]:
    """Everything in a text that looks like a birth number, phone, e-mail or street address."""
    findings = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not _CANDIDATE.search(line):
            continue
        masked = _URL.sub(lambda match: " " * len(match.group(0)), line)
        taken: list[tuple[int, int]] = []
        for kind, start, end in _matches(masked):
            if any(start < other_end and other_start < end for other_start, other_end in taken):
                continue
            taken.append((start, end))
            findings.append(Finding(kind, line[start:end], number, start + 1))
    return sorted(findings, key=lambda finding: (finding.line, finding.column))


def is_birth_number(digits: str) -> bool:
    """Whether 9 or 10 digits form a valid rodné číslo: a real date and, for 10, the checksum."""
    if not re.fullmatch(r"\d{9,10}", digits):
        return False
    year, month, day = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    if len(digits) == 9:
        if year >= 54:  # nine-digit numbers were issued only until 1953
            return False
        year += 1900
    else:
        year += 1900 if year >= 54 else 2000
    for offset in (70, 50, 20, 0):  # women +50; since 2004 +20 (+70) when a day ran out
        if month > offset:
            month -= offset
            if offset in (20, 70) and year < 2004:
                return False
            break
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    if len(digits) == 9:
        return True
    number = int(digits)
    # Until 1985 a remainder of 10 was written as check digit 0.
    return number % 11 == 0 or (int(digits[:9]) % 11 == 10 and digits[9] == "0")


_UPPER = "A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ"
_LOWER = "a-záčďéěíňóřšťúůýž"
_WORD = rf"[{_UPPER}][{_LOWER}]+"
_SPACE = "[ \u00a0]"
# Every finding needs a digit or an at sign; most lines have neither and are skipped.
_CANDIDATE = re.compile(r"[\d@]")
_URL = re.compile(r"\b(?:https?://|www\.)[^\s)>\]]+", re.I)
# Digits glued to letters, slashes or decimal points belong to codes, paragraphs and amounts.
_BEFORE = r"(?<![\w/.,+\-–])(?<!\d[ \u00a0])"
_AFTER = r"(?![\w/]|[.,]\d|[ \u00a0]\d|[ \u00a0]?(?:Kč|korun|CZK|EUR|€|obyvatel|osob|lidí|km|%))"
_BIRTH_NUMBER = re.compile(rf"{_BEFORE}(\d{{6}})(?:{_SPACE}?/{_SPACE}?)?(\d{{3,4}}){_AFTER}")
_PHONE = re.compile(
    rf"{_BEFORE}(?:(?:\+|00)420{_SPACE}?)?[2-79]\d{{2}}{_SPACE}?\d{{3}}{_SPACE}?\d{{3}}{_AFTER}"
)
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,}(?![\w\-])")
_HOUSE_NUMBER = r"\d{1,4}[a-z]?(?:/\d{1,4}[a-z]?)?"
_POSTCODE_TOWN = (
    rf"(?:,?{_SPACE}\d{{3}}{_SPACE}?\d{{2}}{_SPACE}{_WORD}(?:{_SPACE}\d{{1,2}}(?!\d))?)"
)
_STREET = (
    # Husovo náměstí, náměstí Míru, třída Svobody, Smetanovo nábřeží
    rf"(?:(?:{_WORD}{_SPACE})?(?:náměstí|nám\.|třída|tř\.|nábřeží|nábř\.|ulice|sídliště)"
    rf"(?:{_SPACE}{_WORD}){{0,2}}"
    # Husova, Palackého, Nádražní, Pražská, Jana Masaryka is covered with a postcode below
    rf"|(?:{_WORD}{_SPACE}){{0,2}}[{_UPPER}][{_LOWER}]*(?:ova|ovo|ská|cká|ní|ého)"
    # Na Příkopě, U Nádraží, Pod Hájem
    rf"|(?:Na|U|V|Ve|K|Ke|Pod|Nad|Za|Před|Při){_SPACE}{_WORD}(?:{_SPACE}{_WORD})?)"
)
# An address is found from its house number backwards: few numbers follow a word and a space.
_HOUSE = re.compile(
    rf"(?<=[{_LOWER}.]{_SPACE}){_HOUSE_NUMBER}(?![\w/]|[.,]\d)(?P<town>{_POSTCODE_TOWN})?"
)
_STREET_BEFORE = re.compile(rf"(?<!\w)(?:{_STREET}){_SPACE}\Z")
_NAMED_PLACE_BEFORE = re.compile(rf"(?<!\w)(?:{_WORD}{_SPACE}){{0,3}}{_WORD}{_SPACE}\Z")
_LONGEST_STREET = 60
_YEAR = re.compile(r"(?:19|20)\d\d")


def _matches(line: str) -> list[tuple[str, int, int]]:
    """Candidate spans in priority order: a span claimed by an earlier kind is not reported again."""
    found = []
    for match in _BIRTH_NUMBER.finditer(line):
        digits = match.group(1) + match.group(2)
        slashed = "/" in match.group(0)
        phone_like = len(digits) == 9 and not slashed and _PHONE.fullmatch(match.group(0))
        if is_birth_number(digits) and not phone_like:
            found.append(("birth number", match.start(), match.end()))
    found += [("phone number", m.start(), m.end()) for m in _PHONE.finditer(line)]
    found += [("e-mail address", m.start(), m.end()) for m in _EMAIL.finditer(line)]
    for house in _HOUSE.finditer(line):
        if _YEAR.fullmatch(house.group(0)):
            continue  # "Národní 2020" names a strategy; a house number that is a year needs a town
        window = max(0, house.start() - _LONGEST_STREET)
        street = _STREET_BEFORE.search(line, window, house.start())
        if street is None and house.group("town"):
            street = _NAMED_PLACE_BEFORE.search(line, window, house.start())
        if street is not None:
            found.append(("street address", street.start(), house.end()))
    return found


def _allowing_entry(
    finding: Finding, line: str, allowed: list[tuple[AllowedText, tuple[int, int]]]
) -> int | None:
    """The allowlist entry whose exact text covers the finding on its line, if any."""
    start = finding.column - 1
    end = start + len(finding.text)
    for index, (entry, _) in enumerate(allowed):
        position = line.find(entry.text)
        while position != -1:
            if position <= start and end <= position + len(entry.text):
                return index
            position = line.find(entry.text, position + 1)
    return None
