"""A synthetic N× project: the real project with each methodology present N times.

Clones get new slugs (`<slug>-kopie-N`), codes, titles („(kopie N)“) and ids (suffix `-kN`) in
chapters, checklists, trees and released versions alike, so every id stays unique and
`metodiky check` passes. Run it with the Python of the design whose project it copies, so the
released copies' fingerprints are recomputed by that design's own `metodiky.releases`:

    python bench/scaled_project.py SOURCE_ROOT DESTINATION SCALE
"""

from __future__ import annotations

import itertools
import re
import shutil
import string
import sys
from pathlib import Path

import yaml

# What a project is besides its methodologies; the code, tests and tooling stay behind.
NOT_PROJECT = {
    ".git", ".github", ".ci", ".venv", ".venv-latest", ".cache", ".helpers", "site", "src",
    "tests", "bench", "deploy", "methodology",
}  # fmt: skip
HEADING_ID = re.compile(r"\{#([a-z0-9]+(?:-[a-z0-9]+)*)\}")


def make_scaled_project(source: Path, destination: Path, scale: int) -> Path:
    """The project at `source` with each methodology present `scale` times (originals plus clones)."""
    destination.mkdir(parents=True)
    for path in sorted(source.iterdir()):
        if path.name in NOT_PROJECT or path.name.endswith(".egg-info"):
            continue
        if path.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", ".site-*", ".metodiky-*.lock")
            shutil.copytree(path, destination / path.name, ignore=ignore)
        else:
            shutil.copy2(path, destination / path.name)
    originals = sorted(path.parent for path in (source / "methodology").glob("*/metodika.yml"))
    codes = _unused_codes(originals)
    for folder in originals:
        shutil.copytree(folder, destination / "methodology" / folder.name)
        for copy in range(1, scale):
            clone_methodology(folder, destination / "methodology", copy, next(codes))
    return destination


def clone_methodology(source: Path, methodology_root: Path, copy: int, code: str) -> Path:
    """Copy a methodology under a new slug, code and title, with every id it defines renamed."""
    slug = f"{source.name}-kopie-{copy}"
    target = methodology_root / slug
    shutil.copytree(source, target)
    defined = _defined_ids(target)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, defined)) + r")(?=--|[^\w-]|$)")
    for path in sorted(target.rglob("*")):
        if path.suffix == ".yml" and path.stem in defined:
            path = path.rename(path.with_name(f"{path.stem}-k{copy}.yml"))
        if path.suffix not in (".md", ".yml") or not path.is_file():
            continue
        text = pattern.sub(rf"\1-k{copy}", path.read_text(encoding="utf-8"))
        text = text.replace(f"../{source.name}/", f"../{slug}/")
        if path.name == "metodika.yml":
            text = _rename_manifest(text, copy, code)
        path.write_text(text, encoding="utf-8")
    _refresh_release_fingerprints(target)
    _rename_frozen_downloads(target, source.name)
    return target


def _defined_ids(folder: Path) -> set[str]:
    """Section, checklist and tree ids a methodology folder defines (all its versions)."""
    ids = {
        path.stem for path in folder.rglob("*.yml") if path.parent.name in ("checklists", "trees")
    }
    for chapter in folder.rglob("*.md"):
        ids.update(HEADING_ID.findall(chapter.read_text(encoding="utf-8")))
    return ids


def _rename_manifest(text: str, copy: int, code: str) -> str:
    text = re.sub(r"^(title|short_title): (.*)$", rf"\1: \2 (kopie {copy})", text, flags=re.M)
    text = re.sub(r"^code: .*$", f"code: {code}", text, flags=re.M)
    return re.sub(
        r"^order: (\d+)$", lambda m: f"order: {int(m.group(1)) + 10 * copy}", text, flags=re.M
    )


def _refresh_release_fingerprints(folder: Path) -> None:
    """Released copies were renamed too: record their new hashes as `metodiky release` would."""
    from metodiky.releases import RELEASES_FILE, fingerprint, snapshot_folder

    path = folder / RELEASES_FILE
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    records = yaml.safe_load(text) or []
    for record in records:
        record["hash"], record["files"] = fingerprint(
            snapshot_folder(folder, str(record["version"]))
        )
    dumped = yaml.safe_dump(records, allow_unicode=True, sort_keys=False)
    path.write_text(header + dumped, encoding="utf-8")


def _rename_frozen_downloads(folder: Path, original: str) -> None:
    """A clone keeps its original's frozen PDF and Word files (a real release has its own, made
    once at release), under its own names and tied to its renamed releases' fingerprints."""
    from metodiky.frozen_downloads import DOWNLOADS_DIR, DOWNLOADS_FILE

    path = folder / DOWNLOADS_FILE
    if not path.is_file():
        return
    text = path.read_text(encoding="utf-8")
    header = "".join(line + "\n" for line in text.splitlines() if line.startswith("#"))
    hashes = {
        str(record["version"]): record["hash"]
        for record in yaml.safe_load((folder / "vydani.yml").read_text(encoding="utf-8"))
    }
    records = yaml.safe_load(text) or []
    for record in records:
        record["release_hash"] = hashes[str(record["version"])]
        renamed = {}
        for name, digest in record["files"].items():
            new_name = folder.name + name.removeprefix(original)
            (folder / DOWNLOADS_DIR / name).rename(folder / DOWNLOADS_DIR / new_name)
            renamed[new_name] = digest
        record["files"] = renamed
    dumped = yaml.safe_dump(records, allow_unicode=True, sort_keys=False)
    path.write_text(header + dumped, encoding="utf-8")


def _unused_codes(originals: list[Path]):
    taken = {
        yaml.safe_load((folder / "metodika.yml").read_text(encoding="utf-8"))["code"]
        for folder in originals
    }
    letters = string.ascii_uppercase
    for length in (3, 4):
        for letters_ in itertools.product(letters, repeat=length):
            code = "".join(letters_)
            if code not in taken:
                yield code


if __name__ == "__main__":
    source_root, target, size = sys.argv[1:]
    make_scaled_project(Path(source_root), Path(target), int(size))
