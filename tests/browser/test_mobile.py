"""Every page on a 360×640 phone: no sideways scrolling, tap targets of 24 px, text readable without zoom."""

from __future__ import annotations

from .conftest import SiteAudit


def test_no_page_scrolls_sideways(site_audit: SiteAudit) -> None:
    wide = {
        path: found["overflow"] for path, found in site_audit.phone.items() if found["overflow"]
    }
    assert not wide, wide


def test_tap_targets_are_at_least_24_px(site_audit: SiteAudit) -> None:
    # Links inside sentences are exempt (WCAG 2.5.8 inline exception); the menu is measured open.
    small = [f"/{path}: {t}" for path, found in site_audit.phone.items() for t in found["targets"]]
    assert not small, f"{len(small)} undersized tap target(s):\n" + "\n".join(small)


def test_text_is_at_least_the_body_size(site_audit: SiteAudit) -> None:
    # 16 px is Material's body size on phones; code samples and diagram labels are not body text.
    small = [f"/{path}: {t}" for path, found in site_audit.phone.items() for t in found["text"]]
    assert not small, f"{len(small)} piece(s) of small text:\n" + "\n".join(small)
