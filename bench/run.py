"""Benchmark: our build against plain MkDocs, the PDF handbook, and growth at 1×, 10× and 50× content.

`make bench` runs it; the table is printed and written to bench/results.md. Synthetic content is
made by cloning the real methodologies under new slugs, codes and ids (chapters, checklists,
trees and released versions alike), so every id stays unique and `metodiky check` passes.
Timings are wall-clock medians; peak memory includes child processes such as pandoc.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import re
import shutil
import statistics
import string
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results.md"
PROJECT_FILES = ("mkdocs.yml", "overrides", "macros", "docs", "glossary")
METODIKY = [sys.executable, "-c", "from metodiky.cli import main; main()"]
MKDOCS = [sys.executable, "-m", "mkdocs"]
HEADING_ID = re.compile(r"\{#([a-z0-9]+(?:-[a-z0-9]+)*)\}")
MACRO_LINE = re.compile(r"^.*(\{\{|\{%).*$\n?", re.M)


@dataclass
class Run:
    """One measured child process."""

    seconds: float
    cpu_seconds: float
    peak_mib: float


def main() -> None:
    """Measure everything and write the tables."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1,10,50", help="content sizes, e.g. 1,10,50")
    parser.add_argument("--runs", type=int, default=5, help="runs per median at 1×")
    parser.add_argument("--output", type=Path, default=RESULTS)
    options = parser.parse_args()
    scales = [int(scale) for scale in options.scales.split(",")]
    with tempfile.TemporaryDirectory(prefix="metodiky-bench-") as temporary:
        work = Path(temporary)
        report = measure(work, scales, options.runs)
    print(report)
    options.output.write_text(report, encoding="utf-8")
    print(f"\nwritten to {options.output}")


def measure(work: Path, scales: list[int], runs: int) -> str:
    """Run all measurements and return the report as Markdown."""
    project = make_scaled_project(work / "1x", 1)
    _progress("1×: cold build (PDFs compiled)")
    cold = build(project, project / "site")
    _progress(f"1×: {runs} warm builds (PDFs cached) and {runs} plain MkDocs builds")
    ours = [build(project, work / "warm-site") for _ in range(runs)]
    plain_project = make_plain_project(project, work / "plain")
    plain = [plain_build(plain_project) for _ in range(runs)]
    _progress(f"1×: {runs} plain MkDocs builds of the same output (macros expanded beforehand)")
    same_project = make_same_output_project(project, work / "same-output")
    same = [plain_build(same_project) for _ in range(runs)]
    our_pages = _count_pages(project / "site")
    plain_pages = _count_pages(plain_project / "site")
    same_pages = _count_pages(same_project / "site")
    _progress("1×: PDF handbook")
    pdf_seconds, typst_seconds, pdf_pages = measure_handbook(project, work / "handbook")
    rows = [_scale_row(1, project, cold, ours[0], runs)]
    for scale in scales:
        if scale == 1:
            continue
        scaled = make_scaled_project(work / f"{scale}x", scale)
        _progress(f"{scale}×: cold build, then a rebuild with PDFs and Word files cached")
        cold = build(scaled, scaled / "site")
        warm = build(scaled, scaled / "site")
        rows.append(_scale_row(scale, scaled, cold, warm, runs))
        shutil.rmtree(scaled)
    return render_report(
        ours,
        {"plain": (plain, plain_pages), "same": (same, same_pages)},
        our_pages,
        (pdf_seconds, typst_seconds, pdf_pages),
        rows,
    )


def _scale_row(scale: int, project: Path, cold: Run, warm: Run, runs: int) -> dict:
    site = project / "site"
    checks = [check(project) for _ in range(max(1, min(runs, 3)))]
    return {
        "scale": scale,
        "methodologies": len(list((project / "methodology").glob("*/metodika.yml"))),
        "pages": _count_pages(site),
        "seconds": cold.seconds,
        "cpu_seconds": cold.cpu_seconds,
        "peak_mib": cold.peak_mib,
        "warm_seconds": warm.seconds,
        "warm_cpu_seconds": warm.cpu_seconds,
        "site_mib": _size(site) / 2**20,
        "index_mib": (site / "search" / "search_index.json").stat().st_size / 2**20,
        "check_seconds": statistics.median(run.seconds for run in checks),
        "check_peak_mib": max(run.peak_mib for run in checks),
    }


