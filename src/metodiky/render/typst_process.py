"""Typst compilation in a child process.

Typst lays out the whole document in memory; for a PDF of hundreds of pages that is gigabytes
which, compiled inside the build, stay with the build process until it ends (the allocator
keeps what it freed). A child returns its memory to the system as soon as the PDF is written,
and two PDFs compiled side by side never add up inside one process.

A long-lived worker compiling many PDFs would save little (measured for #24): starting the
child and finding the fonts cost about 0.05 s of CPU per PDF against 0.6–1.3 s of layout per
methodology version, while a reused compiler keeps its caches (over 1 GiB after eight versions).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

# The child: this module run as a script (tests replace it to simulate a crashing compiler).
COMMAND = (sys.executable, "-m", "metodiky.render.typst_process")


class TypstFailed(Exception):
    """Typst did not produce the PDF; the message is Typst's own or how the child ended."""


def compile_typst(source: Path, root: Path, output: Path) -> None:
    """Compile a Typst file to a PDF file in a child process; raise TypstFailed on failure."""
    result = subprocess.run(
        [*COMMAND, str(source), str(root), str(output)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode == 0:
        return
    if result.returncode < 0:
        name = signal.Signals(-result.returncode).name
        raise TypstFailed(f"překladač Typst byl ukončen signálem {name} (nedostatek paměti?)")
    raise TypstFailed(result.stderr.strip() or f"překladač Typst skončil kódem {result.returncode}")


def main(arguments: list[str]) -> int:
    """Entry point of the child: compile `source` under `root` into `output`."""
    import typst

    source, root, output = arguments
    try:
        typst.compile(source, output=output, root=root, format="pdf")
    except Exception as error:  # typst raises its own error types; all mean the same to us
        sys.stderr.write(str(error))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
