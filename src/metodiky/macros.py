"""The template language of content pages: calls of known macros with text arguments, nothing else.

Chapters are written by social workers and reviewed as prose, so they must not be able to run code,
read files or reveal configuration. Instead of a general template engine, a page may contain only

- `{{ name("text", …) }}` – a call of one of the project's macros with string literals,
- `{% raw %}…{% endraw %}` – text shown as written (the authoring guide shows macro syntax),
- `{## … ##}` – a comment, left out of the output.

Anything else that opens a template tag is a `file:line` error, found by `metodiky check` as well
as by the build, and the same expander serves the site, the PDF and the Word files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .errors import ContentError, ContentErrors

# The macros content may call, with how many text arguments; site and PDF provide each of them.
MACRO_ARITY = {
    "checklist": (1, 1),
    "decision_tree": (1, 1),
    "term": (1, 2),
    "methodology_links": (0, 0),
    "methodology_cards": (0, 0),
    # The tool ids offered first, to municipalities; the chooser lists every tool after them.
    "embed_snippet_generator": (0, 50),
    "citation": (1, 1),
    "workshop_outline": (1, 1),
}
MACRO_NAMES = tuple(MACRO_ARITY)
_STRING = r'"[^"\\\n]*"|\'[^\'\\\n]*\''
_CALL = re.compile(
    rf"^\{{\{{\s*(?P<name>[a-z_]+)\(\s*(?P<args>(?:{_STRING})(?:\s*,\s*(?:{_STRING}))*)?\s*\)\s*\}}\}}$"
)
_ARG = re.compile(_STRING)
# Every tag the expander understands, and anything else that opens one.
_TAG = re.compile(r"\{\{[^\n]*?\}\}|\{%-?\s*raw\s*-?%\}|\{##(?:.|\n)*?##\}|\{%[^\n]*?%\}|\{\{|\{%")
_END_RAW = re.compile(r"\{%-?\s*endraw\s*-?%\}")


@dataclass(frozen=True)
class MacroCall:
    """One macro call in a page: where it stands and what it asks for."""

    line: int
    column: int
    name: str
    arguments: tuple[str, ...]
    start: int
    end: int


def find_macro_calls(markdown: str, shown: str) -> list[MacroCall]:
    """Every macro call of a page, in order; raise ContentErrors on any other template construct."""
    calls: list[MacroCall] = []
    errors: list[ContentError] = []
    position = 0
    while True:
        match = _TAG.search(markdown, position)
        if match is None:
            break
        tag = match.group(0)
        line, column = _position(markdown, match.start())
        if re.fullmatch(r"\{%-?\s*raw\s*-?%\}", tag):
            end = _END_RAW.search(markdown, match.end())
            if end is None:
                errors.append(ContentError(shown, line, column, "blok {% raw %} nemá {% endraw %}"))
                break
            position = end.end()
            continue
        position = match.end()
        if tag.startswith("{##"):
            continue
        call = _CALL.match(tag)
        if call is None:
            errors.append(ContentError(shown, line, column, _refusal(tag)))
            continue
        name = call.group("name")
        if name not in MACRO_NAMES:
            known = ", ".join(MACRO_NAMES)
            message = f"neznámé makro „{name}“ (povolená: {known})"
            errors.append(ContentError(shown, line, column, message))
            continue
        arguments = tuple(arg[1:-1] for arg in _ARG.findall(call.group("args") or ""))
        least, most = MACRO_ARITY[name]
        if not least <= len(arguments) <= most:
            expected = str(least) if least == most else f"{least} až {most}"
            message = f"makro „{name}“ potřebuje {expected} argument(y), dostalo {len(arguments)}"
            errors.append(ContentError(shown, line, column, message))
            continue
        calls.append(MacroCall(line, column, name, arguments, match.start(), match.end()))
    if errors:
        raise ContentErrors(errors)
    return calls


def expand_macros(markdown: str, shown: str, functions: dict[str, Callable[..., str]]) -> str:
    """The page with each macro call replaced by what its function renders, raw blocks unwrapped."""
    calls = find_macro_calls(markdown, shown)
    pieces: list[str] = []
    position = 0
    for call in calls:
        pieces.append(_plain(markdown[position : call.start]))
        try:
            pieces.append(functions[call.name](*call.arguments))
        except (KeyError, TypeError) as error:
            message = f"makro „{call.name}“ nelze použít takto: {error}"
            raise ContentErrors([ContentError(shown, call.line, call.column, message)]) from None
        position = call.end
    pieces.append(_plain(markdown[position:]))
    return "".join(pieces)


def has_template_syntax(markdown: str) -> bool:
    """Whether a page needs the expander at all (most pages have no macro)."""
    return "{{" in markdown or "{%" in markdown or "{##" in markdown


def _plain(text: str) -> str:
    """Text between calls: raw blocks lose their tags, comments disappear."""
    text = re.sub(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", r"\1", text, flags=re.S)
    return re.sub(r"\{##.*?##\}", "", text, flags=re.S)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _refusal(tag: str) -> str:
    shown = tag if len(tag) <= 40 else tag[:37] + "…"
    return (
        f"nepovolená šablona „{shown}“: v textu smí být jen volání maker "
        '(například {{ checklist("id") }}) a bloky {% raw %}…{% endraw %}'
    )
