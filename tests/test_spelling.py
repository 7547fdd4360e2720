"""Spelling of all Czech content against Debian's Czech Hunspell dictionary and the project word lists."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import REPO

DICTIONARY = Path("/usr/share/hunspell/cs_CZ.dic")
WORD_LISTS = REPO / "tests" / "spelling"
NOT_PROSE_KEYS = {
    "chapters",
    "id",
    "next",
    "start",
    "section",
    "term",
    "checklist",
    "tree",
    "see_also",
    "version",
}
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
STRIPPED = [
    re.compile(r"\{\s*[#.][^}]*\}"),  # heading ids and attribute lists
    re.compile(r"\{\{.*?\}\}|\{%.*?%\}"),  # macros
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"https?://\S+"),
    re.compile(r"<[^>]+>"),
    re.compile(r"^\s*(!!!|\?\?\?)\+?\s+\w+"),  # admonition keyword, the title stays
]


def prose_lines(path: Path) -> list[tuple[int, str]]:
    """The human-written text of a content file with its line numbers."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return list(_markdown_prose(text))
    return list(_yaml_prose(text))


def _markdown_prose(text: str):
    fenced = False
    front_matter = text.startswith("---\n")
    for number, line in enumerate(text.split("\n"), start=1):
        if front_matter:
            front_matter = not (number > 1 and line == "---")
            continue
        if re.match(r"^\s*(```|~~~)", line):
            fenced = not fenced
            continue
        if fenced:
            continue
        for pattern in STRIPPED:
            line = pattern.sub(" ", line)
        yield number, line


def _yaml_prose(text: str):
    lines = text.split("\n")
    strings: set[str] = set()

    def collect(value, key=None):
        if isinstance(value, dict):
            for k, v in value.items():
                if k != "safety":  # topic and section ids, not prose
                    collect(v, k)
        elif isinstance(value, list):
            for item in value:
                collect(item, key)
        elif isinstance(value, str) and key not in NOT_PROSE_KEYS:
            strings.add(value)

    collect(yaml.safe_load(text))
    words = {word for string in strings for word in WORD.findall(string)}
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith("#"):
            continue
        kept = [word for word in WORD.findall(line) if word in words]
        yield number, " ".join(kept)


def content_files() -> list[Path]:
    folders = [REPO / "methodology", REPO / "glossary", REPO / "docs"]
    files = [p for folder in folders for p in folder.rglob("*") if p.suffix in (".md", ".yml")]
    # Released versions (vydani/) are frozen copies of text that was checked when it was current.
    return sorted(
        p
        for p in files
        if not any(part.startswith(".") or part == "vydani" for part in p.relative_to(REPO).parts)
        and p.name not in ("vydani.yml", "ke-stazeni.yml")  # fingerprints written by the tools
    )


@pytest.fixture(scope="module")
def personal_dictionary(tmp_path_factory: pytest.TempPathFactory) -> Path:
    words = sorted(
        {
            w.strip()
            for f in WORD_LISTS.glob("*.txt")
            for w in f.read_text("utf-8").split("\n")
            if w.strip()
        }
    )
    path = tmp_path_factory.mktemp("spelling") / "words.dic"
    path.write_text("\n".join(words) + "\n", encoding="utf-8")
    return path


def test_czech_dictionary_is_installed() -> None:
    assert shutil.which("hunspell") and DICTIONARY.is_file(), (
        "Spell-checking needs Debian's hunspell and hunspell-cs: sudo apt-get install hunspell hunspell-cs"
    )


def test_content_is_spelled_correctly(personal_dictionary: Path) -> None:
    prose = {path: prose_lines(path) for path in content_files()}
    text = "\n".join(line for lines in prose.values() for _, line in lines)
    result = subprocess.run(  # one run for all files: loading the dictionary is the slow part
        ["hunspell", "-d", str(DICTIONARY.with_suffix("")), "-p", str(personal_dictionary), "-l"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    )
    unknown = set(result.stdout.split())
    findings = [
        f"{path.relative_to(REPO)}:{number}: {word}"
        for path, lines in prose.items()
        for number, line in lines
        for word in WORD.findall(line)
        if word in unknown
    ]
    assert not findings, (
        "Unknown words (fix them or add real terms to tests/spelling/*.txt):\n"
        + "\n".join(findings)
    )


def test_word_lists_are_sorted_and_unique() -> None:
    for path in WORD_LISTS.glob("*.txt"):
        words = [w for w in path.read_text(encoding="utf-8").split("\n") if w]
        assert len(words) == len(set(words)), f"{path.name} has duplicates"
