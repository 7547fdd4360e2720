"""Text from YAML never becomes markup: scripts and event handlers appear as text on the site."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import make_project, run_cli

ATTACKS = [
    "<script>alert('x')</script>",
    '<img src="x" onerror="alert(1)">',
    "[klikni](javascript:alert(1))",
    '" onmouseover="alert(1)',
]
CHECKLIST = "methodology/zkusebni/checklists/zk-prvni-navsteva.yml"
TREE = "methodology/zkusebni/trees/zk-ohrozeni.yml"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile"))
    payload = " ".join(ATTACKS).replace("'", "''")
    checklist = project / CHECKLIST
    text = checklist.read_text(encoding="utf-8")
    text = text.replace("title: První návštěva", f"title: '{payload}'")
    text = text.replace("hint: Řekněte to i kolegovi.", f"hint: '{payload}'")
    checklist.write_text(text, encoding="utf-8")
    tree = project / TREE
    text = tree.read_text(encoding="utf-8")
    text = text.replace(
        "label: Ano\n        next: volat", f"label: '{payload}'\n        next: volat"
    )
    text = text.replace("outcome: Nechte kontakt", f"outcome: '{payload}'")
    text = text.replace("  - Bezpečí má vždy přednost.", f"  - '{payload}'")
    tree.write_text(text, encoding="utf-8")
    result = run_cli("build", "--root", str(project))
    assert result.exit_code == 0, result.output
    return project / "site"


@pytest.mark.parametrize("page", ["zkusebni/uvod/index.html", "zkusebni/postup/index.html"])
def test_yaml_markup_is_shown_as_text(hostile_site: Path, page: str) -> None:
    html = (hostile_site / page).read_text(encoding="utf-8")
    article = html.split("<article", 1)[1].split("</article>", 1)[0]
    assert "alert(" in article, "the payload should be visible as text"
    assert not re.search(r"<script\b[^>]*>[^<]*alert", article)
    assert not re.search(r"<[^>]+\son\w+\s*=", article), "an event handler attribute got through"
    assert "javascript:" not in " ".join(re.findall(r'href="([^"]*)"', article))
    assert "&lt;script&gt;" in article
