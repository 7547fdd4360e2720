"""What every methodology must offer a new worker: depth, tools in place, examples, sources, glossary."""

from __future__ import annotations

import re

import pytest
import yaml

from conftest import REPO
from metodiky.render.site import render_overview_markdown, tool_homes

SLUGS = ["kontaktni-prace", "cochemska-praxe", "male-obce"]
MACRO = re.compile(r"\{\{.*?\}\}")


def _prose_words(markdown: str) -> int:
    text = MACRO.sub(" ", re.sub(r"\{#[^}]*\}", " ", markdown))
    return len(re.findall(r"[^\W\d_]+", text))


@pytest.fixture(params=SLUGS)
def methodology(request, knowledge):
    return knowledge.methodology(request.param)


def test_methodology_is_deep_enough(methodology) -> None:
    assert len(methodology.chapters) >= 8
    assert sum(_prose_words(chapter.markdown) for chapter in methodology.chapters) >= 7000
    # 1.0 gave unsafe advice (reviews of 2026-11-30); 1.1 is the first release safe to follow.
    assert methodology.manifest.version == "1.1" and methodology.manifest.status == "platná"
    assert methodology.manifest.safety, "a released methodology maps its safety topics"


def test_every_chapter_opens_with_its_purpose_and_closes_with_v_praxi(methodology) -> None:
    for chapter in methodology.chapters:
        blocks = [b.strip() for b in re.split(r"\n\s*\n", chapter.markdown.strip()) if b.strip()]
        assert not blocks[1].startswith(("#", "!!!", "{{", "-", "|")), (
            f"{chapter.shown}: no opening text"
        )
        top_level = [
            line for line in chapter.markdown.split("\n") if line.strip() and not line[0].isspace()
        ]
        assert top_level[-1] == '!!! tip "V praxi"', (
            f"{chapter.shown}: does not end with the V praxi box"
        )


def test_tools_are_enough_embedded_and_listed(methodology) -> None:
    assert len(methodology.checklists) >= 4 and len(methodology.trees) >= 3
    homes = tool_homes(methodology)
    overview = render_overview_markdown(methodology)
    for tool in (*methodology.checklists, *methodology.trees):
        assert tool.id in homes, f"{tool.id} is not embedded in any chapter"
        assert tool.id.startswith(methodology.manifest.code.lower() + "-")
        assert f"#nastroj-{tool.id}" in overview


def test_worked_examples_are_labelled_fictional(methodology) -> None:
    text = "\n".join(chapter.markdown for chapter in methodology.chapters)
    assert text.count("Smyšlený příklad") >= 2


def test_sources_chapter_exists(methodology) -> None:
    titles = [chapter.title for chapter in methodology.chapters]
    assert "Zdroje a východiska" in titles
    sources = next(c for c in methodology.chapters if c.title == "Zdroje a východiska").markdown
    assert "zákon č." in sources


@pytest.mark.parametrize("slug", SLUGS)
def test_each_methodology_brings_at_least_25_glossary_terms(slug: str) -> None:
    entries = yaml.safe_load((REPO / "glossary" / f"{slug}.yml").read_text(encoding="utf-8"))
    assert len(entries) >= 25


def test_shared_tools_have_pages_with_their_tools(knowledge) -> None:
    assert len(knowledge.shared_checklists) >= 2 and len(knowledge.shared_trees) >= 1
    tool_pages = [
        p
        for p in knowledge.site_pages
        if p.uri.startswith("nastroje/") and p.uri != "nastroje/index.md"
    ]
    assert len(tool_pages) >= 5
    for page in tool_pages:
        assert MACRO.search(page.markdown), f"{page.shown} embeds no checklist or tree"


def test_front_doors_exist_and_start_here_has_first_week_checklist(knowledge) -> None:
    uris = {page.uri: page for page in knowledge.site_pages}
    for door in ("zacinam.md", "skolitele.md", "obce.md", "o-projektu.md"):
        assert door in uris
    assert 'checklist("sn-prvni-tyden")' in uris["zacinam.md"].markdown
    assert "prirucka.pdf" in uris["zacinam.md"].markdown


# A tree whose situation can involve a child, violence or danger to life must ask about it first.
SAFETY_SUBJECTS = {
    "ohrozene-dite": re.compile(r"\b(dít|dět)", re.I),
    "domaci-nasili": re.compile(r"násil", re.I),
}


def test_trees_about_children_or_violence_declare_their_safety_topics(knowledge) -> None:
    for tree in knowledge.all_trees():
        text = " ".join(
            [tree.title, tree.situation, *tree.warnings]
            + [getattr(node, "question", "") or "" for node in tree.nodes.values()]
        )
        for topic, subject in SAFETY_SUBJECTS.items():
            if subject.search(text):
                assert topic in tree.safety, f"{tree.id} speaks of {topic} but does not declare it"
        if tree.safety:
            assert "ohrozeni-zivota" in tree.safety, f"{tree.id}: danger to life is asked first"
