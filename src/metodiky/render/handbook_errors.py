"""When Typst refuses the handbook, find the chapter and line an author has to look at.

Typst reports positions in the generated `.typ` file, which authors never see. Only on failure,
each chapter is compiled alone, then the failing chapter's leading blocks, halving the span until
the first block that breaks the PDF is known.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import replace
from pathlib import Path

from ..errors import ContentError
from ..legal import LawRegistry
from ..model import Chapter, Edition, KnowledgeBase
from .handbook import (
    Handbook,
    HandbookError,
    _prepare_chapter,
    compile_handbook,
    plan_handbooks,
    render_handbook_assets,
    single_chapter_typst,
)
from .pdf_tools import pdf_macro_functions

# A blank line outside fenced code separates blocks; cutting there keeps each prefix valid Markdown.
_FENCE = re.compile(r"^\s*(```|~~~)")


def locate_handbook_error(knowledge: KnowledgeBase) -> ContentError | None:
    """The first chapter line whose Markdown the PDF cannot take, or None if it is not found."""
    handbook = plan_handbooks(knowledge)[0]
    assets = render_handbook_assets(knowledge, handbook)
    functions = pdf_macro_functions(knowledge, [e.content for e in handbook.editions])
    laws = LawRegistry(knowledge.laws)
    with tempfile.TemporaryDirectory(prefix="metodiky-typst-") as folder:
        workdir = Path(folder)

        def fails(edition: Edition, chapter: Chapter) -> str:
            source = _chapter_source(edition, chapter, handbook, functions, laws)
            try:
                compile_handbook(source, assets, workdir / "x.pdf", workdir)
            except HandbookError as error:
                return str(error).split("): ", 1)[-1]
            return ""

        for edition in handbook.editions:
            for chapter in edition.content.chapters:
                problem = fails(edition, chapter)
                if problem:
                    line = _first_failing_line(edition, chapter, fails)
                    message = f"tento text nejde převést do příručky PDF (Typst: {problem})"
                    return ContentError(chapter.shown, line, 1, message)
    return None


def _chapter_source(edition, chapter, handbook: Handbook, functions, laws) -> str:
    markdown = _prepare_chapter(edition, chapter, handbook.site_url, functions, laws)
    return single_chapter_typst(handbook, markdown, edition.methodology.slug)


def _first_failing_line(edition, chapter: Chapter, fails) -> int:
    """Bisect over block boundaries: the shortest prefix of the chapter that still fails."""
    lines = chapter.markdown.split("\n")
    cuts = _block_ends(lines)
    low, high = 0, len(cuts) - 1
    while low < high:
        middle = (low + high) // 2
        prefix = "\n".join(lines[: cuts[middle]])
        if fails(*_with_markdown(edition, chapter, prefix)):
            high = middle
        else:
            low = middle + 1
    end = cuts[low]
    start = cuts[low - 1] if low else 0
    return next((n + 1 for n in range(start, end) if lines[n].strip()), start + 1)


def _block_ends(lines: list[str]) -> list[int]:
    """Line counts at which a block ends (after the last line of each block), in order."""
    ends, fence = [], ""
    for number, line in enumerate(lines):
        opening = _FENCE.match(line)
        if opening:
            fence = "" if fence == opening.group(1) else (fence or opening.group(1))
        if not fence and not line.strip() and number and lines[number - 1].strip():
            ends.append(number)
    ends.append(len(lines))
    return ends


def _with_markdown(edition: Edition, chapter: Chapter, markdown: str) -> tuple[Edition, Chapter]:
    """The edition with one chapter cut short, as the PDF pipeline expects to find it."""
    shorter = replace(chapter, markdown=markdown)
    chapters = tuple(shorter if c is chapter else c for c in edition.content.chapters)
    return replace(edition, content=replace(edition.content, chapters=chapters)), shorter
