"""Preparing chapter Markdown for pandoc: admonitions and tool macros become pandoc syntax."""

from __future__ import annotations

import re
from collections.abc import Callable

import jinja2

from ..errors import ContentError, ContentErrors

# Heading ids are written `{#id}`, which Jinja would read as a comment: use a rarer delimiter.
# mkdocs.yml gives mkdocs-macros the same options (a test keeps the two in step).
JINJA_OPTIONS = {"comment_start_string": "{##", "comment_end_string": "##}"}
ADMONITION = re.compile(r'^(!!!|\?\?\?\+?)\s+([\w-]+)(?:\s+"([^"]*)")?\s*$')


def admonitions_to_fenced_divs(markdown: str) -> str:
    """Turn Material `!!! kind "title"` blocks into pandoc fenced divs with the same meaning."""
    lines = markdown.split("\n")
    output: list[str] = []
    index = 0
    while index < len(lines):
        match = ADMONITION.match(lines[index])
        if not match:
            output.append(lines[index])
            index += 1
            continue
        kind, title = match.group(2), match.group(3) or ""
        body: list[str] = []
        index += 1
        while index < len(lines) and (lines[index].startswith("    ") or not lines[index].strip()):
            body.append(lines[index][4:])
            index += 1
        while body and not body[-1].strip():
            body.pop()
        title_attribute = title.replace('"', "'")
        output += ["", f'::: {{.admonition .{kind} title="{title_attribute}"}}', *body, ":::", ""]
    return "\n".join(output)


def expand_macros(markdown: str, shown: str, functions: dict[str, Callable[..., str]]) -> str:
    """Render the Jinja tool macros of a chapter with the given target-specific functions."""
    environment = jinja2.Environment(
        undefined=jinja2.StrictUndefined, autoescape=False, **JINJA_OPTIONS
    )
    try:
        template = environment.from_string(markdown)
        return template.render(**functions)
    except jinja2.TemplateSyntaxError as error:
        raise ContentErrors(
            [ContentError(shown, error.lineno or 1, 1, f"macro syntax: {error.message}")]
        ) from None
    except (jinja2.UndefinedError, KeyError, TypeError) as error:
        line = _first_macro_line(markdown)
        raise ContentErrors([ContentError(shown, line, 1, f"macro error: {error}")]) from None


def _first_macro_line(markdown: str) -> int:
    for number, line in enumerate(markdown.split("\n"), start=1):
        if "{{" in line or "{%" in line:
            return number
    return 1
