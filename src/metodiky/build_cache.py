"""Cache of slow build artifacts (PDFs, Word files), keyed on what they are made from.

Rendering a PDF's Typst source takes several pandoc runs, so the key must be known before any
rendering: it is a hash of the validated content the files are made of, of our own code and
templates, and of the versions of the tools that convert them. Any change to any of these makes
a new key; nothing is ever reused on a guess.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from importlib import metadata, resources
from pathlib import Path

from .model import KnowledgeBase

# Converters whose upgrade may change the output.
TOOL_DISTRIBUTIONS = ("pypandoc_binary", "typst", "segno")


def content_fingerprint(knowledge: KnowledgeBase) -> str:
    """A hash of everything PDFs and Word files are made of: methodologies (all versions), tools,
    glossary. The models are frozen and validated, so their repr is complete and deterministic."""
    parts = (
        knowledge.methodologies,
        knowledge.shared_checklists,
        knowledge.shared_trees,
        knowledge.glossary,
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()


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
        and path.suffix in (".py", ".typ", ".js")
        and "__pycache__" not in path.parts
    ]


class ArtifactCache:
    """One file per artifact name under a folder; older variants of the same name are removed."""

    def __init__(self, folder: Path, suffix: str):
        self.folder = folder
        self.suffix = suffix

    def path(self, name: str, *key_parts: str) -> Path:
        """Where the artifact made from these inputs is (or would be) stored."""
        digest = hashlib.sha256("\0".join((code_fingerprint(), *key_parts)).encode())
        return self.folder / f"{name}-{digest.hexdigest()[:16]}{self.suffix}"

    def get(self, name: str, key_parts: tuple[str, ...], produce: Callable[[Path], None]) -> bytes:
        """The cached bytes, after `produce(path)` has written them if they were missing."""
        path = self.path(name, *key_parts)
        if not path.is_file():
            self.folder.mkdir(parents=True, exist_ok=True)
            partial = path.with_name(f".{path.name}.partial")
            produce(partial)
            partial.replace(path)  # a killed build never leaves a truncated file under a valid key
            variant = re.compile(rf"{re.escape(name)}-[0-9a-f]{{16}}{re.escape(self.suffix)}")
            for stale in self.folder.iterdir():
                if stale != path and variant.fullmatch(stale.name):
                    stale.unlink()
        return path.read_bytes()
