"""Personal-data guard: published sources must not carry data that identifies a client.

Case examples are written about invented people, yet one copied detail from a real file is enough
to identify a client. Every text file that ends up on the site or in the handbook is scanned:
Markdown and YAML under methodology/, glossary/ and registry/, every text file under docs/ (also
static HTML and plain text, which MkDocs publishes as they are), the theme's templates under
overrides/ and mkdocs.yml. The guard looks for birth numbers, phone numbers, e-mail addresses (also
obfuscated ones such as „jan (zavináč) seznam.cz“), street addresses, a name followed by an
address, dates of birth, IBANs and Czech bank account numbers, in the spellings people use: with
and without spaces, dots, dashes, `+420`, HTML entities, and broken across a line. Formats that
carry a checksum (birth number, IBAN, Czech account number) are validated, so law citations, ISBNs
and registration numbers are not mistaken for them. An exact string reviewed as public (e.g. an
organisation's contact) is listed with a reason in the allowlist file at the project root; its
words match the same words wrapped over lines.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field

from .errors import ContentError, ContentErrors, quoted
from .load import load_yaml, read_text
from .model import KnowledgeBase, Strict, Text
from .unchanged import PerFile
from .validate import validate_document

ALLOWLIST_FILE = "osobni-udaje-povolene.yml"
# Folders whose files are published; each with the files in it that are scanned (None: every
# text file). docs/ and overrides/ are copied to the site as they are, whatever their format.
CONTENT_FOLDERS: dict[str, frozenset[str] | None] = {
    "methodology": frozenset({".md", ".yml", ".yaml"}),
    "glossary": frozenset({".md", ".yml", ".yaml"}),
    "registry": frozenset({".md", ".yml", ".yaml"}),
    "docs": None,
    "overrides": frozenset({".html", ".htm", ".md", ".txt"}),
}
# Single files at the project root that reach the site (site description, copyright, extra).
CONTENT_ROOT_FILES = ("mkdocs.yml",)
# Not scanned anywhere: images, fonts, archives, documents, and code or drawings whose numbers
# (coordinates, minified scripts) are not prose.
SKIPPED_SUFFIXES = frozenset(
    {
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp", ".tif", ".tiff",
        ".svg", ".woff", ".woff2", ".ttf", ".otf", ".eot", ".pdf", ".docx", ".doc", ".odt",
        ".xlsx", ".xls", ".ods", ".pptx", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z",
        ".mp3", ".mp4", ".webm", ".ogg", ".wav", ".js", ".mjs", ".css", ".map", ".py", ".pyc",
    }
)  # fmt: skip
HINT = f"odstraňte ho, nebo je-li veřejný, zapište jeho přesné znění s důvodem do {ALLOWLIST_FILE}"
# What each kind of finding is called in messages.
KIND_NAMES = {
    "birth number": "rodné číslo",
    "phone number": "telefonní číslo",
    "e-mail address": "e-mailová adresa",
    "street address": "adresa",
    "name and address": "jméno s adresou",
    "date of birth": "datum narození",
    "IBAN": "číslo účtu IBAN",
    "bank account": "číslo bankovního účtu",
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
    """Scan all published source files; report findings and stale allowlist entries."""
    return scan_project(knowledge.root)


def scan_project(root: Path) -> list[ContentError]:
    """Scan all published source files under a project root (see `content_files`)."""
    allowed, errors = load_allowlist(root)
    patterns = [_allowlist_pattern(entry.text) for entry, _ in allowed]
    used: set[int] = set()
    for path in content_files(root):
        shown = path.relative_to(root).as_posix()
        findings = _file_findings(path)
        text = _read_for_scan(path) if findings else None
        if text is None:
            continue
        starts = _line_starts(text)
        allowed_spans: list[list[tuple[int, int]]] | None = None
        for finding in findings:
            if allowed_spans is None:
                allowed_spans = [[m.span() for m in p.finditer(text)] for p in patterns]
            start = starts[finding.line - 1] + finding.column - 1
            end = start + len(finding.text)
            entry = next(
                (
                    index
                    for index, spans in enumerate(allowed_spans)
                    if any(left <= start and end <= right for left, right in spans)
                ),
                None,
            )
            if entry is not None:
                used.add(entry)
                continue
            kind = KIND_NAMES.get(finding.kind, finding.kind)
            message = f"možný osobní údaj: {kind} {quoted(shown_text(finding.text))}"
            errors.append(ContentError(shown, finding.line, finding.column, message, HINT))
    for index, (entry, position) in enumerate(allowed):
        if index not in used:
            message = f"výjimka {quoted(entry.text)} už nepokrývá žádný osobní údaj"
            errors.append(ContentError(ALLOWLIST_FILE, *position, message, "výjimku odstraňte"))
    return errors


def shown_text(text: str) -> str:
    """A finding as the message quotes it: a line break with its indentation reads as a space."""
    return re.sub(r"[ \t]*\n[ \t]*", " ", text)


def content_files(root: Path) -> list[Path]:
    """Published source files; hidden files and folders, binaries and code are not scanned."""
    files = []
    for folder, suffixes in CONTENT_FOLDERS.items():
        base = root / folder
        if not base.is_dir() or base.is_symlink():
            continue
        for relative in sorted(_visible_files(base)):
            path = base.joinpath(*relative)
            suffix = path.suffix.lower()
            wanted = suffix not in SKIPPED_SUFFIXES if suffixes is None else suffix in suffixes
            if wanted:
                files.append(path)
    for name in CONTENT_ROOT_FILES:
        path = root / name
        if path.is_file() and not path.is_symlink():
            files.append(path)
    return files


def _visible_files(base: Path) -> Iterator[tuple[str, ...]]:
    """Path parts (below `base`) of every file outside hidden folders, not through linked folders.

    os.walk rather than Path.rglob: at 150 methodologies rglob alone takes most of a second,
    and `serve` scans after every edit. Sorting the parts orders the files as sorted paths do.
    """
    for folder, folders, names in os.walk(base):
        folders[:] = [name for name in folders if not name.startswith(".")]
        parts = Path(folder).relative_to(base).parts
        for name in names:
            if not name.startswith(".") and os.path.isfile(os.path.join(folder, name)):
                yield (*parts, name)


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


# Findings by a digest of the scanned text: `serve` reloads the project after each edit and only
# the edited files are scanned again (the scan is most of the reload's time).
_FINDINGS: dict[bytes, tuple[Finding, ...]] = {}
_FINDINGS_LIMIT = 50_000


# The same by file (its stat signature): at 150 methodologies reading every file again after
# each edit of `serve` takes longer than the scan the digest saves.
_FILE_FINDINGS: PerFile[tuple[Finding, ...]] = PerFile(_FINDINGS_LIMIT)


def _file_findings(path: Path) -> tuple[Finding, ...]:
    def scan(path: Path) -> tuple[Finding, ...]:
        text = _read_for_scan(path)
        return _remembered_findings(text) if text is not None else ()

    try:
        return _FILE_FINDINGS.get(path, scan)
    except OSError:
        return ()


def _remembered_findings(text: str) -> tuple[Finding, ...]:
    key = hashlib.blake2b(text.encode(), digest_size=16).digest()
    if key not in _FINDINGS:
        if len(_FINDINGS) >= _FINDINGS_LIMIT:
            _FINDINGS.clear()
        _FINDINGS[key] = tuple(find_personal_data(text))
    return _FINDINGS[key]


def find_personal_data(text: str) -> list[Finding]:
    """Everything in a text that looks like personal data, in the order it appears.

    A finding may continue over a line break (a wrapped Markdown paragraph, a folded YAML text);
    its line and column are where it starts.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    starts = _line_starts(text)
    masked = _URL.sub(lambda match: " " * len(match.group(0)), text)
    taken_starts: list[int] = []  # spans already reported: disjoint, sorted by start and end
    taken_ends: list[int] = []
    findings = []
    for kind, start, end in _matches(text, masked):
        index = bisect.bisect_left(taken_starts, end)
        if index and taken_ends[index - 1] > start:
            continue  # overlaps the reported span that starts last before this one ends
        if kind in _NUMBER_KINDS and not _wrapped_in_prose(text, start, end):
            continue
        taken_starts.insert(index, start)
        taken_ends.insert(index, end)
        line = bisect.bisect_right(starts, start)
        findings.append(Finding(kind, text[start:end], line, start - starts[line - 1] + 1))
    return sorted(findings, key=lambda finding: (finding.line, finding.column))


