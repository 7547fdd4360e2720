"""Pages speak a tiny macro language: known macros with text arguments, raw blocks, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_project, run_cli
from metodiky.errors import ContentErrors
from metodiky.macros import expand_macros

CHAPTER = "methodology/zkusebni/uvod.md"
FUNCTIONS = {"checklist": lambda tool_id: f"<{tool_id}>", "term": lambda t, text=None: text or t}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "project")


def _plant(project: Path, text: str) -> None:
    path = project / CHAPTER
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(3, text)  # becomes line 4
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    "payload",
    [
        "{{ 7 * 7 }}",
        "{{ config.site_url }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        '{% include "/etc/passwd" %}',
        "{% for x in range(10) %}x{% endfor %}",
        '{{ checklist("zk-prvni-navsteva") | safe }}',
    ],
)
def test_template_code_in_a_chapter_is_an_error_not_executed(project: Path, payload: str) -> None:
    _plant(project, payload)

    checked = run_cli("check", "--root", str(project))
    built = run_cli("build", "--root", str(project))

    assert checked.exit_code == 1
    first_tag = payload[: payload.index("%}") + 2] if payload.startswith("{%") else payload
    shown = first_tag if len(first_tag) <= 40 else first_tag[:37] + "…"
    expected = (
        f"{CHAPTER}:4:1: nepovolená šablona „{shown}“: v textu smí být jen volání maker "
        '(například {{ checklist("id") }}) a bloky {% raw %}…{% endraw %}'
    )
    assert expected in checked.output.splitlines()
    assert built.exit_code == 1
    assert not (project / "site").exists()


def test_unknown_macro_and_wrong_arguments_are_reported_by_check(project: Path) -> None:
    _plant(project, '{{ vykonej("rm") }} a {{ checklist() }}')

    result = run_cli("check", "--root", str(project))

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.startswith(f"{CHAPTER}:4:1: neznámé makro „vykonej“") for line in lines)
    assert f"{CHAPTER}:4:23: makro „checklist“ potřebuje 1 argument(y), dostalo 0" in lines


def test_raw_blocks_and_comments_stay_text() -> None:
    source = 'A {{ checklist("x") }} {% raw %}{{ checklist("y") }}{% endraw %}{## poznámka ##} B'
    assert expand_macros(source, "p.md", FUNCTIONS) == 'A <x> {{ checklist("y") }} B'


def test_a_macro_in_yaml_text_is_shown_as_text(project: Path) -> None:
    path = project / "methodology/zkusebni/checklists/zk-prvni-navsteva.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: První návštěva", "title: Návštěva {{ 7 * 7 }}"), "utf-8")

    result = run_cli("build", "--root", str(project))

    assert result.exit_code == 0, result.output
    page = (project / "site" / "zkusebni" / "uvod" / "index.html").read_text(encoding="utf-8")
    assert "Návštěva {{ 7 * 7 }}" in page
    assert "Návštěva 49" not in page


def test_an_unclosed_raw_block_points_at_its_line() -> None:
    with pytest.raises(ContentErrors) as caught:
        expand_macros("a\n{% raw %}\nb", "p.md", FUNCTIONS)
    assert caught.value.errors[0].format() == "p.md:2:1: blok {% raw %} nemá {% endraw %}"
