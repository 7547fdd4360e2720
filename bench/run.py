"""Benchmark of issue #24: the design before it (old) against the current checkout (new),
side by side at 1×, 10×, 50× and 100× content.

For each size, each design builds a synthetic project made from its own project files (real
methodologies plus clones, see bench/scaled_project.py) with its own virtual environment, and is
measured on: cold build (wall, CPU, peak memory), `metodiky check`, how long `metodiky serve`
takes to show an edit to one chapter, what the first search query and a second one transfer on a
phone, the 95th percentile of the query time and hit@3 on bench/search_queries.yml. The old design
is checked out with `git archive` into .cache/bench/old-<commit>/ with a venv of its own, kept
for the next run. The table is printed and written to bench/results.md; earlier measurements
under its „Earlier measurements“ heading are kept. `make bench` runs it
(`make bench BENCH_ARGS="--scales 1 --skip-serve"` for a quick trial).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import browser_search
from browser_search import QUERIES, Transfer

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results.md"
OLD_COMMIT = "9a0f3c5"  # main before #24
ARCHIVE_HEADING = "## Earlier measurements"
# The chapter edited while `metodiky serve` runs: an original methodology's, in every size.
EDITED_CHAPTER = Path("methodology/kontaktni-prace/prvni-kontakt.md")
EDITED_PAGE = "kontaktni-prace/prvni-kontakt/"


class BenchFailure(RuntimeError):
    """One measurement failed; the message says which and why."""


@dataclass
class Design:
    """A checkout of the project with the virtual environment its `metodiky` runs in."""

    name: str
    root: Path
    python: Path
    commit: str

    @property
    def metodiky(self) -> list[str]:
        return [str(self.python), "-c", "from metodiky.cli import main; main()"]


@dataclass
class Run:
    """One measured child process."""

    seconds: float
    cpu_seconds: float
    peak_mib: float


@dataclass
class Row:
    """Everything measured for one design at one size."""

    scale: int
    design: str
    skipped: str = ""
    failed: str = ""
    methodologies: int = 0
    pages: int = 0
    site_mib: float = 0.0
    build: Run | None = None
    check: Run | None = None
    serve_ready: float | None = None
    edits: list[float] = field(default_factory=list)
    transfer: Transfer | None = None
    queries: list[dict] = field(default_factory=list)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,50,100", help="content sizes, e.g. 1,10,50,100")
    parser.add_argument("--designs", default="old,new", help="old, new or both: old,new")
    parser.add_argument("--old-commit", default=OLD_COMMIT, help="the old design's commit")
    parser.add_argument(
        "--max-old-scale",
        type=int,
        default=50,
        help="largest size the old design is built at (it needs about 10.5 GiB at 50×)",
    )
    parser.add_argument(
        "--ignore-memory-estimate",
        action="store_true",
        help="build a size even if the smaller sizes' peak memory says it would not fit",
    )
    parser.add_argument("--skip-serve", action="store_true", help="no `metodiky serve` edits")
    parser.add_argument(
        "--edits",
        type=int,
        default=None,
        help="edits measured in `metodiky serve` at every size (default: 3 at 1×, 1 at larger)",
    )
    parser.add_argument("--skip-search", action="store_true", help="no search in the browser")
    parser.add_argument("--output", type=Path, default=RESULTS)
    options = parser.parse_args()
    scales = [int(scale) for scale in options.scales.split(",")]
    names = options.designs.split(",")
    if unknown := set(names) - {"old", "new"}:
        parser.error(f"unknown design {', '.join(sorted(unknown))} (old, new)")
    if not options.skip_search and (missing := browser_search.chromium_missing()):
        raise SystemExit(missing)
    designs = [old_design(options.old_commit) if name == "old" else new_design() for name in names]
    rows = []
    with tempfile.TemporaryDirectory(prefix="metodiky-bench-") as temporary:
        for scale in scales:
            for design in designs:
                if design.name == "old" and scale > options.max_old_scale:
                    rows.append(Row(scale, design.name, skipped=_too_big(options.max_old_scale)))
                    continue
                measured_peaks = [
                    (row.scale, row.build.peak_mib)
                    for row in rows
                    if row.design == design.name and row.build
                ]
                estimate = estimated_peak_mib(measured_peaks, scale)
                if estimate > 0.9 * _available_mib() and not options.ignore_memory_estimate:
                    rows.append(Row(scale, design.name, skipped=_wont_fit(estimate)))
                    continue
                rows.append(measure(design, scale, Path(temporary), options))
    report = render_report(designs, rows)
    print(report)
    options.output.write_text(report + _archive(options.output), encoding="utf-8")
    print(f"\nwritten to {options.output}")
    if any(row.failed for row in rows):
        raise SystemExit("some measurements failed, see above")


def _too_big(limit: int) -> str:
    return f"not built: above --max-old-scale {limit} (would need about twice the memory of 50×)"


def estimated_peak_mib(peaks: list[tuple[int, float]], scale: int) -> float:
    """A build's peak memory at `scale`, extrapolated along the line through the two largest
    sizes measured (in proportion to the size from a single one; 0 when none is known)."""
    if not peaks:
        return 0.0
    peaks = sorted(peaks)
    if len(peaks) == 1:
        return peaks[0][1] * scale / peaks[0][0]
    (small, low), (large, high) = peaks[-2:]
    return high + (high - low) / (large - small) * (scale - large)


def _wont_fit(estimate: float) -> str:
    return (
        f"not built: the smaller sizes' peak memory extrapolates to {estimate / 1024:.1f} GiB, "
        f"more than 90 % of the {_available_mib() / 1024:.1f} GiB available "
        "(--ignore-memory-estimate builds it anyway)"
    )


def _available_mib() -> float:
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        fields = dict(line.split(":", 1) for line in meminfo)
    return int(fields["MemAvailable"].split()[0]) / 1024


def new_design() -> Design:
    python = REPO / ".venv" / "bin" / "python"
    return Design("new", REPO, python if python.is_file() else Path(sys.executable), _head())


def old_design(commit: str) -> Design:
    """The old commit's files in .cache/bench/old-<commit>/ with their own venv (made once)."""
    full = _git("rev-parse", "--verify", f"{commit}^{{commit}}").strip()
    root = REPO / ".cache" / "bench" / f"old-{full[:12]}"
    if not (root / ".venv" / ".installed").is_file():
        _progress(f"old design: {full[:12]} into {root}, venv from its requirements.lock (~1 min)")
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", full], capture_output=True, check=True
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(root, filter="data")
        made = subprocess.run(
            ["make", ".venv/.installed"], cwd=root, capture_output=True, text=True, check=False
        )
        if made.returncode != 0:
            raise SystemExit(f"the old design's venv failed in {root}:\n{made.stderr[-3000:]}")
    return Design("old", root, root / ".venv" / "bin" / "python", full[:12])


