"""Citations per ČSN ISO 690: made by pandoc's citeproc from CSL-JSON records, the same text on
the site, in the PDF and in Word, and the same records for reference managers."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
import subprocess
from pathlib import Path

import pypandoc
import pytest

from metodiky import citation as citation_module
from metodiky.citation import (
    ACCESS_PLACEHOLDER,
    edition_records,
    format_records,
    render_bibtex,
    render_ris,
)
from metodiky.model import Edition

GOLDEN = Path(__file__).resolve().parent / "golden" / "citation" / "expected.txt"
SITE_URL = "https://metodiky-socialni-prace.cz/"
ACCESSED = dt.date(2026, 11, 30)
# (label in the golden file, released version of Metodika kontaktní práce, citable unit)
GOLDEN_UNITS = [
    ("kapitola", "1.1", "kp-prvni-kontakt"),
    ("oddíl", "1.1", "kp-osloveni"),
    ("kontrolní seznam", "1.1", "nastroj-kp-prvni-kontakt"),
    ("archivní verze", "1.0", "kp-prvni-kontakt"),
]


def _edition(knowledge, version: str) -> Edition:
    methodology = next(m for m in knowledge.methodologies if m.slug == "kontaktni-prace")
    return Edition(methodology, methodology.editions[version], version)


def _records(knowledge, version: str, *units: str) -> list[dict]:
    records = {
        r["id"].rsplit("-", 1)[0]: r
        for r in edition_records(_edition(knowledge, version), SITE_URL)
    }
    return [records[unit] for unit in units]


def test_citations_of_released_versions_match_the_golden_file(knowledge, update_golden) -> None:
    """Released versions are frozen, so their citations may never change by accident."""
    lines = []
    for label, version, unit in GOLDEN_UNITS:
        (cited,) = format_records(_records(knowledge, version, unit), ACCESSED)
        lines.append(f"{label}: {cited.text}\n")
    actual = "".join(lines)
    if update_golden:
        GOLDEN.write_text(actual, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True)))
    assert actual == expected, diff


def test_a_section_citation_has_the_iso_690_order(knowledge) -> None:
    """Author. Title [online]. Version. Place: publisher, year [cit. date]. Part. Available at: URL."""
    (cited,) = format_records(_records(knowledge, "1.1", "kp-osloveni"), ACCESSED)
    assert cited.text == (
        "AUTORSKÝ TÝM ZNALOSTNÍ BÁZE METODIKY SOCIÁLNÍ PRÁCE. Metodika kontaktní práce [online]. "
        "Verze 1.1. B.m.: Metodiky sociální práce, 2026 [cit.\u00a02026-11-30]. Oddíl 4.2, Oslovení. "
        "Dostupné z:\u00a0https://metodiky-socialni-prace.cz/odkaz/kp-osloveni/1.1/"
    )
    assert "<em>Metodika kontaktní práce</em> [online]" in cited.html


def test_without_a_date_of_access_the_reader_fills_it_in(knowledge) -> None:
    (cited,) = format_records(_records(knowledge, "1.0", "kp-osloveni"))
    assert f"2026 [cit.\u00a0{ACCESS_PLACEHOLDER}]. Oddíl 4.2, Oslovení." in cited.text
    assert "1111" not in cited.text + cited.html


def test_every_unit_of_a_version_is_formatted_in_one_pandoc_run_and_cached(
    knowledge, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = edition_records(_edition(knowledge, "1.0"), SITE_URL)
    assert len(records) > 60  # the version, its chapters, sections, checklists and trees
    runs = []
    real_run = subprocess.run
    citation_module._FORMATTED.clear()

    def counting_run(*args, **kwargs):
        runs.append(args)
        return real_run(*args, **kwargs)

    monkeypatch.setattr(citation_module.subprocess, "run", counting_run)
    first = format_records(records, cache=tmp_path)
    assert len(runs) == 1
    citation_module._FORMATTED.clear()
    again = format_records(records, cache=tmp_path)
    assert len(runs) == 1, "the second build must read the cache, not run pandoc"
    assert [c.text for c in again] == [c.text for c in first]
    assert len(list(tmp_path.glob("citace-*.json"))) == 1


def _pandoc_to_csl(text: str, reader: str) -> list[dict]:
    """Read a file the way a reference manager would: pandoc's own RIS and BibTeX readers."""
    return json.loads(pypandoc.convert_text(text, "csljson", format=reader))


def _with_today(text: str) -> str:
    """What the page's script does before saving the file."""
    return text.replace(ACCESS_PLACEHOLDER, "2026-11-30")


