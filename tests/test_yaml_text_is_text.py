"""Text from YAML is shown as text wherever the site prints it: no live markup, no script."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from conftest import make_project, run_cli

PAYLOAD = '<script>alert(1)</script><img src=x onerror=alert(2)> [odkaz](javascript:alert(3)) "'
# Markup a browser would run: tags and handlers from the payload, outside the inert <title>.
LIVE = re.compile(r'<script>alert|<img src=x|href="javascript:|onerror=alert\(2\)"')


def _plant(project: Path) -> None:
    manifest = project / "methodology/zkusebni/metodika.yml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    for field in ("title", "short_title", "summary"):
        data[field] = f"{data[field]} {PAYLOAD}"
    data["authors"].append(PAYLOAD)
    data["changelog"][0]["changes"].append(PAYLOAD)
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    glossary = project / "glossary/spolecne.yml"
    entries = yaml.safe_load(glossary.read_text(encoding="utf-8"))
    entries[0]["definition"] = f"Věk < 15 let. {PAYLOAD}"
    entries[0]["synonyms"] = [PAYLOAD]
    entries[0]["legal_basis"] = PAYLOAD
    glossary.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), "utf-8")
    for tool in ("checklists/zk-prvni-navsteva.yml", "trees/zk-ohrozeni.yml"):
        path = project / "methodology/zkusebni" / tool
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["title"] = f"{data['title']} {PAYLOAD}"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def test_markup_in_yaml_fields_is_never_live_on_the_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    _plant(project)

    result = run_cli("build", "--root", str(project))

    assert result.exit_code == 0, result.output
    site = project / "site"
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".xml", ".json"):
            text = re.sub(r"<title>.*?</title>", "", path.read_text(encoding="utf-8"), flags=re.S)
            live = LIVE.search(text)
            assert live is None, f"{path.relative_to(site)}: {text[live.start() - 80 : live.end()]}"
    glossary = (site / "slovnik" / "index.html").read_text(encoding="utf-8")
    assert "Věk &lt; 15 let." in glossary
