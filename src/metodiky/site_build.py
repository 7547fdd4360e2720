"""Site-side helpers shared by the MkDocs plugin and the macros: navigation and link resolution."""

from __future__ import annotations

import posixpath
import re
import zlib
from collections.abc import Callable
from typing import Any

from mkdocs.utils import get_relative_url

from .model import Chapter, Checklist, DecisionTree, Edition, KnowledgeBase, Methodology
from .releases import version_key
from .render.inline import plain_html
from .render.site import STATUS_NAMES, edition_targets, site_targets
from .safety import last_review, next_review_date
from .typography import format_date

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
            # The theme prints navigation titles without escaping them.
            plain_html(methodology.manifest.short_title): [
                f"{methodology.slug}/index.md",
                *(
                    {f"{number} {plain_html(chapter.title)}": f"{methodology.slug}/{chapter.name}"}
                    for number, chapter in enumerate(methodology.chapters, start=1)
                ),
                {"Co se změnilo": f"{methodology.slug}/{CHANGES_NAME}"},
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


class SiteMap:
    """Which edition each generated page belongs to, and where every id lives in each edition."""

    def __init__(self, knowledge: KnowledgeBase):
        self.knowledge = knowledge
        self.editions: list[Edition] = []
        for methodology in knowledge.methodologies:
            self.editions.append(Edition(methodology, methodology, None))
            for version, content in methodology.editions.items():
                self.editions.append(Edition(methodology, content, version))
        self.pages: dict[str, Edition] = {}
        for edition in self.editions:
            self.pages[f"{edition.prefix}index.md"] = edition
            for chapter in edition.content.chapters:
                self.pages[edition.chapter_uri(chapter)] = edition
        self._current_targets = site_targets(knowledge)
        self._targets: dict[str, dict] = {}
        self._unreleased: dict[str, bool] = {}

    def has_unreleased_changes(self, methodology: Methodology) -> bool:
        """Whether the current text differs from the newest release (hashed once per build)."""
        from .render.changes import has_unreleased_changes

        if methodology.slug not in self._unreleased:
            self._unreleased[methodology.slug] = has_unreleased_changes(methodology)
        return self._unreleased[methodology.slug]

    def edition_of(self, src_uri: str) -> Edition | None:
        """The edition a page belongs to, or None for pages outside the methodologies."""
        return self.pages.get(src_uri)

    def targets(self, edition: Edition | None) -> dict[tuple[str, str], tuple[str, str]]:
        """Link targets as seen from a page: an old edition links into itself where it can."""
        if edition is None or edition.version is None:
            return self._current_targets
        if edition.prefix not in self._targets:
            own = edition_targets(edition.content, edition.prefix)
            self._targets[edition.prefix] = {**self._current_targets, **own}
        return self._targets[edition.prefix]

    def tool(self, edition: Edition | None, kind: str, tool_id: str) -> Checklist | DecisionTree:
        """A checklist or tree as it was in the page's edition (falling back to the current one)."""
        pools = [edition.content] if edition else []
        for pool in [*pools, *self.knowledge.methodologies]:
            for tool in pool.checklists if kind == "checklist" else pool.trees:
                if tool.id == tool_id:
                    return tool
        shared = (
            self.knowledge.shared_checklists if kind == "checklist" else self.knowledge.shared_trees
        )
        return next(tool for tool in shared if tool.id == tool_id)

    def section_url(self, edition: Edition, section_id: str) -> str | None:
        """Site URL (with anchor) of a chapter or section id within one edition."""
        for chapter in edition.content.chapters:
            for index, heading in enumerate(chapter.headings):
                if heading.id == section_id:
                    page = f"{edition.prefix}{chapter.stem}/"
                    return page if index == 0 else f"{page}#{section_id}"
        return None


CHANGES_NAME = "zmeny.md"


def review_facts(content: Methodology) -> dict[str, str] | None:
    """„Poslední revize … · příští revize …“ of an edition, from its manifest's review records."""
    last, due = last_review(content), next_review_date(content)
    if last is None or due is None:
        return None
    return {
        "last": format_date(last.date),
        "last_iso": last.date.isoformat(),
        "next": format_date(due),
        "next_iso": due.isoformat(),
    }


def edition_facts(site: SiteMap, edition: Edition, src_uri: str) -> dict[str, Any]:
    """What the page template shows: title, version, date, the version switcher and an old-version banner."""
    methodology, manifest = edition.methodology, edition.content.manifest
    released = {record.version: record for record in methodology.releases}
    chapter = next((c for c in edition.content.chapters if edition.chapter_uri(c) == src_uri), None)
    facts: dict[str, Any] = {
        "slug": methodology.slug,
        "title": plain_html(manifest.title),  # the theme's templates do not escape
        "version": edition.shown_version,
        "status": STATUS_NAMES[manifest.status],
        "date": format_date(
            released[edition.version].date if edition.version else manifest.approved
        ),
        "iso_date": (
            released[edition.version].date if edition.version else manifest.approved
        ).isoformat(),
        "changes_url": f"{methodology.slug}/zmeny/",
        "versions": [],
        "review": review_facts(edition.content),
    }
    current = next(e for e in site.editions if e.methodology is methodology and e.version is None)
    current_url = _same_place(site, current, chapter) if chapter else f"{methodology.slug}/"
    facts["versions"].append(
        {
            "label": f"{current.shown_version} (aktuální)",
            "url": current_url,
            "selected": edition.version is None,
        }
    )
    for version in sorted(methodology.editions, key=version_key, reverse=True):
        if version == methodology.manifest.version and not site.has_unreleased_changes(methodology):
            continue  # the newest release is the current text; list it once
        other = next(
            e for e in site.editions if e.methodology is methodology and e.version == version
        )
        url = _same_place(site, other, chapter) if chapter else other.prefix
        facts["versions"].append(
            {"label": version, "url": url, "selected": edition.version == version}
        )
    if edition.version and (
        edition.version != methodology.manifest.version or site.has_unreleased_changes(methodology)
    ):
        facts["banner"] = {
            "version": edition.version,
            "since": facts["date"],
            "current": methodology.manifest.version,
            "url": current_url,
        }
    return facts


def _same_place(site: SiteMap, target: Edition, chapter: Chapter) -> str:
    """The page of `target` that holds this chapter (following declared moves), else its overview."""
    from .releases import resolve_moved_id

    wanted = chapter.id
    if target.version is None:
        wanted = resolve_moved_id(target.methodology, chapter.id) or ""
    url = site.section_url(target, wanted) if wanted else None
    return url.split("#")[0] if url else target.prefix


PARENT_LINK = re.compile(r"\]\(\.\./")


def rebase_parent_links(markdown: str) -> str:
    """A released version lives one folder deeper (`slug/1.0/`): links leaving the methodology
    (`../other-slug/…`) need one more `../` to reach the same pages."""
    return PARENT_LINK.sub("](../../", markdown)


# `<a href="postup.md#id">` written as raw HTML: Python-Markdown passes it through untouched, so
# MkDocs never turns the file name into the page's URL as it does for a Markdown link.
RAW_PAGE_LINK = re.compile(
    r"""(<a\s(?:"[^"]*"|'[^']*'|[^>"'])*?\bhref=)(["'])([^"'#?<>]*?\.md)(#[^"'<>]*)?\2"""
)


def resolve_raw_page_links(
    html: str, page_uri: str, url_of: Callable[[str], str | None], rebase: bool
) -> str:
    """Point raw-HTML links to `.md` files at the pages' URLs (`url_of` maps a source URI to a URL
    relative to this page); in a released version, links leaving it go one folder further up."""

    def resolve(match: re.Match[str]) -> str:
        path = match.group(3)
        if path.startswith("/") or re.match(r"^[a-z][a-z0-9+.-]*:", path, re.I):
            return match.group(0)
        if rebase and path.startswith("../"):
            path = "../" + path
        url = url_of(posixpath.normpath(posixpath.join(posixpath.dirname(page_uri), path)))
        if url is None:
            return match.group(0)
        quote = match.group(2)
        return f"{match.group(1)}{quote}{url}{match.group(4) or ''}{quote}"

    return RAW_PAGE_LINK.sub(resolve, html)


_ANCHOR_ID = re.compile(r'\bid="([^"]+)"')
_PLACEHOLDER = re.compile(r'<div data-mk-deferred="(\d+)">.*?</div>', re.S)


class DeferredHtml:
    """Large finished HTML (checklists, trees) kept out of Markdown and put back afterwards.

    Python-Markdown would parse every tag of it three times (raw-HTML stash, md_in_html, MkDocs'
    anchor scan) only to copy it through unchanged. The placeholder carries the fragment's ids,
    so MkDocs still validates links to anchors inside it.
    """

    def __init__(self) -> None:
        self._fragments: dict[int, str] = {}

    def placeholder(self, html: str) -> str:
        """A small raw-HTML block standing in for `html` until `restore`."""
        key = len(self._fragments)
        self._fragments[key] = html
        anchors = "".join(f'<a id="{anchor}"></a>' for anchor in _ANCHOR_ID.findall(html))
        return f'<div data-mk-deferred="{key}">{anchors}</div>'

    def restore(self, html: str) -> str:
        """Put every fragment back in place of its placeholder (each is used once)."""
        return _PLACEHOLDER.sub(lambda match: self._fragments.pop(int(match.group(1))), html)


class PackedHtml:
    """A page's finished HTML, compressed while it waits to be written.

    MkDocs renders every page before it writes any and keeps each page's HTML to the end: at
    150 methodologies that is gigabytes. Compressed, the same HTML takes a sixth of it.
    `str()` gives the HTML back, for any code that reads a page's content after the build.
    """

    __slots__ = ("_data",)

    def __init__(self, html: str):
        self._data = zlib.compress(html.encode("utf-8"), 1)

    def unpack(self) -> str:
        """The HTML as it was given."""
        return zlib.decompress(self._data).decode("utf-8")

    __str__ = unpack
