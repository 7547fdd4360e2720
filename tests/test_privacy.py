"""The personal-data guard catches birth numbers, phones, e-mails and addresses, and nothing else."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, make_project, run_cli
from metodiky.privacy import ALLOWLIST_FILE, HINT, find_personal_data, is_birth_number

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
@given(st.text(alphabet=st.sampled_from("0123456789 /.-,+@aěČ\n:()–")))
def test_findings_point_at_the_text_they_name(text: str) -> None:
    lines = text.split("\n")
    for finding in find_personal_data(text):
        line = lines[finding.line - 1]
        assert line[finding.column - 1 :].startswith(finding.text)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
