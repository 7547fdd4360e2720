"""`metodiky check` reports broken manifests with file:line and the field, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_project, run_cli

MANIFEST = "methodology/zkusebni/metodika.yml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def _check_with_manifest(project: Path, old: str, new: str):
    manifest = project / MANIFEST
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new, 1), encoding="utf-8")
    return run_cli("check", "--root", str(project))


def test_valid_fixture_passes(project: Path) -> None:
    result = run_cli("check", "--root", str(project))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 1 metodika, 2 kapitoly")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "title: Zkušební metodika\n",
            "",
            f"{MANIFEST}:2:1: chybí povinné pole „title“",
        ),
        (
            'version: "2.3"',
            'version: "2"',
            f'{MANIFEST}:5:1: pole „version“ musí mít tvar X.Y, například „"1.0"“; zadáno „2“',
        ),
        (
            'version: "2.3"',
            "version: 2.3",
            f'{MANIFEST}:5:1: pole „version“ musí být text; hodnotu napište do uvozovek, například „"2.3"“',
        ),
        (
            "short_title: Zkušební",
            "short_title: Zkušební\ntitel: Navíc",
            f"{MANIFEST}:4:1: neznámý klíč „titel“ (myslíte „title“?)",
        ),
        (
            "status: koncept",
            "status: hotovo",
            f"{MANIFEST}:6:1: pole „status“ musí být „koncept“ nebo „platná“",
        ),
        (
            "approved: 2026-10-01",
            "approved: zítra",
            f"{MANIFEST}:7:1: pole „approved“ musí být datum ve tvaru RRRR-MM-DD",
        ),
        (
            "  - postup.md",
            "  - chybi.md",
            f"{MANIFEST}:16:5: soubor kapitoly „chybi.md“ neexistuje",
        ),
        (
            "summary: >-\n  Malá metodika pro testy sestavení webu a příručky.",
            'summary: ""',
            f"{MANIFEST}:10:1: pole „summary“ nesmí být prázdné",
        ),
        (
            "code: ZK",
            "code: ZK\ncode: XY",
            f"{MANIFEST}:5:1: duplicitní klíč „code“ (poprvé na řádku 4)",
        ),
    ],
)
def test_broken_manifest_is_reported_precisely(
    project: Path, old: str, new: str, expected: str
) -> None:
    result = _check_with_manifest(project, old, new)
    assert result.exit_code == 1
    assert expected in result.output.splitlines()
    assert "Traceback" not in result.output


def test_all_problems_are_reported_in_one_run(project: Path) -> None:
    manifest = project / MANIFEST
    text = manifest.read_text(encoding="utf-8").replace('version: "2.3"', 'version: "x"', 1)
    manifest.write_text(text.replace("title: Zkušební metodika\n", ""), encoding="utf-8")
    result = run_cli("check", "--root", str(project))
    assert result.exit_code == 1
    assert "chybí povinné pole „title“" in result.output
    assert "pole „version“ musí mít tvar X.Y" in result.output
    assert "Nalezeno problémů: 2." in result.output


def test_build_with_broken_content_fails_cleanly_and_keeps_the_old_site(project: Path) -> None:
    assert run_cli("build", "--root", str(project)).exit_code == 0
    index = project / "site" / "index.html"
    before = index.read_bytes()
    result = _check_with_manifest(project, 'version: "2.3"', 'version: "2"')
    result = run_cli("build", "--root", str(project))
    assert result.exit_code == 1
    assert "metodika.yml:5:1: pole „version“" in result.output
    assert "Traceback" not in result.output
    assert index.read_bytes() == before
    assert not list(project.glob(".site-*"))
