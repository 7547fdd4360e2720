"""Search at N× content without building an N× site: the built 1× site with a search index of
its pages plus N−1 copies of every methodology page, as the synthetic N× project of
bench/run.py has them (`<slug>-kopie-N/`, read after the originals).

Measures what a reader gets from search when the index is N times larger – quality on the query
set (only the original page counts), the time until results show, and what a first and a second
query transfer – in a minute or two instead of a full N× build. The pages themselves are not
copied: a result link to a copy leads nowhere, which the measurement never follows.

    .venv/bin/python bench/search_at_scale.py --scales 1,10,50,100   (after `make`)
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from browser_search import chromium_missing, run_queries, search_transfer, summarise

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from metodiky.knowledge import load_knowledge_base  # noqa: E402
from metodiky.search_index import (  # noqa: E402
    PAGEFIND_FOLDER,
    READING_ORDER_FILE,
    SHOWN_FOLDER,
    PageEntry,
    SearchSpool,
    write_search_index,
)


def reading_order(site: Path) -> list[str]:
    """The searchable pages' MkDocs addresses in the site's reading order, as the index lists them."""
    folder = site / PAGEFIND_FOLDER
    ids = json.loads((folder / READING_ORDER_FILE).read_text(encoding="utf-8"))
    shown = (json.loads((folder / SHOWN_FOLDER / f"{id_}.json").read_text("utf-8")) for id_ in ids)
    # The spool knows a page by MkDocs' address, which for the home page is "" (not "./").
    return [page["location"].removeprefix("./") for page in shown]


def copied(entry: PageEntry, slug: str, copy: int) -> PageEntry:
    """A methodology page as its copy number `copy` in the synthetic project."""
    prefix = f"{slug}-kopie-{copy}/"
    sections = tuple(
        replace(section, location=prefix + section.location.removeprefix(f"{slug}/"))
        for section in entry.sections
    )
    location = prefix + entry.location.removeprefix(f"{slug}/")
    return replace(entry, location=location, sections=sections)


def scaled_entries(originals: list[PageEntry], slugs: list[str], scale: int) -> Iterator[PageEntry]:
    yield from originals
    for copy in range(1, scale):
        for entry in originals:
            slug = entry.location.split("/", 1)[0]
            if slug in slugs:
                yield copied(entry, slug, copy)


def measure(site: Path, scale: int, workdir: Path) -> dict:
    target = workdir / f"site-{scale}"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(site, target, ignore=shutil.ignore_patterns(PAGEFIND_FOLDER))
    knowledge = load_knowledge_base(REPO)
    slugs = [methodology.slug for methodology in knowledge.methodologies]
    spool = SearchSpool(REPO / ".cache" / "hledani")
    originals = list(spool.entries(reading_order(site)))
    started = time.perf_counter()
    sections = write_search_index(target, scaled_entries(originals, slugs, scale), knowledge)
    indexing = time.perf_counter() - started
    folder = target / PAGEFIND_FOLDER
    pages = len(list((folder / SHOWN_FOLDER).iterdir()))
    index_bytes = sum(p.stat().st_size for p in (folder / "index").iterdir())
    shown = [p.read_bytes() for p in (folder / SHOWN_FOLDER).iterdir()]
    results = run_queries(target)
    summary = summarise(results)
    times = [r["ms"] for r in results if r["ms"] is not None]
    transfer = search_transfer(target, timeout=60)
    return {
        "scale": scale,
        "pages": pages,
        "sections": sections,
        "indexing s": indexing,
        "index kB": index_bytes / 1000,
        "page file kB (median gzip)": statistics.median(len(gzip.compress(b)) for b in shown)
        / 1000,
        **summary,
        "median ms": statistics.median(times),
        "first query kB": transfer.first_bytes / 1000,
        "first requests": transfer.first_requests,
        "next query kB": transfer.second_bytes / 1000,
        "next requests": transfer.second_requests,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,50")
    parser.add_argument("--site", type=Path, default=REPO / "site")
    options = parser.parse_args()
    if missing := chromium_missing():
        raise SystemExit(missing)
    if not (options.site / PAGEFIND_FOLDER).is_dir():
        raise SystemExit(f"{options.site} nemá vyhledávací index: nejdřív spusťte `make`.")
    rows = []
    with tempfile.TemporaryDirectory(prefix="metodiky-hledani-", dir=REPO / ".cache") as workdir:
        for scale in map(int, options.scales.split(",")):
            rows.append(measure(options.site, scale, Path(workdir)))
            print(rows[-1], flush=True)
    keys = list(rows[0])
    print("| " + " | ".join(keys) + " |")
    print("|" + "---:|" * len(keys))
    for row in rows:
        cells = [
            f"{value:.2f}" if isinstance(value, float) else str(value) for value in row.values()
        ]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
