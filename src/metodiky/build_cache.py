"""Cache of slow build artifacts (PDFs, Word files), keyed on what they are made from.

Rendering a PDF's Typst source takes several pandoc runs, so the key must be known before any
rendering: it is a hash of the validated content the files are made of, of our own code and
templates, and of the versions of the tools that convert them. Any change to any of these makes
a new key; nothing is ever reused on a guess.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path, PurePosixPath

from .model import MACRO_CALL, Heading, KnowledgeBase, Methodology

# Converters whose upgrade may change the output.
TOOL_DISTRIBUTIONS = ("pypandoc_binary", "typst", "segno")


def content_fingerprint(knowledge: KnowledgeBase) -> str:
    """A hash of everything PDFs and Word files are made of: methodologies (all versions), tools,
    glossary, workshops, laws and site pages. The models are frozen and validated, so their repr
    is complete and deterministic."""
    return _digest(
        *knowledge.methodologies,
        knowledge.shared_checklists,
        knowledge.shared_trees,
        knowledge.glossary,
        knowledge.workshops,
        knowledge.laws,  # the handbook's law index
        knowledge.site_pages,  # the handbook carries the shared pages and Začínám
    )


class ContentKeys:
    """Fingerprints of the parts of the knowledge base one PDF or Word file is made of.

    A file about one methodology shows that methodology's text, and from everywhere else only
    what the outline holds: titles of chapters and sections (link labels, citations), tools
    (embedded by id from any methodology), where each tool is embedded (its citation), the
    glossary, laws and shared pages. So editing the text of one chapter rebuilds the files of its
    own methodology and the full handbook, not every other methodology's files.
    """

    def __init__(self, knowledge: KnowledgeBase):
        self.knowledge = knowledge

    @functools.cached_property
    def everything(self) -> str:
        """The key of files made of the whole knowledge base (the full handbook)."""
        return content_fingerprint(self.knowledge)

    @functools.cached_property
    def outline(self) -> str:
        """What any file may show from outside its own methodology."""
        knowledge = self.knowledge
        return _digest(
            *(_methodology_outline(methodology) for methodology in knowledge.methodologies),
            knowledge.shared_checklists,
            knowledge.shared_trees,
            knowledge.glossary,
            knowledge.laws,
            knowledge.site_pages,
        )

    def of(self, methodology: Methodology, version: str | None = None) -> str:
        """The key of a file about one methodology (one released version, or its current text)."""
        content = methodology.editions[version] if version else _without_editions(methodology)
        return _digest(self.outline, methodology.slug, version, content)


def _methodology_outline(methodology: Methodology) -> tuple:
    chapters = tuple(
        (
            chapter.name,
            chapter.id,
            chapter.title,
            heading_titles(chapter.headings),
            MACRO_CALL.findall(chapter.markdown),
        )
        for chapter in methodology.chapters
    )
    tools = (methodology.checklists, methodology.trees)
    return (methodology.slug, methodology.manifest, methodology.releases, chapters, tools)


def heading_titles(headings: tuple[Heading, ...]) -> tuple[tuple[int, str, str | None], ...]:
    """Headings as other pages show them: without their line, which any added line shifts."""
    return tuple((heading.level, heading.title, heading.id) for heading in headings)


def _without_editions(methodology: Methodology) -> Methodology:
    # The frozen copies of released versions are not part of the current text.
    return dataclasses.replace(methodology, editions={})


def _digest(*parts: object) -> str:
    """SHA-256 of the parts' reprs, fed one by one (at scale the whole repr would be huge)."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\0")
    return digest.hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """A hash of the package's code and templates and of the converters' versions."""
    digest = hashlib.sha256()
    package = resources.files(__package__)
    for path in sorted(_package_files(Path(str(package)))):
        digest.update(path.name.encode() + path.read_bytes())
    for distribution in TOOL_DISTRIBUTIONS:
        try:
            digest.update(f"{distribution}={metadata.version(distribution)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{distribution}=?".encode())
    return digest.hexdigest()


def _package_files(folder: Path) -> list[Path]:
    return [
        path
        for path in folder.rglob("*")
        if path.is_file()
        and path.suffix in (".py", ".typ", ".js", ".csl")
        and "__pycache__" not in path.parts
    ]


@dataclass(frozen=True)
class Artifact:
    """A file of the site made by a slow converter: where it goes, what it is made of, and how."""

    site_path: str  # e.g. `prirucka.pdf` or `docx/kp-predani-klienta.docx`
    key: tuple[str, ...]
    produce: Callable[[Path], None]  # writes the file to the path it is given
    frozen: Path | None = None  # a file kept in the project, published as it is (never made)


class ArtifactCache:
    """Made files under a folder, one variant per site path; older variants are removed."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, artifact: Artifact) -> Path:
        """Where the artifact made from its inputs is (or would be) stored."""
        if artifact.frozen is not None:
            return artifact.frozen
        site_path = PurePosixPath(artifact.site_path)
        digest = hashlib.sha256("\0".join((code_fingerprint(), *artifact.key)).encode())
        name = f"{site_path.stem}-{digest.hexdigest()[:16]}{site_path.suffix}"
        return self.folder.joinpath(*site_path.parent.parts, name)

    def ensure(self, artifacts: Sequence[Artifact], workers: int | None = None) -> dict[str, Path]:
        """Make the missing artifacts, several at a time (pandoc and Typst run outside Python's
        lock); return where each one is. The first failure stops the rest and is raised."""
        return self.start(artifacts, workers).wait()

    def start(self, artifacts: Sequence[Artifact], workers: int | None = None) -> PendingArtifacts:
        """Begin making the missing artifacts in background threads, one per core, in the
        order given; the build renders its pages meanwhile and waits for them at the end."""
        missing = [artifact for artifact in artifacts if not self.path(artifact).is_file()]
        paths = {artifact.site_path: self.path(artifact) for artifact in artifacts}
        if not missing:
            return PendingArtifacts(paths, None, [])
        pool = ThreadPoolExecutor(
            max_workers=workers or os.cpu_count() or 1, thread_name_prefix="metodiky-soubory"
        )
        return PendingArtifacts(paths, pool, [pool.submit(self._make, a) for a in missing])

    def _make(self, artifact: Artifact) -> None:
        path = self.path(artifact)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.partial")
        artifact.produce(partial)
        partial.replace(path)  # a killed build never leaves a truncated file under a valid key
        stem, suffix = PurePosixPath(artifact.site_path).stem, path.suffix
        variant = re.compile(rf"{re.escape(stem)}-[0-9a-f]{{16}}{re.escape(suffix)}")
        for stale in path.parent.iterdir():
            if stale != path and variant.fullmatch(stale.name):
                stale.unlink()


class PendingArtifacts:
    """Artifacts being made in the background: `paths` says where each one will be."""

    def __init__(self, paths: dict[str, Path], pool: ThreadPoolExecutor | None, futures: list):
        self.paths = paths
        self._pool = pool
        self._futures = futures

    def wait(self) -> dict[str, Path]:
        """Wait until every artifact is made; the first failure stops the rest and is raised."""
        try:
            for future in as_completed(self._futures):
                future.result()
        except BaseException:
            self.cancel()
            raise
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        return self.paths

    def cancel(self) -> None:
        """Drop the artifacts not yet started and wait for the running ones (a failed build)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
