"""Page weight: what a reader's first visit transfers, per page type, as a static host sends it.

Builds the site (or takes a built one with --site), serves it on localhost and loads every page
in headless Chromium as a first visit (no cache, service worker not yet installed). Each resource
is counted gzip-compressed, as tests/browser/test_page_weight.py does; the table shows the median
and the heaviest page of each type, with the heaviest page split by kind. Below it: what is
fetched only on demand (the search index, of which a query loads a few parts) and the one-time offline copy the service worker
downloads after the first visit. Run with `make bench-weight`; it is not part of the tests.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from browser.support import (  # noqa: E402
    GZIP_LEVEL,
    FirstVisits,
    Visit,
    discover_pages,
    launch_chromium,
    serve_site,
)
from metodiky.cli import main as metodiky  # noqa: E402
from metodiky.knowledge import load_knowledge_base  # noqa: E402

# Chapters holding a checklist or a tree count as checklist or tree pages.
TYPES = [
    "domovská",
    "kapitola",
    "kontrolní seznam",
    "rozhodovací strom",
    "slovník",
    "vložení pro obce",
    "ostatní",
]
KINDS = {"HTML": ("document",), "CSS": ("stylesheet",), "JS": ("script", "other")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build one)")
    arguments = parser.parse_args()
    if arguments.site and not (arguments.site / "sw.js").is_file():
        parser.error(f"{arguments.site} is not a site built by `metodiky build` (no sw.js)")
    with tempfile.TemporaryDirectory() as scratch:
        site = arguments.site or build_site(Path(scratch))
        visits = visit_every_page(site)
        print(format_table(site, visits))
        print()
        print(format_extras(site))


def build_site(scratch: Path) -> Path:
    site = scratch / "site"
    metodiky(["build", "--root", str(REPO), "--site-dir", str(site)], standalone_mode=False)
    return site


def visit_every_page(site: Path) -> dict[str, Visit]:
    with serve_site(site) as url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        visits = {}
        for path in discover_pages(site):
            # A new profile per page: nothing cached from the page before.
            profile = FirstVisits(browser, url)
            visits[path] = profile.visit(path)
            profile.close()
        browser.close()
    return visits


def chapter_pages() -> set[str]:
    """Addresses of the current chapters of every methodology."""
    knowledge = load_knowledge_base(REPO)
    return {
        f"{methodology.slug}/{chapter.name.removesuffix('.md')}/"
        for methodology in knowledge.methodologies
        for chapter in methodology.chapters
    }


def classify(site: Path, path: str, chapters: set[str]) -> str:
    """The page type a reader would name: by address for home and glossary, else by content."""
    html = (site / path / "index.html").read_text(encoding="utf-8")
    if path == "":
        return "domovská"
    if path == "slovnik/":
        return "slovník"
    if "data-md-color-scheme" not in html:
        return "vložení pro obce"
    if 'class="mk-tree"' in html:
        return "rozhodovací strom"
    if 'class="mk-checklist"' in html:
        return "kontrolní seznam"
    if path in chapters:
        return "kapitola"
    return "ostatní"


def format_table(site: Path, visits: dict[str, Visit]) -> str:
    by_type: dict[str, list[Visit]] = defaultdict(list)
    chapters = chapter_pages()
    for path, visit in visits.items():
        by_type[classify(site, path, chapters)].append(visit)
    lines = [
        "| typ stránky | stránek | medián gzip | nejtěžší gzip | HTML | CSS | JS | ostatní | nejtěžší stránka |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for kind in TYPES:
        group = by_type.get(kind)
        if not group:
            continue
        heaviest = max(group, key=lambda visit: visit.compressed_total)
        parts = {name: heaviest.compressed_by_kind(*kinds) for name, kinds in KINDS.items()}
        other = heaviest.compressed_total - sum(parts.values())
        median = statistics.median(visit.compressed_total for visit in group)
        lines.append(
            f"| {kind} | {len(group)} | {_kb(median)} | {_kb(heaviest.compressed_total)} | "
            f"{_kb(parts['HTML'])} | {_kb(parts['CSS'])} | {_kb(parts['JS'])} | {_kb(other)} | "
            f"/{heaviest.path} |"
        )
    return "\n".join(lines)


def format_extras(site: Path) -> str:
    index = [path for path in (site / "pagefind").rglob("*") if path.is_file()]
    precache = json.loads(
        re.search(r"const PRECACHE = (\[.*?\]);", (site / "sw.js").read_text(), re.S).group(1)
    )
    offline = sum(_compressed(site / _file_for(url)) for url in precache)
    return "\n".join(
        [
            f"Vyhledávání (Pagefind; dotaz stahuje jen své části): celkem {len(index)} souborů, "
            f"{_kb(sum(_compressed(path) for path in index))} gzip.",
            f"Offline kopie (jednou, na pozadí po první návštěvě): {len(precache)} souborů, "
            f"{_kb(offline)} gzip.",
        ]
    )


def _compressed(path: Path) -> int:
    body = path.read_bytes()
    return min(len(body), len(gzip.compress(body, compresslevel=GZIP_LEVEL)))


def _file_for(url: str) -> str:
    if url == "./":
        return "index.html"
    return url + "index.html" if url.endswith("/") else url


def _kb(size: float) -> str:
    return f"{size / 1024:.1f} kB"


if __name__ == "__main__":
    main()
