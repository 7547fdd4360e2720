"""deploy/nginx.conf in a real nginx serving a fresh build: headers, caching, types, compression,
permanent links and the Czech 404 page, as a browser or a municipality's web editor sees them."""

from __future__ import annotations

import gzip
import importlib.util
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from types import ModuleType
from urllib.parse import urljoin

from nginx_server import NGINX_CONF, REPO

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
YEAR = 365 * 24 * 3600
# "Short": a new release reaches readers within the hour at the latest.
SHORT = 3600


@dataclass
class Reply:
    status: int
    headers: Message
    body: bytes

    def header(self, name: str) -> str:
        return self.headers.get(name, "")

    @property
    def media_type(self) -> str:
        return self.header("Content-Type").split(";")[0].strip()


def fetch(url: str, **headers: str) -> Reply:
    """One request without following redirects, so that a 301 is seen as such."""
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=30) as response:
            return Reply(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.headers, error.read())


def directives(policy: str) -> dict[str, list[str]]:
    """A Content-Security-Policy as {directive: [sources]}."""
    parsed = {}
    for part in policy.split(";"):
        if part.strip():
            name, *sources = part.split()
            parsed[name] = sources
    return parsed


def max_age(cache_control: str) -> int:
    found = re.search(r"max-age=(\d+)", cache_control)
    return int(found.group(1)) if found else 0


def assert_security_headers(reply: Reply, frame_ancestors: list[str]) -> None:
    policy = directives(reply.header("Content-Security-Policy"))
    assert "script-src" in policy and "object-src" in policy, f"incomplete CSP: {policy}"
    assert policy.get("frame-ancestors") == frame_ancestors, policy.get("frame-ancestors")
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert reply.header("X-Content-Type-Options") == "nosniff"
    assert reply.header("Referrer-Policy") == "strict-origin-when-cross-origin"
    permissions = reply.header("Permissions-Policy")
    for feature in ("camera", "microphone", "geolocation"):
        assert f"{feature}=()" in permissions, permissions
    # It would forbid the embeds on other sites; frame-ancestors decides instead.
    assert not reply.header("X-Frame-Options")


def test_pages_carry_security_headers_and_short_caching(nginx_url: str) -> None:
    reply = fetch(nginx_url)
    assert reply.status == 200
    assert reply.media_type == "text/html"
    assert_security_headers(reply, frame_ancestors=["'self'"])
    cache = reply.header("Cache-Control")
    assert "immutable" not in cache and 0 < max_age(cache) <= SHORT, cache


def test_fingerprinted_assets_are_cached_for_a_year(nginx_url: str, real_site: Path) -> None:
    home = (real_site / "index.html").read_text(encoding="utf-8")
    assets = re.findall(
        r'"(assets/(?:javascripts|stylesheets)/[a-z]+\.[0-9a-f]{8}\.min\.(?:js|css))"', home
    )
    assert len(assets) >= 2, "Material's fingerprinted bundle and styles not found in index.html"
    for asset in assets:
        reply = fetch(nginx_url + asset)
        assert reply.status == 200, asset
        cache = reply.header("Cache-Control")
        assert "immutable" in cache and max_age(cache) >= YEAR, f"{asset}: {cache}"
        assert reply.header("X-Content-Type-Options") == "nosniff"


def test_search_chunks_are_cached_for_a_year_its_engine_and_texts_briefly(
    nginx_url: str, real_site: Path
) -> None:
    """A phone that searched once keeps the index parts it fetched; the engine's entry file and
    the texts (named by page, not by their own content) are asked for again after an update."""
    folder = real_site / "pagefind"
    for named in (next((folder / "index").iterdir()), next((folder / "fragment").iterdir())):
        cache = fetch(nginx_url + named.relative_to(real_site).as_posix()).header("Cache-Control")
        assert "immutable" in cache and max_age(cache) >= YEAR, f"{named.name}: {cache}"
    for path in ("pagefind/pagefind-entry.json", "pagefind/pagefind.js"):
        cache = fetch(nginx_url + path).header("Cache-Control")
        assert "immutable" not in cache and max_age(cache) <= SHORT, f"{path}: {cache}"
    text = next((folder / "texty").iterdir()).relative_to(real_site).as_posix()
    cache = fetch(nginx_url + text).header("Cache-Control")
    assert "immutable" not in cache and max_age(cache) <= SHORT, f"{text}: {cache}"


def test_own_assets_without_a_hash_in_the_name_are_short_lived(nginx_url: str) -> None:
    for asset in ("assets/metodiky.css", "assets/metodiky.js"):
        cache = fetch(nginx_url + asset).header("Cache-Control")
        assert "immutable" not in cache and max_age(cache) <= SHORT, f"{asset}: {cache}"


def test_service_worker_is_always_revalidated(nginx_url: str) -> None:
    reply = fetch(nginx_url + "sw.js")
    assert reply.status == 200
    assert reply.media_type in ("application/javascript", "text/javascript")
    assert reply.header("Cache-Control") == "no-cache"


def test_embed_views_may_be_framed_by_any_site(nginx_url: str, real_site: Path) -> None:
    embeds = sorted((real_site / "vlozit").glob("*/index.html"))
    assert embeds, "the build has no embed view (site/vlozit/<id>/index.html) to check"
    for embed in embeds:
        path = embed.parent.relative_to(real_site).as_posix()
        reply = fetch(f"{nginx_url}{path}/")
        assert reply.status == 200, path
        assert_security_headers(reply, frame_ancestors=["*"])


