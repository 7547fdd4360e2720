"""JSON Schema files for editors, generated from the content models (never edited by hand)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import TypeAdapter

from .model import (
    GLOSSARY_FILE_MODEL,
    LAW_FILE_MODEL,
    SAFETY_FILE_MODEL,
    WORKSHOP_FILE_MODEL,
    Checklist,
    DecisionTree,
    Manifest,
)

SCHEMA_MODELS = {
    "methodology.schema.json": (Manifest, "Metodika – manifest (metodika.yml)"),
    "checklist.schema.json": (Checklist, "Kontrolní seznam"),
    "decision-tree.schema.json": (DecisionTree, "Rozhodovací strom"),
    "glossary.schema.json": (GLOSSARY_FILE_MODEL, "Slovník pojmů"),
    "laws.schema.json": (LAW_FILE_MODEL, "Rejstřík právních předpisů (registry/zakony.yml)"),
    "safety-topics.schema.json": (
        SAFETY_FILE_MODEL,
        "Bezpečnostní témata (registry/bezpecnost.yml)",
    ),
    "workshops.schema.json": (WORKSHOP_FILE_MODEL, "Osnovy workshopů (registry/skoleni.yml)"),
}


def render_schemas() -> dict[str, str]:
    """Every schema file name with its JSON text, in a stable form suitable for committing."""
    rendered = {}
    for name, (model, title) in SCHEMA_MODELS.items():
        schema = TypeAdapter(model).json_schema()
        schema = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": title,
            **schema,
        }
        rendered[name] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    return rendered


def write_schemas(folder: Path) -> list[Path]:
    """Write the schema files into a folder; return the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in render_schemas().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
