"""Legal citations: found in any content text, checked against the law registry, linked to the law.

A citation names an item of the Collection of Laws by its designation (`zákona č. 108/2006 Sb.`)
or, after a paragraph sign, by a registered abbreviation or name (`§ 368 TZ`, `§ 368 trestního
zákoníku`). Content follows one sentence per line, so a paragraph sign must find its law on the
same line; a law that is not in `registry/zakony.yml` or a citation in another shape is an error.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel

from .errors import ContentError
from .model import KnowledgeBase, Law

_SPACE = r"[ \u00a0]"
# `zákona č. 108/2006 Sb.`, `z. 359/1999 Sb.`, `vyhlášky č. 505/2006 Sb.`, or just `108/2006 Sb.`.
_DESIGNATOR = rf"(?:(?:[Zz]ákon\w*|z\.|[Vv]yhláš\w*|[Nn]ařízení\w*){_SPACE}+(?:č\.{_SPACE}*)?)"
_DESIGNATION = re.compile(
    rf"(?P<designator>{_DESIGNATOR})?(?<![\d/])(?P<number>\d{{1,4}})/(?P<year>\d{{4}}){_SPACE}Sb\."
)
# Anything that looks like a designation, well-formed or not: `108/2006`, `108 / 2006 Sb`, `108/2006Sb.`.
_DESIGNATION_LIKE = re.compile(
    rf"(?P<designator>{_DESIGNATOR}|č\.{_SPACE}*)?(?<![\d/])(?P<number>\d{{1,4}})"
    rf"{_SPACE}*/{_SPACE}*(?P<year>(?:1[89]|20)\d{{2}})(?![\d/])(?P<tail>{_SPACE}*Sb\.?)?"
)
_PARAGRAPH = re.compile(rf"§§?(?P<space>{_SPACE}*)(?P<number>\d+[a-z]?)")


@dataclass(frozen=True)
class Mention:
    """Where on a line a law is named, and which law."""

    start: int
    end: int
    law: Law


@dataclass(frozen=True)
class Citation:
    """A paragraph (or a whole law) cited on a line: `§ 100` of 108/2006 Sb."""

    law: Law
    paragraph: str  # "§ 100", or "" when the law is cited as a whole


@dataclass(frozen=True)
class LineFindings:
    """What one line of text cites, where laws are named, and what is wrong with it."""

    mentions: tuple[Mention, ...]
    citations: tuple[Citation, ...]
    problems: tuple[tuple[int, str], ...]  # (0-based column, message)


class LawRegistry:
    """The registered laws, indexed the ways a text may name them."""

    def __init__(self, laws: tuple[Law, ...] | list[Law]):
        self.laws = tuple(laws)
        self.by_designation = {(law.number, law.year): law for law in self.laws}
        names = {law.abbreviation: law for law in self.laws if law.abbreviation}
        names.update({form: law for law in self.laws for form in law.forms})
        self.by_name = names
        alternatives = "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))
        self._name = re.compile(rf"(?<!\w)({alternatives})(?!\w)") if names else None

    def scan_text(self, text: str) -> Iterator[LineFindings]:
        """What `scan_line` finds on each line of a text that has something to find (a YAML
        field's text: lines without prose structure)."""
        if "/" in text or "§" in text:  # see scan_line; most fields have neither
            for line in text.split("\n"):
                yield self.scan_line(line)

    def scan_line(self, line: str) -> LineFindings:
        """Find the laws named on a line, the paragraphs cited, and every malformed citation."""
        if "/" not in line and "§" not in line:
            return _NOTHING  # every finding needs a designation's slash or a paragraph sign
        mentions: list[Mention] = []
        problems: list[tuple[int, str]] = []
        designations = list(_DESIGNATION.finditer(line))
        for match in designations:
            key = (int(match.group("number")), int(match.group("year")))
            law = self.by_designation.get(key)
            if law is None:
                problems.append((match.start(), _unknown_law(match)))
            else:
                mentions.append(Mention(match.start(), match.end(), law))
        well_formed = {match.start("number") for match in designations}
        for match in _DESIGNATION_LIKE.finditer(line):
            attempt = match.group("designator") or match.group("tail")
            if attempt and match.start("number") not in well_formed:
                shown = f"{match.group('number')}/{match.group('year')}"
                problems.append(
                    (
                        match.start(),
                        f"neúplná citace předpisu „{match.group(0).strip()}“: "
                        f"pište „{shown} Sb.“ (bez mezer kolem lomítka, s mezerou před „Sb.“)",
                    )
                )
        paragraphs = list(_PARAGRAPH.finditer(line))
        if paragraphs and self._name is not None:
            first = paragraphs[0].start()
            designations = [mention.end for mention in mentions]
            mentions += [
                Mention(match.start(), match.end(), self.by_name[match.group(1)])
                for match in self._name.finditer(line)
                if match.start() > first
                # „zákona č. 89/2012 Sb., občanského zákoníku“ names one law once
                and not any(0 <= match.start() - end <= 3 for end in designations)
            ]
        mentions.sort(key=lambda mention: mention.start)
        citations: list[Citation] = []
        for paragraph in paragraphs:
            text = f"§ {paragraph.group('number')}"
            if not paragraph.group("space"):
                problems.append((paragraph.start(), f"za „§“ patří mezera: „{text}“"))
            law = _law_for(paragraph.start(), mentions)
            if law is None:
                problems.append(
                    (
                        paragraph.start(),
                        f"u „{text}“ chybí, ze kterého je předpisu: připojte na stejném řádku "
                        "„zákona č. …/… Sb.“ nebo zkratku z rejstříku registry/zakony.yml",
                    )
                )
            else:
                citations.append(Citation(law, text))
        cited = {citation.law.designation for citation in citations}
        citations += [Citation(m.law, "") for m in mentions if m.law.designation not in cited]
        return LineFindings(tuple(mentions), tuple(citations), tuple(problems))


_NOTHING = LineFindings((), (), ())


def _unknown_law(match: re.Match[str]) -> str:
    designation = f"{match.group('number')}/{match.group('year')} Sb."
    return (
        f"předpis č. {designation} není v rejstříku registry/zakony.yml: "
        "doplňte ho tam (s odkazem na úplné znění), nebo citaci opravte"
    )


def _law_for(position: int, mentions: list[Mention]) -> Law | None:
    """The law a paragraph belongs to: the first named after it, else the last named before it."""
    after = [m for m in mentions if m.start > position]
    if after:
        return after[0].law
    before = [m for m in mentions if m.end <= position]
    return before[-1].law if before else None


# Markdown that is not prose: fenced blocks, inline code, link targets, HTML tags, macro calls.
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_NOT_PROSE = re.compile(r"`[^`\n]*`|\]\([^)\n]*\)|<[^>\n]*>|\{\{.*?\}\}|\{#[^}\n]*\}|https?://\S+")


def prose_lines(markdown: str) -> Iterator[tuple[int, str]]:
    """Numbered lines of Markdown with code, link targets and tags blanked (columns kept)."""
    fence = ""
    for number, line in enumerate(markdown.split("\n"), start=1):
        opening = _FENCE.match(line)
        if fence:
            if opening and opening.group(1) == fence:
                fence = ""
            continue
        if opening:
            fence = opening.group(1)
            continue
        yield number, _NOT_PROSE.sub(lambda m: " " * len(m.group(0)), line)


def link_citations_in_markdown(markdown: str, registry: LawRegistry) -> str:
    """Make each law named in prose a link to its official text (for pandoc and the PDF)."""
    lines = markdown.split("\n")
    for number, prose in prose_lines(markdown):
        if prose.lstrip().startswith("#"):
            continue  # headings stay plain
        line = lines[number - 1]
        for mention in reversed(registry.scan_line(prose).mentions):
            before = prose[: mention.start]
            if before.count("[") > before.count("]"):
                continue  # already the text of a link

            text = line[mention.start : mention.end]
            line = f"{line[: mention.start]}[{text}]({mention.law.url}){line[mention.end :]}"
        lines[number - 1] = line
    return "\n".join(lines)


_HTML_TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
# Inside these, text stays as it is: links, code, headings (their text feeds the outline).
_PLAIN_ELEMENTS = ("a", "pre", "code", "script", "style", "textarea", "h1", "h2", "h3", "h4", "h5", "h6", "svg", "title")  # fmt: skip
_PLAIN_TAG = re.compile(rf"<(/?)(?:{'|'.join(_PLAIN_ELEMENTS)})(?![a-zA-Z0-9])", re.I)


def link_citations_in_html(page: str, registry: LawRegistry) -> str:
    """Make each law named in the text of an HTML page a link to its official text."""
    if not registry.laws or ("Sb." not in page and "§" not in page):
        return page
    parts = _HTML_TOKEN.split(page)
    depth = 0
    for index, part in enumerate(parts):
        if index % 2:
            match = _PLAIN_TAG.match(part)
            if match and not part.endswith("/>"):
                depth += -1 if match.group(1) else 1
            continue
        if depth or not part or ("Sb." not in part and "§" not in part):
            continue
        parts[index] = "\n".join(_link_html_line(line, registry) for line in part.split("\n"))
    return "".join(parts)


def _link_html_line(line: str, registry: LawRegistry) -> str:
    text = html.unescape(line)
    if text != line:  # entities would shift columns; such lines are rare in prose
        return line
    for mention in reversed(registry.scan_line(line).mentions):
        law = mention.law
        anchor = (
            f'<a class="predpis" href="{html.escape(law.url)}" '
            f'title="{html.escape(law.title)}">{line[mention.start : mention.end]}</a>'
        )
        line = line[: mention.start] + anchor + line[mention.end :]
    return line


def check_legal_citations(knowledge: KnowledgeBase) -> list[ContentError]:
    """Every citation in current content names a registered law in the registered shape."""
    registry = LawRegistry(knowledge.laws)
    laws = registry_digest(knowledge)
    errors: list[ContentError] = []
    for shown, markdown in _markdown_sources(knowledge):
        for number, findings in scan_markdown(registry, laws, markdown):
            for column, message in findings.problems:
                errors.append(ContentError(shown, number, column + 1, message))
    for shown, path, text in yaml_texts(knowledge):
        for findings in registry.scan_text(text):
            for _column, message in findings.problems:
                row, column = knowledge.sources.locate(shown, path)
                errors.append(ContentError(shown, row, column, message))
    return errors


def registry_digest(knowledge: KnowledgeBase) -> bytes:
    """What tells law registries apart for `scan_markdown`."""
    return hashlib.blake2b(repr(knowledge.laws).encode(), digest_size=16).digest()


# Findings by the registry's and the text's digest: `serve` reloads the project after each edit,
# and the check and the law index page scan again only the texts an edit changed.
_FINDINGS: dict[tuple[bytes, bytes], tuple[tuple[int, LineFindings], ...]] = {}
_FINDINGS_LIMIT = 50_000


def scan_markdown(
    registry: LawRegistry, laws: bytes, markdown: str
) -> tuple[tuple[int, LineFindings], ...]:
    """The prose lines of a Markdown text that name or cite a law or hold a malformed citation,
    numbered from 1, with what `scan_line` found; `laws` is the registry's `registry_digest`."""
    key = (laws, hashlib.blake2b(markdown.encode(), digest_size=16).digest())
    found = _FINDINGS.get(key)
    if found is None:
        if len(_FINDINGS) >= _FINDINGS_LIMIT:
            _FINDINGS.clear()
        found = _FINDINGS[key] = tuple(
            (number, findings)
            for number, prose in prose_lines(markdown)
            if _found_anything(findings := registry.scan_line(prose))
        )
    return found


def _found_anything(findings: LineFindings) -> bool:
    return bool(findings.mentions or findings.citations or findings.problems)


def _markdown_sources(knowledge: KnowledgeBase) -> Iterator[tuple[str, str]]:
    for methodology in knowledge.methodologies:
        for chapter in methodology.chapters:
            yield chapter.shown, chapter.markdown
    for page in knowledge.site_pages:
        yield page.shown, page.markdown


def yaml_texts(knowledge: KnowledgeBase) -> Iterator[tuple[str, tuple, str]]:
    """Every text field of current tools, glossary entries and manifests, with file and YAML path."""
    for tool in (*knowledge.all_checklists(), *knowledge.all_trees()):
        yield from _tool_texts(knowledge.sources.file_of(tool), tool)
    for (shown, index), entry in zip(knowledge.sources.terms, knowledge.glossary, strict=True):
        yield from _model_texts(shown, (index,), entry)


# Texts by tool: `serve` keeps the tools of unchanged files (the same objects) between rebuilds,
# and walking every field of every tool is most of the law scan at scale. Tools are only read.
_TOOL_TEXTS: dict[int, tuple[object, str, tuple[tuple[str, tuple, str], ...]]] = {}
_TOOL_TEXTS_LIMIT = 50_000


def _tool_texts(shown: str, tool: BaseModel) -> tuple[tuple[str, tuple, str], ...]:
    kept = _TOOL_TEXTS.get(id(tool))
    if kept is None or kept[0] is not tool or kept[1] != shown:
        if len(_TOOL_TEXTS) >= _TOOL_TEXTS_LIMIT:
            _TOOL_TEXTS.clear()
        kept = (tool, shown, tuple(_model_texts(shown, (), tool)))
        _TOOL_TEXTS[id(tool)] = kept
    return kept[2]


def _model_texts(shown: str, path: tuple, value: object) -> Iterator[tuple[str, tuple, str]]:
    if isinstance(value, str):
        yield shown, path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _model_texts(shown, (*path, name), getattr(value, name))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _model_texts(shown, (*path, key), item)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _model_texts(shown, (*path, index), item)
