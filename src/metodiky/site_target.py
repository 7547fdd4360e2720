"""Where a build may write: never over the project's sources, never over a folder it did not make.

The build replaces its output folder whole (see `cli._replace_directory`), so the folder must be
one that only ever held a built site. Concurrent builds into one folder are refused, not interleaved.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Written into every built site; a non-empty folder without it was not made by `metodiky build`.
BUILD_STAMP = ".metodiky-build"
BUILD_STAMP_TEXT = (
    "Tuto složku vytvořil příkaz metodiky build; celá se při dalším sestavení nahradí.\n"
)
# Folders of a project that hold sources, code or history; a site may not be built into them.
SOURCE_FOLDERS = (
    "docs",
    "methodology",
    "glossary",
    "registry",
    "macros",
    "overrides",
    "src",
    "tests",
    "schemas",
    "deploy",
    "bench",
    ".git",
)
DEFAULT_SITE = "site"


class BuildLocked(Exception):
    """Another build is writing the same output folder right now."""


def site_dir_problem(root: Path, target: Path) -> str:
    """Why `target` must not receive a build of the project at `root`, or "" when it may."""
    root, target = root.resolve(), target.resolve()
    if target == root or root.is_relative_to(target):
        return f"cílová složka {target} obsahuje samotný projekt; sestavení by smazalo jeho zdroje"
    for name in SOURCE_FOLDERS:
        source = (root / name).resolve()
        if target.is_relative_to(source):
            return f"cílová složka {target} leží ve složce projektu {name}/; zvolte jinou složku"
    if target.exists() and not target.is_dir():
        return f"cílová složka {target} existuje a není to složka"
    if target.is_dir():
        if (target / ".git").exists():
            return f"cílová složka {target} obsahuje repozitář git; sestavení by ho smazalo"
        made_by_us = (target / BUILD_STAMP).is_file() or target == root / DEFAULT_SITE
        if not made_by_us and any(target.iterdir()):
            return (
                f"cílová složka {target} není prázdná a nevytvořilo ji sestavení metodik "
                f"(chybí v ní soubor {BUILD_STAMP}); zvolte prázdnou nebo novou složku"
            )
    return ""


def stamp_build(folder: Path) -> None:
    """Mark a freshly built site as ours, so that the next build may replace it."""
    (folder / BUILD_STAMP).write_text(BUILD_STAMP_TEXT, encoding="utf-8")


@contextmanager
def build_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on `target` for the whole build; the kernel drops it if we die."""
    lock = target.parent / f".metodiky-{target.name}.lock"
    with lock.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(
                f"do složky {target} právě sestavuje web jiný proces; počkejte, až skončí"
            ) from None
        yield
