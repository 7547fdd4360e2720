"""Turning pydantic validation errors into positioned, author-friendly content errors."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import TypeAdapter, ValidationError

from .errors import ContentError
from .load import YamlDocument, YamlPath

PATTERN_RULES = {
    r"^[0-9]+\.[0-9]+$": 'must have the form X.Y, e.g. "1.0"',
    r"^[a-z0-9]+(-[a-z0-9]+)*$": "must be lowercase ASCII words joined by hyphens, e.g. prvni-kontakt",
    r"^[a-z0-9]+(-[a-z0-9]+)*\.md$": "must be a chapter file name like uvod.md",
    r"^[A-Z]{2,4}$": "must be two to four capital letters, e.g. KP",
}

TYPE_NAMES = {
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)",
    "date_type": "a date in the form YYYY-MM-DD",
    "date_from_datetime_parsing": "a date in the form YYYY-MM-DD",
}


def validate_document(
    model: Any, document: YamlDocument, shown: str
) -> tuple[Any, list[ContentError]]:
    """Validate parsed YAML against a model; return the value or every problem found."""
    adapter = TypeAdapter(model)
    try:
        return adapter.validate_python(document.data), []
    except ValidationError as error:
        problems = [
            _to_content_error(detail, document, shown) for detail in error.errors(include_url=False)
        ]
        return None, problems


def _to_content_error(detail: dict, document: YamlDocument, shown: str) -> ContentError:
    location = _clean_location(detail["loc"])
    kind = detail["type"]
    hint = ""
    if "[key]" in location:  # a mapping key itself is wrong, e.g. a node id with diacritics
        location = location[: location.index("[key]")]
        line, column = document.locate(location)
        rule = PATTERN_RULES.get(detail.get("ctx", {}).get("pattern", ""), "is not valid")
        return ContentError(
            shown, line, column, f"key '{location[-1]}' in '{_field_name(location[:-1])}' {rule}"
        )
    line, column = document.locate(location)
    field = _field_name(location)
    if not location and kind in TYPE_NAMES:
        return ContentError(shown, line, column, f"the file must contain {TYPE_NAMES[kind]}")
    if kind == "missing":
        message = f"missing required field '{location[-1]}'"
        if len(location) > 1:
            message += f" in '{_field_name(location[:-1])}'"
    elif kind == "extra_forbidden":
        message = f"unknown key '{location[-1]}'"
        hint = _did_you_mean(str(location[-1]), _sibling_keys(document, location[:-1]))
    elif kind == "string_too_short":
        message = f"field '{field}' must not be empty"
    elif kind == "too_short":
        minimum = detail.get("ctx", {}).get("min_length", 1)
        noun = "item" if minimum == 1 else "items"
        message = f"field '{field}' must have at least {minimum} {noun}"
    elif kind == "too_long":
        maximum = detail.get("ctx", {}).get("max_length")
        found = detail.get("ctx", {}).get("actual_length")
        message = f"field '{field}' must have at most {maximum} items" + (
            f", got {found}" if found else ""
        )
    elif kind == "string_pattern_mismatch":
        rule = PATTERN_RULES.get(detail.get("ctx", {}).get("pattern", ""), "has the wrong form")
        message = f"field '{field}' {rule}, got {detail['input']!r}"
    elif kind == "string_type" and isinstance(detail["input"], bool):
        message = f"field '{field}' must be text; YAML reads yes/no/true/false as a truth value, so put it in quotes"
    elif kind == "string_type" and isinstance(detail["input"], int | float):
        message = f"field '{field}' must be text; write it in quotes, e.g. \"{detail['input']}\""
    elif kind in TYPE_NAMES:
        message = f"field '{field}' must be {TYPE_NAMES[kind]}"
    elif kind == "literal_error":
        message = f"field '{field}' {detail['msg'].replace('Input should be', 'must be')}"
    elif kind == "value_error":
        message = detail["msg"].removeprefix("Value error, ")
    elif kind == "union_tag_not_found":
        message = f"node '{location[-1]}' must have either 'question' or 'outcome'"
        if isinstance(detail["input"], dict) and {"question", "outcome"} <= set(detail["input"]):
            message = f"node '{location[-1]}' has both 'question' and 'outcome'; a node is one or the other"
    else:
        message = f"field '{field}': {detail['msg']}" if field else detail["msg"]
    return ContentError(shown, line, column, message, hint)


def _clean_location(location: tuple) -> YamlPath:
    """Drop pydantic's node union tag (nodes.<id>.<tag>) so locations match the YAML."""
    return tuple(
        part
        for index, part in enumerate(location)
        if not (index >= 2 and location[index - 2] == "nodes" and part in ("question", "outcome"))
    )


def _field_name(location: YamlPath) -> str:
    name = ""
    for part in location:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


def _did_you_mean(key: str, siblings: set[str]) -> str:
    candidates = [field for field in _model_fields_like(siblings) if field != key]
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.5)
    return f"did you mean '{close[0]}'?" if close else ""


def _sibling_keys(document: YamlDocument, location: YamlPath) -> set[str]:
    value: Any = document.data
    for part in location:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return set()
    return {str(key) for key in value} if isinstance(value, dict) else set()


def _model_fields_like(siblings: set[str]) -> list[str]:
    """Fields of the content model that shares most keys with the mapping being validated."""
    from . import model

    models = [
        value
        for value in vars(model).values()
        if isinstance(value, type) and issubclass(value, model.Strict) and value is not model.Strict
    ]
    best = max(models, key=lambda m: len(siblings & set(m.model_fields)))
    if not siblings & set(best.model_fields):
        return sorted({field for m in models for field in m.model_fields})
    return list(best.model_fields)
