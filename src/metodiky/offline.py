"""Offline reading: the service worker with its precache list and the web app manifest.

Both are written into the built site after MkDocs has finished, because the precache list
names every page and asset of that build and its version hash changes whenever one of them does.
The Czech page shown offline for what is not stored (`bez-pripojeni/`) is a page of the site.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

from .search_index import COMMON_WORDS_FILE, READING_ORDER_FILE, SHOWN_FOLDER

SERVICE_WORKER = "sw.js"
MANIFEST = "manifest.webmanifest"
SHORT_NAME = "Metodiky"
# Material's indigo primary colour: the installed app's title bar matches the site header.
THEME_COLOR = "#4051b5"
ICONS = [
    ("assets/images/ikona.svg", "any", "image/svg+xml"),
    ("assets/images/ikona-192.png", "192x192", "image/png"),
    ("assets/images/ikona-512.png", "512x512", "image/png"),
]
# What pages load. Documents (PDF, Word) are large: cached once a reader opens one.
PRECACHED_SUFFIXES = (
    ".css",
    ".js",
    ".json",
    ".png",
    ".svg",
    ".ico",
    ".jpg",
    ".webp",
    ".woff2",
    ".webmanifest",
)
# Material ships lunr for its own search worker; ours (Pagefind) does not use it.
LUNR = "assets/javascripts/lunr/"
# Pagefind's index: the engine, the index chunks and each page's shown file (search_index.py).
# Precached on purpose although pages fetch it only when the reader searches – without it the
# offline copy has its pages but no way to find one – as long as it stays within
# OFFLINE_SEARCH_BUDGET compressed (the three methodologies: about 0.7 MB). A larger site
# precaches the engine only; every chunk and page file a reader's queries fetch is kept by the
# service worker, so offline search then finds what the reader searched before. The worker
# downloads the precache after the page has loaded; the whole first visit is measured in
# tests/browser/test_offline.py.
PAGEFIND = "pagefind/"
PAGEFIND_ENGINE = ("pagefind.js", "pagefind-entry.json", READING_ORDER_FILE, COMMON_WORDS_FILE)
PAGEFIND_ENGINE_SUFFIXES = (".pf_meta", ".pagefind")
PAGEFIND_FILTERS = "filter"
OFFLINE_SEARCH_BUDGET = 1_000_000
# Up to this many methodologies a first visit stores every page (the three of today and the
# common pages: about 0.96 MB gzip, a methodology about 0.23 MB). Beyond it a phone would
# download every methodology in the background, so each is stored when a reader opens it.
OFFLINE_WHOLE_METHODOLOGIES = 5
# Shown by the service worker instead of the browser's own (English) error page.
OFFLINE_PAGE = "bez-pripojeni/"
OFFLINE_PAGE_URI = "bez-pripojeni.md"


def write_offline_files(
    site_dir: Path,
    site_name: str,
    permalinks: dict[str, list[str]] | None = None,
    searchable: set[str] | None = None,
    methodologies: Sequence[str] = (),
    whole: int = OFFLINE_WHOLE_METHODOLOGIES,
) -> list[str]:
    """Write sw.js and the manifest into a built site; return the precached URLs.

    `permalinks` maps `/odkaz/` paths to their targets, so the worker resolves them offline;
    `searchable` are the pages search can find (site-root URLs; None: every page);
    `methodologies` their slugs: with more than `whole` of them, each one's pages are stored
    when a reader opens one of them (`stored_on_demand`).
    """
    (site_dir / MANIFEST).write_text(render_manifest(site_name), encoding="utf-8")
    urls = list_precache_urls(site_dir, searchable)
    groups: dict[str, list[str]] = {}
    if stored_on_demand(len(methodologies), whole):
        urls, groups = split_on_demand(urls, methodologies)
    # Pages stored on demand count too: a reader who stored a methodology gets its new text.
    version = hash_files(site_dir, urls + [url for group in groups.values() for url in group])
    worker = render_service_worker(urls, version, permalinks or {}, groups)
    (site_dir / SERVICE_WORKER).write_text(worker, encoding="utf-8")
    return urls


def stored_on_demand(methodologies: int, whole: int = OFFLINE_WHOLE_METHODOLOGIES) -> bool:
    """Whether a first visit stores the common pages only, and each methodology on demand."""
    return methodologies > whole


def split_on_demand(
    urls: list[str], methodologies: Sequence[str]
) -> tuple[list[str], dict[str, list[str]]]:
    """The precache list without the methodologies' pages, and each methodology's pages (its
    folder → page URLs) to store together when a reader opens one of them."""
    prefixes = [f"{slug}/" for slug in methodologies]
    groups: dict[str, list[str]] = {}
    precached = []
    for url in urls:
        prefix = next((p for p in prefixes if url.startswith(p)), None)
        if prefix is not None and url.endswith("/"):
            groups.setdefault(prefix, []).append(url)
        else:
            precached.append(url)
    return precached, groups


def list_precache_urls(site_dir: Path, searchable: set[str] | None = None) -> list[str]:
    """Every page search can find (as its directory URL) and every asset a page may need.

    Archived versions and the embedded views are left out, as search leaves them out: they are
    cached when a reader visits them. URLs are relative to the site root.
    """
    urls = []
    pages = (
        {_page_url(p.relative_to(site_dir).as_posix()) for p in site_dir.rglob("*.html")}
        if searchable is None
        else {
            _page_url(f"{page}index.html" if page != "./" else "index.html") for page in searchable
        }
    )
    search_files = _precached_search_files(site_dir)
    for path in sorted(site_dir.rglob("*")):
        if not path.is_file():
            continue
        relative = path.relative_to(site_dir).as_posix()
        if relative.startswith(LUNR):
            continue  # Material's lunr, not used (its tiny, empty index is: it starts the search box)
        if relative.startswith(PAGEFIND):
            if relative in search_files:
                urls.append(relative)
        elif relative.endswith(".html"):
            if _page_url(relative) in pages or _page_url(relative) == OFFLINE_PAGE:
                urls.append(_page_url(relative))
        elif _is_precached(relative):
            urls.append(relative)
    return urls


def hash_files(site_dir: Path, urls: list[str]) -> str:
    """A short hash of the precached files' contents: a new build with changes gets a new cache."""
    digest = hashlib.sha256()
    for url in urls:
        digest.update(url.encode())
        digest.update((site_dir / _file_for(url)).read_bytes())
    return digest.hexdigest()[:12]


