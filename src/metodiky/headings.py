"""Reading chapter Markdown: headings with their explicit ids, outside code blocks."""

from __future__ import annotations

import re

from .errors import ContentError, quoted
from .model import Heading
from .validate import ID_RULE

HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*(?:\{[^}]*#([^}\s]+)[^}]*\})?[ \t]*#*[ \t]*$")
FENCE = re.compile(r"^[ \t]*(```|~~~)")
ID_FORM = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def parse_headings(markdown: str) -> list[Heading]:
    """List the ATX headings of a chapter with their line numbers."""
    headings: list[Heading] = []
    fenced = False
    for number, line in enumerate(markdown.split("\n"), start=1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else HEADING.match(line)
        if match:
            level, title, anchor = match.groups()
            headings.append(Heading(len(level), title.strip(), anchor, number))
    return headings


def check_headings(headings: list[Heading], shown: str) -> list[ContentError]:
    """A chapter has one H1 first, and every H1–H3 carries a well-formed explicit id."""
    errors: list[ContentError] = []
    if not headings or headings[0].level != 1:
        line = headings[0].line if headings else 1
        errors.append(
            ContentError(shown, line, 1, "kapitola musí začínat nadpisem „# Název {#id}“")
        )
    for heading in headings:
        if heading.level == 1 and heading is not headings[0]:
            errors.append(
                ContentError(shown, heading.line, 1, "kapitola smí mít jen jeden nadpis „#“")
            )
        if heading.level > 3:
            continue
        if heading.id is None:
            errors.append(
                ContentError(
                    shown,
                    heading.line,
                    1,
                    f"nadpis {quoted(heading.title)} nemá id",
                    "doplňte na jeho konec stálé id, například „{#kp-nazev-oddilu}“",
                )
            )
        elif not ID_FORM.match(heading.id):
            errors.append(
                ContentError(
                    shown,
                    heading.line,
                    1,
                    f"id nadpisu {quoted(heading.id)} {ID_RULE}",
                )
            )
    return errors
