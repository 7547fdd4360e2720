"""`metodiky serve`: an edit shows on the served page, and only what it touches is rebuilt."""

from __future__ import annotations

import gc
import logging
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from pypdf import PdfReader

from conftest import REPO, make_project
from metodiky.cli import _DirtyWarning

sys.path.insert(0, str(REPO / "bench"))
from scaled_project import clone_methodology  # noqa: E402

SERVE_URL = "http://127.0.0.1:8000/"
INTRO = "methodology/zkusebni/uvod.md"
POSTUP = "methodology/zkusebni/postup.md"
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

    def settle(self) -> None:
        """Wait for what the preview finishes in the background (files, search, offline list)."""
        self.plugin.live.wait()
        self.plugin.search_worker.submit(lambda: None).result()

    def full_build(self, site: Path) -> Path:
        """What `metodiky build` makes of the project as it is now (same address as the preview)."""
        config = load_config(str(self.root / "mkdocs.yml"), site_dir=str(site))
        config.site_url = SERVE_URL
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config, serve_url=SERVE_URL)
        finally:
            config.plugins.on_shutdown()
        return site

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


# Not compared: search fragments are named by hashes of their content and dated, the service
# worker's version hashes them, and the preview's PDF and Word files carry the public address
# (so that the files `make` cached serve) where this build has the preview's.
NOT_COMPARED = ("pagefind/", "search/", "sw.js", ".pdf", ".docx")


def test_after_edits_the_preview_serves_what_a_full_build_makes(
    preview: Preview, tmp_path: Path
) -> None:
    """Generated files reused from earlier builds (citations, redirects, tool pages, overview
    and changes pages) and the pages an edit rebuilt equal those of a build from scratch."""
    methodologies = preview.root / "methodology"
    clone_methodology(methodologies / "zkusebni", methodologies, 1, "ZKK")
    preview.rebuild()
    edit(preview.root, INTRO, "\n\n", "\n\nVěta doplněná v náhledu.\n\n")
    preview.rebuild()
    edit(preview.root, CHECKLIST, "Vím, **kam** jdu.", "Vím, **kam** a proč jdu.")
    preview.rebuild()
    edit(preview.root, POSTUP, "kroky.", "kroky podle § 100 zákona č. 108/2006 Sb.")
    preview.rebuild()
    preview.settle()

    full = preview.full_build(tmp_path / "full")

    compared = [
        path.relative_to(full).as_posix()
        for path in sorted(full.rglob("*"))
        if path.is_file() and not any(part in path.as_posix() for part in NOT_COMPARED)
    ]
    assert "zkusebni/uvod/index.html" in compared and "zkusebni-kopie-1/uvod/citace.ris" in compared
    differing = [
        name
        for name in compared
        if not (preview.site / name).is_file()
        or (preview.site / name).read_bytes() != (full / name).read_bytes()
    ]
    assert differing == [], differing
    assert "Věta doplněná v náhledu." in preview.page("zkusebni/uvod")
    assert "zkusebni/postup/#zk-postup" in law_entry(preview, "108-2006")


def law_entry(preview: Preview, law: str) -> str:
    """The law index page's entry of one law: where the content cites it."""
    page = preview.page("predpisy")
    return re.search(rf'id="predpis-{law}".*?(?=<h2|$)', page, re.S).group(0)


def test_the_law_index_page_follows_an_edit_citing_a_law(preview: Preview) -> None:
    """The page rescans only edited chapters; what it remembers of the others is by their text."""
    preview.rebuild()
    assert "zkusebni/postup/" not in law_entry(preview, "108-2006")

    edit(preview.root, POSTUP, "kroky.", "kroky podle § 100 zákona č. 108/2006 Sb.")
    assert "predpisy/index.md" in preview.rebuild()
    entry = law_entry(preview, "108-2006")
    assert 'href="../zkusebni/postup/#zk-postup"' in entry and re.search(r"\(§\s100\)", entry)

    edit(preview.root, POSTUP, "§ 100 zákona", "§ 101 zákona")
    preview.rebuild()
    entry = law_entry(preview, "108-2006")
    assert re.search(r"\(§\s101\)", entry) and not re.search(r"§\s100", entry)

    edit(preview.root, POSTUP, " podle § 101 zákona č. 108/2006 Sb.", ".")
    preview.rebuild()
    assert "zkusebni/postup/" not in law_entry(preview, "108-2006")


