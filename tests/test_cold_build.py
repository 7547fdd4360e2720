"""A cold build does each slow step once: a version's PDF and Word file share one pandoc read,
the parts every PDF carries alike are written once, and the files are made while pages render."""

from __future__ import annotations

import io
import threading
import zipfile
from pathlib import Path

import pypandoc
import pytest

from metodiky.build_cache import Artifact, ArtifactCache, ContentKeys
from metodiky.model import Edition
from metodiky.publish import slow_files
from metodiky.render import handbook
from metodiky.render.docx import render_methodology_docx
from metodiky.render.handbook import plan_handbooks, render_handbook_typst
from metodiky.render.recent import RecentResults

SITE_URL = "https://metodiky.example/"


@pytest.fixture
def pandoc_runs(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every pandoc conversion as (from, to), with the shared results forgotten beforehand."""
    handbook.SOURCES.clear()
    handbook._SHARED_PARTS.clear()
    runs: list[tuple[str, str]] = []
    convert = pypandoc.convert_text

    def counted(source: str, to: str, format: str, **options: object) -> object:  # noqa: A002
        runs.append((format, to))
        return convert(source, to, format=format, **options)

    monkeypatch.setattr(pypandoc, "convert_text", counted)
    return runs


def _released(knowledge) -> list[Edition]:
    return [
        Edition(methodology, content, version)
        for methodology in knowledge.methodologies
        for version, content in sorted(methodology.editions.items())
    ]


def _word_body(document: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        return archive.read("word/document.xml")  # docProps/core.xml carries the time made


def test_a_versions_pdf_and_word_file_read_its_markdown_once(knowledge, pandoc_runs) -> None:
    edition = _released(knowledge)[0]
    plan = next(p for p in plan_handbooks(knowledge, SITE_URL) if p.editions == (edition,))
    render_handbook_typst(knowledge, plan)
    reads_for_pdf = pandoc_runs.count((handbook.PANDOC_READER, "json"))
    with_pdf = render_methodology_docx(knowledge, edition, SITE_URL)
    # The Word file adds only its short introduction to what the PDF read.
    assert pandoc_runs.count((handbook.PANDOC_READER, "json")) == reads_for_pdf + 1

    handbook.SOURCES.clear()
    alone = render_methodology_docx(knowledge, edition, SITE_URL)
    assert _word_body(with_pdf) == _word_body(alone)


def test_the_glossary_and_the_safety_page_are_written_once_for_all_pdfs(
    knowledge, pandoc_runs
) -> None:
    released = [p for p in plan_handbooks(knowledge, SITE_URL) if p.file_name != "prirucka.pdf"]
    separately = []
    for plan in released:
        handbook._SHARED_PARTS.clear()
        separately.append(render_handbook_typst(knowledge, plan))
    runs_separately = len(pandoc_runs)
    pandoc_runs.clear()
    handbook.SOURCES.clear()
    handbook._SHARED_PARTS.clear()

    together = [render_handbook_typst(knowledge, plan) for plan in released]

    assert together == separately
    # Each PDF still reads and writes its own methodology; the glossary (a read and a write) is
    # done for the first PDF only, the safety page once per way its links resolve.
    assert len(pandoc_runs) <= runs_separately - 2 * (len(released) - 1)


def test_each_versions_word_file_is_made_right_after_its_pdf(knowledge) -> None:
    order = [
        artifact.site_path for artifact in slow_files(knowledge, SITE_URL, ContentKeys(knowledge))
    ]
    assert order[0] == "prirucka.pdf"  # the longest job first, so no core idles at the end
    for edition in _released(knowledge):
        name = f"{edition.methodology.slug}-{edition.version}"
        assert order[order.index(f"{name}.pdf") + 1] == f"{name}.docx"
    for workshop in knowledge.workshops:
        assert order[order.index(f"skoleni/{workshop.id}.pdf") + 1] == f"skoleni/{workshop.id}.docx"
    checklist_forms = [i for i, path in enumerate(order) if path.startswith("docx/")]
    assert checklist_forms == list(range(len(order) - len(checklist_forms), len(order)))


def test_files_are_made_in_the_background_until_the_build_waits(tmp_path: Path) -> None:
    cache = ArtifactCache(tmp_path)
    pages_rendered = threading.Event()

    def produce(path: Path) -> None:
        assert pages_rendered.wait(10), "the build waited for the file before rendering pages"
        path.write_bytes(b"%PDF")

    pending = cache.start([Artifact("metodika-1.0.pdf", ("1",), produce)])
    assert not pending.paths["metodika-1.0.pdf"].exists()
    pages_rendered.set()
    assert pending.wait()["metodika-1.0.pdf"].read_bytes() == b"%PDF"


def test_a_background_failure_is_raised_when_the_build_waits(tmp_path: Path) -> None:
    def fail(path: Path) -> None:
        raise RuntimeError("Typst failed")

    pending = ArtifactCache(tmp_path).start([Artifact("metodika-1.0.pdf", ("1",), fail)])
    with pytest.raises(RuntimeError, match="Typst failed"):
        pending.wait()


def test_a_result_asked_for_while_it_is_computed_is_computed_once() -> None:
    results: RecentResults[str] = RecentResults(2)
    started, release, calls = threading.Event(), threading.Event(), []

    def slow() -> str:
        calls.append(1)
        started.set()
        release.wait(10)
        return "dokument"

    first: list[str] = []
    thread = threading.Thread(target=lambda: first.append(results.get("a", slow)))
    thread.start()
    started.wait(10)
    second = threading.Thread(target=lambda: first.append(results.get("a", slow)))
    second.start()
    release.set()
    thread.join(10)
    second.join(10)
    assert first == ["dokument", "dokument"]
    assert len(calls) == 1


def test_only_the_last_results_are_kept_and_never_for_another_knowledge_base() -> None:
    results: RecentResults[str] = RecentResults(2)
    for key in ("a", "b", "c"):
        results.get(key, lambda key=key: key)
    assert results.get("a", lambda: "again") == "again"  # "a" was the oldest of three

    class Knowledge:
        pass

    old, new = Knowledge(), Knowledge()
    assert results.get_about(old, ("glossary",), lambda: "old") == "old"
    assert results.get_about(new, ("glossary",), lambda: "new") == "new"
    assert results.get_about(old, ("glossary",), lambda: "recomputed") == "old"
