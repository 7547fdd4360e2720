"""Every broken file in `tests/broken/` is reported by `metodiky check` at the exact position.

Each case is a folder `tests/broken/<case>/` holding files laid over the mini fixture project
(same relative paths) and `expected.txt` with the one line `path:line:column: message` that
`check` must print. A line `path:line:column: varování: message` is a warning: `check` prints it
and still succeeds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import make_project, run_cli

BROKEN = Path(__file__).resolve().parent / "broken"
CASES = sorted(path for path in BROKEN.iterdir() if path.is_dir())


def test_corpus_is_complete() -> None:
    assert len(CASES) >= 30
    for case in CASES:
        assert (case / "expected.txt").is_file(), case.name
        assert len([p for p in case.rglob("*") if p.is_file()]) >= 2, case.name


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_broken_file_is_reported_precisely(case: Path, tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    for source in case.rglob("*"):
        if source.is_file() and source.name != "expected.txt":
            target = project / source.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    expected = (case / "expected.txt").read_text(encoding="utf-8").strip("\n")

    result = run_cli("check", "--root", str(project))

    warning = ": varování: " in expected
    assert result.exit_code == (0 if warning else 1), result.output
    assert expected in result.output.splitlines(), result.output
    assert "Traceback" not in result.output