def _head() -> str:
    head = _git("rev-parse", "--short=12", "HEAD").strip()
    dirty = _git("status", "--porcelain", "--untracked-files=no").strip()
    return f"{head} with uncommitted changes" if dirty else head


def _git(*arguments: str) -> str:
    result = subprocess.run(["git", "-C", str(REPO), *arguments], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"git {' '.join(arguments)} failed: {result.stderr.strip()}")
    return result.stdout


def measure(design: Design, scale: int, work: Path, options: argparse.Namespace) -> Row:
    """One design at one size; a failing step is reported in its row, not as a traceback."""
    row = Row(scale, design.name)
    project = work / f"{design.name}-{scale}x"
    try:
        _progress(f"{scale}× {design.name}: synthetic project")
        _run(
            [str(design.python), str(REPO / "bench" / "scaled_project.py"), str(design.root)]
            + [str(project), str(scale)],
            "synthetic project",
            timeout=60 + 10 * scale,
        )
        row.methodologies = len(list((project / "methodology").glob("*/metodika.yml")))
        _progress(f"{scale}× {design.name}: cold build (every PDF and Word file compiled)")
        site = project / "site"
        build = [*design.metodiky, "build", "--root", str(project), "--site-dir", str(site)]
        row.build = measured(build, timeout=180 + 60 * scale)
        row.pages, row.site_mib = _count_pages(site), _size(site) / 2**20
        row.check = measured([*design.metodiky, "check", "--root", str(project)], 60 + 5 * scale)
        if not options.skip_search:
            _progress(f"{scale}× {design.name}: search on a phone, then {len(QUERIES)} queries")
            # The old design's browser builds its whole index before the first result.
            load = 60 + 2 * scale
            row.transfer = _in_browser(browser_search.search_transfer, site, load)
            row.queries = _in_browser(browser_search.run_queries, site, 10 + scale / 10, load)
        if not options.skip_serve:
            edits = options.edits or (3 if scale == 1 else 1)
            _progress(f"{scale}× {design.name}: `metodiky serve`, {edits} edit(s) of a chapter")
            serve_latency(design, project, scale, edits, row)
    except BenchFailure as failure:
        row.failed = str(failure)
        _progress(f"{scale}× {design.name} FAILED: {failure}")
    finally:
        shutil.rmtree(project, ignore_errors=True)
    return row


