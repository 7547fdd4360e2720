"""Short permanent links `/odkaz/<id>/` and `/odkaz/<id>/<X.Y>/`: static redirect pages."""

from __future__ import annotations

from html import escape

from .model import Edition
from .releases import resolve_moved_id, version_key
from .site_build import SiteMap

PERMALINK_ROOT = "odkaz"


def permalink_version(edition: Edition) -> str | None:
    """The version a permanent link of this edition names: its own once released, else none."""
    released = {record.version for record in edition.methodology.releases}
    return edition.shown_version if edition.shown_version in released else None


def absolute_url(path: str, site_url: str) -> str:
    """A site path as printed or cited: absolute on the public site, root-relative without one."""
    return f"{site_url.rstrip('/')}/{path}" if site_url else f"/{path}"


def permalink_path(section_id: str, version: str | None = None) -> str:
    """Site path of a permalink: `odkaz/kp-depistaz/` or `odkaz/kp-depistaz/1.0/`."""
    return (
        f"{PERMALINK_ROOT}/{section_id}/{version}/"
        if version
        else f"{PERMALINK_ROOT}/{section_id}/"
    )


def permalink_targets(site: SiteMap) -> dict[str, tuple[str, str]]:
    """Every permalink path → (target site URL with anchor, section title).

    Every id ever released gets a versioned link per release that contains it, and an unversioned
    link that follows declared moves; an id that was removed points to the last version with it.
    """
    links: dict[str, tuple[str, str]] = {}
    for methodology in site.knowledge.methodologies:
        editions = [e for e in site.editions if e.methodology is methodology]
        current = next(e for e in editions if e.version is None)
        releases = sorted((e for e in editions if e.version), key=lambda e: version_key(e.version))
        last_seen: dict[str, tuple[str, str]] = {}
        for edition in [*releases, current]:
            for section_id, title in _sections(edition):
                url = site.section_url(edition, section_id)
                if edition.version:
                    links[permalink_path(section_id, edition.version)] = (url, title)
                last_seen[section_id] = (url, title)
        for section_id, (url, title) in last_seen.items():
            now = resolve_moved_id(methodology, section_id)
            target = site.section_url(current, now) if now else url
            links[permalink_path(section_id)] = (target, title)
    # A tool sharing its id with a section keeps the section's link: the section shows the tool.
    for path, target in _tool_links(site).items():
        links.setdefault(path, target)
    return links


def _tool_links(site: SiteMap) -> dict[str, tuple[str, str]]:
    """A permalink per checklist and tree, versioned where a release shows it: printed handouts
    carry them as QR codes."""
    links: dict[str, tuple[str, str]] = {}
    for edition in site.editions:
        targets = site.targets(edition)
        tools = (("checklist", edition.content.checklists), ("tree", edition.content.trees))
        for kind, pool in tools:
            for tool in pool:
                target = targets.get((kind, tool.id))
                if target is not None:
                    links[permalink_path(tool.id, edition.version)] = target
    current = site.targets(None)
    for kind, tools in (
        ("checklist", site.knowledge.shared_checklists),
        ("tree", site.knowledge.shared_trees),
    ):
        for tool in tools:
            if (kind, tool.id) in current:
                links[permalink_path(tool.id)] = current[(kind, tool.id)]
    return links


def offline_permalinks(site: SiteMap) -> dict[str, list[str]]:
    """The permalink map the service worker resolves without the network.

    Keys are permalink paths without `odkaz/` and the trailing slash (`kp-uvod`, `kp-uvod/1.0`);
    values list the target site URLs to try in order. A link to the newest release also names the
    current page when the current text is that release unchanged: the printed QR codes point to
    versioned links, and the current pages are the ones every reader has offline.
    """
    unchanged = {
        (m.slug, max(m.editions, key=version_key))
        for m in site.knowledge.methodologies
        if m.editions and not site.has_unreleased_changes(m)
    }
    current = permalink_targets(site)
    links: dict[str, list[str]] = {}
    for path, (url, _) in current.items():
        key = path.removeprefix(f"{PERMALINK_ROOT}/").removesuffix("/")
        section_id, _, version = key.partition("/")
        targets = [url]
        if version and (url.split("/", 1)[0], version) in unchanged:
            now = current.get(permalink_path(section_id), (None,))[0]
            if now and now != url:
                targets.append(now)
        links[key] = targets
    return links


def _sections(edition: Edition) -> list[tuple[str, str]]:
    return [
        (heading.id, heading.title)
        for chapter in edition.content.chapters
        for heading in chapter.headings
        if heading.id and heading.level <= 3
    ]


def render_redirect_html(target_href: str, title: str) -> str:
    """A tiny static page that forwards at once, and still works as a link without JavaScript."""
    href = escape(target_href, quote=True)
    label = escape(title)
    return (
        "<!doctype html>\n"
        '<html lang="cs">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Přesměrování: {label}</title>\n"
        '<meta name="robots" content="noindex">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f'<link rel="canonical" href="{href}">\n'
        "</head>\n<body>\n"
        f'<p>Oddíl „{label}“ najdete na adrese <a href="{href}">{href}</a>.</p>\n'
        "</body>\n</html>\n"
    )
