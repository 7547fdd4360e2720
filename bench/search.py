"""Search benchmark: our Czech search against Material's stock search on the same site.

Builds the site twice (ours, and stock with `czech_search: false`), serves each on localhost,
types every query of bench/search_queries.yml into the real search box in headless Chromium and
prints hit@1, hit@3 and MRR side by side, the index size (raw and gzip) and the 95th percentile of
the time from the last keystroke to rendered results, then hit@1 and hit@3 for each kind of query
(plain, no diacritics, other case, abbreviation or synonym, hyphenated short form, ordinal,
question). Writes the tables to bench/search-results.md.
Run with `make bench-search`; it is not part of the tests.
"""

from __future__ import annotations

import gzip
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from browser_search import QUERIES, chromium_missing, run_queries, summarise

ROOT = Path(__file__).resolve().parent.parent


def build(variant: str, workdir: Path) -> Path:
    """Build the site; the stock variant turns our search customisation off in a copied config."""
    site = workdir / f"site-{variant}"
    config = ROOT / "mkdocs.yml"
    if variant == "stock":
        text = config.read_text(encoding="utf-8").replace(
            "  - metodiky\n", "  - metodiky:\n      czech_search: false\n"
        )
        config = ROOT / ".mkdocs-stock-search.yml"
        config.write_text(text, encoding="utf-8")
    try:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "mkdocs",
                "build",
                "--strict",
                "-q",
                "-f",
                str(config),
                "-d",
                str(site),
            ],
            cwd=ROOT,
            check=True,
        )
    finally:
        if variant == "stock":
            config.unlink()
    return site


def index_size(site: Path) -> tuple[int, int]:
    raw = (site / "search" / "search_index.json").read_bytes()
    return len(raw), len(gzip.compress(raw, 9))


def main() -> None:
    if missing := chromium_missing():
        raise SystemExit(missing)
    workdir = Path(tempfile.mkdtemp(prefix="bench-search-"))
    try:
        rows = {}
        details = {}
        for variant in ("ours", "stock"):
            site = build(variant, workdir)
            results = run_queries(site)
            details[variant] = results
            raw, packed = index_size(site)
            rows[variant] = {
                **summarise(results),
                "index kB": raw / 1024,
                "index gzip kB": packed / 1024,
            }
        table = format_table(rows, details)
        print(table)
        (ROOT / "bench" / "search-results.md").write_text(table, encoding="utf-8")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def format_table(rows: dict[str, dict[str, float]], details: dict[str, list[dict]]) -> str:
    metrics = ["hit@1", "hit@3", "MRR", "p95 ms", "index kB", "index gzip kB"]
    lines = [
        f"# Search benchmark ({len(QUERIES)} queries from bench/search_queries.yml)",
        "",
        "| metric | our search | stock Material |",
        "|---|---|---|",
    ]
    for metric in metrics:
        lines.append(f"| {metric} | {rows['ours'][metric]:.2f} | {rows['stock'][metric]:.2f} |")
    ratio = rows["ours"]["index gzip kB"] / rows["stock"]["index gzip kB"]
    lines += ["", f"Index size ratio (gzip, ours / stock): {ratio:.2f}", ""]
    kinds = sorted({q["kind"] for q in QUERIES})
    lines += [
        "| kind | queries | hit@1 ours | hit@3 ours | hit@1 stock | hit@3 stock |",
        "|---|---|---|---|---|---|",
    ]
    for kind in kinds:
        ours = summarise([r for r in details["ours"] if r["kind"] == kind])
        stock = summarise([r for r in details["stock"] if r["kind"] == kind])
        count = sum(1 for q in QUERIES if q["kind"] == kind)
        lines.append(
            f"| {kind} | {count} | {ours['hit@1']:.2f} | {ours['hit@3']:.2f}"
            f" | {stock['hit@1']:.2f} | {stock['hit@3']:.2f} |"
        )
    misses = [r for r in details["ours"] if not r["rank"] or r["rank"] > 3]
    if misses:
        lines += ["", "Queries not answered in the first three results by our search:", ""]
        lines += [
            f"- `{r['query']}` (rank {r['rank']}) expected {', '.join(r['expected'])}"
            for r in misses
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