def build(project: Path, site: Path) -> Run:
    """`metodiky build` of a project into a site folder."""
    return measured([*METODIKY, "build", "--root", str(project), "--site-dir", str(site)])


def check(project: Path) -> Run:
    """`metodiky check` of a project."""
    return measured([*METODIKY, "check", "--root", str(project)])


def plain_build(project: Path) -> Run:
    """A stock `mkdocs build` of the plain project, over its previous output as ours is (MkDocs
    empties the folder first, as our build replaces it)."""
    site = project / "site"
    return measured(
        [*MKDOCS, "build", "--quiet", "-f", str(project / "mkdocs.yml"), "-d", str(site)]
    )


def measure_handbook(project: Path, work: Path) -> tuple[float, float, int]:
    """Time of the handbook's Typst source (pandoc) and of its compilation, and its page count."""
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from metodiky.knowledge import load_knowledge_base\n"
        "from metodiky.render.handbook import compile_handbook, render_handbook_assets, render_handbook_typst\n"
        "knowledge = load_knowledge_base(Path(sys.argv[1]))\n"
        "started = time.perf_counter()\n"
        "source = render_handbook_typst(knowledge)\n"
        "assets = render_handbook_assets(knowledge)\n"
        "rendered = time.perf_counter()\n"
        "compile_handbook(source, assets, Path(sys.argv[2]) / 'prirucka.pdf', Path(sys.argv[2]))\n"
        "print(rendered - started, time.perf_counter() - rendered)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(project), str(work)],
        capture_output=True,
        text=True,
        check=True,
    )
    render_seconds, typst_seconds = (float(value) for value in result.stdout.split())
    from pypdf import PdfReader

    pages = len(PdfReader(work / "prirucka.pdf").pages)
    return render_seconds + typst_seconds, typst_seconds, pages