def _in_browser(measurement, site: Path, *timeouts: float):  # noqa: ANN001
    try:
        return measurement(site, *timeouts)
    except SystemExit:
        raise
    except Exception as error:  # Playwright's timeouts and errors name the step that failed
        raise BenchFailure(f"{measurement.__name__}: {str(error).splitlines()[0]}") from error


def measured(command: list[str], timeout: float) -> Run:
    """Run a command to completion; its wall time, CPU time and peak memory (ru_maxrss)."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True
        )
        timed_out = threading.Event()
        timer = threading.Timer(timeout, lambda: (timed_out.set(), _stop_group(process)))
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        label = " ".join(command[3:5])
        if timed_out.is_set():
            raise BenchFailure(f"`metodiky {label}` did not finish within {timeout:.0f} s")
        if code != 0:
            errors.seek(0)
            message = errors.read().decode(errors="replace")[-3000:]
            raise BenchFailure(f"`metodiky {label}` failed (exit {code}):\n{message}")
    cpu = usage.ru_utime + usage.ru_stime  # includes children it waited for, such as pandoc
    return Run(seconds, cpu, usage.ru_maxrss / 1024)  # Linux reports KiB


def _run(command: list[str], what: str, timeout: float) -> None:
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise BenchFailure(f"{what} did not finish within {timeout:.0f} s") from None
    if result.returncode != 0:
        raise BenchFailure(f"{what} failed:\n{result.stderr[-3000:]}")


def serve_latency(design: Design, project: Path, scale: int, edits: int, row: Row) -> None:
    """Seconds until `metodiky serve` answers a chapter, then for each edit the seconds from
    writing the chapter until the page served over HTTP contains the new word; into the row as
    they are measured, so a later failure keeps the earlier figures. A rebuild may take as long as
    a cold build (the old design recompiles PDF and Word files), hence the same time limit."""
    limit = 180 + 60 * scale
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{EDITED_PAGE}"
    command = [*design.metodiky, "serve", "--root", str(project), "--dev-addr", f"127.0.0.1:{port}"]
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            _wait_for_page(process, log, url, lambda _: True, limit)
            row.serve_ready = time.perf_counter() - started
            for _ in range(edits):
                marker = f"benchznacka{secrets.token_hex(4)}"
                add_word(project / EDITED_CHAPTER, marker)
                written = time.perf_counter()
                _wait_for_page(process, log, url, lambda body, m=marker: m in body, limit)
                row.edits.append(time.perf_counter() - written)
                time.sleep(1)  # let the server finish the rebuild's aftermath before the next
        finally:
            _stop_group(process)
            process.wait()


def add_word(chapter: Path, word: str) -> None:
    """Append a word to the first sentence of plain paragraph text, as a small author's edit."""
    lines = chapter.read_text(encoding="utf-8").splitlines(keepends=True)
    for number, line in enumerate(lines):
        text = line.rstrip("\n")
        if text[:1].isalpha() and text.endswith("."):
            lines[number] = f"{text[:-1]} {word}.\n"
            chapter.write_text("".join(lines), encoding="utf-8")
            return
    raise BenchFailure(f"{chapter} has no paragraph line to edit")


