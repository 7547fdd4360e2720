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

import functools
import gzip
import http.server
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
QUERIES = yaml.safe_load((ROOT / "bench" / "search_queries.yml").read_text(encoding="utf-8"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip

# Types the query, fires the keyup Material listens to, and resolves with the result links and
# the milliseconds until the result list changed.
MEASURE_JS = """
async (query) => {
  const input = document.querySelector("input[data-md-component=search-query]");
  const list = document.querySelector(".md-search-result__list");
  input.value = "";
  input.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true}));
  await new Promise(r => setTimeout(r, 60));
  const changed = new Promise(resolve => {
    const observer = new MutationObserver(() => { observer.disconnect(); resolve(performance.now()); });
    observer.observe(list, {childList: true, subtree: true});
    setTimeout(() => { observer.disconnect(); resolve(null); }, 2000);
  });
  input.value = query;
  const start = performance.now();
  input.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true}));
  const end = await changed;
  await new Promise(r => setTimeout(r, 120));
  const items = [...document.querySelectorAll(".md-search-result__item")].map(
    item => [...item.querySelectorAll("a")].map(a => a.getAttribute("href")));
  return {ms: end === null ? null : end - start, items};
}
"""


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


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def page_of(href: str, base: str) -> str:
    """`http://…/male-obce/depistaz/?h=x#id` → `male-obce/depistaz/`."""
    return href.replace(base, "").split("#")[0].split("?")[0]


def run_queries(site: Path) -> list[dict]:
    server, base = serve(site)
    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(base)
            page.click("input[data-md-component=search-query]")
            page.wait_for_function(
                "document.querySelector('.md-search-result__meta').textContent.trim() !== ''"
            )
            page.evaluate(MEASURE_JS, "rozehrati")  # warm up the worker
            for query in QUERIES:
                outcome = page.evaluate(MEASURE_JS, query["query"])
                pages = [page_of(links[0], base) for links in outcome["items"] if links]
                expected = [target.split("#")[0] for target in query["expected"]]
                rank = next((i + 1 for i, found in enumerate(pages) if found in expected), None)
                results.append({**query, "rank": rank, "ms": outcome["ms"]})
            browser.close()
    finally:
        server.shutdown()
    return results


def index_size(site: Path) -> tuple[int, int]:
    raw = (site / "search" / "search_index.json").read_bytes()
    return len(raw), len(gzip.compress(raw, 9))


def summarise(results: list[dict]) -> dict[str, float]:
    ranks = [r["rank"] for r in results]
    times = sorted(r["ms"] for r in results if r["ms"] is not None)
    return {
        "hit@1": sum(1 for r in ranks if r == 1) / len(ranks),
        "hit@3": sum(1 for r in ranks if r and r <= 3) / len(ranks),
        "MRR": sum(1 / r for r in ranks if r) / len(ranks),
        "p95 ms": statistics.quantiles(times, n=20)[-1] if len(times) > 1 else float("nan"),
    }


def main() -> None:
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
