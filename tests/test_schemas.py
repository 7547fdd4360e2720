"""JSON Schemas for editors are generated from the models, and every YAML file points to its schema."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import REPO
from metodiky.schemas import render_schemas

SCHEMA_OF_FOLDER = {
    "checklists": "checklist.schema.json",
    "trees": "decision-tree.schema.json",
    "glossary": "glossary.schema.json",
}


def test_committed_schemas_match_the_models() -> None:
    for name, text in render_schemas().items():
        committed = REPO / "schemas" / name
        assert committed.is_file(), f"schemas/{name} missing: run `metodiky schemas`"
        assert committed.read_text(encoding="utf-8") == text, (
            f"schemas/{name} drifted: run `metodiky schemas`"
        )


def test_schemas_describe_every_field_for_authors() -> None:
    for name, text in render_schemas().items():
        schema = json.loads(text)
        for definition in [schema, *schema.get("$defs", {}).values()]:
            for field, spec in definition.get("properties", {}).items():
                assert spec.get("description"), f"{name}: field '{field}' has no description"


def _content_yaml_files() -> list[Path]:
    folders = [REPO / "methodology", REPO / "glossary", REPO / "docs" / "nastroje"]
    # Frozen copies of released versions (vydani/) are byte-for-byte snapshots, checked by hash;
    # vydani.yml and ke-stazeni.yml are fingerprints the tools write.
    files = (path for folder in folders if folder.is_dir() for path in folder.rglob("*.yml"))
    return sorted(
        path
        for path in files
        if "vydani" not in path.parts and path.name not in ("vydani.yml", "ke-stazeni.yml")
    )


@pytest.mark.parametrize(
    "path", _content_yaml_files(), ids=lambda p: p.relative_to(REPO).as_posix()
)
def test_yaml_file_starts_with_its_schema_line(path: Path) -> None:
    if path.name == "metodika.yml":
        schema = "methodology.schema.json"
    else:
        schema = SCHEMA_OF_FOLDER[path.parent.name]
    relative = os.path.relpath(REPO / "schemas" / schema, path.parent).replace(os.sep, "/")
    first_line = path.read_text(encoding="utf-8").split("\n", 1)[0]
    assert first_line == f"# yaml-language-server: $schema={relative}"