def measured(command: list[str]) -> Run:
    """Run a command to completion; wall time and the peak memory of it and its children."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")[-3000:]
            raise SystemExit(f"{' '.join(command[3:])} failed:\n{message}")
    cpu = usage.ru_utime + usage.ru_stime  # includes children it waited for, such as pandoc
    return Run(seconds, cpu, usage.ru_maxrss / 1024)  # Linux reports KiB


def make_scaled_project(destination: Path, scale: int) -> Path:
    """The real project with each methodology present `scale` times (originals plus clones)."""
    destination.mkdir(parents=True)
    for name in PROJECT_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            shutil.copy2(source, destination / name)
    originals = sorted(path.parent for path in (REPO / "methodology").glob("*/metodika.yml"))
    codes = _unused_codes(originals)
    for folder in originals:
        shutil.copytree(folder, destination / "methodology" / folder.name)
        for copy in range(1, scale):
            clone_methodology(folder, destination / "methodology", copy, next(codes))
    return destination


def clone_methodology(source: Path, methodology_root: Path, copy: int, code: str) -> Path:
    """Copy a methodology under a new slug, code and title, with every id it defines renamed."""
    slug = f"{source.name}-kopie-{copy}"
    target = methodology_root / slug
    shutil.copytree(source, target)
    defined = _defined_ids(target)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, defined)) + r")(?=--|[^\w-]|$)")
    for path in sorted(target.rglob("*")):
        if path.suffix == ".yml" and path.stem in defined:
            path = path.rename(path.with_name(f"{path.stem}-k{copy}.yml"))
        if path.suffix not in (".md", ".yml") or not path.is_file():
            continue
        text = pattern.sub(rf"\1-k{copy}", path.read_text(encoding="utf-8"))
        text = text.replace(f"../{source.name}/", f"../{slug}/")
        if path.name == "metodika.yml":
            text = _rename_manifest(text, copy, code)
        path.write_text(text, encoding="utf-8")
    _refresh_release_fingerprints(target)
    return target


def _defined_ids(folder: Path) -> set[str]:
    """Section, checklist and tree ids a methodology folder defines (all its versions)."""
    ids = {
        path.stem for path in folder.rglob("*.yml") if path.parent.name in ("checklists", "trees")
    }
    for chapter in folder.rglob("*.md"):
        ids.update(HEADING_ID.findall(chapter.read_text(encoding="utf-8")))
    return ids


def _rename_manifest(text: str, copy: int, code: str) -> str:
    text = re.sub(r"^(title|short_title): (.*)$", rf"\1: \2 (kopie {copy})", text, flags=re.M)
    text = re.sub(r"^code: .*$", f"code: {code}", text, flags=re.M)
    return re.sub(
        r"^order: (\d+)$", lambda m: f"order: {int(m.group(1)) + 10 * copy}", text, flags=re.M
    )


def _refresh_release_fingerprints(folder: Path) -> None:
    """Released copies were renamed too: record their new hashes as `metodiky release` would."""
    from metodiky.releases import RELEASES_FILE, fingerprint, snapshot_folder

    path = folder / RELEASES_FILE
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    records = yaml.safe_load(text) or []
    for record in records:
        record["hash"], record["files"] = fingerprint(
            snapshot_folder(folder, str(record["version"]))
        )
    dumped = yaml.safe_dump(records, allow_unicode=True, sort_keys=False)
    path.write_text(header + dumped, encoding="utf-8")


def _unused_codes(originals: list[Path]):
    taken = {
        yaml.safe_load((folder / "metodika.yml").read_text(encoding="utf-8"))["code"]
        for folder in originals
    }
    letters = string.ascii_uppercase
    for length in (3, 4):
        for letters_ in itertools.product(letters, repeat=length):
            code = "".join(letters_)
            if code not in taken:
                yield code


def make_plain_project(project: Path, destination: Path) -> Path:
    """The same Markdown for stock MkDocs Material: site pages and chapters, macro lines removed."""
    docs = destination / "docs"
    for page in sorted((project / "docs").rglob("*.md")):
        relative = page.relative_to(project / "docs")
        if not any(part.startswith(".") for part in relative.parts):
            _copy_without_macros(page, docs / relative)
    for manifest in sorted((project / "methodology").glob("*/metodika.yml")):
        folder = manifest.parent
        for chapter in sorted(folder.rglob("*.md")):
            _copy_without_macros(chapter, docs / folder.name / chapter.relative_to(folder))
    real = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config = {
        "site_name": real["site_name"],
        "theme": {"name": "material", "language": "cs", "font": False},
        "plugins": ["search"],
        "markdown_extensions": real["markdown_extensions"],
    }
    (destination / "mkdocs.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True), encoding="utf-8"
    )
    return destination


def make_same_output_project(project: Path, destination: Path) -> Path:
    """What our build renders, as a plain MkDocs project: every page's Markdown after our plugin
    and the macros did their work (tools included), the same navigation and theme features, and
    every other file of our site (PDFs, Word files, permalink and embed pages) as static files.
    Building it measures MkDocs and Material alone on our output; the difference is our cost."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.plugins import BasePlugin, event_priority

    docs = destination / "docs"
    pages: set[str] = set()

    class CaptureMarkdown(BasePlugin):
        @event_priority(-100)  # after our plugin and the macros
        def on_page_markdown(self, markdown, page, **_):  # noqa: ANN001
            markdown = metodiky.deferred.restore(markdown)
            target = docs / page.file.src_uri
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(markdown, encoding="utf-8")
            pages.add(page.file.url)
            return markdown

    config = load_config(str(project / "mkdocs.yml"), site_dir=str(destination / "capture"))
    metodiky = config.plugins["metodiky"]
    config.plugins["capture"] = CaptureMarkdown()
    config.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(config)
    config.plugins.on_shutdown()
    built = destination / "capture"
    for path in sorted(built.rglob("*")):
        relative = path.relative_to(built).as_posix()
        page_url = relative.removesuffix("index.html")
        if path.is_dir() or relative.startswith(("assets/", "search/")) or page_url in pages:
            continue
        if relative in ("sitemap.xml", "sitemap.xml.gz", "404.html", "sw.js"):
            continue
        (docs / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, docs / relative)
    shutil.rmtree(built)
    real = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    theme = {key: real["theme"][key] for key in ("name", "language", "font", "palette", "features")}
    plain_config = {
        "site_name": real["site_name"],
        "site_url": real["site_url"],
        "theme": theme,
        "plugins": ["search"],
        "markdown_extensions": [
            {"abbr": config.mdx_configs["abbr"]} if extension == "abbr" else extension
            for extension in real["markdown_extensions"]
        ],
        "nav": config.nav,
        "extra_css": real.get("extra_css", []),
        "extra_javascript": real.get("extra_javascript", []),
    }
    for asset in [*plain_config["extra_css"], *plain_config["extra_javascript"]]:
        (docs / asset).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(project / "overrides" / asset, docs / asset)
    (destination / "mkdocs.yml").write_text(
        yaml.safe_dump(plain_config, allow_unicode=True), encoding="utf-8"
    )
    return destination


