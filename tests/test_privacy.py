"""The personal-data guard catches personal data in every published file, and nothing else."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import privacy_corpus as corpus
from conftest import REPO, make_project, run_cli
from metodiky.errors import quoted
from metodiky.privacy import (
    ALLOWLIST_FILE,
    HINT,
    KIND_NAMES,
    content_files,
    find_personal_data,
    is_birth_number,
    is_czech_account,
    is_iban,
    scan_project,
)

CHAPTER = "methodology/zkusebni/uvod.md"
CHECKLIST = "methodology/zkusebni/checklists/zk-prvni-navsteva.yml"
TREE = "methodology/zkusebni/trees/zk-ohrozeni.yml"
GLOSSARY = "glossary/spolecne.yml"
PAGE = "docs/index.md"

# (file, text replaced, replacement, line, column, kind, found text)
PLANTED = [
    (CHAPTER, "Pracovník působí", "Klientka (r. č. 736028/5163) a pracovník působí", 3, 17,
     "birth number", "736028/5163"),
    (CHAPTER, "Pracovník působí", "Rodné číslo 7851120080 patří dítěti; pracovník působí", 3, 13,
     "birth number", "7851120080"),
    (CHAPTER, "Pracovník působí", "Narozen 1935: 350101/123, pracovník působí", 3, 15,
     "birth number", "350101/123"),
    (CHECKLIST, "hint: Řekněte to i kolegovi.", "hint: Volejte paní Novákové na 603 123 456.", 11, 40,
     "phone number", "603 123 456"),
    (TREE, "text: Dojednejte zakázku.", "text: Zavolejte na +420 777123456 a dojednejte zakázku.", 30, 24,
     "phone number", "+420 777123456"),
    (GLOSSARY, "definition: Úřad, který chrání", "definition: Úřad (00420 234 567 890), který chrání", 9, 21,
     "phone number", "00420 234 567 890"),
    (PAGE, "Odkaz na [příručku]", "Pište na jan.novak@seznam.cz nebo na [příručku]", 3, 10,
     "e-mail address", "jan.novak@seznam.cz"),
    (TREE, "text: Respektujte rozhodnutí", "text: Bydlí na adrese Husovo náměstí 2/24, 397 01 Písek. Respektujte rozhodnutí", 35, 27,
     "street address", "Husovo náměstí 2/24, 397 01 Písek"),
    (CHAPTER, "Pracovník působí", "Rodina bydlí v ulici Palackého 1487/12 a pracovník působí", 3, 22,
     "street address", "Palackého 1487/12"),
    (CHAPTER, "Pracovník působí", "Sejdeme se Na Příkopě 12, pracovník působí", 3, 12,
     "street address", "Na Příkopě 12"),
]  # fmt: skip

# How the message names each kind of finding.
CZECH_KINDS = {
    "birth number": "rodné číslo",
    "phone number": "telefonní číslo",
    "e-mail address": "e-mailová adresa",
    "street address": "adresa",
}

LOOKALIKES = [
    "Podle zákona č. 108/2006 Sb., o sociálních službách, a vyhlášky č. 505/2006 Sb.",
    "Volejte 155, 112, 150, 156 nebo 158; linka pomoci 116 111.",
    "Metodika vznikla 29. 4. 2015 a platila 09/2019 – 12/2022.",
    "Projekt CZ.03.2.63/0.0/0.0/19_098/0015106 financovala EU.",
    "Viz kapitolu 3.2 a oddíl 3.2.1; verze 1.0.",
    "Rozpočet 350 000 000 Kč, obec má 1 250 000 obyvatel.",
    "Neplatné číslo 736028/5164 nemá správný kontrolní součet; 991332/1234 nemá platné datum.",
    "ISBN 978-80-7367-123-4, IČO 12345678, spisová značka 12 C 345/2019.",
    "Odkaz https://is.muni.cz/th/603123456/prace.pdf a www.example.cz/736028/5163.",
    "Otisk souboru e01bbead368adbc5cad5e32243927318816b6a7c5d691f89a18365936dd048cb.",
    "Národní strategie 2021 a Evropská 2030; Kapitola 3 a Příloha 2.",
    "Komenského zásady platí od roku 1650; tabulka 1 a krok 2.",
]


@pytest.mark.parametrize(
    ("relative", "old", "new", "line", "column", "kind", "found"),
    PLANTED,
    ids=[f"{case[5]}-{index}" for index, case in enumerate(PLANTED)],
)
def test_planted_personal_data_is_caught_at_its_position(
    tmp_path: Path, relative: str, old: str, new: str, line: int, column: int, kind: str, found: str
) -> None:
    project = make_project(tmp_path / "project")
    _replace(project / relative, old, new)

    result = run_cli("check", "--root", str(project))

    assert result.exit_code == 1
    named = CZECH_KINDS[kind]
    expected = f"{relative}:{line}:{column}: možný osobní údaj: {named} „{found}“ ({HINT})"
    assert expected in result.output.splitlines(), result.output


def test_lookalikes_are_not_personal_data(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    _replace(project / CHAPTER, "Pracovník působí", "\n".join(LOOKALIKES) + "\nPracovník působí")

    result = run_cli("check", "--root", str(project))

    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("text", LOOKALIKES)
def test_each_lookalike_alone_finds_nothing(text: str) -> None:
    assert find_personal_data(text) == []


def test_allowlisted_text_passes_and_stale_entries_are_reported(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    _replace(
        project / PAGE, "Odkaz na", "Kontakt: info@obec-zkusebni.cz, tel. 381 123 456. Odkaz na"
    )
    (project / ALLOWLIST_FILE).write_text(
        "- text: info@obec-zkusebni.cz\n"
        "  reason: Veřejný kontakt obecního úřadu.\n"
        "- text: tel. 381 123 456\n"
        "  reason: Ústředna obecního úřadu, uvedená na jeho webu.\n"
        "- text: jan.novak@seznam.cz\n"
        "  reason: Dříve uvedený kontakt.\n",
        encoding="utf-8",
    )

    result = run_cli("check", "--root", str(project))

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{ALLOWLIST_FILE}:5:3: výjimka „jan.novak@seznam.cz“ už nepokrývá žádný osobní údaj "
        "(výjimku odstraňte)",
        "Nalezeno problémů: 1.",
    ]


def test_allowlist_entry_needs_a_reason(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    (project / ALLOWLIST_FILE).write_text("- text: info@obec.cz\n", encoding="utf-8")

    result = run_cli("check", "--root", str(project))

    assert result.exit_code == 1
    assert f"{ALLOWLIST_FILE}:1:3: chybí povinné pole „reason“ v „[0]“" in result.output


def test_real_content_has_no_personal_data() -> None:
    result = run_cli("check", "--root", str(REPO))

    assert "osobní údaj" not in result.output and "výjimka" not in result.output, result.output


@st.composite
def birth_numbers(draw: st.DrawFn) -> str:
    """A valid ten-digit rodné číslo (born 1954 or later) in its usual written forms."""
    born = draw(st.dates(min_value=dt.date(1954, 1, 1), max_value=dt.date(2053, 12, 31)))
    month = born.month + draw(st.sampled_from([0, 50] + ([20, 70] if born.year >= 2004 else [])))
    first = f"{born.year % 100:02d}{month:02d}{born.day:02d}{draw(st.integers(0, 999)):03d}"
    check = int(first) * 10 % 11
    digits = first + str((11 - check) % 11 % 10)
    return draw(
        st.sampled_from([digits, f"{digits[:6]}/{digits[6:]}", f"{digits[:6]} / {digits[6:]}"])
    )


@st.composite
def phone_numbers(draw: st.DrawFn) -> str:
    """A Czech nine-digit number (landline, mobile or VoIP) in its usual written forms."""
    digits = str(draw(st.sampled_from("2345679"))) + f"{draw(st.integers(0, 99_999_999)):08d}"
    spaced = f"{digits[:3]} {digits[3:6]} {digits[6:]}"
    prefix = draw(st.sampled_from(["", "+420 ", "+420", "00420 "]))
    return prefix + draw(st.sampled_from([digits, spaced, spaced.replace(" ", "\u00a0")]))


SURROUNDINGS = st.sampled_from(["", "Telefon: ", "(", "Číslo ", "klient – ", "„"])
ENDINGS = st.sampled_from(["", ".", ",", ")", " a dál", "“", ";"])


@settings(max_examples=300, deadline=None)
@given(birth_numbers(), SURROUNDINGS, ENDINGS)
def test_any_valid_birth_number_is_caught(number: str, before: str, after: str) -> None:
    assert is_birth_number(number.replace("/", "").replace(" ", ""))

    findings = find_personal_data(f"Text před.\n{before}{number}{after}")

    assert [(f.kind, f.text, f.line, f.column) for f in findings] == [
        ("birth number", number, 2, len(before) + 1)
    ]


@settings(max_examples=300, deadline=None)
@given(phone_numbers(), SURROUNDINGS, ENDINGS)
def test_any_czech_phone_number_is_caught(number: str, before: str, after: str) -> None:
    findings = find_personal_data(f"{before}{number}{after}")

    assert [(f.kind, f.text, f.column) for f in findings] == [
        ("phone number", number, len(before) + 1)
    ]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789 /.-,+@aěČ\n:()–Lnr")))
def test_findings_point_at_the_text_they_name(text: str) -> None:
    lines = text.split("\n")
    for finding in find_personal_data(text):
        # A finding wrapped over a line break goes on in the next line.
        rest = "\n".join([lines[finding.line - 1][finding.column - 1 :], *lines[finding.line :]])
        assert rest.startswith(finding.text)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- The labelled corpus (tests/privacy_corpus.py), planted into every kind of source file ---


@dataclass(frozen=True)
class SourceKind:
    """A kind of source file: where it lives in the mini project and how texts are written in.

    `indent` is what a line break inside a text is followed by in the file (a folded YAML text
    continues indented).
    """

    name: str
    relative: str
    write: Callable[[Path, list[str]], None]
    indent: str = ""


def _append_paragraphs(path: Path, texts: list[str]) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(old.rstrip("\n") + "\n\n" + "\n\n".join(texts) + "\n", encoding="utf-8")


def _folded(prefix: str, indent: str, text: str) -> str:
    """A YAML list item or field holding a text as a folded block, exactly as written."""
    return f"{prefix}>-\n{indent}" + text.replace("\n", "\n" + indent) + "\n"


def _insert_after(path: Path, anchor: str, addition: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert anchor in text, f"{anchor!r} not in {path}"
    path.write_text(text.replace(anchor, anchor + addition, 1), encoding="utf-8")


def _checklist(path: Path, texts: list[str]) -> None:
    items = "".join(_folded("      - text: ", " " * 10, text) for text in texts)
    path.write_text(path.read_text(encoding="utf-8") + items, encoding="utf-8")


def _tree(path: Path, texts: list[str]) -> None:
    warnings = "".join(_folded("  - ", " " * 4, text) for text in texts)
    _insert_after(path, "  - Bezpečí má vždy přednost.\n", warnings)


def _glossary(path: Path, texts: list[str]) -> None:
    letters = "abcdefghijklmnopqrstuvwxyz"
    entries = "".join(
        f"- id: zk-osobni-{letters[i // 26]}{letters[i % 26]}\n"
        f"  term: zkušební pojem {letters[i // 26]}{letters[i % 26]}\n"
        + _folded("  definition: ", " " * 4, text)
        for i, text in enumerate(texts)
    )
    path.write_text(path.read_text(encoding="utf-8") + entries, encoding="utf-8")


def _manifest(path: Path, texts: list[str]) -> None:
    authors = "".join(_folded("  - ", " " * 4, text) for text in texts)
    _insert_after(path, "  - Testovací tým\n", authors)


def _yaml_list(path: Path, texts: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(_folded("- ", "  ", text) for text in texts), encoding="utf-8")


def _html(path: Path, texts: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "".join(f"<p>{text}</p>\n" for text in texts)
    page = f'<!doctype html>\n<html lang="cs">\n<body>\n{body}</body>\n</html>\n'
    path.write_text(page, encoding="utf-8")


def _plain(path: Path, texts: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n\n".join(texts) + "\n", encoding="utf-8")


SOURCE_KINDS = [
    SourceKind("chapter Markdown", "methodology/zkusebni/uvod.md", _append_paragraphs),
    SourceKind("checklist YAML", CHECKLIST, _checklist, " " * 10),
    SourceKind("decision tree YAML", TREE, _tree, " " * 4),
    SourceKind("glossary YAML", GLOSSARY, _glossary, " " * 4),
    SourceKind("manifest", "methodology/zkusebni/metodika.yml", _manifest, " " * 4),
    SourceKind("docs Markdown", "docs/kontakty/index.md", _append_paragraphs),
    SourceKind("docs static HTML", "docs/kontakty.html", _html),
    SourceKind("docs plain text", "docs/poznamky.txt", _plain),
    SourceKind("docs YAML data", "docs/data/kontakty.yml", _yaml_list, "  "),
    SourceKind("theme HTML (overrides)", "overrides/partials/kontakt.html", _html),
    SourceKind("registry Markdown", "registry/poznamky.md", _append_paragraphs),
]


@dataclass(frozen=True)
class Expected:
    """The message a planted personal datum must produce, or the lines a lookalike occupies."""

    kind: str
    message: str
    lines: range


def _plant(project: Path, source: SourceKind) -> tuple[list[Expected], list[Expected]]:
    """Write the corpus into one file; return the expected findings and the lookalikes' lines."""
    cleaned = [corpus.marked(line) for _, line in corpus.PLANTED]
    texts = [text for text, _, _ in cleaned]
    mixed = [text for pair in zip(texts, corpus.LOOKALIKES, strict=False) for text in pair]
    mixed += texts[len(corpus.LOOKALIKES) :] + corpus.LOOKALIKES[len(texts) :]
    path = project / source.relative
    source.write(path, mixed)
    written = path.read_text(encoding="utf-8")

    def place(text: str, offset_in_text: int) -> tuple[int, int]:
        as_written = text.replace("\n", "\n" + source.indent)
        assert written.count(as_written) == 1, f"{as_written!r} in {source.relative}"
        before = text[:offset_in_text].replace("\n", "\n" + source.indent)
        offset = written.index(as_written) + len(before)
        line = written.count("\n", 0, offset) + 1
        return line, offset - written.rfind("\n", 0, offset)

    planted = []
    for (kind, _), (text, start, end) in zip(corpus.PLANTED, cleaned, strict=True):
        line, column = place(text, start)
        span = text[start:end]
        message = (  # a wrapped finding is quoted with a space for the break
            f"{source.relative}:{line}:{column}: možný osobní údaj: "
            f"{KIND_NAMES[kind]} {quoted(span.replace(chr(10), ' '))} ({HINT})"
        )
        planted.append(Expected(kind, message, range(line, line + span.count("\n") + 1)))
    lookalikes = []
    for text in corpus.LOOKALIKES:
        line, _ = place(text, 0)
        lookalikes.append(Expected("", text, range(line, line + text.count("\n") + 1)))
    return planted, lookalikes


