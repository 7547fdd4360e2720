"""The PDF handbook: title page with versions, table of contents, every chapter, intact Czech."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from metodiky.render.handbook import render_handbook_typst


@pytest.fixture(scope="module")
def handbook_pages(real_site: Path) -> list[str]:
    reader = PdfReader(real_site / "prirucka.pdf")
    return [_normalise(page.extract_text()) for page in reader.pages]


def test_title_page_states_each_methodology_version(handbook_pages: list[str], knowledge) -> None:
    title_page = handbook_pages[0]
    for methodology in knowledge.methodologies:
        assert _normalise(methodology.manifest.title) in title_page
        assert f"verze {methodology.manifest.version}" in title_page


def test_table_of_contents_lists_every_chapter(handbook_pages: list[str], knowledge) -> None:
    toc_pages = [page for page in handbook_pages[:8] if "Obsah" in page]
    assert toc_pages, "no table of contents in the first pages"
    toc = " ".join(toc_pages)
    for methodology in knowledge.methodologies:
        for chapter in methodology.chapters:
            assert _normalise(chapter.title) in toc, chapter.title


def test_every_chapter_title_is_in_the_body(handbook_pages: list[str], knowledge) -> None:
    body = " ".join(handbook_pages[1:])
    for methodology in knowledge.methodologies:
        for chapter in methodology.chapters:
            assert body.count(_normalise(chapter.title)) >= 2, chapter.title  # contents and heading


def test_czech_diacritics_extract_intact(handbook_pages: list[str]) -> None:
    text = " ".join(handbook_pages)
    for word in ("sociální", "práce", "Příručka", "obcích", "dítě"):
        assert word in text


def test_pages_are_numbered_and_carry_running_headers(handbook_pages: list[str], knowledge) -> None:
    first_title = _normalise(knowledge.methodologies[0].manifest.title)
    body_pages = handbook_pages[3:8]
    assert all(page.rstrip().split()[-1].isdigit() for page in body_pages)
    assert any(page.startswith(f"Metodiky sociální práce {first_title}") for page in body_pages)


def test_handbook_source_is_a4_czech_and_hyphenated(knowledge) -> None:
    source = render_handbook_typst(knowledge)
    assert 'paper: "a4"' in source
    assert 'lang: "cs"' in source and "hyphenate: true" in source
    assert "#outline(" in source


def _normalise(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Je to **důležité**.Pokračujeme.", "důležité.Pokračujeme"),
        ("Je to *jinak*(tedy) a **tak**[a].", "jinak(tedy)"),
        ("Viz [web](https://example.org).Dál.", "web.Dál"),
    ],
)
def test_markdown_that_renders_on_the_site_also_compiles_in_the_pdf(
    tmp_path: Path, markdown: str, expected: str
) -> None:
    from conftest import make_project
    from metodiky.knowledge import load_knowledge_base
    from metodiky.render.handbook import compile_handbook, render_handbook_assets

    project = make_project(tmp_path / "project")
    chapter = project / "methodology/zkusebni/uvod.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("Pracovník působí", f"{markdown}\nPracovník působí"), "utf-8")
    knowledge = load_knowledge_base(project)
    output = tmp_path / "prirucka.pdf"

    compile_handbook(
        render_handbook_typst(knowledge), render_handbook_assets(knowledge), output, tmp_path / "w"
    )

    text = "".join(page.extract_text() for page in PdfReader(output).pages).replace("\xa0", " ")
    assert expected in text


def test_a_typst_failure_is_traced_to_the_chapter_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conftest import make_project
    from metodiky.knowledge import load_knowledge_base
    from metodiky.render import handbook_errors

    project = make_project(tmp_path / "project")
    chapter = project / "methodology/zkusebni/postup.md"
    text = chapter.read_text(encoding="utf-8")
    extra = "Kapitola popisuje kroky.\n\nDruhý odstavec.\n\nTřetí ROZBIJ odstavec.\n\nČtvrtý."
    chapter.write_text(text.replace("Kapitola popisuje kroky.", extra), encoding="utf-8")
    knowledge = load_knowledge_base(project)
    original = handbook_errors._chapter_source

    def breaking(*arguments):  # stands for any construct Typst cannot take
        return original(*arguments).replace("ROZBIJ", "#neexistuje()")

    monkeypatch.setattr(handbook_errors, "_chapter_source", breaking)

    located = handbook_errors.locate_handbook_error(knowledge)

    assert located is not None
    assert located.format().startswith(
        "methodology/zkusebni/postup.md:7:1: tento text nejde převést do příručky PDF (Typst:"
    )


def test_the_handbook_carries_the_shared_pages_the_site_offers(handbook_pages: list[str]) -> None:
    text = " ".join(handbook_pages).replace("\xa0", " ")
    for title in (
        "Bezpečnost a zákonné povinnosti",
        "Začínám",
        "Společné nástroje",
        "Případové konference",
        "Rodinné konference",
        "Supervize a intervize",
        "Mezioborová a meziresortní spolupráce",
        "Další vzdělávání",
        "Kontrolní seznam: První týden v práci",
    ):
        assert title in text, title
