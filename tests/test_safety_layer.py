"""The safety layer: legal citations checked and linked, safety topics mapped, trees that ask
first, and review records that show on the page and gate a release."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO, make_project, run_cli
from metodiky.knowledge import load_knowledge_base
from metodiky.legal import LawRegistry, link_citations_in_html, link_citations_in_markdown
from metodiky.model import Law

METHODOLOGY = Path("methodology") / "zkusebni"
LAWS = [
    Law.model_validate(entry)
    for entry in yaml.safe_load((REPO / "registry" / "zakony.yml").read_text(encoding="utf-8"))
]
REGISTRY = LawRegistry(LAWS)


def _problems(line: str) -> list[str]:
    return [message for _, message in REGISTRY.scan_line(line).problems]


def _cited(line: str) -> list[tuple[str, str]]:
    return [(c.law.designation, c.paragraph) for c in REGISTRY.scan_line(line).citations]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Podle § 100 zákona č. 108/2006 Sb. platí mlčenlivost.", [("108/2006 Sb.", "§ 100")]),
        ("Oznámení ukládá § 10 odst. 4 z. 359/1999 Sb.", [("359/1999 Sb.", "§ 10")]),
        (
            "Trestné je to podle § 367 a § 368 TZ.",
            [("40/2009 Sb.", "§ 367"), ("40/2009 Sb.", "§ 368")],
        ),
        ("Viz § 150 trestního zákoníku.", [("40/2009 Sb.", "§ 150")]),
        ("Zákon č. 89/2012 Sb., občanský zákoník, v § 867 říká…", [("89/2012 Sb.", "§ 867")]),
        ("Zákon č. 110/2019 Sb. upravuje osobní údaje.", [("110/2019 Sb.", "")]),
    ],
)
def test_citations_are_recognised_with_their_law_and_paragraph(line: str, expected: list) -> None:
    assert _problems(line) == []
    assert _cited(line) == expected


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "Podle zákona č. 123/2005 Sb. se postupuje…",
            "předpis č. 123/2005 Sb. není v rejstříku registry/zakony.yml: "
            "doplňte ho tam (s odkazem na úplné znění), nebo citaci opravte",
        ),
        (
            "Podle zákona č. 108/2006 se postupuje…",
            "neúplná citace předpisu „zákona č. 108/2006“: pište „108/2006 Sb.“ "
            "(bez mezer kolem lomítka, s mezerou před „Sb.“)",
        ),
        (
            "Podle z. 108/2006 Sb mlčenlivost…",
            "neúplná citace předpisu „z. 108/2006 Sb“: pište „108/2006 Sb.“ "
            "(bez mezer kolem lomítka, s mezerou před „Sb.“)",
        ),
        ("Podle §100 zákona č. 108/2006 Sb. …", "za „§“ patří mezera: „§ 100“"),
        (
            "Mlčenlivost upravuje § 100.",
            "u „§ 100“ chybí, ze kterého je předpisu: připojte na stejném řádku "
            "„zákona č. …/… Sb.“ nebo zkratku z rejstříku registry/zakony.yml",
        ),
    ],
)
def test_malformed_or_unknown_citations_are_reported(line: str, message: str) -> None:
    assert message in _problems(line)


@pytest.mark.parametrize(
    "line",
    [
        "Spisová značka 12 C 345/2019 a období 09/2019 – 12/2022.",
        "Rodné číslo 736028/5164 a školní rok 2021/2022.",
        "Volejte 155 nebo 158; v roce 2015 proběhl workshop.",
    ],
)
def test_lookalikes_are_not_citations(line: str) -> None:
    assert REGISTRY.scan_line(line) == REGISTRY.scan_line("")


def test_html_links_laws_in_text_but_not_in_links_code_or_headings() -> None:
    page = (
        "<h2>§ 100 zákona č. 108/2006 Sb.</h2>"
        "<p>Podle § 368 TZ a § 100 zákona č. 108/2006 Sb. platí…</p>"
        '<p><a href="x">zákon č. 108/2006 Sb.</a> <code>108/2006 Sb.</code></p>'
    )

    linked = link_citations_in_html(page, REGISTRY)

    assert linked.count('class="predpis"') == 2
    assert '<a class="predpis" href="https://www.e-sbirka.cz/sb/2009/40"' in linked
    assert ">zákona č. 108/2006 Sb.</a> platí" in linked
    assert linked.startswith("<h2>§ 100 zákona č. 108/2006 Sb.</h2>")
    assert "<code>108/2006 Sb.</code>" in linked


def test_markdown_for_the_pdf_links_laws_in_prose_only() -> None:
    markdown = (
        "# Nadpis se zákonem č. 108/2006 Sb.\n"
        "Podle § 368 trestního zákoníku oznamte…\n"
        "[zákon č. 108/2006 Sb.](https://example.org)\n"
        "```\nzákon č. 108/2006 Sb.\n```\n"
    )

    linked = link_citations_in_markdown(markdown, REGISTRY).split("\n")

    assert linked[0] == "# Nadpis se zákonem č. 108/2006 Sb."
    assert (
        linked[1] == "Podle § 368 [trestního zákoníku](https://www.e-sbirka.cz/sb/2009/40) oznamte…"
    )
    assert linked[2] == "[zákon č. 108/2006 Sb.](https://example.org)"
    assert linked[4] == "zákon č. 108/2006 Sb."


def test_every_registered_law_links_to_its_e_sbirka_text() -> None:
    for law in LAWS:
        assert law.url == f"https://www.e-sbirka.cz/sb/{law.year}/{law.number}"
        assert law.title.split(",")[0].endswith(f"č. {law.designation}")


# A project with one safety topic that its only methodology maps and its tree asks about.
TOPIC = (
    "- id: ohrozeni-zivota\n  title: ohrožení života\n  section: zk-kroky\n  settings: [všechny]\n"
)


@pytest.fixture
def safe_project(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "project")
    (project / "registry" / "bezpecnost.yml").write_text(TOPIC, encoding="utf-8")
    manifest = project / METHODOLOGY / "metodika.yml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace("reviews:", "safety:\n  ohrozeni-zivota: [zk-kroky]\nreviews:"),
        encoding="utf-8",
    )
    tree = project / METHODOLOGY / "trees" / "zk-ohrozeni.yml"
    text = tree.read_text(encoding="utf-8")
    text = text.replace("start: ohrozeni", "safety: [ohrozeni-zivota]\nstart: ohrozeni")
    text = text.replace(
        "      - Zdravotnická záchranná služba\n",
        "      - Zdravotnická záchranná služba\n    links:\n      - section: zk-kroky\n",
    )
    tree.write_text(text, encoding="utf-8")
    return project


def test_a_mapped_topic_and_a_tree_that_asks_first_pass(safe_project: Path) -> None:
    result = run_cli("check", "--root", str(safe_project))
    assert result.exit_code == 0, result.output


def test_a_topic_mapped_to_a_missing_section_fails(safe_project: Path) -> None:
    manifest = safe_project / METHODOLOGY / "metodika.yml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("[zk-kroky]", "[zk-neni]"), encoding="utf-8")

    result = run_cli("check", "--root", str(safe_project))

    assert result.exit_code == 1
    line = next(i for i, t in enumerate(text.split("\n"), 1) if "ohrozeni-zivota:" in t)
    expected = f"methodology/zkusebni/metodika.yml:{line}:21: bezpečnostní téma „ohrozeni-zivota“: oddíl „zk-neni“ neexistuje"
    assert expected in result.output.splitlines()


def test_a_tree_whose_safety_outcome_is_gone_fails(safe_project: Path) -> None:
    tree = safe_project / METHODOLOGY / "trees" / "zk-ohrozeni.yml"
    text = tree.read_text(encoding="utf-8")
    tree.write_text(
        text.replace("      - section: zk-kroky\n", "      - checklist: zk-prvni-navsteva\n"),
        encoding="utf-8",
    )

    result = run_cli("check", "--root", str(safe_project))

    assert result.exit_code == 1
    assert (
        "methodology/zkusebni/trees/zk-ohrozeni.yml:7:10: strom řeší téma „ohrozeni-zivota“, "
        "ale žádný jeho výsledek neodkazuje na společný postup (links: [{section: zk-kroky}])"
    ) in result.output.splitlines()


def test_the_methodology_page_shows_last_and_next_review(mini_project: Path) -> None:
    page = (mini_project / "site" / "zkusebni" / "uvod" / "index.html").read_text(encoding="utf-8")
    facts = re.sub(
        r"<[^>]+>", "", re.search(r'mk-methodology-facts">(.*?)</div>', page, re.S).group(1)
    )
    assert "poslední revize 1.\u00a010.\u00a02026" in facts
    assert "příští revize 1.\u00a010.\u00a02099" in facts


def test_laws_are_linked_on_the_page_and_listed_with_where_they_are_cited(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    chapter = project / METHODOLOGY / "postup.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text.replace(
            "Kapitola popisuje kroky.", "Kapitola popisuje kroky podle § 100 zákona č. 108/2006 Sb."
        ),
        encoding="utf-8",
    )

    result = run_cli("build", "--root", str(project))

    assert result.exit_code == 0, result.output
    page = (project / "site" / "zkusebni" / "postup" / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<a class="predpis" href="https://www.e-sbirka.cz/sb/2006/108"[^>]*>zákona č\.\s108/2006\sSb\.</a>',
        page,
    )
    index = (project / "site" / "predpisy" / "index.html").read_text(encoding="utf-8")
    entry = re.search(r'id="predpis-108-2006".*?</ul>', index, re.S).group(0)
    assert 'href="../zkusebni/postup/#zk-postup"' in entry
    assert "(§\u00a0100)" in entry or "(§ 100)" in entry


def _git(project: Path, *arguments: str, date: str = "2026-11-20T12:00:00") -> None:
    environment = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    command = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *arguments]
    subprocess.run(command, cwd=project, check=True, capture_output=True, env=environment)


def test_release_needs_a_safety_review(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    manifest = project / METHODOLOGY / "metodika.yml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text[: text.index("reviews:")], encoding="utf-8")

    result = run_cli("release", "--root", str(project), "zkusebni", "2.3")

    assert result.exit_code == 1
    assert "metodika nemá záznam o revizi bezpečnosti (reviews, kind: bezpečnost)" in result.output
    assert not (project / METHODOLOGY / "vydani").exists()


def test_release_waits_for_a_safety_review_after_the_last_content_change(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    _git(project, "init", "-q")
    _git(project, "add", ".")
    _git(project, "commit", "-qm", "obsah", date="2026-11-20T12:00:00")

    refused = run_cli("release", "--root", str(project), "zkusebni", "2.3")

    assert refused.exit_code == 1
    assert (
        "poslední revize bezpečnosti (1.\u00a010.\u00a02026) je starší než poslední změna obsahu "
        "(20.\u00a011.\u00a02026); nechte obsah znovu zrevidovat"
    ) in refused.output
    manifest = project / METHODOLOGY / "metodika.yml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(
        text.replace("date: 2026-10-01\n    by:", "date: 2026-11-21\n    by:"), encoding="utf-8"
    )
    _git(project, "commit", "-qam", "revize", date="2026-11-21T12:00:00")

    released = run_cli("release", "--root", str(project), "zkusebni", "2.3")

    assert released.exit_code == 0, released.output
    assert (project / METHODOLOGY / "vydani" / "2.3" / "postup.md").is_file()


def test_the_real_content_maps_every_applicable_topic() -> None:
    knowledge = load_knowledge_base(REPO)  # raises on any unmapped topic or skipped question
    topics = {topic.id for topic in knowledge.safety_topics}
    for methodology in knowledge.methodologies:
        assert set(methodology.manifest.safety) <= topics
        assert {"ohrozene-dite", "domaci-nasili", "mlcenlivost"} <= set(methodology.manifest.safety)


def test_a_law_named_by_number_and_name_is_linked_once() -> None:
    line = "Podle § 867 odst. 2 zákona č. 89/2012 Sb., občanského zákoníku, se dítě vyjadřuje."
    mentions = REGISTRY.scan_line(line).mentions
    assert [line[m.start : m.end] for m in mentions] == ["zákona č. 89/2012 Sb."]