def is_birth_number(digits: str, checksum: bool = True) -> bool:
    """Whether 9 or 10 digits form a valid rodné číslo: a real date and, for 10, the checksum.

    Without `checksum` (the number is labelled „rodné číslo“), a real date is enough.
    """
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
    if len(digits) == 9 or not checksum:
        return True
    number = int(digits)
    # Until 1985 a remainder of 10 was written as check digit 0.
    return number % 11 == 0 or (int(digits[:9]) % 11 == 10 and digits[9] == "0")


# Length of the IBAN in the countries a Czech client's account is likely to be in.
IBAN_LENGTHS = {
    "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "EE": 20,
    "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IT": 27,
    "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25,
    "RO": 24, "RS": 22, "SE": 24, "SI": 19, "SK": 24, "UA": 29,
}  # fmt: skip


def is_iban(compact: str) -> bool:
    """Whether an IBAN without spaces has its country's length and a valid mod-97 checksum."""
    compact = compact.upper()
    if IBAN_LENGTHS.get(compact[:2]) != len(compact) or not compact[2:4].isdigit():
        return False
    if not compact.isascii() or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


# Codes of banks in the Czech Republic (Česká národní banka's list of payment system codes).
CZECH_BANK_CODES = frozenset(
    [
        "0100", "0300", "0600", "0710", "0800", "2010", "2060", "2070", "2100", "2200", "2220",
        "2250", "2260", "2275", "2600", "2700", "3030", "3050", "3060", "3500", "4000", "4300",
        "5500", "5800", "6000", "6100", "6200", "6210", "6300", "6363", "6700", "6800", "7910",
        "7950", "7960", "7970", "7990", "8030", "8040", "8060", "8090", "8150", "8190", "8198",
        "8199", "8200", "8220", "8230", "8240", "8250", "8255", "8265", "8270", "8280", "8293",
        "8299", "8500"
    ]
)  # fmt: skip
_PREFIX_WEIGHTS = (10, 5, 8, 4, 2, 1)
_NUMBER_WEIGHTS = (6, 3, 7, 9, 10, 5, 8, 4, 2, 1)