def test_pages_styles_and_scripts_are_gzip_compressed(nginx_url: str, real_site: Path) -> None:
    home = (real_site / "index.html").read_text(encoding="utf-8")
    assets = re.findall(r'(?:src|href)="(assets/[^"]+\.(?:js|css))"', home)
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    for path in ["", *assets]:
        reply = fetch(nginx_url + path, **{"Accept-Encoding": "gzip"})
        assert reply.status == 200, path
        assert reply.header("Content-Encoding") == "gzip", f"/{path} sent uncompressed"
        assert "Accept-Encoding" in reply.header("Vary"), path
        assert gzip.decompress(reply.body) == (real_site / (path or "index.html")).read_bytes()


def test_permanent_links_resolve_to_their_section(nginx_url: str, real_site: Path) -> None:
    versioned = sorted((real_site / "odkaz").glob("*/*/index.html"))
    assert versioned, "the build has no versioned permanent link (site/odkaz/<id>/<X.Y>/)"
    link = versioned[0].parent.parent.name
    version = versioned[0].parent.name
    for path in (f"odkaz/{link}/", f"odkaz/{link}/{version}/"):
        reply = fetch(nginx_url + path)
        assert reply.status == 200, path
        target = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', reply.body.decode())
        assert target, f"/{path} has no meta refresh"
        assert fetch(urljoin(nginx_url + path, target.group(1))).status == 200, target.group(1)
    # Typed or pasted without the final slash: sent to the address with it, on the same host.
    without_slash = fetch(f"{nginx_url}odkaz/{link}")
    assert without_slash.status == 301
    assert without_slash.header("Location") == f"/odkaz/{link}/"


def test_pdf_downloads_are_served_as_pdf(nginx_url: str, real_site: Path) -> None:
    pdfs = sorted(p.name for p in real_site.glob("*.pdf"))
    assert "prirucka.pdf" in pdfs and len(pdfs) > 1, pdfs
    for name in pdfs:
        reply = fetch(nginx_url + name)
        assert (reply.status, reply.media_type) == (200, "application/pdf"), name
        assert reply.body.startswith(b"%PDF"), name


def test_word_downloads_are_served_as_docx(nginx_url: str, real_site: Path) -> None:
    documents = sorted(p.relative_to(real_site).as_posix() for p in real_site.rglob("*.docx"))
    assert documents, "the build has no Word download (site/*.docx, site/docx/*.docx) to check"
    for path in documents:
        reply = fetch(nginx_url + path)
        assert (reply.status, reply.media_type) == (200, DOCX), path
        assert reply.body.startswith(b"PK"), path


def test_feed_is_served_as_xml_a_browser_renders(nginx_url: str, real_site: Path) -> None:
    # application/atom+xml would be shown as raw text; readers take the feed as XML as well.
    assert (real_site / "novinky.xml").is_file(), "the build has no feed site/novinky.xml"
    reply = fetch(nginx_url + "novinky.xml")
    assert (reply.status, reply.media_type) == (200, "application/xml")
    assert b"http://www.w3.org/2005/Atom" in reply.body
    assert max_age(reply.header("Cache-Control")) <= SHORT


def test_citation_records_have_their_types(nginx_url: str) -> None:
    for name, media_type in (
        ("citace.ris", "application/x-research-info-systems"),
        ("citace.bib", "application/x-bibtex"),
    ):
        reply = fetch(f"{nginx_url}kontaktni-prace/prvni-kontakt/{name}")
        assert (reply.status, reply.media_type) == (200, media_type), name


def test_web_manifest_has_its_type(nginx_url: str) -> None:
    reply = fetch(nginx_url + "manifest.webmanifest")
    assert (reply.status, reply.media_type) == (200, "application/manifest+json")


def test_unknown_address_gets_the_czech_404_page(nginx_url: str) -> None:
    reply = fetch(nginx_url + "metodika-ktera-neexistuje/")
    assert reply.status == 404
    assert reply.media_type == "text/html"
    page = reply.body.decode("utf-8")
    assert '<html lang="cs"' in page
    assert "<h1>Stránka nenalezena</h1>" in page
    assert_security_headers(reply, frame_ancestors=["'self'"])


def test_served_policy_allows_every_inline_script_of_the_build(
    nginx_url: str, real_site: Path
) -> None:
    csp_hashes = load_csp_hashes()
    hashes, problems = csp_hashes.collect_inline_scripts(real_site)
    assert not problems, "code that no hash can allow:\n" + "\n".join(problems)
    allowed = directives(fetch(nginx_url).header("Content-Security-Policy"))["script-src"]
    missing = [
        f"{digest} (first in {where})" for digest, where in hashes.items() if digest not in allowed
    ]
    assert not missing, (
        f"{NGINX_CONF.relative_to(REPO)} does not allow these inline scripts; after `make` run "
        "`python deploy/csp_hashes.py --write`:\n" + "\n".join(missing)
    )


def test_csp_hashes_write_updates_only_script_src(real_site: Path, tmp_path: Path) -> None:
    csp_hashes = load_csp_hashes()
    config = tmp_path / "nginx.conf"
    original = NGINX_CONF.read_text(encoding="utf-8")
    config.write_text(csp_hashes.SCRIPT_SRC.sub("script-src 'self'", original), encoding="utf-8")
    assert csp_hashes.main([str(real_site), "--write", "--config", str(config)]) == 0
    hashes, _ = csp_hashes.collect_inline_scripts(real_site)
    updated = config.read_text(encoding="utf-8")
    assert csp_hashes.format_script_src(hashes) in updated
    assert csp_hashes.SCRIPT_SRC.sub("", updated) == csp_hashes.SCRIPT_SRC.sub("", original)


def load_csp_hashes() -> ModuleType:
    """deploy/csp_hashes.py, a stand-alone script rather than part of the package."""
    spec = importlib.util.spec_from_file_location("csp_hashes", REPO / "deploy" / "csp_hashes.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003
        return None
