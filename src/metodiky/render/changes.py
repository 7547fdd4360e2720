"""The „Co se změnilo“ page of a methodology: changelog and section-by-section comparisons."""

from __future__ import annotations

import hashlib

from ..compare import SectionChange, compare_versions
from ..model import Methodology
from ..releases import release_files, version_key
from ..typography import format_date
from .inline import plain_markdown

KIND_TITLES = {
    "added": "Nové oddíly",
    "removed": "Odstraněné oddíly",
    "moved": "Přesunuté oddíly",
    "changed": "Změněné oddíly",
}


def render_changes_markdown(methodology: Methodology, unreleased: bool) -> str:
    """Changelog entries, then each pair of consecutive versions compared, newest first."""
    manifest = methodology.manifest
    lines = [
        f"# Co se změnilo: {plain_markdown(manifest.title)}",
        "",
        "Přehled verzí metodiky a porovnání jejich textu po oddílech.",
        "U změněných oddílů je vyznačeno, která slova přibyla a která ubyla.",
        "",
        "## Historie verzí",
        "",
    ]
    for entry in manifest.changelog:
        lines.append(f"**Verze {entry.version}** ({format_date(entry.date)})")
        lines.append("")
        lines += [f"- {plain_markdown(change)}" for change in entry.changes]
        lines.append("")
    versions = sorted(methodology.editions, key=version_key)
    pairs = [(versions[i - 1], versions[i]) for i in range(1, len(versions))]
    if unreleased and versions:
        lines += _comparison(
            methodology, versions[-1], None, methodology.editions[versions[-1]], methodology
        )
    for old, new in reversed(pairs):
        lines += _comparison(
            methodology, old, new, methodology.editions[old], methodology.editions[new]
        )
    if len(versions) <= 1 and not unreleased:
        lines += [
            "## Porovnání verzí",
            "",
            "Zatím existuje jediná vydaná verze, není s čím porovnávat.",
            "",
        ]
    return "\n".join(lines) + "\n"


def has_unreleased_changes(methodology: Methodology) -> bool:
    """True when the current files differ from the newest frozen copy."""
    if not methodology.releases:
        return False
    newest = methodology.releases[-1]
    digests = {
        path.relative_to(methodology.folder).as_posix(): hashlib.sha256(
            path.read_bytes()
        ).hexdigest()
        for path in release_files(methodology)
    }
    return digests != newest.files


def _comparison(
    methodology, old: str, new: str | None, before: Methodology, after: Methodology
) -> list[str]:
    title = f"Verze {old} → {new}" if new else f"Verze {old} → rozpracovaná verze"
    changes = compare_versions(before, after, methodology.manifest.moved_ids)
    lines = [f"## {title}", ""]
    if not changes:
        return [*lines, "Text se nezměnil.", ""]
    prefix = f"{new}/" if new else ""
    for kind, heading in KIND_TITLES.items():
        selected = [change for change in changes if change.kind == kind]
        if not selected:
            continue
        lines += [f"### {heading} ({len(selected)})", ""]
        for change in selected:
            lines += _change_lines(change, prefix, after, kind)
        lines.append("")
    return lines


def _change_lines(change: SectionChange, prefix: str, after: Methodology, kind: str) -> list[str]:
    chapter = next((c for c in after.chapters for h in c.headings if h.id == change.id), None)
    link = f"[{change.title}]({prefix}{chapter.name}#{change.id})" if chapter else change.title
    if kind == "added":
        return [f"- {change.new_number} {link}"]
    if kind == "removed":
        return [f"- {change.old_number} {change.title}"]
    if kind == "moved" and change.old_number == change.new_number:
        return [
            f"- {change.new_number} {link}: nový identifikátor `{change.id}` (dříve `{change.old_id}`)"
        ]
    if kind == "moved":
        return [f"- {link}: z {change.old_number} na {change.new_number}"]
    # A top-level HTML block: Markdown inside the compared text must not turn into links again.
    return [f"- {change.new_number} {link}", "", f'<p class="mk-diff">{change.diff_html}</p>', ""]