def test_corpus_is_well_formed() -> None:
    assert {kind for kind, _ in corpus.PLANTED} == set(KIND_NAMES)
    texts = [corpus.marked(line)[0] for _, line in corpus.PLANTED] + corpus.LOOKALIKES
    assert len(set(texts)) == len(texts)
    for text in texts:
        assert not any(text in other for other in texts if other != text), text


def test_guard_catches_the_whole_corpus_and_nothing_else(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    planted: dict[str, list[Expected]] = {}
    lookalikes: dict[str, list[Expected]] = {}
    for source in SOURCE_KINDS:
        planted[source.relative], lookalikes[source.relative] = _plant(project, source)

    result = run_cli("check", "--root", str(project))

    assert "Traceback" not in result.output
    reported = {line for line in result.output.splitlines() if ": možný osobní údaj: " in line}
    expected = {item.message for items in planted.values() for item in items}
    missed = sorted(expected - reported)
    stray = sorted(reported - expected)
    # A stray finding on a lookalike's line is a false positive of that lookalike.
    flagged = {
        (relative, item.message)
        for relative, items in lookalikes.items()
        for item in items
        for line in stray
        if line.startswith(f"{relative}:")
        and int(line[len(relative) + 1 :].split(":")[0]) in item.lines
    }
    by_kind = {
        kind: sum(
            item.message in reported
            for items in planted.values()
            for item in items
            if item.kind == kind
        )
        for kind in KIND_NAMES
    }
    total = len(expected)
    negatives = sum(len(items) for items in lookalikes.values())
    print(
        f"\nprivacy corpus: {len(corpus.PLANTED)} planted data × {len(SOURCE_KINDS)} kinds of file, "
        f"{len(corpus.LOOKALIKES)} lookalikes × {len(SOURCE_KINDS)} kinds of file"
        f"\nprivacy recall: {total - len(missed)}/{total} = {(total - len(missed)) / total:.1%}"
        + "".join(
            f"\n  {kind}: {count}/{len(SOURCE_KINDS) * sum(k == kind for k, _ in corpus.PLANTED)}"
            for kind, count in by_kind.items()
        )
        + f"\nprivacy false positives on lookalikes: {len(flagged)}/{negatives} = "
        f"{len(flagged) / negatives:.1%}; other stray findings: {len(stray)}"
    )
    assert missed == [], "\n".join(["not reported:", *missed, "reported instead:", *stray])
    assert stray == [], "\n".join(["reported but not planted:", *stray])


def test_real_content_gives_no_false_positive() -> None:
    files = content_files(REPO)
    lines = sum(path.read_bytes().count(b"\n") for path in files)
    kinds = sorted({path.suffix for path in files})

    errors = scan_project(REPO)

    print(
        f"\nprivacy false positives on real content: {len(errors)} in {len(files)} files "
        f"({lines} lines; {', '.join(kinds)})"
    )
    assert [error.format() for error in errors] == []
    assert {path.relative_to(REPO).parts[0] for path in files} >= {
        "methodology",
        "glossary",
        "docs",
        "registry",
        "overrides",
        "mkdocs.yml",
    }


def test_wrapped_text_is_reported_at_its_start_with_the_break() -> None:
    text = "summary: >-\n  Volejte na 603 123\n  456 nebo pište na jana.nova@\n  seznam.cz.\n"

    findings = find_personal_data(text)

    assert [(f.kind, f.text, f.line, f.column) for f in findings] == [
        ("phone number", "603 123\n  456", 2, 14),
        ("e-mail address", "jana.nova@\n  seznam.cz", 3, 21),
    ]


def test_allowlist_entry_covers_the_same_words_wrapped(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    _replace(project / PAGE, "Odkaz na", "Ústředna úřadu 381 123\n456. Odkaz na")
    (project / ALLOWLIST_FILE).write_text(
        "- text: 381 123 456\n  reason: Ústředna obecního úřadu, uvedená na jeho webu.\n",
        encoding="utf-8",
    )

    result = run_cli("check", "--root", str(project))

    assert "osobní údaj" not in result.output and "výjimka" not in result.output, result.output


def test_text_in_another_encoding_is_still_scanned(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    (project / "docs" / "poznamky.txt").write_bytes("Paní Žáková: 603 123 456\n".encode("cp1250"))
    (project / "docs" / "obrazek.bin").write_bytes(b"\0\x01603 123 456")

    result = run_cli("check", "--root", str(project))

    assert [line for line in result.output.splitlines() if "osobní údaj" in line] == [
        f"docs/poznamky.txt:1:14: možný osobní údaj: telefonní číslo „603 123 456“ ({HINT})"
    ]


@pytest.mark.parametrize(
    ("iban", "valid"),
    [
        ("CZ6508000000192000145399", True),
        ("SK3112000000198742637541", True),
        ("DE89370400440532013000", True),
        ("CZ6508000000192000145398", False),  # checksum
        ("CZ650800000019200014539", False),  # length
        ("XX6508000000192000145399", False),  # country
    ],
)
def test_iban_is_validated(iban: str, valid: bool) -> None:
    assert is_iban(iban) is valid


@pytest.mark.parametrize(
    ("prefix", "number", "bank", "valid"),
    [
        ("19", "2000145399", "0800", True),
        ("", "2345678908", "0100", True),
        ("", "1999888774", "2010", True),
        ("", "1999888775", "2010", False),  # checksum, and 2010 reads as a year
        ("18", "2000145399", "2010", False),  # prefix checksum
        ("", "123456789", "0800", True),  # a typo in a number at a bank that is not a year
        ("", "561", "2004", False),  # zákon č. 561/2004 Sb.
        ("", "12345", "0100", False),  # too short without a prefix
        ("", "2345678908", "9999", False),  # not a Czech bank
    ],
)
def test_czech_account_is_validated(prefix: str, number: str, bank: str, valid: bool) -> None:
    assert is_czech_account(prefix, number, bank) is valid


def test_a_label_stands_in_for_the_checksum() -> None:
    assert not is_birth_number("7801011234")
    assert is_birth_number("7801011234", checksum=False)
    assert not is_birth_number("7813011234", checksum=False)  # no 13th month
    assert not is_czech_account("", "2501234567", "2010")
    assert is_czech_account("", "2501234567", "2010", labelled=True)
    assert not is_czech_account("", "2501234567", "9999", labelled=True)
