"""Turning pydantic validation errors into positioned, author-friendly content errors."""

from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import TypeAdapter, ValidationError

from .errors import ContentError, plural, quoted
from .load import YamlDocument, YamlPath

# Identifier rule, shared with heading ids: lowercase letters without diacritics, digits, hyphens.
ID_RULE = "se musí skládat z malých písmen bez diakritiky a číslic se spojovníky mezi slovy"

PATTERN_RULES = {
    r"^[0-9]+\.[0-9]+$": 'musí mít tvar X.Y, například „"1.0"“',
    r"^[a-z0-9]+(-[a-z0-9]+)*$": f"{ID_RULE}, například „prvni-kontakt“",
    r"^[a-z0-9]+(-[a-z0-9]+)*\.md$": "musí být název souboru kapitoly, například „uvod.md“",
    r"^[A-Z]{2,4}$": "musí být dvě až čtyři velká písmena, například „KP“",
    r"^https://": "musí být adresa začínající „https://“",
}

TYPE_NAMES = {
    "string_type": "text",
    "int_type": "celé číslo",
    "list_type": "seznam",
    "dict_type": "mapování (klíč: hodnota)",
    "model_type": "mapování (klíč: hodnota)",
    "model_attributes_type": "mapování (klíč: hodnota)",
    "date_type": "datum ve tvaru RRRR-MM-DD",
    "date_from_datetime_parsing": "datum ve tvaru RRRR-MM-DD",
}

BOUNDS = {
    "greater_than_equal": ("ge", "musí být aspoň"),
    "greater_than": ("gt", "musí být větší než"),
    "less_than_equal": ("le", "smí být nejvýš"),
    "less_than": ("lt", "musí být menší než"),
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
        rule = PATTERN_RULES.get(detail.get("ctx", {}).get("pattern", ""), "není platný")
        key, parent = quoted(location[-1]), quoted(_field_name(location[:-1]))
        return ContentError(shown, line, column, f"klíč {key} v {parent} {rule}")
    line, column = document.locate(location)
    field = f"pole {quoted(_field_name(location))}"
    ctx = detail.get("ctx", {})
    if not location and kind in TYPE_NAMES:
        return ContentError(shown, line, column, f"soubor musí obsahovat {TYPE_NAMES[kind]}")
    if kind == "missing":
        message = f"chybí povinné pole {quoted(location[-1])}"
        if len(location) > 1:
            message += f" v {quoted(_field_name(location[:-1]))}"
    elif kind == "extra_forbidden":
        message = f"neznámý klíč {quoted(location[-1])}"
        hint = _did_you_mean(str(location[-1]), _sibling_keys(document, location[:-1]))
    elif kind == "string_too_short":
        message = f"{field} nesmí být prázdné"
    elif kind == "too_short":
        minimum = plural(ctx.get("min_length", 1), "položku", "položky", "položek")
        message = f"{field} musí mít aspoň {minimum}"
    elif kind == "too_long":
        maximum = plural(ctx.get("max_length"), "položku", "položky", "položek")
        found = ctx.get("actual_length")
        message = f"{field} smí mít nejvýš {maximum}" + (f", má jich {found}" if found else "")
    elif kind == "string_pattern_mismatch":
        rule = PATTERN_RULES.get(ctx.get("pattern", ""), "má nesprávný tvar")
        message = f"{field} {rule}; zadáno {quoted(detail['input'])}"
    elif kind == "string_type" and isinstance(detail["input"], bool):
        message = (
            f"{field} musí být text; YAML čte yes/no/true/false jako logickou hodnotu, "
            "proto hodnotu dejte do uvozovek"
        )
    elif kind == "string_type" and isinstance(detail["input"], int | float):
        message = (
            f'{field} musí být text; hodnotu napište do uvozovek, například „"{detail["input"]}"“'
        )
    elif kind in TYPE_NAMES:
        message = f"{field} musí být {TYPE_NAMES[kind]}"
    elif kind in BOUNDS and BOUNDS[kind][0] in ctx:
        limit, rule = BOUNDS[kind]
        message = f"{field} {rule} {ctx[limit]}"
    elif kind == "literal_error":
        message = f"{field} musí být {_one_of(detail['msg'])}"
    elif kind == "value_error":
        message = detail["msg"].removeprefix("Value error, ")
    elif kind == "union_tag_not_found":
        node = f"uzel {quoted(location[-1])}"
        message = f"{node} musí mít buď „question“, nebo „outcome“"
        if isinstance(detail["input"], dict) and {"question", "outcome"} <= set(detail["input"]):
            message = f"{node} má „question“ i „outcome“; uzel je buď otázka, nebo výsledek"
    else:
        message = f"{field}: {detail['msg']}" if location else detail["msg"]
    return ContentError(shown, line, column, message, hint)


def _one_of(pydantic_message: str) -> str:
    """`Input should be 'a', 'b' or 'c'` as „a“, „b“ nebo „c“."""
    options = [quoted(option) for option in re.findall(r"'([^']*)'", pydantic_message)]
    if not options:
        return pydantic_message.removeprefix("Input should be ")
    return options[0] if len(options) == 1 else f"{', '.join(options[:-1])} nebo {options[-1]}"


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
    return f"myslíte {quoted(close[0])}?" if close else ""


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
