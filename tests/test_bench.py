"""The benchmark's own helpers (bench/run.py, bench/browser_search.py), without building anything."""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pytest

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))

import browser_search  # noqa: E402
import run as bench_run  # noqa: E402

CHAPTER = """# První kontakt {#kp-prvni-kontakt}

- Odrážka končí tečkou.

Kapitola provází pracovníka.
Druhá věta.
"""


def test_an_edit_appends_the_word_to_the_first_paragraph_sentence(tmp_path: Path) -> None:
    chapter = tmp_path / "kapitola.md"
    chapter.write_text(CHAPTER, encoding="utf-8")
    bench_run.add_word(chapter, "benchznacka1")
    lines = chapter.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# První kontakt {#kp-prvni-kontakt}"
    assert lines[2] == "- Odrážka končí tečkou."
    assert lines[4] == "Kapitola provází pracovníka benchznacka1."
    assert lines[5] == "Druhá věta."


def test_a_chapter_without_a_paragraph_is_a_clear_failure(tmp_path: Path) -> None:
    chapter = tmp_path / "kapitola.md"
    chapter.write_text("# Nadpis {#id}\n\n- bod\n", encoding="utf-8")
    with pytest.raises(bench_run.BenchFailure, match="no paragraph line"):
        bench_run.add_word(chapter, "benchznacka1")


def test_compressed_size_counts_text_gzipped_and_compressed_files_as_they_are() -> None:
    text = ("Kontaktní práce v terénu. " * 400).encode()
    assert browser_search.compressed_size(text) < len(text) / 10
    packed = gzip.compress(text)
    assert browser_search.compressed_size(packed) == len(packed)


def test_a_clone_of_the_expected_section_is_not_a_hit() -> None:
    base = "http://127.0.0.1:8000/"
    assert browser_search.page_of(f"{base}kontaktni-prace/sit-sluzeb/?h=x#kp-a", base) == (
        "kontaktni-prace/sit-sluzeb/"
    )
    assert browser_search.page_of(f"{base}kontaktni-prace-kopie-3/sit-sluzeb/#kp-a-k3", base) != (
        "kontaktni-prace/sit-sluzeb/"
    )


def test_a_failed_and_a_skipped_size_are_rows_of_the_report() -> None:
    design = bench_run.Design("old", REPO, Path(sys.executable), "9a0f3c5")
    rows = [
        bench_run.Row(100, "old", skipped=bench_run._too_big(50)),
        bench_run.Row(1, "old", failed="`metodiky build` failed (exit 1):\nkapitola.md:3: chyba"),
    ]
    report = bench_run.render_report([design], rows)
    table = [line for line in report.splitlines() if line.startswith("| ")]
    assert len({line.count("|") for line in table}) == 1, "every row has the header's columns"
    assert "| 100× | old | not built: above --max-old-scale 50" in report
    assert "kapitola.md:3: chyba" in report.split("## Failures")[1]


def test_peak_memory_is_extrapolated_from_the_two_largest_sizes_measured() -> None:
    assert bench_run.estimated_peak_mib([], 50) == 0
    assert bench_run.estimated_peak_mib([(1, 500.0)], 10) == 5000
    # 1×: 500, 2×: 700, 10×: 2700 MiB: the slope of the last two, 250 MiB per 1×, to 50×.
    peaks = [(2, 700.0), (1, 500.0), (10, 2700.0)]
    assert bench_run.estimated_peak_mib(peaks, 50) == 2700 + 250 * 40
