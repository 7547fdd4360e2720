"""Preparing chapter Markdown for pandoc: admonitions become pandoc fenced divs."""

from __future__ import annotations

import re

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
