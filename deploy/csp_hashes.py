#!/usr/bin/env python3
"""The script-src directive that allows exactly the inline scripts of the built site.

The site runs under a Content-Security-Policy without 'unsafe-inline': each distinct inline
<script> (Material's bootstrapping of storage and colour palette, the tabbed-anchor helper, …)
is allowed by its SHA-256 hash. Templates or a Material upgrade change those scripts, so after
`make`, run one of:

    python deploy/csp_hashes.py            # print the directive for site/
    python deploy/csp_hashes.py --write    # and put it into deploy/nginx.conf

tests/test_nginx.py fails when deploy/nginx.conf misses a hash of a fresh build.
Only the standard library is used, so any Python 3.11+ on the server can run it.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
NGINX_CONF = DEPLOY / "nginx.conf"
DEFAULT_SITE = DEPLOY.parent / "site"
SCRIPT_SRC = re.compile(r"script-src [^;\"]*")
# Data blocks such as Material's <script type="application/json" id="__config"> never run.
EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}


def collect_inline_scripts(site: Path) -> tuple[dict[str, str], list[str]]:
    """Hashes of all inline scripts (each with the first place it occurs) and unhashable code.

    Inline event handlers (onclick="…") and javascript: links cannot be allowed by a hash
    without 'unsafe-hashes'; they are reported as problems instead.
    """
    hashes: dict[str, str] = {}
    problems: list[str] = []
    for page in sorted(site.rglob("*.html")):
        parser = _InlineScripts()
        parser.feed(page.read_text(encoding="utf-8"))
        parser.close()
        where = page.relative_to(site).as_posix()
        for line, source in parser.scripts:
            hashes.setdefault(hash_script(source), f"{where}:{line}")
        problems += [f"{where}:{line}: {problem}" for line, problem in parser.problems]
    return hashes, problems


def hash_script(source: str) -> str:
    """The CSP source expression for one inline script, hashed as the browser does."""
    # Browsers hash the text after the HTML parser normalised line breaks.
    text = source.replace("\r\n", "\n").replace("\r", "\n")
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def format_script_src(hashes: list[str] | dict[str, str]) -> str:
    """The script-src directive: our own files plus the hashed inline scripts, sorted.

    'wasm-unsafe-eval' lets the search worker compile Pagefind's WebAssembly (a file of this
    site); it allows no JavaScript eval."""
    return " ".join(["script-src", "'self'", "'wasm-unsafe-eval'", *sorted(hashes)])


def write_script_src(config: Path, directive: str) -> None:
    """Replace the one script-src directive in an nginx configuration."""
    text = config.read_text(encoding="utf-8")
    found = SCRIPT_SRC.findall(text)
    if len(found) != 1:
        raise SystemExit(f"{config}: expected one script-src directive, found {len(found)}")
    config.write_text(SCRIPT_SRC.sub(lambda _: directive, text), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    arguments = _parse_arguments(argv)
    site: Path = arguments.site
    if not (site / "index.html").is_file():
        print(f"{site}: no built site here; run `make` first.", file=sys.stderr)
        return 1
    hashes, problems = collect_inline_scripts(site)
    for problem in problems:
        print(problem, file=sys.stderr)
    directive = format_script_src(hashes)
    print(directive)
    if arguments.write:
        write_script_src(arguments.config, directive)
        print(f"{arguments.config}: script-src updated ({len(hashes)} hashes).", file=sys.stderr)
    return 1 if problems else 0


def _parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", type=Path, default=DEFAULT_SITE, help="built site")
    parser.add_argument("--write", action="store_true", help="update the nginx configuration")
    parser.add_argument("--config", type=Path, default=NGINX_CONF, help="nginx configuration")
    return parser.parse_args(argv)


class _InlineScripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[int, str]] = []
        self.problems: list[tuple[int, str]] = []
        self._current: list[str] | None = None
        self._line = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append((line, f"inline event handler {name}= on <{tag}>"))
            elif name in ("href", "src", "action") and value.strip().startswith("javascript:"):
                self.problems.append((line, f"javascript: URL in {name}= on <{tag}>"))
        executable = values.get("type", "").strip().lower() in EXECUTABLE_TYPES
        if tag == "script" and "src" not in values and executable:
            self._current, self._line = [], line

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append((self._line, "".join(self._current)))
            self._current = None


if __name__ == "__main__":
    sys.exit(main())