def render_service_worker(
    urls: list[str],
    version: str,
    permalinks: dict[str, list[str]] | None = None,
    groups: dict[str, list[str]] | None = None,
) -> str:
    """The service worker script with this build's precache list, permalinks, pages stored on
    demand and version."""
    template = files("metodiky").joinpath("templates", "sw.js").read_text(encoding="utf-8")
    compact = json.dumps(permalinks or {}, ensure_ascii=False, separators=(",", ":"))
    on_demand = json.dumps(groups or {}, ensure_ascii=False, separators=(",", ":"))
    return (
        template.replace('"__VERSION__"', json.dumps(version))
        .replace('"__OFFLINE_PAGE__"', json.dumps(OFFLINE_PAGE))
        .replace("[] /* __PRECACHE__ */", json.dumps(urls, ensure_ascii=False, indent=1))
        .replace("{} /* __PERMALINKS__ */", compact)
        .replace("{} /* __ON_DEMAND__ */", on_demand)
    )


def render_offline_page(nav: list[Any] | None, on_demand: Sequence[str] = ()) -> str:
    """The Markdown of the Czech page shown offline instead of a page that was not stored.

    It lists the site's main sections from the navigation that are in the offline copy; the
    methodologies stored on demand (`on_demand`, their slugs) are left out of the list, as the
    reader may not have opened them, and the text says when they are stored.
    """
    folders = tuple(f"{slug}/" for slug in on_demand)
    sections = [
        f"- [{title}]({_first_page(target)})"
        for entry in nav or []
        if isinstance(entry, dict)
        for title, target in entry.items()
        if _first_page(target) and not _first_page(target).startswith(folders)
    ]
    return "\n".join(
        [
            "---",
            "search:",
            "  exclude: true",
            "---",
            "",
            "# Jste bez připojení {#bez-pripojeni}",
            "",
            "Tuto stránku nemáte uloženou pro čtení bez připojení, a proto ji teď nelze otevřít.",
            "Až budete opět připojeni k internetu, načtěte ji znovu.",
            "",
            "## Co je k dispozici i bez připojení {#bez-pripojeni-k-dispozici}",
            "",
            *(
                [
                    "Po první návštěvě webu si prohlížeč uloží společné stránky: Začínám, "
                    "společné nástroje, slovník a přehled předpisů. Každou metodiku uloží celou "
                    "(kapitoly s kontrolními seznamy a rozhodovacími stromy), jakmile otevřete "
                    "kteroukoli její stránku s připojením. Vyhledávání bez připojení najde to, "
                    "co jste už dříve hledali.",
                ]
                if on_demand
                else [
                    "Po první návštěvě webu si prohlížeč uloží celý aktuální obsah: "
                    "všechny kapitoly metodik s kontrolními seznamy a rozhodovacími stromy, "
                    "společné nástroje, slovník a vyhledávání.",
                ]
            ),
            "Trvalé odkazy `/odkaz/…`, například z QR kódů v tištěné příručce, vedou na uložené "
            "kapitoly.",
            "",
            *sections,
            "",
            "## Co funguje jen s připojením {#bez-pripojeni-jen-online}",
            "",
            "- starší verze metodik (archiv verzí), pokud jste je dříve neotevřeli,",
            "- nástroje v podobě pro vložení do webu obce,",
            "- soubory PDF a Word, které jste ještě neotevřeli; otevřené soubory zůstávají uložené.",
            "",
        ]
    )


