"""Word files as a trainer opens them: numbered headings as on the site, one title, a tool a page."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from metodiky.numbering import section_numbers

PAGE_BREAK = '<w:br w:type="page"/>'


@pytest.fixture(scope="module")
def current(knowledge):
    methodology = knowledge.methodologies[0]
    return methodology, methodology.manifest.version


def _headings(document) -> list[tuple[str, str]]:
    return [
        (paragraph.style.name, paragraph.text.replace("\xa0", " "))
        for paragraph in document.paragraphs
        if paragraph.style.name.startswith(("Heading", "Title"))
    ]


def test_methodology_headings_carry_the_site_numbers(real_site: Path, current) -> None:
    methodology, version = current
    document = docx.Document(real_site / f"{methodology.slug}-{version}.docx")
    headings = [text for _, text in _headings(document)]
    numbers = section_numbers(methodology)
    for chapter in methodology.chapters:
        for heading in chapter.headings:
            if heading.id in numbers:
                assert f"{numbers[heading.id]} {heading.title}" in headings, heading.id
    assert "4.2 Oslovení" in headings  # the section a citation names is findable in Word


def test_methodology_has_one_title_and_chapters_as_heading_1(real_site: Path, current) -> None:
    methodology, version = current
    headings = _headings(docx.Document(real_site / f"{methodology.slug}-{version}.docx"))
    assert [text for style, text in headings if style == "Title"] == [methodology.manifest.title]
    chapter_titles = [text for style, text in headings if style == "Heading 1"]
    expected = [f"{n} {c.title}" for n, c in enumerate(methodology.chapters, start=1)]
    assert chapter_titles == expected


def test_each_tool_in_the_methodology_starts_a_new_page(real_site: Path, current) -> None:
    methodology, version = current
    document = docx.Document(real_site / f"{methodology.slug}-{version}.docx")
    paragraphs = document.paragraphs
    starts = [
        index
        for index, paragraph in enumerate(paragraphs)
        if paragraph.text.startswith(("Kontrolní seznam: ", "Rozhodovací strom: "))
    ]
    assert len(starts) >= len(methodology.checklists)
    for index in starts:
        assert PAGE_BREAK in paragraphs[index - 1]._p.xml, paragraphs[index].text


def test_checklist_form_has_its_title_once(real_site: Path, knowledge) -> None:
    forms = sorted((real_site / "docx").glob("*.docx"))
    assert len(forms) == len(knowledge.all_checklists())
    titles = {checklist.id: checklist.title for checklist in knowledge.all_checklists()}
    for form in forms:
        document = docx.Document(form)
        texts = [paragraph.text.replace("\xa0", " ") for paragraph in document.paragraphs]
        title = titles[form.stem]
        assert texts.count(title) == 1, form.name
        assert document.paragraphs[0].style.name == "Title"
