"""Arbitrary YAML fed to every loader gives a model or a clear content error, never another exception."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metodiky.errors import ContentErrors
from metodiky.load import load_yaml
from metodiky.model import GLOSSARY_FILE_MODEL, Checklist, DecisionTree, Manifest
from metodiky.validate import validate_document

MODELS = [Manifest, Checklist, DecisionTree, GLOSSARY_FILE_MODEL]
KEYS = st.sampled_from(
    ["id", "title", "version", "nodes", "start", "question", "outcome", "options", "next", "label",
     "sections", "items", "text", "links", "term", "section", "approved", "chapters", "x", "ö"]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.dates(),
)
VALUES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=5)
    ),
    max_leaves=25,
)


def _assert_loads_cleanly(text: str) -> None:
    for model in MODELS:
        try:
            document = load_yaml(text, "vstup.yml")
        except ContentErrors as problem:
            assert all(error.path == "vstup.yml" and error.line >= 1 for error in problem.errors)
            return
        value, errors = validate_document(model, document, "vstup.yml")
        assert (value is None) == bool(errors)
        for error in errors:
            assert error.line >= 1 and error.column >= 1 and error.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES)
def test_structured_yaml_never_crashes_a_loader(value: object) -> None:
    _assert_loads_cleanly(yaml.safe_dump(value, allow_unicode=True))


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab:- \t\n[]{}'\"#&*!|>%@`0123456789.,ěš")), max_size=80)
)
def test_arbitrary_text_never_crashes_a_loader(text: str) -> None:
    _assert_loads_cleanly(text)


def test_real_tree_graph_check_runs_on_hypothesis_free_fixture() -> None:
    fixture = (
        Path(__file__).parent
        / "fixtures"
        / "mini"
        / "methodology"
        / "zkusebni"
        / "trees"
        / "zk-ohrozeni.yml"
    )
    document = load_yaml(fixture.read_text(encoding="utf-8"), "zk-ohrozeni.yml")
    tree, errors = validate_document(DecisionTree, document, "zk-ohrozeni.yml")
    assert not errors and tree.start == "ohrozeni"