def _copy_without_macros(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(MACRO_LINE.sub("", source.read_text(encoding="utf-8")), encoding="utf-8")


def render_report(ours, plains, our_pages, handbook, rows) -> str:
    """The results as Markdown tables."""
    our_wall, our_cpu = _median(ours, "seconds"), _median(ours, "cpu_seconds")
    pdf_seconds, typst_seconds, pdf_pages = handbook
    base = rows[0]
    labels = {
        "plain": "plain `mkdocs build`: stock Material, the same Markdown files with macro lines "
        "removed, no plugin (no tools, PDFs, Word files, permalink or embed pages)",
        "same": "plain `mkdocs build` of the same output: our pages' Markdown with macros already "
        "expanded, same navigation and theme features, our other files (PDFs, Word, permalink "
        "and embed pages) as static files, no plugin",
    }
    lines = [
        "# Benchmark",
        "",
        f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} CPU cores, Python "
        f"{sys.version.split()[0]}. Wall time is what a user waits; CPU time (user + system, "
        "child processes such as pandoc included) is steadier when the machine is busy. "
        "Regenerate with `make bench`.",
        "",
        f"## Site build: our pipeline against plain MkDocs (1×, median of {len(ours)} runs)",
        "",
        "Every build replaces the previous output, as a rebuild after an edit does.",
        "",
        "| build | pages | wall | CPU | ours ÷ this (wall) | ours ÷ this (CPU) |",
        "|---|---:|---:|---:|---:|---:|",
        f"| `metodiky build`: content check, tools, Czech search, PDFs and Word files cached | "
        f"{our_pages} | {our_wall:.2f} s | {our_cpu:.2f} s | | |",
    ]
    for name, (runs, pages) in plains.items():
        wall, cpu = _median(runs, "seconds"), _median(runs, "cpu_seconds")
        lines.append(
            f"| {labels[name]} | {pages} | {wall:.2f} s | {cpu:.2f} s "
            f"| **{our_wall / wall:.2f}×** | **{our_cpu / cpu:.2f}×** |"
        )
    lines += [
        "",
        "## PDF handbook (1×, uncached)",
        "",
        "| pages | total | of which Typst |",
        "|---:|---:|---:|",
        f"| {pdf_pages} | {pdf_seconds:.1f} s | {typst_seconds:.1f} s |",
        "",
        "## Growth with content (cold build: every PDF and Word file compiled)",
        "",
        "| content | methodologies | pages | build wall | build CPU | CPU growth per 1× "
        "| peak memory | rebuild wall (cached) | rebuild growth per 1× "
        "| site | search index | `check` wall | check growth per 1× |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        growth = row["cpu_seconds"] / base["cpu_seconds"] / row["scale"]
        check_growth = row["check_seconds"] / base["check_seconds"] / row["scale"]
        warm_growth = row["warm_cpu_seconds"] / base["warm_cpu_seconds"] / row["scale"]
        lines.append(
            f"| {row['scale']}× | {row['methodologies']} | {row['pages']} "
            f"| {row['seconds']:.1f} s | {row['cpu_seconds']:.1f} s | {growth:.2f} "
            f"| {row['peak_mib']:.0f} MiB | {row['warm_seconds']:.1f} s | {warm_growth:.2f} "
            f"| {row['site_mib']:.1f} MiB | {row['index_mib']:.1f} MiB "
            f"| {row['check_seconds']:.2f} s | {check_growth:.2f} |"
        )
    lines += [
        "",
        "Growth per 1× is (CPU time at N×) / (CPU time at 1×) / N: 1.00 is linear, above 1 worse "
        "than linear.",
        "",
    ]
    return "\n".join(lines)


def _median(runs: list[Run], field: str) -> float:
    return statistics.median(getattr(run, field) for run in runs)


def _count_pages(site: Path) -> int:
    """Rendered pages, not the small redirect pages that keep permalinks alive."""
    return sum(
        'class="md-content"' in page.read_text(encoding="utf-8") for page in site.rglob("*.html")
    )


def _size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
