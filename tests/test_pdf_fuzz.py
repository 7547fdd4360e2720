"""Markdown the site accepts in a chapter also compiles in the PDF (hypothesis, derandomised)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_project
from metodiky.knowledge import load_knowledge_base
from metodiky.render.handbook import (
    HandbookError,
    compile_handbook,
    plan_handbooks,
    render_handbook_assets,
    single_chapter_typst,
)

# Pieces of inline and block Markdown authors write, and the punctuation that trips Typst.
PIECES = [
    "**", "*", "_", "`", ".", ",", "(", ")", "[", "]", "{", "}", "#", "$", "@", "<", ">", "/",
    "\\", "=", "-", "+", "~", "^", '"', "'", "&", "%", ":", ";", "!", "?", "|", "slovo", "Dál",
    " ", " ", "1.", "–", "„", "“", "§ 5", "[a](https://a.cz)", "<https://b.cz>", "*a*", "**b**",
    "\n", "\n- ", "\n1. ", "\n> ", "\n\n| a | b |\n|---|---|\n| c | d |\n\n", "\n---\n",
]  # fmt: skip


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory):
    project = make_project(tmp_path_factory.mktemp("fuzz") / "project")
    knowledge = load_knowledge_base(project)
    plan = plan_handbooks(knowledge)[0]
    return plan, render_handbook_assets(knowledge, plan), tmp_path_factory.mktemp("typst")


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=14).map("".join))
def test_any_inline_markdown_compiles(handbook, text: str) -> None:
    plan, assets, workdir = handbook
    markdown = f"# Kapitola {{#zk-x}}\n\nZačátek {text} konec.\n"
    try:
        compile_handbook(
            single_chapter_typst(plan, markdown, None), assets, workdir / "x.pdf", workdir
        )
    except HandbookError as error:
        pytest.fail(f"{text!r}: {error}")
    assert Path(workdir / "x.pdf").read_bytes().startswith(b"%PDF")