def test_ris_file_parses_with_title_author_year_url_and_date_of_access(knowledge) -> None:
    cited = format_records(_records(knowledge, "1.1", "kp-prvni-kontakt", "kp-osloveni"))
    ris = _with_today(render_ris(cited))
    tags = [line[:2] for line in ris.split("\r\n") if line]
    assert tags.count("TY") == 2 and tags.count("ER") == 2
    for tag in ("TI", "AU", "PY", "UR", "Y2", "T2", "ET", "PB"):
        assert tags.count(tag) == 2, tag
    entries = _pandoc_to_csl(ris, "ris")
    section = next(e for e in entries if e["title"] == "Oddíl 4.2, Oslovení")
    assert section["container-title"] == "Metodika kontaktní práce"
    assert section["URL"] == "https://metodiky-socialni-prace.cz/odkaz/kp-osloveni/1.1/"
    assert section["issued"]["date-parts"][0][0] == 2026
    assert section["author"] == [{"family": "Autorský tým znalostní báze Metodiky sociální práce"}]
    # pandoc's RIS reader skips the date of access; Zotero reads it from Y2.
    assert ris.count("\r\nY2  - 2026-11-30\r\n") == 2


def test_bibtex_file_parses_with_the_same_record(knowledge) -> None:
    cited = format_records(_records(knowledge, "1.1", "kontaktni-prace", "kp-osloveni"))
    entries = {e["id"]: e for e in _pandoc_to_csl(_with_today(render_bibtex(cited)), "biblatex")}
    whole, section = entries["kontaktni-prace-1.1"], entries["kp-osloveni-1.1"]
    assert whole["type"] == "book" and whole["title"] == "Metodika kontaktní práce"
    assert whole["author"] == [{"literal": "Autorský tým znalostní báze Metodiky sociální práce"}]
    assert whole["publisher"] == "Metodiky sociální práce"
    assert whole["URL"] == "https://metodiky-socialni-prace.cz/kontaktni-prace/1.1/"
    assert section["container-title"] == "Metodika kontaktní práce"
    assert section["accessed"]["date-parts"][0] == [2026, 11, 30]
    assert section["issued"]["date-parts"][0] == [2026, 11, 30]


def test_the_pdf_and_word_files_take_the_same_citation_as_the_site(knowledge) -> None:
    from metodiky.render.docx import render_methodology_docx
    from metodiky.render.handbook import (
        plan_handbooks,
        render_handbook_typst,
        typst_with_addresses,
    )

    edition = _edition(knowledge, "1.0")
    (site,) = format_records(_records(knowledge, "1.0", "kp-prvni-kontakt"))
    handbook = next(h for h in plan_handbooks(knowledge, SITE_URL) if h.editions == (edition,))
    typst = render_handbook_typst(knowledge, handbook)
    # The PDF sets the same text, its address marked so that it never hyphenates.
    assert typst_with_addresses(site.text) in typst
    docx = render_methodology_docx(knowledge, edition, SITE_URL)
    text = pypandoc.convert_text(docx, "plain", format="docx", extra_args=["--wrap=none"])
    (whole,) = format_records(_records(knowledge, "1.0", "kontaktni-prace"))
    assert whole.text in text.replace("\u00a0", "\u00a0")


def test_citation_text_never_reaches_the_search_index(real_site: Path) -> None:
    docs = json.loads((real_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    leaked = [d["location"] for d in docs["docs"] if "Dostupné z:" in d["text"] + d["title"]]
    assert leaked == []


def test_a_chapter_page_has_one_citovat_and_each_section_its_citation(real_site: Path) -> None:
    page = real_site / "kontaktni-prace" / "prvni-kontakt"
    html = (page / "index.html").read_text(encoding="utf-8")
    assert len(re.findall(r"<summary>Citovat</summary>", html)) == 1
    assert 'mk-cite"' not in html and 'class="mk-cite ' not in html  # no per-heading boxes
    cited = re.findall(r'href="#kp-osloveni" data-citation="([^"]*)"', html)
    assert cited and cited[0].endswith(
        "Oddíl 4.2, Oslovení. Dostupné z:\u00a0https://metodiky-socialni-prace.cz/odkaz/kp-osloveni/1.1/"
    )
    ris = (page / "citace.ris").read_bytes().decode("utf-8")  # RIS lines end in CRLF
    assert ris.startswith("TY  - CHAP\r\nTI  - Kapitola 4, První kontakt a budování důvěry\r\n")
    assert "TI  - Oddíl 4.2, Oslovení" in ris
    assert (
        (page / "citace.bib")
        .read_text(encoding="utf-8")
        .startswith("@inbook{kp-prvni-kontakt-1.1,")
    )
