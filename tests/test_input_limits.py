"""Oversized, over-deep and oddly encoded files get one clear error; BOM and CRLF are simply accepted."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import make_project, run_cli
from metodiky.knowledge import load_knowledge_base
from metodiky.load import MAX_DEPTH, MAX_FILE_BYTES
from metodiky.model import MAX_TREE_NODES
from metodiky.render.diagram import render_tree_svg
from metodiky.render.pdf_tools import render_tree_markdown
from metodiky.render.site_tools import render_tree_html

CHAPTER = "methodology/zkusebni/uvod.md"
CHECKLIST = "methodology/zkusebni/checklists/zk-prvni-navsteva.yml"
TREE = "methodology/zkusebni/trees/zk-ohrozeni.yml"
GLOSSARY = "glossary/spolecne.yml"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


# PyYAML built without libyaml (some platforms, some installs) has only its pure-Python loader.
WITHOUT_LIBYAML = "import yaml; del yaml.CSafeLoader; "


def check_in_subprocess(project: Path, prelude: str = "") -> subprocess.CompletedProcess:
    """Run `metodiky check` in its own process: a crash or hang must not take the test run down."""
    command = [sys.executable, "-c", prelude + "from metodiky.cli import main; main()", "check"]
    return subprocess.run(
        [*command, "--root", str(project)], capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize("relative", [CHAPTER, GLOSSARY])
def test_enormous_file_is_refused(project: Path, relative: str) -> None:
    path = project / relative
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "# výplň\n" * (MAX_FILE_BYTES // 8), encoding="utf-8")

    result = run_cli("check", "--root", str(project))

    assert result.exit_code == 1
    assert f"{relative}:1:1: soubor je větší než 2048 KiB" in result.output.splitlines()


@pytest.mark.parametrize("prelude", ["", WITHOUT_LIBYAML], ids=["libyaml", "pure-python"])
@pytest.mark.parametrize("levels", [MAX_DEPTH + 10, 1_000, 100_000])
def test_deep_nesting_is_refused_at_the_level_too_deep(
    project: Path, levels: int, prelude: str
) -> None:
    # 100 000 levels used to overflow libyaml's C stack and kill the process without a word;
    # libyaml 0.2.5 in PyYAML 6.0.4 stops at its own limit, which used to end in a RecursionError.
    path = project / CHECKLIST
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("title: První návštěva", "title: " + "[" * levels + "]" * levels),
        encoding="utf-8",
    )

    result = check_in_subprocess(project, prelude)

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    column = len("title: ") + MAX_DEPTH + 1  # the first list inside the limit is level 1
    assert f"{CHECKLIST}:3:{column}: vnoření hlubší než 40 úrovní" in result.stderr.splitlines()


def test_alias_bomb_is_refused_instead_of_expanded(project: Path) -> None:
    # Nine levels of nine aliases would expand to 387 million strings.
    lines = ['- id: smich\n  term: smích\n  definition: x\n  forms: &a0 ["ha", "ha", "ha"]']
    lines += [f"  x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    (project / GLOSSARY).write_text("\n".join(lines) + "\n", encoding="utf-8")

    result = check_in_subprocess(project)

    assert result.returncode == 1, result.stderr
    message = "alias YAML nesmí opakovat seznam ani mapování; vypište hodnoty celé"
    assert f"{GLOSSARY}:4:10: {message}" in result.stderr.splitlines()


def chain_tree(questions: int) -> dict:
    """A tree as deep as it is long: every question leads one step further or to the end."""
    nodes = {
        f"krok-{i}": {
            "question": f"Platí podmínka číslo {i}?",
            "options": [
                {"label": "Ano", "next": f"krok-{i + 1}" if i + 1 < questions else "konec"},
                {"label": "Ne", "next": "konec"},
            ],
        }
        for i in range(questions)
    }
    nodes["konec"] = {"outcome": "Hotovo", "text": "Postup končí."}
    return {
        "id": "zk-ohrozeni",
        "title": "Dlouhý strom",
        "situation": "Situace s mnoha kroky.",
        "start": "krok-0",
        "nodes": nodes,
    }


def test_tree_at_the_size_limit_is_checked_and_rendered(project: Path) -> None:
    tree_data = chain_tree(MAX_TREE_NODES - 1)
    (project / TREE).write_text(yaml.safe_dump(tree_data, allow_unicode=True), encoding="utf-8")

    knowledge = load_knowledge_base(project)

    tree = knowledge.all_trees()[0]
    assert len(tree.nodes) == MAX_TREE_NODES
    html = render_tree_html(tree, lambda kind, target: None)
    assert html.count('class="mk-tree__question"') == MAX_TREE_NODES - 1
    assert render_tree_svg(tree).count("<rect") == MAX_TREE_NODES
    steps = re.findall(r"^(\d+)\. ", render_tree_markdown(tree, {}), re.M)
    assert [int(step) for step in steps] == list(range(1, MAX_TREE_NODES + 1))


def test_tree_over_the_size_limit_is_refused(project: Path) -> None:
    tree_data = chain_tree(MAX_TREE_NODES)
    dumped = yaml.safe_dump(tree_data, allow_unicode=True, sort_keys=False)
    (project / TREE).write_text(dumped, encoding="utf-8")

    result = run_cli("check", "--root", str(project))

    assert result.exit_code == 1
    expected = f"{TREE}:5:1: pole „nodes“ smí mít nejvýš 200 položek"
    assert expected in result.output.splitlines(), result.output


@pytest.mark.parametrize(("encoding", "line"), [("cp1250", 3), ("utf-16", 1), ("latin-1", 3)])
def test_file_not_in_utf8_is_refused_at_its_first_bad_line(
    project: Path, encoding: str, line: int
) -> None:
    path = project / CHAPTER
    text = path.read_text(encoding="utf-8")
    text = text.replace("# Úvod do zkušební práce", "# Uvod do zkusebni prace")  # line 3 is Czech
    path.write_bytes(text.encode(encoding, errors="replace"))

    result = run_cli("check", "--root", str(project))

    assert result.exit_code == 1
    assert (
        f"{CHAPTER}:{line}:1: soubor není platný text v kódování UTF-8"
        in result.output.splitlines()
    )


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["windows", "old-mac"])
def test_bom_and_other_line_endings_are_normalised(project: Path, newline: str) -> None:
    expected = load_knowledge_base(project).methodologies[0].chapters[0]
    for relative in (CHAPTER, CHECKLIST):
        path = project / relative
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", newline).encode("utf-8"))

    chapter = load_knowledge_base(project).methodologies[0].chapters[0]

    assert chapter.markdown == expected.markdown
    assert chapter.headings == expected.headings
    assert chapter.title == "Úvod do zkušební práce" and chapter.id == "zk-uvod"


def test_positions_are_right_in_a_file_with_bom_and_crlf(project: Path) -> None:
    chapter = project / CHAPTER
    text = chapter.read_text(encoding="utf-8").replace(
        "## Kde pracujeme {#zk-kde}", "## Kde pracujeme"
    )
    chapter.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    checklist = project / CHECKLIST
    text = checklist.read_text(encoding="utf-8").replace("purpose:", "ucel: x\npurpose:")
    checklist.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))

    result = run_cli("check", "--root", str(project))

    lines = result.output.splitlines()
    assert f"{CHAPTER}:6:1: nadpis „Kde pracujeme“ nemá id" in [
        line.split(" (")[0] for line in lines
    ]
    assert any(line.startswith(f"{CHECKLIST}:4:1: neznámý klíč „ucel“") for line in lines), lines


def test_site_builds_from_files_with_bom_and_crlf(project: Path) -> None:
    for relative in (CHAPTER, CHECKLIST):
        path = project / relative
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))

    result = run_cli("build", "--root", str(project))

    assert result.exit_code == 0, result.output
    html = (project / "site" / "zkusebni" / "uvod" / "index.html").read_text(encoding="utf-8")
    assert 'id="zk-uvod"' in html and 'id="zk-kde"' in html and "\ufeff" not in html
    assert html.count("data-item=") == 2


@pytest.mark.parametrize("prelude", ["", WITHOUT_LIBYAML], ids=["libyaml", "pure-python"])
def test_a_control_character_is_one_clear_error_with_either_parser(
    project: Path, prelude: str
) -> None:
    path = project / GLOSSARY
    path.write_text(path.read_text(encoding="utf-8") + "# konec\x00\n", encoding="utf-8")

    result = check_in_subprocess(project, prelude)

    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{GLOSSARY}:1:1: neplatný YAML:" in result.stderr


def test_repeated_text_aliases_are_refused_instead_of_expanded(project: Path) -> None:
    # 400 aliases of a 10 000-character text would print 4 MB into every page that shows it.
    text = "x" * 10_000
    aliases = ", ".join(["*a"] * 400)
    (project / GLOSSARY).write_text(
        f'- id: dlouhy\n  term: dlouhý\n  definition: &a "{text}"\n  forms: [{aliases}]\n',
        encoding="utf-8",
    )

    result = check_in_subprocess(project)

    assert result.returncode == 1, result.stderr
    message = "aliasy YAML opakují příliš mnoho textu; vypište hodnoty celé"
    assert f"{GLOSSARY}:3:15: {message}" in result.stderr.splitlines()
