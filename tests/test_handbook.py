"""The PDF handbook: title page with versions, table of contents, every chapter, intact Czech."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
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


SITE_URL = "https://metodiky-socialni-prace.cz/"
# An address as printed: pieces end with `/`, so a line may end only right after a slash.
_PRINTED_ADDRESS = re.compile(r"https?://[^\s()]+")


# A numbered heading line as extracted („4.9 Kontrolní seznam…“, „11 Kontrolní seznam“); list
# items carry a dot after their number.
_SECTION_HEADING = re.compile(r"^\d+(\.\d+)* (?=\S)")


def site_file(site: Path, address: str) -> Path:
    """The built file a site address serves (a folder address serves its index.html)."""
    path = address.removeprefix(SITE_URL).split("#")[0].rstrip(".,;)")
    return site / path / "index.html" if path.endswith("/") or not path else site / path


def _joined(text: str) -> str:
    """The page text with the line breaks that a slash allows undone (the printed address whole);
    a piece of a site address is a lower-case segment ending in `/`, an anchor or a PDF."""
    return re.sub(r"/\n(?=[a-z0-9][a-z0-9.-]*/|#|[a-z0-9-]+\.pdf)", "/", text)


@pytest.fixture(scope="module")
def handbook_reader(real_site: Path) -> PdfReader:
    return PdfReader(real_site / "prirucka.pdf")


@pytest.fixture(scope="module")
def raw_pages(handbook_reader: PdfReader) -> list[str]:
    return [page.extract_text() for page in handbook_reader.pages]


def _tool_permalink(tool_id: str, knowledge) -> str:
    for methodology in knowledge.methodologies:
        if any(t.id == tool_id for t in (*methodology.checklists, *methodology.trees)):
            return f"{SITE_URL}odkaz/{tool_id}/{methodology.manifest.version}/"
    return f"{SITE_URL}odkaz/{tool_id}/"


def test_every_site_tool_is_in_the_handbook_with_its_address(
    raw_pages: list[str], knowledge
) -> None:
    text = _normalise(_joined("\n".join(raw_pages)))
    tools = [*knowledge.all_checklists(), *knowledge.all_trees()]
    assert len(tools) >= 25
    for tool in tools:
        kind = "Kontrolní seznam" if tool in knowledge.all_checklists() else "Rozhodovací strom"
        assert f"{kind}: {_normalise(tool.title)}" in text, tool.id
        assert f"Online: {_tool_permalink(tool.id, knowledge)}" in text, tool.id


def test_the_handbook_has_every_part_of_the_site(handbook_reader: PdfReader) -> None:
    outline = handbook_reader.outline
    parts = [_normalise(item.title) for item in outline if not isinstance(item, list)]
    assert parts[:3] == [
        "Metodika kontaktní práce",
        "Metodika Cochemské praxe",
        "Metodika terénní a komunitní sociální práce na malých obcích",
    ]
    for part in ("Bezpečnost a zákonné povinnosti", "Začínám", "Společné nástroje"):
        assert part in parts
    assert parts[-2:] == ["Právní předpisy", "Slovník pojmů"]


def test_a_tool_is_never_split_unless_it_is_longer_than_a_page(
    raw_pages: list[str], knowledge
) -> None:
    """A trainer printing the pages of one tool gets that tool whole and nothing split."""
    pages = [_joined(page) for page in raw_pages]
    tools = [*knowledge.all_checklists(), *knowledge.all_trees()]
    checked = 0
    for tool in tools:
        kind = "Kontrolní seznam" if tool in knowledge.all_checklists() else "Rozhodovací strom"
        heading = f"{kind}: {_normalise(tool.title)}"
        closing = f"Online: {_tool_permalink(tool.id, knowledge)}"
        starts = [n for n, page in enumerate(pages) if heading in _normalise(page)]
        for start in starts:
            end = next(n for n in range(start, len(pages)) if closing in _normalise(pages[n]))
            lines = pages[start].split("\n")[1:]  # below the running header
            if lines and _SECTION_HEADING.match(lines[0]):
                lines = lines[1:]  # the heading the tool took along to its fresh page
            opens_page = _normalise(" ".join(lines[:3])).startswith(heading)
            if end != start:  # longer than a page: it must open a fresh page
                assert opens_page, f"{tool.id} splits at page {start + 1}"
            if opens_page and start > 0:  # no heading left behind on the page before
                last = pages[start - 1].rstrip().split("\n")[-2]  # above the page number
                assert not _SECTION_HEADING.match(last), (
                    f"orphaned heading {last!r} before {tool.id}"
                )
            checked += 1
    assert checked >= len(tools)


def test_printed_addresses_never_hyphenate(raw_pages: list[str], real_site: Path) -> None:
    """Each printed site address is whole once slash breaks are joined, and exists on the site."""
    seen = 0
    for number, page in enumerate(raw_pages, start=1):
        assert not re.search(r"https?://[^\s()]*-\n", page), f"hyphenated address on page {number}"
        for address in _PRINTED_ADDRESS.findall(_joined(page)):
            if address.startswith(SITE_URL):
                seen += 1
                assert site_file(real_site, address).exists(), f"page {number}: {address}"
    assert seen > 60  # chapter citations, tools, cover


def test_every_link_annotation_leads_to_the_site_or_an_official_source(
    handbook_reader: PdfReader, real_site: Path
) -> None:
    targets = set()
    for page in handbook_reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                targets.add(str(action["/URI"]))
    assert targets
    for target in targets:
        if target.startswith(SITE_URL):
            assert site_file(real_site, target).exists(), target
        else:
            assert target.startswith(
                ("https://www.e-sbirka.cz/", "https://creativecommons.org/")
            ), target


def test_methodology_pdf_cover_names_the_methodology_and_its_address(
    real_site: Path, knowledge
) -> None:
    methodology = knowledge.methodologies[0]
    version = methodology.manifest.version
    cover = _normalise(
        PdfReader(real_site / f"{methodology.slug}-{version}.pdf").pages[0].extract_text()
    )
    assert cover.startswith(_normalise(methodology.manifest.title))
    assert "Obsahuje tyto metodiky" not in cover
    assert f"Online: {SITE_URL}{methodology.slug}/{version}/" in cover


def test_the_handbook_cover_has_the_site_address_and_a_qr_code(
    handbook_pages: list[str], real_site: Path
) -> None:
    assert f"Online: {SITE_URL}" in handbook_pages[0]
    image = pypdfium2.PdfDocument(real_site / "prirucka.pdf")[0].render(scale=3).to_pil()
    assert SITE_URL in [code.text for code in zxingcpp.read_barcodes(image)]


def test_a_reference_resolves_to_a_page_or_to_the_site_address(real_site: Path, knowledge) -> None:
    """„viz Společné nástroje“: a page number in the handbook, the address where the PDF lacks it."""
    handbook = _normalise(
        _joined("\n".join(p.extract_text() for p in PdfReader(real_site / "prirucka.pdf").pages))
    )
    assert re.search(r"viz Společné nástroje \(s\. \d+\)", handbook)
    version = knowledge.methodology("kontaktni-prace").manifest.version
    reader = PdfReader(real_site / f"kontaktni-prace-{version}.pdf")
    single = _normalise(_joined("\n".join(page.extract_text() for page in reader.pages)))
    assert f"viz Společné nástroje ({SITE_URL}nastroje/#sn-index)" in single


def test_beyond_the_limit_the_handbook_lists_methodologies_instead_of_printing_them(
    knowledge, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 150 methodologies a whole handbook would be thousands of pages that nobody prints and
    Typst cannot lay out in bounded memory: it keeps the common ground and points to each PDF."""
    from metodiky.render import handbook as handbook_module

    monkeypatch.setattr(handbook_module, "HANDBOOK_METHODOLOGIES", 2)
    site_url = "https://metodiky.example/"
    (plan, *versions) = handbook_module.plan_handbooks(knowledge, site_url)

    source = render_handbook_typst(knowledge, plan)

    assert plan.file_name == "prirucka.pdf" and plan.editions == ()
    for methodology in knowledge.methodologies:
        assert f"{site_url}{methodology.slug}/" in source
        newest = methodology.releases[-1].version
        assert f"{site_url}{methodology.slug}-{newest}.pdf" in source
        assert f"{methodology.slug}-{newest}.pdf" in {plan.file_name for plan in versions}
        assert f"<{methodology.slug}>" not in source  # the label of a printed methodology's part
        assert f"<{methodology.chapters[0].id}>" not in source
    assert "Začínám" in source and "Slovník pojmů" in source and "Právní předpisy" in source
