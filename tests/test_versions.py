"""Versions and citations: frozen releases, old-version pages, changes, permalinks, QR codes."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp

from conftest import make_project, run_cli

METHODOLOGY = "methodology/zkusebni"
SITE_URL = "https://metodiky-socialni-prace.cz/"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini methodology released as 2.3, then edited, an id moved, and released as 2.4."""
    project = make_project(tmp_path_factory.mktemp("versions"))
    assert (
        run_cli(
            "release", "--root", str(project), "zkusebni", "2.3", "--date", "2026-10-01"
        ).exit_code
        == 0
    )
    chapter = project / METHODOLOGY / "uvod.md"
    _edit(chapter, "## Kde pracujeme {#zk-kde}", "## Kde a s kým pracujeme {#zk-misto}")
    _edit(chapter, "Pracovník působí v obci", "Pracovník nebo pracovnice působí v obci")
    _edit(
        project / METHODOLOGY / "metodika.yml",
        "changelog:",
        "moved_ids:\n  zk-kde: zk-misto\nchangelog:",
    )
    result = run_cli(
        "release", "--root", str(project), "zkusebni", "2.4", "--date", "2026-11-20",
        "--change", "Oddíl o místě práce rozšířen o spolupracující osoby.",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    build = run_cli("build", "--root", str(project))
    assert build.exit_code == 0, build.output
    return project


def test_editing_a_released_file_fails_check_naming_the_file(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    assert run_cli("release", "--root", str(project), "zkusebni", "2.3").exit_code == 0
    frozen = project / METHODOLOGY / "vydani" / "2.3" / "postup.md"
    frozen.write_text(frozen.read_text(encoding="utf-8") + "\nDodatek.\n", encoding="utf-8")
    result = run_cli("check", "--root", str(project))
    assert result.exit_code == 1
    assert (
        f"{METHODOLOGY}/vydani/2.3/postup.md:1:1: soubor vydané verze 2.3 byl po vydání změněn"
        in result.output
    )


def test_release_refuses_a_version_that_is_not_higher(two_versions: Path) -> None:
    result = run_cli("release", "--root", str(two_versions), "zkusebni", "2.4", "--change", "Nic.")
    assert result.exit_code == 1
    assert "verze 2.4 není vyšší než poslední vydaná verze 2.4" in result.output
    result = run_cli("release", "--root", str(two_versions), "zkusebni", "1.9", "--change", "Nic.")
    assert "není vyšší než poslední vydaná verze 2.4" in result.output


def test_release_refuses_an_invalid_methodology(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    _edit(project / METHODOLOGY / "uvod.md", "{#zk-kde}", "")
    result = run_cli("release", "--root", str(project), "zkusebni", "2.3")
    assert result.exit_code == 1
    assert "nadpis „Kde pracujeme“ nemá id" in result.output
    assert not (project / METHODOLOGY / "vydani").exists()


def test_a_released_id_cannot_silently_disappear(two_versions: Path, tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    assert run_cli("release", "--root", str(project), "zkusebni", "2.3").exit_code == 0
    _edit(
        project / METHODOLOGY / "postup.md", "## Kroky {#zk-kroky}", "## Kroky {#zk-postup-kroky}"
    )
    result = run_cli("check", "--root", str(project))
    assert result.exit_code == 1
    assert "id „zk-kroky“ vydané verze 2.3 zmizelo" in result.output


def test_old_version_pages_exist_with_banner_and_switcher(two_versions: Path) -> None:
    page = (two_versions / "site" / "zkusebni" / "2.3" / "uvod" / "index.html").read_text(
        encoding="utf-8"
    )
    banner = _text(re.search(r'<div class="mk-old-version".*?</div>', page, re.S).group(0))
    assert banner == (
        "Čtete starší verzi 2.3 platnou od 1. 10. 2026 — aktuální je verze 2.4. "
        "Starší verze už neplatí: pro citaci ji ponecháváme, v praxi se řiďte aktuální verzí."
    )
    assert 'href="../../../zkusebni/uvod/">verze 2.4' in page  # same chapter in the current version
    assert '<strong aria-current="page">verze 2.3</strong>' in page
    current = (two_versions / "site" / "zkusebni" / "uvod" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "mk-old-version" not in current
    assert 'href="../../zkusebni/2.3/uvod/">verze 2.3</a>' in current


def test_sections_are_numbered_per_version(two_versions: Path) -> None:
    old = _read(two_versions / "site" / "zkusebni" / "2.3" / "uvod" / "index.html")
    new = _read(two_versions / "site" / "zkusebni" / "uvod" / "index.html")
    assert re.search(r'<h2 id="zk-kde">1\.1 Kde pracujeme', old)
    assert re.search(r'<h2 id="zk-misto">1\.1 Kde a s kým pracujeme', new)


def test_changes_page_lists_the_changed_section_with_word_changes(two_versions: Path) -> None:
    html = _read(two_versions / "site" / "zkusebni" / "zmeny" / "index.html")
    html = html[html.index("<article") : html.index("</article>")]
    assert "Verze 2.3 → 2.4" in html
    assert "Oddíl o místě práce rozšířen o spolupracující osoby." in html
    changed = html[html.index("Změněné oddíly") :]
    assert "<ins>nebo pracovnice</ins>" in changed
    assert "<ins>a s kým</ins>" in changed
    moved = html[html.index("Přesunuté oddíly") : html.index("Změněné oddíly")]
    assert "zk-misto" in moved and "zk-kde" in moved


def test_every_permalink_resolves_to_a_page_with_the_anchor(two_versions: Path) -> None:
    site = two_versions / "site"
    ids = {
        "2.3": ["zk-uvod", "zk-kde", "zk-postup", "zk-kroky"],
        "2.4": ["zk-uvod", "zk-misto", "zk-postup", "zk-kroky"],
    }
    for version, section_ids in ids.items():
        for section_id in section_ids:
            _assert_permalink(
                site, f"odkaz/{section_id}/{version}/", section_id, f"zkusebni/{version}/"
            )
    _assert_permalink(
        site, "odkaz/zk-kde/", "zk-misto", "zkusebni/uvod/"
    )  # the moved id follows its move
    _assert_permalink(site, "odkaz/zk-kroky/", "zk-kroky", "zkusebni/postup/")


def test_real_site_permalinks_resolve_for_every_released_id(real_site: Path, knowledge) -> None:
    checked = 0
    for methodology in knowledge.methodologies:
        for version, edition in methodology.editions.items():
            for section_id in edition.section_ids:
                _assert_permalink(
                    real_site, f"odkaz/{section_id}/{version}/", section_id, f"/{version}/"
                )
                _assert_permalink(real_site, f"odkaz/{section_id}/", section_id, methodology.slug)
                checked += 1
    assert checked > 300


def test_citation_names_version_section_and_permanent_url(two_versions: Path) -> None:
    html = (two_versions / "site" / "zkusebni" / "2.3" / "uvod" / "index.html").read_text(
        encoding="utf-8"
    )
    citations = re.findall(r'data-citation="([^"]*)"', html)
    kde = next(c for c in citations if "Kde pracujeme" in c)
    assert kde == (
        "TESTOVACÍ TÝM. Zkušební metodika [online]. Verze 2.3. B.m.: Metodiky sociální práce, "
        "2026 [cit.\u00a0RRRR-MM-DD]. Oddíl 1.1, Kde pracujeme. "
        f"Dostupné z:\u00a0{SITE_URL}odkaz/zk-kde/2.3/"
    )


def test_each_released_version_has_its_own_pdf_with_qr_codes_to_its_permalinks(
    two_versions: Path,
) -> None:
    """Chapters and tools carry their permanent link of this version, the cover the version."""
    site = two_versions / "site"
    assert (site / "prirucka.pdf").is_file()
    pdf = pypdfium2.PdfDocument(site / "zkusebni-2.3.pdf")
    decoded = set()
    for page in pdf:
        image = page.render(scale=3).to_pil()
        decoded.update(result.text for result in zxingcpp.read_barcodes(image))
    assert decoded == {
        f"{SITE_URL}zkusebni/2.3/",
        f"{SITE_URL}odkaz/zk-uvod/2.3/",
        f"{SITE_URL}odkaz/zk-postup/2.3/",
        f"{SITE_URL}odkaz/zk-prvni-navsteva/2.3/",
        f"{SITE_URL}odkaz/zk-ohrozeni/2.3/",
    }
    for url in decoded:  # each leads to a page of the built site
        assert (site / url.removeprefix(SITE_URL) / "index.html").is_file(), url
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert "Verze 2.3" in text and "Citace:" in text


def _assert_permalink(site: Path, path: str, anchor: str, expected_in_target: str) -> None:
    redirect = site / path / "index.html"
    assert redirect.is_file(), f"no permalink page {path}"
    href = re.search(
        r'http-equiv="refresh" content="0; url=([^"]+)"', redirect.read_text(encoding="utf-8")
    ).group(1)
    target, _, fragment = href.partition("#")
    resolved = posixpath.normpath(posixpath.join(path, target))
    assert expected_in_target in resolved + "/", f"{path} → {resolved}"
    page = site / resolved / "index.html"
    assert page.is_file(), f"{path} → {resolved} does not exist"
    html = page.read_text(encoding="utf-8")
    assert f'id="{fragment or anchor}"' in html, f"{path} → {resolved} has no anchor {anchor}"


def _text(html: str) -> str:
    plain = " ".join(re.sub(r"<[^>]+>", " ", html).replace("\u00a0", " ").split())
    return re.sub(r" ([.,])", r"\1", plain)


def _read(path: Path) -> str:
    """Page HTML with no-break spaces as plain spaces (Czech typography adds them everywhere)."""
    return path.read_text(encoding="utf-8").replace("\u00a0", " ")