def test_an_edit_of_one_methodology_leaves_the_others_loaded_and_unrendered(
    preview: Preview,
) -> None:
    methodologies = preview.root / "methodology"
    clone_methodology(methodologies / "zkusebni", methodologies, 1, "ZKK")
    preview.rebuild()
    before = {m.slug: m for m in preview.plugin.knowledge.methodologies}

    edit(preview.root, INTRO, "\n\n", "\n\nVěta doplněná v náhledu.\n\n")
    rendered = preview.rebuild()

    after = {m.slug: m for m in preview.plugin.knowledge.methodologies}
    assert after["zkusebni-kopie-1"] is before["zkusebni-kopie-1"]  # taken over, not read again
    assert after["zkusebni"] is not before["zkusebni"]
    assert "Věta doplněná v náhledu." in after["zkusebni"].chapters[0].markdown
    assert rendered == {"zkusebni/uvod.md"}


def test_a_bad_edit_keeps_the_last_good_site_and_names_the_place(
    preview: Preview, caplog: pytest.LogCaptureFixture
) -> None:
    preview.rebuild()
    good = preview.page("zkusebni/uvod")

    edit(preview.root, POSTUP, "\n\n", "\n\nVěta uložená spolu s chybou.\n\n")
    edit(preview.root, INTRO, "\n\n", "\n\nOdkaz [jinam](neexistuje.md).\n\n")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        preview.rebuild()

    assert "Chyby v obsahu" in caplog.text
    assert "methodology/zkusebni/uvod.md:" in caplog.text and "neexistuje.md" in caplog.text
    assert preview.page("zkusebni/uvod") == good

    edit(preview.root, INTRO, "Odkaz [jinam](neexistuje.md).", "Opravená věta.")
    assert preview.rebuild() == {"zkusebni/uvod.md", "zkusebni/postup.md"}
    assert "Opravená věta." in preview.page("zkusebni/uvod")
    assert "Věta uložená spolu s chybou." in preview.page("zkusebni/postup")


def test_an_edited_template_shows_on_the_next_rebuilt_page(preview: Preview) -> None:
    """Templates stay compiled between rebuilds, but not past an edit of their source."""
    preview.rebuild()

    edit(preview.root, "overrides/main.html", "{% block content %}", "{% block content %}ZNAČKA")
    edit(preview.root, INTRO, "\n\n", "\n\nVěta doplněná v náhledu.\n\n")
    preview.rebuild()

    assert "ZNAČKA" in preview.page("zkusebni/uvod")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread priority is Linux's")
def test_background_files_and_their_programs_yield_the_processor(preview: Preview) -> None:
    """PDFs, Word files and the search index are made at a lower priority than the pages an
    author waits for, and so are the programs making them (pandoc, Typst, Pagefind)."""
    own = os.getpriority(os.PRIO_PROCESS, 0)

    def niceness() -> tuple[int, int]:
        child = subprocess.run(["nice"], capture_output=True, text=True, check=True)
        return os.getpriority(os.PRIO_PROCESS, threading.get_native_id()), int(child.stdout)

    for worker in (preview.plugin.live.background, preview.plugin.search_worker):
        assert worker.submit(niceness).result() == (own + 10, own + 10)
    assert os.getpriority(os.PRIO_PROCESS, 0) == own  # the server itself keeps its priority


def test_an_edit_of_a_hand_written_page_shows(preview: Preview) -> None:
    """Chapters are compared by their text; pages in docs/ by their file's time."""
    preview.rebuild()

    edit(preview.root, "docs/index.md", "Odkaz na", "Nový úvod. Odkaz na")
    rendered = preview.rebuild()

    assert "Nový úvod." in preview.page(".")
    assert "index.md" in rendered and "zkusebni/uvod.md" not in rendered


