"""One error type for content problems, reported to authors as `path:line:col: message`."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class ContentError:
    """A problem in a content file that an author can fix."""

    path: str
    line: int
    column: int
    message: str
    hint: str = ""

    def format(self) -> str:
        """Render the error the way compilers do, so editors can jump to it."""
        text = f"{self.path}:{self.line}:{self.column}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class ContentErrors(Exception):
    """Raised once with every content problem found, never one at a time."""

    def __init__(self, errors: list[ContentError]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(error.format() for error in self.errors))


def quoted(value: object) -> str:
    """A value as authors read it in a message: in Czech quotes, control characters escaped."""
    text = "".join(
        repr(char)[1:-1] if unicodedata.category(char) == "Cc" else char for char in str(value)
    )
    return f"„{text}“"


def plural(count: int, one: str, few: str, many: str) -> str:
    """A count with the Czech noun form it takes: 1 položka, 2 položky, 5 položek."""
    if count == 1:
        return f"{count} {one}"
    return f"{count} {few if 2 <= count <= 4 else many}"


def display_path(path: Path, root: Path | None = None) -> str:
    """Show a path relative to the project root when possible, as authors see it in the repo."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.as_posix()
