"""Site-side helpers shared by the MkDocs plugin and the macros: navigation and link resolution."""

from __future__ import annotations

import posixpath
from typing import Any

from mkdocs.utils import get_relative_url

from .model import KnowledgeBase

NAV_PLACEHOLDER = "@metodiky"


def expand_navigation(nav: list[Any] | None, knowledge: KnowledgeBase) -> list[Any] | None:
    """Replace the `@metodiky` entry of mkdocs.yml's nav with one section per methodology."""
    if nav is None:
        return None
    expanded: list[Any] = []
    for entry in nav:
        if entry == NAV_PLACEHOLDER:
            expanded += methodology_navigation(knowledge)
        elif isinstance(entry, dict):
            expanded.append(
                {
                    key: expand_navigation(value, knowledge) if isinstance(value, list) else value
                    for key, value in entry.items()
                }
            )
        else:
            expanded.append(entry)
    return expanded


def methodology_navigation(knowledge: KnowledgeBase) -> list[dict[str, list[Any]]]:
    """One navigation section per methodology: its overview page, then its chapters in order."""
    return [
        {
            methodology.manifest.short_title: [
                f"{methodology.slug}/index.md",
                *(
                    {chapter.title: f"{methodology.slug}/{chapter.name}"}
                    for chapter in methodology.chapters
                ),
            ]
        }
        for methodology in knowledge.methodologies
    ]


def relative_href(target_url: str, page_url: str) -> str:
    """A link from one page to a site-root URL with an optional #anchor, valid under any base path."""
    path, _, anchor = target_url.partition("#")
    href = get_relative_url(path, page_url) if path != page_url else ""
    if path == "" and page_url:
        href = get_relative_url(".", page_url) + "/"
    return f"{href}#{anchor}" if anchor else (href or "./")


def relative_markdown_link(source_uri: str, page: Any) -> str:
    """A Markdown link from the current page to another source file, so MkDocs validates it."""
    return posixpath.relpath(source_uri, posixpath.dirname(page.file.src_uri) or ".")
