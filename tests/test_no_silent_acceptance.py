"""Nothing is accepted silently: unread files, raw-HTML links and clashing ids are reported.

The broken corpus (`tests/broken/`) holds one case per message; these tests cover what it cannot:
files that must stay accepted, links that must work on the built site, and the tool anchors
`check` predicts without rendering.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import make_project, run_cli
from metodiky.render.site_tools import render_checklist_html, render_tree_html, tool_anchor_ids
from metodiky.site_build import resolve_raw_page_links

UVOD = Path("methodology/zkusebni/uvod.md")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def _append(project: Path, relative: Path, text: str) -> None:
    path = project / relative
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_hidden_files_static_assets_and_frozen_copies_stay_accepted(project: Path) -> None:
    files = [
        "methodology/.gitkeep",
        "methodology/zkusebni/.DS_Store",
        "methodology/zkusebni/checklists/.gitkeep",
        "methodology/zkusebni/vydani/9.9/poznamky.txt",  # guarded by the release hashes instead
        "glossary/.gitkeep",
        "docs/obrazky/logo.png",
        "docs/ke-stazeni/letak.pdf",
        "docs/nastroje/.gitkeep",
        "docs/.obsah-editoru/stranka.markdown",
    ]
    for name in files:
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes(b"x")

    result = run_cli("check", "--root", str(project))

    assert result.exit_code == 0, result.output


def test_every_unread_file_is_reported_at_once(project: Path) -> None:
    (project / "methodology/zkusebni/zaver.md").write_text("# Závěr {#zk-zaver}\n", "utf-8")
    (project / "glossary/dalsi.yaml").write_text("[]\n", "utf-8")
    (project / "methodology/zkusebni/checklists/zk-x.yaml").write_text("{}\n", "utf-8")

    result = run_cli("check", "--root", str(project))

    assert result.exit_code == 1
    reported = {line.split(":")[0] for line in result.output.splitlines() if ":1:1: " in line}
    assert reported == {
        "methodology/zkusebni/zaver.md",
        "glossary/dalsi.yaml",
        "methodology/zkusebni/checklists/zk-x.yaml",
    }


def test_stray_files_are_reported_even_when_the_manifest_is_broken(project: Path) -> None:
    (project / "methodology/zkusebni/metodika.yml").rename(
        project / "methodology/zkusebni/metodika.yaml"
    )

    result = run_cli("check", "--root", str(project))

    lines = result.output.splitlines()
    assert "methodology/zkusebni:1:1: ve složce metodiky chybí metodika.yml" in lines
    assert any(line.startswith("methodology/zkusebni/metodika.yaml:1:1: ") for line in lines)


def test_a_raw_html_link_and_anchor_are_checked_and_work_on_the_site(
    project: Path, tmp_path: Path
) -> None:
    _append(
        project,
        UVOD,
        '\nViz <a href="postup.md#zk-kroky" title="Kroky">kroky</a>, '
        '<a href="../index.md">úvod webu</a> a <a href="https://example.org/">web</a>.\n\n'
        '<div class="mk-poznamka" markdown>\n<span id="zk-poznamka">Poznámka</span> '
        '<a href="#zk-poznamka">zde</a>\n</div>\n\n'
        "Zpět na [poznámku](#zk-poznamka).\n",
    )
    assert run_cli("check", "--root", str(project)).exit_code == 0

    site = tmp_path / "site"
    result = run_cli("build", "--root", str(project), "--site-dir", str(site))

    assert result.exit_code == 0, result.output
    page = (site / "zkusebni/uvod/index.html").read_text(encoding="utf-8")
    assert '<a href="../postup/#zk-kroky" title="Kroky">kroky</a>' in page
    assert '<a href="../../">úvod webu</a>' in page
    assert '<a href="https://example.org/">web</a>' in page
    assert '<a href="#zk-poznamka">zde</a>' in page
    assert ".md" not in " ".join(re.findall(r'href="([^"]*)"', page))


@pytest.mark.parametrize(
    "href",
    [
        "JaVaScRiPt:alert(1)",
        "java&#x09;script:alert(1)",
        "&#106;avascript:alert(1)",
        "javascript&colon;alert(1)",
        " data:text/html,x",
        "vbscript:x",
        "file:///etc/passwd",
    ],
)
def test_a_raw_html_link_cannot_smuggle_a_script(project: Path, href: str) -> None:
    _append(project, UVOD, f'\n<a href="{href}">odkaz</a>\n')

    result = run_cli("check", "--root", str(project))

    assert result.exit_code == 1
    assert "nepovolená adresa v atributu „href“ u prvku „<a>“" in result.output


@pytest.mark.parametrize("href", ["tel:155", "http://example.org", "https://example.org/a.md#x"])
def test_a_raw_html_link_may_leave_the_site(project: Path, href: str) -> None:
    _append(project, UVOD, f'\n<a href="{href}">odkaz</a>\n')

    assert run_cli("check", "--root", str(project)).exit_code == 0


def test_raw_links_of_a_released_version_leave_it_one_folder_further_up() -> None:
    pages = {"zkusebni/1.0/postup.md": "../postup/", "index.md": "../../../"}
    html = (
        '<p><a href="postup.md#zk-kroky">a</a> <a class="x" href=\'../index.md\'>b</a> '
        '<a href="https://example.org/a.md">c</a> <a href="chybi.md">d</a> '
        '<a href="../postup/">e</a> <a title="1 > 0"\nhref="postup.md">f</a></p>'
    )

    resolved = resolve_raw_page_links(html, "zkusebni/1.0/uvod.md", pages.get, rebase=True)

    assert resolved == (
        '<p><a href="../postup/#zk-kroky">a</a> <a class="x" href=\'../../../\'>b</a> '
        '<a href="https://example.org/a.md">c</a> <a href="chybi.md">d</a> '
        '<a href="../postup/">e</a> <a title="1 > 0"\nhref="../postup/">f</a></p>'
    )


def test_tool_anchors_known_to_check_are_the_ids_the_site_renders(knowledge) -> None:
    def nowhere(kind: str, target: str) -> None:
        return None

    for checklist in knowledge.all_checklists():
        rendered = re.findall(r'\bid="([^"]+)"', render_checklist_html(checklist, "1", nowhere))
        assert sorted(tool_anchor_ids(checklist)) == sorted(rendered), checklist.id
    for tree in knowledge.all_trees():
        rendered = re.findall(r'\bid="([^"]+)"', render_tree_html(tree, nowhere))
        assert sorted(tool_anchor_ids(tree)) == sorted(rendered), tree.id