def test_after_quick_edits_search_finds_the_newest_text_and_indexes_once(
    preview: Preview, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each rebuild schedules the search index; one that a later edit supersedes is left off
    (at 150 methodologies Pagefind takes a minute), and the newest one is written."""
    preview.rebuild()
    preview.settle()
    import metodiky.mkdocs_plugin as plugin_module

    indexed: list[int] = []
    real = plugin_module.write_search_index

    def counted(site, entries, knowledge):  # noqa: ANN001
        result = real(site, entries, knowledge)
        indexed.append(result)
        return result

    monkeypatch.setattr(plugin_module, "write_search_index", counted)
    busy = threading.Event()
    preview.plugin.search_worker.submit(busy.wait)  # the worker is still indexing an older edit
    edit(preview.root, INTRO, "\n\n", "\n\nPrvníhledanéslovo v náhledu.\n\n")
    preview.rebuild()
    edit(preview.root, INTRO, "Prvníhledanéslovo", "Druhéhledanéslovo")
    preview.rebuild()
    busy.set()
    preview.settle()

    texts = " ".join(
        path.read_text(encoding="utf-8") for path in (preview.site / "pagefind" / "texty").iterdir()
    )
    assert "Druhéhledanéslovo" in texts and "Prvníhledanéslovo" not in texts
    assert len(indexed) == 1


def test_a_search_index_left_off_midway_keeps_the_served_one(preview: Preview) -> None:
    """A job a later edit supersedes stops while reading pages and touches nothing served."""
    from metodiky.mkdocs_plugin import _Superseded

    preview.rebuild()
    preview.settle()
    index = preview.site / "pagefind"
    before = {path: path.read_bytes() for path in index.rglob("*") if path.is_file()}
    answers = iter([True, True, False])

    plugin = preview.plugin
    with pytest.raises(_Superseded):
        plugin._write_search_and_offline(
            preview.site, "Zkouška", plugin.page_locations, plugin.knowledge, lambda: next(answers)
        )

    assert {path: path.read_bytes() for path in index.rglob("*") if path.is_file()} == before


def test_pdf_and_word_files_start_only_after_the_edited_page_is_written(
    preview: Preview, monkeypatch: pytest.MonkeyPatch
) -> None:
    """They share the processor with the page the author waits for, so they wait for it."""
    preview.rebuild()
    preview.plugin.live.wait()
    live = preview.plugin.live
    seen: list[bool] = []
    make_later = live._make_later

    def watched(*arguments) -> None:  # noqa: ANN002
        seen.append("Věta napsaná dřív než PDF." in preview.page("zkusebni/uvod"))
        make_later(*arguments)

    monkeypatch.setattr(live, "_make_later", watched)
    edit(preview.root, INTRO, "\n\n", "\n\nVěta napsaná dřív než PDF.\n\n")
    preview.rebuild()
    live.wait()

    assert seen == [True]


def test_the_collector_skips_old_objects_only_while_a_rebuild_runs(
    preview: Preview, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Objects from before a rebuild are frozen during it (a full collection at 150
    methodologies walks the whole knowledge base) and collectable again after it, also after
    a failed rebuild: otherwise garbage of each rebuild would stay for the whole session."""
    preview.rebuild()
    frozen: list[int] = []
    on_nav = preview.plugin.on_nav

    def counted(*arguments, **keywords):  # noqa: ANN002, ANN003
        frozen.append(gc.get_freeze_count())
        return on_nav(*arguments, **keywords)

    monkeypatch.setattr(preview.plugin, "on_nav", counted)
    edit(preview.root, INTRO, "\n\n", "\n\nVěta doplněná v náhledu.\n\n")
    preview.rebuild()
    assert frozen and frozen[0] > 0
    assert gc.get_freeze_count() == 0

    edit(preview.root, INTRO, "\n\n", "\n\nOdkaz [jinam](neexistuje.md).\n\n")
    with pytest.raises(Abort):
        preview.rebuild()
    assert gc.get_freeze_count() == 0
