"""Golden files for the renderers: a checklist and a decision tree to site HTML, SVG and PDF Markdown.

Regenerate after an intended change with `pytest tests/test_golden.py --update-golden`, then review
the diff of tests/golden/ before committing.
"""

from __future__ import annotations

import difflib
import functools
from pathlib import Path

import pytest

from metodiky.load import load_yaml, read_text
from metodiky.model import Checklist, DecisionTree, Workshop
from metodiky.render.diagram import render_tree_svg
from metodiky.render.pdf_tools import render_checklist_markdown, render_tree_markdown
from metodiky.render.site_tools import render_checklist_html, render_tree_html
from metodiky.render.workshop import outline_markdown, render_workshop_outline_html
from metodiky.validate import validate_document

GOLDEN = Path(__file__).resolve().parent / "golden"
TITLES = {
    ("section", "zk-kroky"): ("zk-kroky", "Kroky"),
    ("term", "depistaz"): ("pojem-depistaz", "depistáž"),
    ("checklist", "zk-prvni-navsteva"): ("nastroj-zk-prvni-navsteva", "První návštěva"),
}


def resolve(kind: str, target: str) -> tuple[str, str] | None:
    """Site links as a page two levels deep would see them."""
    label, title = TITLES.get((kind, target), ("", ""))
    return (f"../cil/#{label}", title) if label else None


@functools.cache
def _mini_knowledge():
    from metodiky.knowledge import load_knowledge_base

    return load_knowledge_base(Path(__file__).resolve().parent / "fixtures" / "mini")


def _load(case: str, model: type):
    path = GOLDEN / case / "input.yml"
    document = load_yaml(read_text(path, path.name), path.name)
    value, errors = validate_document(model, document, path.name)
    assert not errors, errors
    return value


RENDERINGS = {
    ("checklist", "expected.html"): lambda: render_checklist_html(
        _load("checklist", Checklist), "2.3", resolve
    ),
    ("checklist", "expected.md"): lambda: render_checklist_markdown(
        _load("checklist", Checklist), TITLES
    ),
    ("decision-tree", "expected.html"): lambda: render_tree_html(
        _load("decision-tree", DecisionTree), resolve
    ),
    ("decision-tree", "expected.md"): lambda: render_tree_markdown(
        _load("decision-tree", DecisionTree), TITLES
    ),
    ("decision-tree", "expected.svg"): lambda: render_tree_svg(
        _load("decision-tree", DecisionTree)
    ),
    ("workshop", "expected.html"): lambda: render_workshop_outline_html(
        _load("workshop", Workshop), _mini_knowledge(), resolve, lambda path: f"../../{path}"
    ),
    ("workshop", "expected.md"): lambda: outline_markdown(
        _mini_knowledge(), _load("workshop", Workshop), "https://example.org/"
    ),
}


@pytest.mark.parametrize(("case", "name"), list(RENDERINGS), ids=lambda value: value)
def test_renderer_matches_golden_file(case: str, name: str, update_golden: bool) -> None:
    actual = RENDERINGS[(case, name)]() + "\n"
    expected_path = GOLDEN / case / name
    if update_golden:
        expected_path.write_text(actual, encoding="utf-8")
    expected = expected_path.read_text(encoding="utf-8")
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(True), actual.splitlines(True), "expected", "actual"
        )
    )
    assert actual == expected, f"{case}/{name} differs from the golden file:\n{diff}"