def _first_page(target: Any) -> str | None:
    """The page a navigation entry opens: itself, or the first page of its section."""
    if isinstance(target, str):
        return target
    if isinstance(target, list) and target:
        first = target[0]
        return first if isinstance(first, str) else _first_page(next(iter(first.values())))
    return None


def render_manifest(site_name: str) -> str:
    """The web app manifest, so readers can add the site to a phone's home screen."""
    manifest = {
        "name": site_name,
        "short_name": SHORT_NAME,
        "lang": "cs",
        "start_url": "./",
        "scope": "./",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOR,
        "icons": [{"src": src, "sizes": sizes, "type": kind} for src, sizes, kind in ICONS],
    }
    return json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"


def _precached_search_files(site_dir: Path) -> set[str]:
    """The engine always; its index chunks and the pages' shown files too while they fit
    OFFLINE_SEARCH_BUDGET (a larger site keeps offline what the reader's queries fetched)."""
    folder = site_dir / PAGEFIND
    if not folder.is_dir():
        return set()
    engine = {
        path for path in folder.iterdir()
        if path.name in PAGEFIND_ENGINE or path.name.endswith(PAGEFIND_ENGINE_SUFFIXES)
    }  # fmt: skip
    # The pages' places (search_index.PLACE_FILTER): a large site's every query with a common
    # word needs it, offline too (10 kB at 50× content).
    engine |= set((folder / PAGEFIND_FILTERS).glob("*"))
    chosen = set(engine)
    index = list((folder / "index").glob("*"))
    # Pagefind's chunks are compressed already; the shown files are JSON the server compresses.
    size = sum(path.stat().st_size for path in index)
    if size <= OFFLINE_SEARCH_BUDGET:  # else: a large site, no need to read its thousands of files
        shown = sorted((folder / SHOWN_FOLDER).glob("*.json"))
        size += sum(len(gzip.compress(path.read_bytes())) for path in shown)
        if size <= OFFLINE_SEARCH_BUDGET:
            chosen |= {*index, *shown}
    return {path.relative_to(site_dir).as_posix() for path in chosen}


# The link-preview card is fetched by other sites when a link is shared; no page shows it.
NOT_PRECACHED = {SERVICE_WORKER, "assets/images/nahled.png"}


def _is_precached(relative: str) -> bool:
    return relative.endswith(PRECACHED_SUFFIXES) and relative not in NOT_PRECACHED


def _page_url(relative: str) -> str:
    """Pages are requested by their directory URL, so that is the cache key."""
    if relative == "index.html":
        return "./"
    if relative.endswith("/index.html"):
        return relative.removesuffix("index.html")
    return relative


def _file_for(url: str) -> str:
    if url == "./":
        return "index.html"
    return url + "index.html" if url.endswith("/") else url