def is_czech_account(prefix: str, number: str, bank: str, labelled: bool = False) -> bool:
    """Whether `[prefix-]number/bank` is a Czech account number.

    The bank code must be a Czech bank's; the number needs six digits or a prefix (law citations
    such as 561/2004 are shorter). Prefix and number must pass their weighted mod-11 checksums,
    except when the bank code cannot be read as a year (0800, 0100…): a number with such a code
    is an account even when it was copied with a typo. A number `labelled` as an account
    („číslo účtu“, „č. ú.“) needs only a Czech bank's code.
    """
    if bank not in CZECH_BANK_CODES or len(prefix) > 6 or not 2 <= len(number) <= 10:
        return False
    if int(number) == 0:
        return False
    if labelled:
        return True
    if len(number) < 6 and not prefix:
        return False

    def weighted(digits: str, weights: tuple[int, ...]) -> int:
        padded = digits.rjust(len(weights), "0")
        return sum(int(digit) * weight for digit, weight in zip(padded, weights, strict=True))

    valid = weighted(number, _NUMBER_WEIGHTS) % 11 == 0
    valid = valid and (not prefix or weighted(prefix, _PREFIX_WEIGHTS) % 11 == 0)
    return valid or not 1900 <= int(bank) <= 2099


_UPPER = "A-ZÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ"
_LOWER = "a-záčďéěíňóřšťúůýž"
_WORD = rf"[{_UPPER}][{_LOWER}]+"
# One space inside a number or a name: also no-break and thin spaces, zero-width characters and
# the HTML entities static pages use for them.
_HSPACE = r"(?:[ \t\u00a0\u2007\u2009\u202f\u200b\u2060]|&nbsp;|&#160;|&#x[aA]0;|&#8239;)"
# Between two parts: one or two spaces, or a line break (a wrapped paragraph or folded YAML).
_SPACE = rf"(?:{_HSPACE}{{1,2}}|{_HSPACE}?\n[ \t]*)"
_URL = re.compile(r"\b(?:https?://|www\.)[^\s)>\]\"'<]+", re.I)
# Digits glued to letters, slashes or decimal points belong to codes, paragraphs and amounts.
_BEFORE = r"(?<![\w/,+\-–])(?<!\d\.)(?<!\d[ \u00a0\u2009\u202f])"
_AFTER = (
    r"(?![\w/]|[.,]\d|[ \u00a0\u2009\u202f]\d"
    r"|[ \u00a0]?(?:Kč|korun|CZK|EUR|€|obyvatel|osob|lidí|km|%))"
)
_BIRTH_NUMBER = re.compile(
    rf"{_BEFORE}(\d{{6}})(?:{_SPACE}?/{_SPACE}?|{_HSPACE}|-)?(\d{{3,4}}){_AFTER}"
)
# Between groups of a phone number: spaces, or a dash, dot or slash with or without spaces.
_PHONE_GAP = rf"(?:{_SPACE}?[-–‐‑./]{_SPACE}?|{_SPACE})"
_CZECH_PREFIX = (
    rf"(?:\+{_HSPACE}?420|00{_HSPACE}?420|\({_HSPACE}?(?:\+|00){_HSPACE}?420{_HSPACE}?\))"
)
# Nine digits: 603 123 456, 603123456, 603-123-456, 603.123.456, 603 12 34 56. Numbers starting
# with 1 (116 111, 155) and 8 (800 free lines) are services, not people.
_PHONE = re.compile(
    rf"{_BEFORE}(?:{_CZECH_PREFIX}{_PHONE_GAP}?)?[2-79]\d{{2}}"
    rf"(?:{_PHONE_GAP}?\d{{3}}{_PHONE_GAP}?\d{{3}}"
    rf"|{_PHONE_GAP}\d{{2}}{_PHONE_GAP}\d{{2}}{_PHONE_GAP}\d{{2}}){_AFTER}"
)
# Abroad: +421 903 123 456, +44 20 7946 0958, 0049 30 1234567.
_FOREIGN_PHONE = re.compile(
    rf"(?<![\w/+])(?:\+{_HSPACE}?|\(\+|\b00)(?!420)[1-9]\d{{0,2}}\)?"
    rf"(?:{_PHONE_GAP}?\(?\d{{1,4}}\)?){{2,6}}{_AFTER}"
)
_AT_WORD = r"(?i:at|zavináč|zavinac)"
_DOT_WORD = r"(?i:dot|tečka|tecka)"
# The parts of an address are bounded, so a long run of „a tečka b tečka …“ is read in linear time.
# jan@seznam.cz, jan @ seznam.cz, jan(at)seznam.cz, jan [at] seznam [dot] cz,
# jan.novak (zavináč) seznam.cz, jan zavináč seznam tečka cz, jan&#64;seznam.cz.
_AT = (
    rf"(?:{_HSPACE}?(?:[@＠﹫]|&#0*64;|&#[xX]0*40;|&commat;|%40){_SPACE}?"
    rf"|{_HSPACE}?[(\[{{<]{_HSPACE}?(?:{_AT_WORD}|@|a){_HSPACE}?[)\]}}>]{_HSPACE}?"
    rf"|{_HSPACE}{_AT_WORD}{_HSPACE})"
)
_DOT = (
    rf"(?:\.|{_HSPACE}?[(\[{{<]{_HSPACE}?(?:{_DOT_WORD}|\.){_HSPACE}?[)\]}}>]{_HSPACE}?"
    rf"|{_HSPACE}{_DOT_WORD}{_HSPACE})"
)
_EMAIL = re.compile(
    rf"(?<![\w.+\-])[^\W_][\w+\-]*(?:{_DOT}[\w+\-]+){{0,5}}{_AT}"
    rf"[^\W_][\w\-]*(?:{_DOT}[\w\-]+){{0,4}}{_DOT}(?P<tld>[^\W\d_]{{2,}})(?![\w\-])"
)
# logo@2x.png in a srcset is a file name, not an address.
_FILE_EXTENSIONS = frozenset(
    [
        "png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "ico", "pdf", "css", "js", "html", "htm",
        "md", "yml", "yaml", "txt", "json", "xml", "map"
    ]
)  # fmt: skip
# A number in a chat or call link (wa.me/420603123456, ?tel=…) is read although links are not.
_PHONE_IN_LINK = re.compile(
    r"(?i:\bwa\.me/|whatsapp\.com/send/?\?phone=|[?&](?:tel|phone|telefon|mobil)=)"
    r"(?P<number>(?:\+|%2[bB])?\d{9,15})(?!\d)"
)
_MONTHS = "ledna|února|března|dubna|května|června|července|srpna|září|října|listopadu|prosince"
_MONTH_NUMBERS = {name: number for number, name in enumerate(_MONTHS.split("|"), start=1)}
# nar. 12. 3. 1985, datum narození 12.03.1985, narozena dne 12. března 1985, nar.: 1985-03-12
_DATE_OF_BIRTH = re.compile(
    rf"(?<!\w)(?i:(?:datum|den|dat\.|d\.){_SPACE}?(?:narození|nar\.)|r\.{_SPACE}?nar\."
    rf"|narozen[aáéíoýy]?(?:/a)?|narozená|nar\.)"
    rf"(?:{_SPACE}?(?:dne|:|,|-|–))?{_SPACE}?"
    rf"(?:(?P<day>\d{{1,2}})(?:\.{_SPACE}?|/)(?:(?P<month>\d{{1,2}})(?:\.|/)|(?P<name>{_MONTHS}))"
    rf"{_SPACE}?(?P<year>\d{{4}}|\d{{2}})"
    rf"|(?P<iso_year>\d{{4}})-(?P<iso_month>\d{{2}})-(?P<iso_day>\d{{2}}))(?!\d)"
)
_IBAN = re.compile(rf"(?<![\w/.\-])[A-Za-z]{{2}}\d{{2}}(?:{_HSPACE}?[A-Za-z0-9]){{11,30}}")
_IBAN_TOKEN = re.compile(rf"{_HSPACE}|[A-Za-z0-9]")
_ACCOUNT = re.compile(
    rf"{_BEFORE}(?:(?P<prefix>\d{{1,6}}){_HSPACE}?-{_HSPACE}?)?(?P<number>\d{{2,10}})"
    rf"{_HSPACE}?/{_HSPACE}?(?P<bank>\d{{4}})(?![\w/]|[.,]\d)"
)
# What a number is called just before it: with the label, the format alone is enough.
_BIRTH_LABEL = re.compile(
    rf"(?i:rodné{_SPACE}číslo|rodného{_SPACE}čísla|r\.{_SPACE}?č\.|(?<!\w)rč)"
    rf"(?:{_SPACE}?[:.])?{_SPACE}?\Z"
)
_ACCOUNT_LABEL = re.compile(
    rf"(?i:účet|účtu|účtem|č\.{_SPACE}?ú\.|bankovní{_SPACE}spojení)(?:{_SPACE}?[:.])?{_SPACE}?\Z"
)
_LONGEST_LABEL = 25
_HOUSE_NUMBER = r"\d{1,4}[a-z]?(?:/\d{1,4}[a-z]?)?"
# Kolín, České Budějovice, Ústí nad Labem, Frýdek-Místek, Praha 1
_TOWN = (
    rf"{_WORD}(?:-{_WORD})?(?:{_SPACE}(?:(?:nad|pod|na|u){_SPACE})?{_WORD}){{0,2}}"
    rf"(?:{_SPACE}\d{{1,2}}(?!\d))?"
)
_POSTCODE_TOWN = rf"(?:,?{_SPACE}\d{{3}}{_SPACE}?\d{{2}}{_SPACE}{_TOWN})"
_STREET = (
    # Husovo náměstí, náměstí Míru, třída Svobody, Smetanovo nábřeží
    rf"(?:(?:{_WORD}{_SPACE})?(?:náměstí|nám\.|třída|tř\.|nábřeží|nábř\.|ulice|sídliště)"
    rf"(?:{_SPACE}{_WORD}){{0,2}}"
    # Husova, Lipová, Palackého, Nádražní, Pražská; Jana Masaryka is covered with a postcode
    rf"|(?:{_WORD}{_SPACE}){{0,2}}[{_UPPER}][{_LOWER}]*(?:ova|ovo|á|ní|ého)"
    # Na Příkopě, U Nádraží, Pod Hájem
    rf"|(?:Na|U|V|Ve|K|Ke|Pod|Nad|Za|Před|Při){_SPACE}{_WORD}(?:{_SPACE}{_WORD})?)"
)
# An address is found from its house number backwards: few numbers follow a word and a space.
_HOUSE = re.compile(
    rf"(?<=[{_LOWER}.][ \u00a0]){_HOUSE_NUMBER}(?![\w/]|[.,]\d)(?P<town>{_POSTCODE_TOWN})?"
)
_STREET_BEFORE = re.compile(rf"(?<!\w)(?:{_STREET}){_SPACE}\Z")
_NAMED_PLACE_BEFORE = re.compile(rf"(?<!\w)(?:{_WORD}{_SPACE}){{0,3}}{_WORD}{_SPACE}\Z")
_LONGEST_STREET = 60
_YEAR = re.compile(r"(?:19|20)\d\d")
# Any street name after a name or a word saying "lives at": Lipová, Bratří Čapků, 17. listopadu.
_ANY_STREET = rf"(?:{_STREET}|{_WORD}(?:{_SPACE}{_WORD}){{0,2}}|\d{{1,2}}\.{_SPACE}[{_LOWER}]+)"
_ADDRESS_END = (
    rf"{_SPACE}{_HOUSE_NUMBER}(?![\w/]|[.,]\d)"
    rf"(?P<town>{_POSTCODE_TOWN}|,{_SPACE}{_TOWN})?"
)
# Jan Novák, Lipová 12, Kolín; Marie Nováková-Svobodová, Kolín, Na Příkopě 3/12
_NAME_AND_ADDRESS = re.compile(
    rf"(?<![\w.])(?P<first>{_WORD}){_SPACE}(?P<second>{_WORD}(?:-{_WORD})?),{_SPACE}"
    rf"(?:{_WORD}(?:{_SPACE}{_WORD})?,{_SPACE})?(?P<street>{_ANY_STREET}){_ADDRESS_END}"
)
# bytem Lipová 12, trvalé bydliště: Na Příkopě 3, bydlí v ulici Lipová 12
_LIVES_AT = re.compile(
    rf"(?<!\w)(?i:bytem|bydliště|bydlištěm|(?:trvalý|trvalým){_SPACE}pobytem?|na{_SPACE}adrese"
    rf"|hlášen[aáýé]?{_SPACE}(?:k{_SPACE}pobytu{_SPACE})?na|bydlí{_SPACE}(?:v|ve|na)"
    rf"(?:{_SPACE}ulici)?)(?:{_SPACE}?:)?{_SPACE}(?:{_WORD},{_SPACE})?"
    rf"(?P<street>{_ANY_STREET}){_ADDRESS_END}"
)
# Common Czech and Slovak given names: with one of them, a name followed by a street is enough.
GIVEN_NAMES = frozenset(
    [
        "Adam", "Adéla", "Adriana", "Albert", "Alena", "Aleš", "Alexandr", "Alexandra", "Alice",
        "Alois", "Alžběta", "Amálie", "Andrea", "Aneta", "Anežka", "Anna", "Antonie", "Antonín",
        "Barbora", "Bedřich", "Blanka", "Bohdan", "Bohumil", "Bohumila", "Bohuslav", "Božena",
        "Bronislava", "Dagmar", "Dana", "Daniel", "Daniela", "David", "Denisa", "Dominik", "Dominika",
        "Dušan", "Eduard", "Eliška", "Ema", "Emil", "Emilie", "Erik", "Eva", "Filip", "František",
        "Františka", "Gabriela", "Hana", "Helena", "Ilona", "Irena", "Iva", "Ivan", "Ivana", "Iveta",
        "Jakub", "Jan", "Jana", "Jarmila", "Jaroslav", "Jaroslava", "Jindřich", "Jindřiška", "Jiří",
        "Jiřina", "Jitka", "Josef", "Jozef", "Julie", "Kamil", "Kamila", "Karel", "Karla", "Karolína",
        "Kateřina", "Klára", "Kristýna", "Kryštof", "Ladislav", "Lenka", "Libor", "Libuše", "Lucie",
        "Luboš", "Ludmila", "Lukáš", "Magdalena", "Marcel", "Marcela", "Marek", "Markéta", "Marie",
        "Martin", "Martina", "Matěj", "Matyáš", "Michaela", "Michal", "Milan", "Milena", "Miloslav",
        "Miloš", "Miroslav", "Miroslava", "Monika", "Natálie", "Nela", "Nikola", "Nikol", "Oldřich",
        "Olga", "Ondřej", "Otakar", "Patrik", "Pavel", "Pavla", "Pavlína", "Petr", "Petra", "Přemysl",
        "Radek", "Radka", "Radim", "Radomír", "Renata", "Richard", "Robert", "Roman", "Romana",
        "Rostislav", "Růžena", "Sabina", "Simona", "Soňa", "Stanislav", "Stanislava", "Šárka",
        "Štěpán", "Štěpánka", "Tadeáš", "Taťána", "Tereza", "Tomáš", "Václav", "Vanda", "Vendula",
        "Veronika", "Věra", "Viktor", "Viktorie", "Vilém", "Vít", "Vítězslav", "Vladimír",
        "Vladimíra", "Vlasta", "Vojtěch", "Zbyněk", "Zdeněk", "Zdeňka", "Zuzana", "Žaneta"
    ]
)  # fmt: skip

