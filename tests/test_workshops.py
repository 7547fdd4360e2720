"""Workshop packs for trainers: each outline of „Pro školitele“ as a printable PDF and Word pack."""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from conftest import make_project
from metodiky.errors import ContentErrors
from metodiky.knowledge import load_knowledge_base
from metodiky.model import Link


def _normalise(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _tool_headings(workshop, knowledge) -> list[str]:
    checklists = {c.id: c.title for c in knowledge.all_checklists()}
    trees = {t.id: t.title for t in knowledge.all_trees()}
    return [
        f"Kontrolní seznam: {checklists[link.target]}"
        if link.kind == "checklist"
        else f"Rozhodovací strom: {trees[link.target]}"
        for link in workshop.tool_links()
    ]


def _situation_titles(workshop, knowledge) -> list[str]:
    titles = {
        h.id: h.title for m in knowledge.methodologies for c in m.chapters for h in c.headings
    }
    return [titles[s] for s in workshop.situations]


def test_every_outline_is_data_with_tools(knowledge) -> None:
    assert [w.section for w in knowledge.workshops] == [
        "skolitele-osnova-kp",
        "skolitele-osnova-cp",
        "skolitele-osnova-mo",
    ]
    for workshop in knowledge.workshops:
        assert any(link.kind == "checklist" for link in workshop.tool_links()), workshop.id
        assert len(workshop.trees) >= 3 and len(workshop.questions) >= 4


def test_each_pack_pdf_holds_outline_tools_situations_and_questions(
    real_site: Path, knowledge
) -> None:
    for workshop in knowledge.workshops:
        reader = PdfReader(real_site / "skoleni" / f"{workshop.id}.pdf")
        pages = [_normalise(page.extract_text()) for page in reader.pages]
        text = " ".join(pages)
        assert pages[0].startswith(_normalise(workshop.title))
        parts = [_normalise(item.title) for item in reader.outline if not isinstance(item, list)]
        assert parts == ["Osnova", "Nástroje", "Modelové situace"]
        for heading in _tool_headings(workshop, knowledge):
            starts = [n for n, page in enumerate(pages) if heading in page]
            assert starts, f"{workshop.id}: {heading}"
            # One tool, one sheet: the tool opens its page (below the running header).
            assert pages[starts[-1]].split(" Nástroje ", 1)[-1].startswith(heading), heading
        for title in _situation_titles(workshop, knowledge):
            assert _normalise(title) in text, title
        for question in workshop.questions:
            assert _normalise(question) in text, question


def test_each_pack_word_file_has_one_title_and_every_tool_on_its_own_page(
    real_site: Path, knowledge
) -> None:
    for workshop in knowledge.workshops:
        document = docx.Document(real_site / "skoleni" / f"{workshop.id}.docx")
        paragraphs = document.paragraphs
        texts = [_normalise(p.text) for p in paragraphs]
        styled = list(zip((p.style.name for p in paragraphs), texts, strict=True))
        assert [t for style, t in styled if style == "Title"] == [_normalise(workshop.title)]
        assert [t for style, t in styled if style == "Heading 1"] == [
            "Osnova",
            "Nástroje",
            "Modelové situace",
        ]
        for heading in _tool_headings(workshop, knowledge):
            index = (
                len(texts) - 1 - texts[::-1].index(_normalise(heading))
            )  # the tool, not the list
            assert '<w:br w:type="page"/>' in paragraphs[index - 1]._p.xml, heading
        table = document.tables[0]
        assert [cell.text for cell in table.rows[0].cells] == ["Blok", "Obsah", "Pomůcky"]
        assert len(table.rows) == len(workshop.blocks) + 1


class _Links(HTMLParser):
    """Links inside one outline: from its heading to the next second-level heading."""

    def __init__(self, section: str):
        super().__init__()
        self.section, self.inside, self.hrefs = section, False, []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "h2":
            self.inside = values.get("id") == self.section
        elif tag == "a" and self.inside and values.get("class") != "headerlink":
            self.hrefs.append(values["href"])


def test_aids_in_the_outlines_link_to_tools_printable_views_word_and_the_pack(
    real_site: Path, knowledge
) -> None:
    page = (real_site / "skolitele" / "index.html").read_text(encoding="utf-8")
    for workshop in knowledge.workshops:
        parser = _Links(workshop.section)
        parser.feed(page)
        hrefs = parser.hrefs
        for link in workshop.tool_links():
            assert f"../vlozit/{link.target}/" in hrefs, link.target
            assert any(h.endswith(f"#nastroj-{link.target}") for h in hrefs), link.target
        for aid in (a for b in workshop.blocks for a in b.aids if isinstance(a, Link)):
            if aid.kind == "checklist":
                assert f"../docx/{aid.target}.docx" in hrefs
        assert f"../skoleni/{workshop.id}.pdf" in hrefs
        assert f"../skoleni/{workshop.id}.docx" in hrefs
        for href in hrefs:
            path, _, anchor = posixpath.join("skolitele", href).partition("#")
            target = real_site / posixpath.normpath(path)
            target = target / "index.html" if href.split("#")[0].endswith("/") else target
            assert target.is_file(), href
            if anchor:
                assert re.search(rf'id="{re.escape(anchor)}"', target.read_text("utf-8")), href


def test_an_unknown_tool_in_an_outline_is_reported_with_file_and_line(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    (project / "registry" / "skoleni.yml").write_text(
        "- id: zk\n"
        "  section: zk-uvod\n"
        "  methodology: zkusebni\n"
        '  title: "Workshop: zkouška"\n'
        "  audience: noví pracovníci\n"
        "  goals: znají postup\n"
        "  blocks:\n"
        "    - minutes: 30\n"
        "      content: Postup\n"
        "      aids:\n"
        "        - checklist: zk-prvni-navsteve\n"
        "  situations: [zk-neni]\n"
        "  questions: [Proč?]\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentErrors) as raised:
        load_knowledge_base(project)
    messages = [error.format() for error in raised.value.errors]
    assert (
        "registry/skoleni.yml:11:11: neznámý kontrolní seznam „zk-prvni-navsteve“ "
        "(myslíte „zk-prvni-navsteva“?)"
    ) in messages
    assert (
        "registry/skoleni.yml:12:16: modelová situace „zk-neni“ není oddílem metodiky „zkusebni“"
    ) in messages


def test_every_address_printed_in_a_pack_exists_on_the_site(real_site: Path, knowledge) -> None:
    """References the pack does not carry print their site address, whole and reachable."""
    from test_handbook import _PRINTED_ADDRESS, SITE_URL, _joined, site_file

    for workshop in knowledge.workshops:
        reader = PdfReader(real_site / "skoleni" / f"{workshop.id}.pdf")
        addresses = set()
        for page in reader.pages:
            addresses.update(_PRINTED_ADDRESS.findall(_joined(page.extract_text())))
        assert any("/odkaz/" in address for address in addresses)  # tools' and sections' links
        for address in addresses:
            assert address.startswith(SITE_URL), address
            assert site_file(real_site, address).exists(), f"{workshop.id}: {address}"
