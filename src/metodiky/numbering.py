"""Section numbers (3.2) per version: derived from chapter order and headings, never stored."""

from __future__ import annotations

import re

from .model import Methodology

HEADING_LINE = re.compile(r"^(#{1,3})[ \t]+(.*?)[ \t]*(\{[^}]*#([^}\s]+)[^}]*\})[ \t]*$")
FENCE = re.compile(r"^[ \t]*(```|~~~)")


def section_numbers(methodology: Methodology) -> dict[str, str]:
    """Number every chapter (3) and section (3.2, 3.2.1) of one version by its id."""
    numbers: dict[str, str] = {}
    for chapter_number, chapter in enumerate(methodology.chapters, start=1):
        counters = [chapter_number, 0, 0]
        for heading in chapter.headings:
            if heading.level > 3 or not heading.id:
                continue
            if heading.level == 1:
                numbers[heading.id] = str(chapter_number)
                continue
            counters[heading.level - 1] += 1
            if heading.level == 2:
                counters[2] = 0
            numbers[heading.id] = ".".join(str(n) for n in counters[: heading.level])
    return numbers


def number_headings(markdown: str, numbers: dict[str, str]) -> str:
    """Prefix each numbered heading of a chapter with its number: `## 3.2 Title {#id}`."""
    lines = markdown.split("\n")
    fenced = False
    for index, line in enumerate(lines):
        if FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else HEADING_LINE.match(line)
        if match and match.group(4) in numbers:
            hashes, title, attributes, section_id = match.groups()
            lines[index] = f"{hashes} {numbers[section_id]} {title} {attributes}"
    return "\n".join(lines)
