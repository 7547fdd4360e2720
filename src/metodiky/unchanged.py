"""Values computed from a file, remembered while the file stays as it was.

`serve` reloads the project after every edit; at 150 methodologies reading every file again
takes seconds. A file counts as unchanged while its size, modification time and inode stay: an
editor saving it changes the time, one writing a new file the inode. `check` and `build` run in
a new process, so they read every file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


def stat_signature(info: os.stat_result) -> tuple[int, int, int]:
    """What tells a file's versions apart without reading it: size, modification time, inode."""
    return info.st_size, info.st_mtime_ns, info.st_ino


class PerFile(Generic[T]):
    """A value per file path, computed again only when the file's stat signature changed."""

    def __init__(self, limit: int = 50_000):
        self.limit = limit
        self._kept: dict[str, tuple[tuple[int, int, int], T]] = {}

    def get(self, path: Path, compute: Callable[[Path], T]) -> T:
        """The value for `path`; raises OSError when the file cannot be read."""
        signature = stat_signature(path.stat())
        kept = self._kept.get(str(path))
        if kept is None or kept[0] != signature:
            if len(self._kept) >= self.limit:
                self._kept.clear()
            kept = (signature, compute(path))
            self._kept[str(path)] = kept
        return kept[1]