# Numbers may be wrapped over a line only within prose (see _wrapped_in_prose).
_NUMBER_KINDS = frozenset({"birth number", "phone number", "bank account", "IBAN"})
# Words that number parts of a text, not houses.
_NOT_STREETS = frozenset(
    [
        "Bod", "Článek", "Část", "Číslo", "Díl", "Graf", "Kapitola", "Krok", "Lekce", "Modul",
        "Obrázek", "Oddíl", "Odstavec", "Příloha", "Ročník", "Schéma", "Strana", "Svazek", "Tabulka",
        "Verze", "Vydání"
    ]
)  # fmt: skip


def _matches(text: str, masked: str) -> list[tuple[str, int, int]]:
    """Candidate spans in priority order: a span claimed by an earlier kind is not reported again.

    `masked` is the text with web addresses blanked out (their digits are paths, not people).
    """
    found = []
    for match in _IBAN.finditer(masked):
        end = _iban_end(masked, match.start(), match.end())
        if end is not None:
            found.append(("IBAN", match.start(), end))
    for match in _BIRTH_NUMBER.finditer(masked):
        digits = match.group(1) + match.group(2)
        labelled = _labelled(_BIRTH_LABEL, masked, match.start())
        slashed = "/" in match.group(0)
        phone_like = len(digits) == 9 and not slashed and _PHONE.fullmatch(match.group(0))
        if is_birth_number(digits, checksum=not labelled) and (labelled or not phone_like):
            found.append(("birth number", match.start(), match.end()))
    for match in _ACCOUNT.finditer(masked):
        labelled = _labelled(_ACCOUNT_LABEL, masked, match.start())
        prefix = match.group("prefix") or ""
        if is_czech_account(prefix, match.group("number"), match["bank"], labelled):
            found.append(("bank account", match.start(), match.end()))
    found += [("phone number", m.start(), m.end()) for m in _PHONE.finditer(masked)]
    for match in _FOREIGN_PHONE.finditer(masked):
        if 9 <= sum(char.isdigit() for char in match.group(0)) <= 15:
            found.append(("phone number", match.start(), match.end()))
    found += [("phone number", *m.span("number")) for m in _PHONE_IN_LINK.finditer(text)]
    for match in _EMAIL.finditer(text):
        if match.group("tld").lower() not in _FILE_EXTENSIONS:
            found.append(("e-mail address", match.start(), match.end()))
    for match in _DATE_OF_BIRTH.finditer(masked):
        if _is_birth_date(match):
            found.append(("date of birth", match.start(), match.end()))
    for match in _NAME_AND_ADDRESS.finditer(masked):
        if match["street"].split()[0] in _NOT_STREETS:
            continue  # "Jan Novák, Kapitola 3" cites a book
        named = match["first"] in GIVEN_NAMES or match["second"] in GIVEN_NAMES
        if named or match["town"] or re.fullmatch(_STREET, match["street"]):
            found.append(("name and address", match.start(), match.end()))
    found += [("street address", m.start("street"), m.end()) for m in _LIVES_AT.finditer(masked)]
    for house in _HOUSE.finditer(masked):
        if _YEAR.fullmatch(house.group(0)):
            continue  # "Národní 2020" names a strategy; a house number that is a year needs a town
        window = max(0, house.start() - _LONGEST_STREET)
        street = _STREET_BEFORE.search(masked, window, house.start())
        if street is None and house.group("town"):
            street = _NAMED_PLACE_BEFORE.search(masked, window, house.start())
        if street is not None:
            found.append(("street address", street.start(), house.end()))
    return found


