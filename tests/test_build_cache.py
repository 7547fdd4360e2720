"""PDFs and Word files are rebuilt exactly when something they are made of changed."""

from __future__ import annotations

import io
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import make_project, run_cli
from metodiky.build_cache import Artifact, ArtifactCache

GLOSSARY = Path("glossary/spolecne.yml")
OLD_TERM = "term: depistáž"
NEW_TERM = "term: vyhledávání v terénu"
OLD_DEFINITION = "Aktivní vyhledávání lidí, kteří potřebují pomoc, v jejich prostředí."
NEW_DEFINITION = "Soustavné hledání lidí v nouzi tam, kde se zdržují."


@pytest.fixture(scope="module")
def released(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini project with version 2.3 released (so it has a version PDF and Word file), built."""
    project = make_project(tmp_path_factory.mktemp("cache") / "project")
    result = run_cli("release", "--root", str(project), "zkusebni", "2.3", "--date", "2026-10-01")
    assert result.exit_code == 0, result.output
    result = run_cli("build", "--root", str(project))
    assert result.exit_code == 0, result.output
    return project


def pdf_text(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    return " ".join(re.sub(r"<[^>]+>", "", xml).split())


def test_an_unchanged_project_rebuilds_without_running_pandoc_or_typst(
    released: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = released / "site"
    before = {path.name: path.read_bytes() for path in site.glob("*.pdf")}
    before |= {path.name: path.read_bytes() for path in site.rglob("*.docx")}

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("a cached file was converted again")

    monkeypatch.setattr("pypandoc.convert_text", refuse)
    typst_refuses = "import sys; sys.exit('a cached PDF was compiled again')"
    monkeypatch.setattr(
        "metodiky.render.typst_process.COMMAND", (sys.executable, "-c", typst_refuses)
    )
    result = run_cli("build", "--root", str(released))

    assert result.exit_code == 0, result.output
    after = {path.name: path.read_bytes() for path in site.glob("*.pdf")}
    after |= {path.name: path.read_bytes() for path in site.rglob("*.docx")}
    assert set(before) >= {"prirucka.pdf", "zkusebni-2.3.pdf", "zkusebni-2.3.docx"}
    assert after == before


def test_a_glossary_edit_reaches_the_handbook_but_not_the_files_of_a_release(
    released: Path, tmp_path: Path
) -> None:
    """A released version's PDF and Word file were frozen by `release`: a trainer's page
    number in them must not move when the glossary changes later; the handbook follows it."""
    project = Path(shutil.copytree(released, tmp_path / "project", symlinks=True))
    site = project / "site"
    assert OLD_DEFINITION in pdf_text(site / "prirucka.pdf")
    assert "depistáž" in docx_text(site / "zkusebni-2.3.docx")
    frozen = {
        name: (site / name).read_bytes() for name in ("zkusebni-2.3.pdf", "zkusebni-2.3.docx")
    }

    _rename_term(project)
    result = run_cli("build", "--root", str(project))

    assert result.exit_code == 0, result.output
    handbook = pdf_text(site / "prirucka.pdf")
    assert NEW_DEFINITION in handbook and OLD_DEFINITION not in handbook
    assert {name: (site / name).read_bytes() for name in frozen} == frozen


def test_a_release_without_frozen_files_follows_the_glossary(
    released: Path, tmp_path: Path
) -> None:
    """A version released before files were frozen is made by every build, from today's glossary."""
    project = Path(shutil.copytree(released, tmp_path / "project", symlinks=True))
    shutil.rmtree(project / "methodology/zkusebni/ke-stazeni")
    (project / "methodology/zkusebni/ke-stazeni.yml").unlink()

    _rename_term(project)
    result = run_cli("build", "--root", str(project))

    assert result.exit_code == 0, result.output
    word = docx_text(project / "site/zkusebni-2.3.docx")
    assert "vyhledávání v terénu" in word and "depistáž" not in word


def _rename_term(project: Path) -> None:
    glossary = project / GLOSSARY
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(
        text.replace(OLD_DEFINITION, NEW_DEFINITION).replace(OLD_TERM, NEW_TERM), encoding="utf-8"
    )


def test_a_build_killed_while_writing_leaves_no_file_under_a_valid_key(tmp_path: Path) -> None:
    cache = ArtifactCache(tmp_path)

    def crash(path: Path) -> None:
        path.write_bytes(b"%PDF-1.7 half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        cache.ensure([Artifact("prirucka.pdf", ("obsah",), crash)])
    whole = Artifact("prirucka.pdf", ("obsah",), lambda path: path.write_bytes(b"%PDF whole"))
    assert not cache.path(whole).exists()
    assert cache.ensure([whole])["prirucka.pdf"].read_bytes() == b"%PDF whole"


def test_a_failure_is_reported_and_the_files_made_meanwhile_stay_valid(tmp_path: Path) -> None:
    cache = ArtifactCache(tmp_path)

    def fail(path: Path) -> None:
        raise RuntimeError("pandoc failed")

    good = Artifact("docx/seznam.docx", ("1",), lambda path: path.write_bytes(b"form"))
    with pytest.raises(RuntimeError, match="pandoc failed"):
        cache.ensure([good, Artifact("prirucka.pdf", ("1",), fail)], workers=1)
    assert cache.path(good).read_bytes() == b"form"


def test_a_new_variant_replaces_the_old_one_but_not_other_files(tmp_path: Path) -> None:
    cache = ArtifactCache(tmp_path)
    cache.ensure([Artifact("metodika.pdf", ("1",), lambda path: path.write_bytes(b"one"))])
    cache.ensure([Artifact("metodika-1.0.pdf", ("1",), lambda path: path.write_bytes(b"version"))])
    cache.ensure([Artifact("metodika.docx", ("1",), lambda path: path.write_bytes(b"word"))])
    cache.ensure([Artifact("metodika.pdf", ("2",), lambda path: path.write_bytes(b"two"))])

    kept = sorted(path.read_bytes() for path in tmp_path.iterdir())
    assert kept == [b"two", b"version", b"word"]


# --- which files an edit rebuilds (keys only: no pandoc, no Typst) ---------------------------

SITE_URL = "https://metodiky.example/"


def variants(knowledge, tmp_path: Path) -> dict[str, Path]:
    """Where each PDF and Word file's cached variant for this content is stored."""
    from metodiky.build_cache import ContentKeys
    from metodiky.publish import pdf_files, word_files, workshop_files

    keys = ContentKeys(knowledge)
    made = pdf_files(knowledge, SITE_URL, keys)
    made += word_files(knowledge, keys, SITE_URL)
    made += workshop_files(knowledge, SITE_URL, keys)
    cache = ArtifactCache(tmp_path)
    return {artifact.site_path: cache.path(artifact) for artifact in made}


def rebuilt_by(knowledge, edited, tmp_path: Path) -> set[str]:
    """Site paths of the PDFs and Word files whose cached variant an edit makes stale."""
    before, after = variants(knowledge, tmp_path), variants(edited, tmp_path)
    assert set(before) == set(after)
    return {path for path in before if before[path] != after[path]}


def thawed(knowledge):
    """The knowledge base as if no released version had frozen files: the build makes them."""
    from dataclasses import replace

    methodologies = tuple(replace(m, downloads=()) for m in knowledge.methodologies)
    return replace(knowledge, methodologies=methodologies)


def edit_chapter(knowledge, slug: str, change):
    """The knowledge base with the first chapter of one methodology's current text changed."""
    from dataclasses import replace

    methodologies = []
    for methodology in knowledge.methodologies:
        if methodology.slug == slug:
            first, *rest = methodology.chapters
            methodology = replace(methodology, chapters=(change(first), *rest))
        methodologies.append(methodology)
    return replace(knowledge, methodologies=tuple(methodologies))


def test_editing_a_chapters_text_rebuilds_the_handbook_and_its_own_pack_only(
    knowledge, tmp_path: Path
) -> None:
    from dataclasses import replace

    edited = edit_chapter(
        knowledge,
        "kontaktni-prace",
        lambda chapter: replace(chapter, markdown=chapter.markdown + "\nNová věta.\n"),
    )

    rebuilt = rebuilt_by(knowledge, edited, tmp_path)

    # Released versions are frozen copies; other methodologies do not show this text.
    assert rebuilt == {
        "prirucka.pdf",
        "skoleni/kontaktni-prace.pdf",
        "skoleni/kontaktni-prace.docx",
    }


def test_renaming_a_section_rebuilds_every_file_that_may_show_its_title(
    knowledge, tmp_path: Path
) -> None:
    from dataclasses import replace

    def rename(chapter):
        heading = replace(chapter.headings[0], title="Nový název kapitoly")
        return replace(chapter, headings=(heading, *chapter.headings[1:]))

    unfrozen = thawed(knowledge)
    edited = edit_chapter(unfrozen, "kontaktni-prace", rename)

    rebuilt = rebuilt_by(unfrozen, edited, tmp_path)

    # A link or citation in another methodology's PDF prints the title: a stale one must not stay.
    assert {"prirucka.pdf", "cochemska-praxe-1.1.pdf", "male-obce-1.0.docx"} <= rebuilt
    assert not any(path.startswith("docx/") for path in rebuilt)  # checklist forms show no titles


def test_a_glossary_edit_rebuilds_every_methodology_file_but_frozen_releases(
    knowledge, tmp_path: Path
) -> None:
    from dataclasses import replace

    from metodiky.frozen_downloads import download_names

    entry, *others = knowledge.glossary
    changed = entry.model_copy(update={"definition": entry.definition + " Doplněno."})
    unfrozen = thawed(knowledge)

    rebuilt = rebuilt_by(unfrozen, replace(unfrozen, glossary=(changed, *others)), tmp_path)

    # Every PDF and Word file has the glossary (or its terms); checklist forms do not.
    assert rebuilt == {
        path for path in variants(unfrozen, tmp_path) if not path.startswith("docx/")
    }
    assert {"prirucka.pdf", "kontaktni-prace-1.0.pdf", "male-obce-1.1.docx"} <= rebuilt
    assert "skoleni/cochemska-praxe.pdf" in rebuilt
    # The project's releases are frozen: their files are published as released.
    releases = {
        name
        for methodology in knowledge.methodologies
        for record in methodology.downloads
        for name in record.files
    }
    assert releases == {
        name
        for methodology in knowledge.methodologies
        for release in methodology.releases
        for name in download_names(methodology.slug, release.version)
    }
    rebuilt = rebuilt_by(knowledge, replace(knowledge, glossary=(changed, *others)), tmp_path)
    assert (
        rebuilt
        == {path for path in variants(knowledge, tmp_path) if not path.startswith("docx/")}
        - releases
    )
