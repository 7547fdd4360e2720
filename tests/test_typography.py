"""Czech typography: single-letter prepositions and conjunctions are bound to the next word."""

from __future__ import annotations

from pathlib import Path

import pytest

from metodiky.knowledge import load_knowledge_base
from metodiky.render.handbook import render_handbook_typst
from metodiky.typography import NBSP, bind_in_html, bind_single_letter_words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("žije v obci", f"žije v{NBSP}obci"),
        ("K obci a k lidem", f"K{NBSP}obci a{NBSP}k{NBSP}lidem"),
        (
            "s dětmi i s rodiči, o nich, u nás, z domu",
            f"s{NBSP}dětmi i{NBSP}s{NBSP}rodiči, o{NBSP}nich, u{NBSP}nás, z{NBSP}domu",
        ),
        ("verze 1.0 a\nodkaz", f"verze 1.0 a{NBSP}odkaz"),
    ],
)
def test_single_letter_words_are_bound(text: str, expected: str) -> None:
    assert bind_single_letter_words(text) == expected


@pytest.mark.parametrize("text", ["typ a-b", "U.S. a", "bod č. 5", "obec A", "plán B je", "(v)"])
def test_other_text_is_left_alone(text: str) -> None:
    assert bind_single_letter_words(text) == text


def test_html_rule_skips_tags_and_code() -> None:
    html = '<p>v obci <code>a b</code> k <a href="a b">nim</a> <span title="v obci">x</span></p>'
    assert bind_in_html(html) == (
        f'<p>v{NBSP}obci <code>a b</code> k{NBSP}<a href="a b">nim</a> <span title="v obci">x</span></p>'
    )


def test_site_page_binds_v_obci(mini_project: Path) -> None:
    html = (mini_project / "site" / "zkusebni" / "uvod" / "index.html").read_text(encoding="utf-8")
    assert f"v{NBSP}obci" in html
    assert "v obci" not in html.split("<article", 1)[1].split("</article>")[0].replace(
        "&nbsp;", NBSP
    )


def test_handbook_source_binds_v_obci(mini_project: Path) -> None:
    source = render_handbook_typst(load_knowledge_base(mini_project))
    assert "v~obci" in source
    assert "v obci" not in source
