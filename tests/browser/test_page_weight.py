"""Page weight on every page: a first visit stays within budget on a weak mobile signal."""

from __future__ import annotations

from .conftest import SiteAudit
from .support import format_kb

# Compressed bytes of everything a first visit loads (HTML, CSS, JS, images, the search worker).
BUDGET = 150 * 1024


def test_first_visit_of_every_page_is_within_the_budget(site_audit: SiteAudit) -> None:
    heavy = {
        path: visit.compressed_total
        for path, visit in site_audit.visits.items()
        if visit.compressed_total > BUDGET
    }
    assert not heavy, f"pages over {format_kb(BUDGET)}:\n" + "\n".join(
        f"  /{path}: {format_kb(size)}" for path, size in heavy.items()
    )


def test_first_visit_counts_the_page_its_styles_and_scripts(site_audit: SiteAudit) -> None:
    # Guards the budget test against measuring nothing: each visit saw the document and its assets.
    for path, visit in site_audit.visits.items():
        kinds = {resource.kind for resource in visit.resources}
        assert {"document", "stylesheet", "script"} <= kinds, (path, kinds)


def test_nothing_from_another_host_blocks_rendering(site_audit: SiteAudit) -> None:
    blocking = {p: v.render_blocking_foreign for p, v in site_audit.visits.items()}
    assert not any(blocking.values()), {path: urls for path, urls in blocking.items() if urls}


def test_web_fonts_are_self_hosted(site_audit: SiteAudit, site_url: str) -> None:
    foreign_fonts = [
        resource.url
        for visit in site_audit.visits.values()
        for resource in visit.resources
        if resource.kind == "font" and not resource.url.startswith(site_url)
    ]
    assert not foreign_fonts, foreign_fonts
