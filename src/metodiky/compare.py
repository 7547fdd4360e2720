"""What changed between two versions of a methodology, section by section, with word-level diffs."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from html import escape

from .model import Methodology
from .numbering import section_numbers

WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Section:
    """The text of one chapter or section, from its heading to the next heading."""

    id: str
    title: str
    chapter: str
    text: str


@dataclass(frozen=True)
class SectionChange:
    """One difference between two versions; `kind` is added, removed, moved or changed."""

    kind: str
    id: str
    title: str
    old_number: str = ""
    new_number: str = ""
    diff_html: str = ""
    old_id: str = ""


def split_sections(methodology: Methodology) -> dict[str, Section]:
    """Every section of a version by id, with the text that belongs to it alone."""
    sections: dict[str, Section] = {}
    for chapter in methodology.chapters:
        lines = chapter.markdown.split("\n")
        anchors = [h for h in chapter.headings if h.id and h.level <= 3]
        for index, heading in enumerate(anchors):
            end = anchors[index + 1].line - 1 if index + 1 < len(anchors) else len(lines)
            body = "\n".join(lines[heading.line : end]).strip()
            sections[heading.id] = Section(heading.id, heading.title, chapter.name, body)
    return sections


def compare_versions(
    old: Methodology, new: Methodology, moved_ids: dict[str, str]
) -> list[SectionChange]:
    """Sections added, removed, moved (to another id, chapter or place) and changed, in new order."""
    before, after = split_sections(old), split_sections(new)
    old_numbers, new_numbers = section_numbers(old), section_numbers(new)
    renamed = {
        old_id: new_id
        for old_id, new_id in moved_ids.items()
        if old_id in before and new_id in after
    }
    origin = {new_id: old_id for old_id, new_id in renamed.items()}
    reordered = _reordered(before, after, origin)
    changes: list[SectionChange] = []
    for section_id, section in after.items():
        previous_id = section_id if section_id in before else origin.get(section_id)
        if previous_id is None:
            changes.append(
                SectionChange(
                    "added", section_id, section.title, new_number=new_numbers[section_id]
                )
            )
            continue
        previous = before[previous_id]
        old_number, new_number = old_numbers[previous_id], new_numbers[section_id]
        if (
            previous_id != section_id
            or previous.chapter != section.chapter
            or previous_id in reordered
        ):
            changes.append(
                SectionChange(
                    "moved", section_id, section.title, old_number, new_number, old_id=previous_id
                )
            )
        if previous.text != section.text or previous.title != section.title:
            diff = word_diff_html(
                f"{previous.title}\n{previous.text}", f"{section.title}\n{section.text}"
            )
            changes.append(
                SectionChange("changed", section_id, section.title, old_number, new_number, diff)
            )
    for section_id, section in before.items():
        if section_id not in after and section_id not in renamed:
            changes.append(
                SectionChange(
                    "removed", section_id, section.title, old_number=old_numbers[section_id]
                )
            )
    return changes


def _reordered(before: dict, after: dict, origin: dict[str, str]) -> set[str]:
    """Old ids whose place among the sections both versions share has changed (difflib decides)."""
    matched_new = [
        origin.get(new_id, new_id) for new_id in after if origin.get(new_id, new_id) in before
    ]
    matched_old = [old_id for old_id in before if old_id in set(matched_new)]
    matcher = difflib.SequenceMatcher(a=matched_old, b=matched_new, autojunk=False)
    kept = {
        matched_old[i]
        for block in matcher.get_matching_blocks()
        for i in range(block.a, block.a + block.size)
    }
    return set(matched_old) - kept


def word_diff_html(old: str, new: str) -> str:
    """Changed words marked with <del> and <ins>; unchanged stretches kept short around changes.

    Braces become entities so that macro calls in the compared text stay text on the page.
    """
    old_words, new_words = WORD.findall(old), WORD.findall(new)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    parts: list[str] = []
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            words = old_words[a1:a2]
            if len(words) > 16:
                words = [*words[:6], "…", *words[-6:]] if parts else ["…", *words[-8:]]
            parts.append(escape(" ".join(words)))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(' '.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(' '.join(new_words[b1:b2]))}</ins>")
    return " ".join(parts).replace("{", "&#123;").replace("}", "&#125;")