def _wait_for_page(process, log, url: str, done, timeout: float) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            output = log.read().decode(errors="replace")[-3000:]
            raise BenchFailure(f"`metodiky serve` exited ({process.returncode}):\n{output}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if done(response.read().decode("utf-8", errors="replace")):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)
    raise BenchFailure(f"`metodiky serve` did not show {url} as expected within {timeout:.0f} s")


def _stop_group(process: subprocess.Popen) -> None:
    """End the process we started and its children (its own session), gently first."""
    for sig, grace in ((signal.SIGTERM, 10), (signal.SIGKILL, 0)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def render_report(designs: list[Design], rows: list[Row]) -> str:
    """The results as Markdown."""
    commits = ", ".join(f"{design.name} = `{design.commit}`" for design in designs)
    lines = [
        "# Benchmark: before and after #24, side by side",
        "",
        f"Measured {dt.date.today().isoformat()} on {os.cpu_count()} CPU cores and "
        f"{_memory_gib():.0f} GiB memory, Python {sys.version.split()[0]}, designs {commits}. "
        "Each design builds a synthetic project made from its own files with its own venv, one "
        "run per size; the machine may be shared, so CPU time is the steadier figure. "
        "Regenerate with `make bench`.",
        "",
        "| content | design | methodologies | pages | cold build wall | cold build CPU "
        "| peak memory | `check` | serve start | edit shown | first query | next query "
        "| p95 query | hit@3 | site |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [_table_row(row) for row in rows]
    lines += ["", *COLUMNS]
    lines += _by_kind([row for row in rows if row.scale == 1 and row.queries])
    lines += _fetched([row for row in rows if row.transfer])
    failed = [row for row in rows if row.failed]
    if failed:
        lines += ["", "## Failures", ""]
        for row in failed:
            lines += [f"{row.scale}× {row.design}:", "", "```", row.failed.strip(), "```", ""]
    return "\n".join(lines) + "\n"


def _table_row(row: Row) -> str:
    head = f"| {row.scale}× | {row.design} |"
    if row.skipped or (row.failed and row.build is None):
        return f"{head} {row.skipped or 'failed, see below'} |" + " |" * 12
    build, check, transfer = row.build, row.check, row.transfer
    summary = browser_search.summarise(row.queries) if row.queries else None
    timeouts = f" ({summary['timeouts']} timed out)" if summary and summary["timeouts"] else ""
    cells = [
        str(row.methodologies),
        str(row.pages),
        f"{build.seconds:.1f} s",
        f"{build.cpu_seconds:.1f} s",
        _mib(build.peak_mib),
        f"{check.seconds:.2f} s" if check else "–",
        f"{row.serve_ready:.1f} s" if row.serve_ready is not None else "–",
        _edits(row.edits),
        _kb(transfer.first_bytes, transfer.first_requests) if transfer else "–",
        _kb(transfer.second_bytes, transfer.second_requests) if transfer else "–",
        f"{summary['p95 ms']:.0f} ms{timeouts}" if summary else "–",
        f"{summary['hit@3']:.2f}" if summary else "–",
        _mib(row.site_mib),
    ]
    return f"{head} {' | '.join(cells)} |"


START_PAGE_NOTE = (
    f"opened on /{browser_search.START_PAGE}, queries „{browser_search.FIRST_QUERY}“ then "
    f"„{browser_search.SECOND_QUERY}“"
)
COLUMNS = [
    "- **cold build**: `metodiky build` of a fresh copy (no cache: every PDF and Word file "
    "compiled); CPU is user + system time of the build and every child it waited for.",
    "- **peak memory**: `ru_maxrss` of the build as `os.wait4` reports it: the largest resident "
    "set of any single process among the build and its children (the build itself, pandoc, "
    "Typst…), not their sum.",
    "- **`check`**: wall time of `metodiky check`.",
    "- **serve start**: `metodiky serve` started until the edited chapter page answers over HTTP "
    "(its first build, in the project the cold build left behind).",
    "- **edit shown**: a word appended to a paragraph of an original methodology's chapter "
    f"(`{EDITED_CHAPTER.as_posix()}`) until the page served over HTTP contains it, whatever "
    "the rebuild redoes (the old design also regenerates the PDF and Word files the edit "
    "touches); median of the edits measured, fastest–slowest in brackets (`--edits`; by "
    "default 3 at 1× and one at larger sizes).",
    "- **first query**: compressed bytes (and requests) the browser fetched from opening the "
    "search until the first query's results showed and the network went quiet, on a 360 px "
    f"phone profile with an empty cache and the service worker blocked ({START_PAGE_NOTE}). "
    "Each response body counts gzip-compressed at level 6, as a static host sends it, or as it "
    "is if that is smaller (files already compressed). **next query**: what a second, different "
    "query added.",
    f"- **p95 query**: 95th percentile over the {len(QUERIES)} queries of "
    "bench/search_queries.yml of the time from the keystroke until the result list stopped "
    "changing (desktop profile, index already loaded); a query with no rendered result within "
    "the timeout is a miss and left out of the times.",
    "- **hit@3**: share of queries whose expected page is among the first three results. At N× "
    "only the original counts: clones live under `<slug>-kopie-N/` (ids suffixed `-kN`, "
    "titles „(kopie N)“), so a clone of the expected section is not a hit.",
    "- **site**: size of the built site folder.",
]


def _by_kind(rows: list[Row]) -> list[str]:
    """hit@1 and hit@3 by query kind at 1×, the designs side by side."""
    if not rows:
        return []
    header = " | ".join(f"hit@1 {row.design} | hit@3 {row.design}" for row in rows)
    lines = [
        "",
        "## Search quality by query kind at 1×",
        "",
        f"| kind | queries | {header} |",
        "|---|---:|" + "---:|" * (2 * len(rows)),
    ]
    for kind in sorted({query["kind"] for query in QUERIES}):
        cells = []
        for row in rows:
            summary = browser_search.summarise([r for r in row.queries if r["kind"] == kind])
            cells += [f"{summary['hit@1']:.2f}", f"{summary['hit@3']:.2f}"]
        count = sum(1 for query in QUERIES if query["kind"] == kind)
        lines.append(f"| {kind} | {count} | {' | '.join(cells)} |")
    for row in rows:
        misses = [r for r in row.queries if not r["rank"] or r["rank"] > 3]
        if misses:
            lines += ["", f"Not in the first three results at 1× ({row.design}):", ""]
            lines += [f"- `{r['query']}` (rank {r['rank']})" for r in misses]
    return lines


def _fetched(rows: list[Row]) -> list[str]:
    """What the first query fetched at the smallest size measured, per design."""
    if not rows:
        return []
    smallest = min(row.scale for row in rows)
    lines = ["", f"## What the first query fetched at {smallest}×", ""]
    for row in rows:
        if row.scale == smallest:
            shown = ", ".join(f"`{url}`" for url in row.transfer.fetched[:10])
            more = len(row.transfer.fetched) - 10
            lines.append(f"- {row.design}: {shown}" + (f" and {more} more" if more > 0 else ""))
    return lines


def _archive(output: Path) -> str:
    """Earlier measurements kept below the new table, from the heading on."""
    if not output.is_file():
        return ""
    text = output.read_text(encoding="utf-8")
    start = text.find(f"\n{ARCHIVE_HEADING}")
    return "" if start < 0 else text[start:]


def _edits(latencies: list[float]) -> str:
    if not latencies:
        return "–"
    median = statistics.median(latencies)
    spread = f" ({min(latencies):.1f}–{max(latencies):.1f})" if len(latencies) > 1 else ""
    return f"{median:.1f} s{spread}"


def _kb(size: int, requests: int) -> str:
    return f"{size / 1000:.0f} kB ({requests} req.)"


def _mib(size: float) -> str:
    return f"{size / 1024:.1f} GiB" if size >= 1024 else f"{size:.0f} MiB"


def _memory_gib() -> float:
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        return int(meminfo.readline().split()[1]) / 2**20


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
