"""The search token rule is the same in Python (build time) and in the browser (lunr.cs)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest

from conftest import REPO
from metodiky.search import fold, is_stop_word, search_token

LUNR_CS = REPO / "overrides" / "assets" / "javascripts" / "lunr" / "min" / "lunr.cs.min.js"
NODE_SCRIPT = """
const cs = require(process.argv[1]);
const words = JSON.parse(require("fs").readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(words.map(w => [cs.searchToken(w), cs.isStopWord(w)])));
"""


def _content_words() -> list[str]:
    """Every distinct word of the knowledge base: the vocabulary readers search in."""
    words: set[str] = set()
    for folder in ("methodology", "glossary", "docs"):
        for path in (REPO / folder).rglob("*"):
            if path.suffix in (".md", ".yml") and "vydani" not in path.parts:
                words.update(re.findall(r"[^\W\d_]+", path.read_text(encoding="utf-8")))
    return sorted(words)


def test_python_and_browser_give_identical_tokens() -> None:
    node = shutil.which("node")
    assert node, "the token parity test needs Node.js (Debian package nodejs)"
    words = _content_words() + ["Dítěte", "DĚTEM", "obcích", "OSPODu", "ne", "Ž"]
    assert len(words) > 5000
    result = subprocess.run(
        [node, "-e", NODE_SCRIPT, str(LUNR_CS)],
        input=json.dumps(words),
        capture_output=True,
        text=True,
        check=True,
    )
    browser = json.loads(result.stdout)
    mismatches = [
        (word, py, js)
        for word, js in zip(words, browser, strict=True)
        if (py := [search_token(word), is_stop_word(word)]) != js
    ]
    assert not mismatches, mismatches[:20]


@pytest.mark.parametrize(
    "forms",
    [
        ["depistáž", "depistaz", "Depistáže", "depistáží"],
        ["dítě", "dítěte", "dětem", "děti", "dětí", "detmi"],
        ["obec", "obce", "obcích", "obci", "obcim"],
        ["konference", "konferenci", "konferencí", "konferencich"],
        ["rodičovský", "rodicovsky", "rodičovského", "rodičovském"],
        ["uprchlíci", "uprchlík", "uprchlíků", "uprchliky"],
        ["senior", "seniorům", "seniory", "seniorech"],
    ],
)
def test_inflected_and_unaccented_forms_share_a_token(forms: list[str]) -> None:
    assert len({search_token(form) for form in forms}) == 1, {f: search_token(f) for f in forms}


def test_different_words_stay_apart() -> None:
    assert search_token("model") != search_token("modelové")
    assert search_token("obec") != search_token("obchod")
    assert fold("Žluťoučký") == "zlutoucky"
