"""Search snippets show the sentences that hold a match (czech-search.js, run in the search worker)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import REPO

CZECH_SEARCH_JS = REPO / "overrides" / "assets" / "javascripts" / "czech-search.js"
NODE_SCRIPT = """
const cs = require(process.argv[1]);
const texts = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(texts.map(cs.snippet)));
"""
LONG = "slovo " * 40


def snippets(*texts: str) -> list[str]:
    node = shutil.which("node")
    assert node, "the snippet test needs Node.js (Debian package nodejs)"
    result = subprocess.run(
        [node, "-e", NODE_SCRIPT, str(CZECH_SEARCH_JS)],
        input=json.dumps(list(texts)),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The sentence with the match, not the paragraph's start; „…“ where text is left out.
        (
            "<p>Depistáž znamená vyhledávání. Ve městě se k <mark>pomoci</mark> dostanou snáz."
            " Na venkově ne.</p><p>Další odstavec.</p>",
            "<p>… Ve městě se k <mark>pomoci</mark> dostanou snáz. …</p>",
        ),
        # Two matches in one paragraph read on; matches in two list items are apart.
        (
            "<p>A <mark>x</mark>. B <mark>y</mark>.</p>",
            "<p>A <mark>x</mark>. B <mark>y</mark>.</p>",
        ),
        (
            "<p>Úvod.</p><ul><li>s <mark>depistáží</mark> &amp; více</li><li>jiná</li>"
            "<li>a <mark>depistáž</mark></li></ul>",
            "<p>… s <mark>depistáží</mark> &amp; více … a <mark>depistáž</mark></p>",
        ),
        # Only the title matched: the section's opening sentences.
        ("<p>První věta. Druhá věta. Třetí.</p>", "<p>První věta. Druhá věta. …</p>"),
        # Abbreviations and numbers do not end a sentence.
        (
            "<p>Podle zákona č. 108/2006 Sb., § 59 odst. 2 <mark>platí</mark> toto. Dál.</p>",
            "<p>Podle zákona č. 108/2006 Sb., § 59 odst. 2 <mark>platí</mark> toto. …</p>",
        ),
        # A long sentence is cut around its match.
        (
            f"<p>{LONG}<mark>shoda</mark> {LONG}konec.</p>",
            "<p>… " + "slovo " * 12 + "<mark>shoda</mark> " + " ".join(["slovo"] * 23) + " …</p>",
        ),
        ("", ""),
    ],
)
def test_snippet_is_the_matched_sentence(text: str, expected: str) -> None:
    assert snippets(text) == [expected]
