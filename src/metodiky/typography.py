"""Czech typography: single-letter prepositions and conjunctions never end a line."""

from __future__ import annotations

import re
from typing import Any

NBSP = "\u00a0"
SINGLE_LETTER_WORDS = "vkszouaiVKSZOUAI"

# A one-letter word standing alone (not inside a longer word) followed by ordinary white space.
_BREAKABLE = re.compile(rf"(?<![\w\-.])([{SINGLE_LETTER_WORDS}])[ \t\n]+(?=\S)")
# In HTML the next word may start after an inline tag: "v <strong>obci</strong>".
_BREAKABLE_BEFORE_TAG = re.compile(rf"(?<![\w\-.])([{SINGLE_LETTER_WORDS}])[ \t\n]+(?=\S|\Z)")
_HTML_TOKENS = re.compile(r"(<!--.*?-->|<[^>]*>)", re.DOTALL)
_RAW_ELEMENTS = ("pre", "code", "script", "style", "textarea", "kbd", "svg")
# The opening or closing tag of an element whose text must stay as it is.
_RAW_TAG = re.compile(rf"<(/?)(?:{'|'.join(_RAW_ELEMENTS)})(?![a-zA-Z0-9])", re.I)


def bind_single_letter_words(text: str) -> str:
    """Replace the space after a single-letter preposition or conjunction with a no-break space."""
    return _BREAKABLE.sub(rf"\1{NBSP}", text)


def bind_in_html(html: str) -> str:
    """Apply the rule to the text of an HTML fragment, leaving tags, code and scripts untouched."""
    parts = _HTML_TOKENS.split(html)
    raw_depth = 0
    for index, part in enumerate(parts):
        if index % 2:
            raw_depth += _raw_depth_change(part)
        elif raw_depth == 0 and part:
            parts[index] = _BREAKABLE_BEFORE_TAG.sub(rf"\1{NBSP}", part)
    return "".join(parts)


def _raw_depth_change(tag: str) -> int:
    match = _RAW_TAG.match(tag)
    if not match or tag.endswith("/>"):
        return 0
    return -1 if match.group(1) else 1


def bind_in_pandoc_inlines(inlines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Apply the rule to a pandoc inline list: `Str "v", Space, Str "obci"` becomes one Str."""
    result: list[dict[str, Any]] = []
    for inline in inlines:
        previous = result[-1] if result else None
        glued = (
            previous is not None
            and previous.get("t") == "Str"
            and inline.get("t") in ("Space", "SoftBreak")
            and bind_single_letter_words(previous["c"] + " x").endswith(NBSP + "x")
        )
        if glued:
            previous["c"] += NBSP
            continue
        joins_previous = previous is not None and previous.get("t") == "Str"
        if inline.get("t") == "Str" and joins_previous and previous["c"].endswith(NBSP):
            previous["c"] += inline["c"]
            continue
        result.append(inline)
    return result


def format_date(date: object) -> str:
    """Czech date with no-break spaces, e.g. 23. 11. 2026."""
    return f"{date.day}.{NBSP}{date.month}.{NBSP}{date.year}"  # type: ignore[attr-defined]
