"""`metodiky serve`: an edit shows on the served page, and only what it touches is rebuilt."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from pypdf import PdfReader

from conftest import make_project
from metodiky.cli import _DirtyWarning

SERVE_URL = "http://127.0.0.1:8000/"
INTRO = "methodology/zkusebni/uvod.md"
CHECKLIST = "methodology/zkusebni/checklists/zk-prvni-navsteva.yml"


class Preview:
    """What `mkdocs serve --dirty` does on each change: reload the config, build dirty."""

    def __init__(self, root: Path, site: Path):
        self.root, self.site = root, site
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=True)
        self.plugin = config.plugins["metodiky"]

    def _config(self):
        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(self.site))
        config.site_url = SERVE_URL
        return config

    def rebuild(self) -> set[str]:
        """Build once more after an edit; return the pages rendered."""
        build(self._config(), serve_url=SERVE_URL, dirty=True)
        return set(self.plugin.rendered_pages)

    def page(self, path: str) -> str:
        return (self.site / path / "index.html").read_text(encoding="utf-8")

    def close(self) -> None:
        self.plugin.on_shutdown()


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    dirty_warning = _DirtyWarning()
    logging.getLogger("mkdocs.commands.build").addFilter(dirty_warning)
    session = Preview(make_project(tmp_path / "project"), tmp_path / "served")
    try:
        yield session
    finally:
        session.close()
        logging.getLogger("mkdocs.commands.build").removeFilter(dirty_warning)


def edit(root: Path, path: str, old: str, new: str) -> None:
    source = root / path
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_chapter_edit_shows_and_only_that_chapter_is_rebuilt(preview: Preview) -> None:
    first = preview.rebuild()
    assert {"zkusebni/uvod.md", "zkusebni/postup.md", "index.md"} <= first
    postup_before = preview.page("zkusebni/postup")

    edit(preview.root, INTRO, "\n\n", "\n\nVěta doplněná v náhledu.\n\n")
    rendered = preview.rebuild()

    assert "Věta doplněná v náhledu." in preview.page("zkusebni/uvod")
    assert "zkusebni/uvod.md" in rendered
    assert "zkusebni/postup.md" not in rendered and "index.md" not in rendered
    assert preview.page("zkusebni/postup") == postup_before


def test_a_checklist_edit_rebuilds_the_chapters_showing_it(preview: Preview) -> None:
    preview.rebuild()

    edit(preview.root, CHECKLIST, "Vím, **kam** jdu.", "Vím, **kam** a proč jdu.")
    rendered = preview.rebuild()

    assert "zkusebni/uvod.md" in rendered  # embeds the checklist, its own file is unchanged
    assert "zkusebni/postup.md" not in rendered
    assert "proč jdu" in preview.page("zkusebni/uvod")


def test_a_glossary_edit_rebuilds_every_page(preview: Preview) -> None:
    """Every page shows the glossary's abbreviations as tooltips."""
    first = preview.rebuild()

    edit(
        preview.root,
        "glossary/spolecne.yml",
        "Úřad, který chrání práva a zájmy dětí.",
        "Úřad, který chrání práva dětí.",
    )

    assert preview.rebuild() == first


def test_the_pdf_follows_the_edit_without_holding_up_the_pages(preview: Preview) -> None:
    preview.rebuild()
    preview.plugin.live.wait()
    handbook = preview.site / "prirucka.pdf"
    assert "Věta pro tisk." not in pdf_text(handbook)

    edit(preview.root, INTRO, "\n\n", "\n\nVěta pro tisk.\n\n")
    preview.rebuild()
    assert "Věta pro tisk." in preview.page("zkusebni/uvod")
    preview.plugin.live.wait()

    assert "Věta pro tisk." in pdf_text(handbook)


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)