def _labelled(label: re.Pattern[str], text: str, start: int) -> bool:
    """Whether the text just before `start` names what follows (rodné číslo, číslo účtu)."""
    return label.search(text, max(0, start - _LONGEST_LABEL), start) is not None


def _wrapped_in_prose(text: str, start: int, end: int) -> bool:
    """Whether a number is on one line, or broken once after words (prose, not a list)."""
    breaks = text.count("\n", start, end)
    line_start = text.rfind("\n", 0, start) + 1
    return breaks == 0 or (breaks == 1 and any(char.isalpha() for char in text[line_start:start]))


def _iban_end(text: str, start: int, end: int) -> int | None:
    """Where an IBAN starting at `start` ends, if its country's length of characters is valid."""
    length = IBAN_LENGTHS.get(text[start : start + 2].upper())
    if length is None:
        return None
    compact = ""
    position = start
    for token in _IBAN_TOKEN.finditer(text, start, end):
        if len(compact) == length:
            break
        if token.group(0).isalnum():
            compact += token.group(0)
        position = token.end()
    if len(compact) < length or not is_iban(compact):
        return None
    if position < len(text) and text[position].isalnum():
        return None  # the characters go on: a longer code, not this IBAN
    return position


def _is_birth_date(match: re.Match[str]) -> bool:
    """Whether a date after "narozen" is a real date of someone living (born 1900 or later)."""
    if match["iso_year"]:
        year, month, day = int(match["iso_year"]), int(match["iso_month"]), int(match["iso_day"])
    else:
        year, day = int(match["year"]), int(match["day"])
        month = _MONTH_NUMBERS[match["name"].lower()] if match["name"] else int(match["month"])
        if year < 100:
            today = dt.date.today().year % 100
            year += 2000 if year <= today else 1900
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return 1900 <= born.year <= dt.date.today().year


def _read_for_scan(path: Path) -> str | None:
    """The text of a file as published; binary files (with a NUL byte) are not scanned.

    Text that is not valid UTF-8 is still scanned (the loader reports the encoding where it
    matters): digits and Latin letters survive the replacement of the bytes it cannot decode.
    """
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if b"\0" in raw[:8192]:
        return None
    text = raw.decode("utf-8-sig", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_starts(text: str) -> list[int]:
    """Offsets where each line of a text starts."""
    return [0] + [match.end() for match in re.finditer("\n", text)]


def _allowlist_pattern(text: str) -> re.Pattern[str]:
    """An allowlist entry as a pattern: its exact words, with any whitespace (a line break too)."""
    return re.compile(r"\s+".join(re.escape(word) for word in text.split()))
