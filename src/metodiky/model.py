"""Typed content models: the single source of truth for validation, JSON Schema and docs."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    model_validator,
)

from .load import YamlDocument

# Where content lives: a methodology folder's manifest, and the shared tools beside the pages.
MANIFEST_NAME = "metodika.yml"
SHARED_TOOLS_DIR = Path("docs") / "nastroje"

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
VersionNumber = Annotated[str, StringConstraints(pattern=r"^[0-9]+\.[0-9]+$")]
ChapterFile = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*\.md$")]


class Strict(BaseModel):
    """Base for content models: unknown keys are errors, strings are never coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ChangelogEntry(Strict):
    """What changed in one version, in words a reader understands."""

    version: VersionNumber = Field(description='Version number in the form X.Y, quoted: "1.0".')
    date: dt.date = Field(description="Date of the version, YYYY-MM-DD.")
    changes: list[Text] = Field(min_length=1, description="What changed, one item per change.")


# Kinds of work a methodology covers; safety topics apply to methodologies by these settings.
WorkSetting = Literal["terén", "závislosti", "děti a rodiny", "malé obce"]
ReviewKind = Literal["fakta", "bezpečnost", "právo", "jazyk"]


class Review(Strict):
    """One review of a methodology: what was reviewed, when, by whom and when it is due again."""

    kind: ReviewKind = Field(description="fakta, bezpečnost, právo or jazyk.")
    date: dt.date = Field(description="Date of the review, YYYY-MM-DD.")
    by: Text = Field(description="Who reviewed: a role or a name the publisher chooses.")
    next: dt.date = Field(description="Date of the next review, YYYY-MM-DD.")


class Manifest(Strict):
    """The `metodika.yml` of a methodology: identity, version and chapter order."""

    title: Text = Field(description="Full title, e.g. „Metodika kontaktní práce“.")
    short_title: Text = Field(description="Short title used in navigation.")
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,4}$")] = Field(
        description="Short code of two to four capital letters, e.g. KP."
    )
    order: int = Field(
        100,
        ge=1,
        description="Position in navigation, on the home page and in the handbook (1 = first).",
    )
    version: VersionNumber = Field(description='Current version in the form X.Y, quoted: "1.0".')
    status: Literal["koncept", "platná"] = Field(description="koncept (draft) or platná (valid).")
    approved: dt.date = Field(description="Date this version was approved, YYYY-MM-DD.")
    authors: list[Text] = Field(min_length=1, description="Authors or guarantors (team names).")
    summary: Text = Field(description="One paragraph on what the methodology is and for whom.")
    audiences: list[Text] = Field(min_length=1, description="Who the methodology is written for.")
    chapters: list[ChapterFile] = Field(
        min_length=1, description="Chapter files of this folder, in reading order."
    )
    changelog: list[ChangelogEntry] = Field(
        min_length=1, description="Versions and their changes, newest first."
    )
    moved_ids: dict[Identifier, Identifier] = Field(
        default_factory=dict,
        description="Section ids of released versions that now live under another id: old: new.",
    )
    removed_ids: dict[Identifier, VersionNumber] = Field(
        default_factory=dict,
        description='Section ids of released versions that were removed, with the version: old: "1.1".',
    )
    settings: list[WorkSetting] = Field(
        default_factory=list,
        description="Kinds of work covered (terén, závislosti, děti a rodiny, malé obce); "
        "they decide which safety topics apply.",
    )
    safety: dict[Identifier, list[Identifier]] = Field(
        default_factory=dict,
        description="Each applicable safety topic → the section ids that handle it.",
    )
    reviews: list[Review] = Field(
        default_factory=list,
        description="Reviews of the content (fakta, bezpečnost, právo, jazyk).",
    )


LINK_KINDS = ("section", "term", "checklist", "tree")


class Link(Strict):
    """A reference from a checklist item or an outcome to other content; exactly one key."""

    model_config = ConfigDict(json_schema_extra={"minProperties": 1, "maxProperties": 1})

    section: Identifier | None = Field(None, description="Id of a chapter or section heading.")
    term: Identifier | None = Field(None, description="Id of a glossary term.")
    checklist: Identifier | None = Field(None, description="Id of a checklist.")
    tree: Identifier | None = Field(None, description="Id of a decision tree.")

    @model_validator(mode="after")
    def _exactly_one_target(self) -> Link:
        given = [name for name in LINK_KINDS if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                "odkaz musí mít právě jeden z klíčů „section“, „term“, „checklist“, „tree“"
            )
        return self

    @property
    def kind(self) -> str:
        """The kind of target: section, term, checklist or tree."""
        return next(name for name in LINK_KINDS if getattr(self, name) is not None)

    @property
    def target(self) -> str:
        """The id the link points to."""
        return getattr(self, self.kind)


class ChecklistItem(Strict):
    """One thing to tick."""

    text: Text = Field(description="What to do or verify; inline Markdown allowed.")
    hint: Text | None = Field(None, description="Optional explanation shown under the item.")
    links: list[Link] = Field(default_factory=list, description="Optional related content.")


class ChecklistSection(Strict):
    """A titled group of checklist items."""

    title: Text = Field(description="Section title.")
    items: list[ChecklistItem] = Field(min_length=1, description="Items of the section.")


class Checklist(Strict):
    """A checklist a worker ticks in the field; stored in `checklists/<id>.yml`."""

    id: Identifier = Field(description="Unique id, equal to the file name without .yml.")
    title: Text = Field(description="Title of the checklist.")
    purpose: Text = Field(description="When and why to use it.")
    audience: list[Text] = Field(min_length=1, description="Who uses it.")
    sections: list[ChecklistSection] = Field(min_length=1, description="Groups of items.")


class Option(Strict):
    """An answer to a question, leading to the next node."""

    label: Text = Field(description="The answer as the worker reads it.")
    next: Identifier = Field(description="Id of the node this answer leads to.")


class QuestionNode(Strict):
    """A step that asks one question."""

    question: Text = Field(description="The question.")
    hint: Text | None = Field(None, description="Optional help for answering.")
    options: list[Option] = Field(description="Two or more answers.")


class OutcomeNode(Strict):
    """A final step saying what to do."""

    outcome: Text = Field(description="Short title of the outcome.")
    text: Text = Field(description="What to do; inline Markdown allowed.")
    contacts: list[Text] = Field(default_factory=list, description="Whom to contact (roles).")
    links: list[Link] = Field(default_factory=list, description="Related content.")
    warning: Text | None = Field(None, description="Optional warning shown with the outcome.")


def _node_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        if "question" in value and "outcome" in value:
            return None
        if "question" in value:
            return "question"
        if "outcome" in value:
            return "outcome"
        return None
    return getattr(value, "kind", None)


Node = Annotated[
    Annotated[QuestionNode, Tag("question")] | Annotated[OutcomeNode, Tag("outcome")],
    Discriminator(_node_kind),
]


# A tree a worker can walk on a phone; larger ones belong split into several trees.
MAX_TREE_NODES = 200


class DecisionTree(Strict):
    """A decision tree walked one question at a time; stored in `trees/<id>.yml`."""

    id: Identifier = Field(description="Unique id, equal to the file name without .yml.")
    title: Text = Field(description="Title of the tree.")
    situation: Text = Field(description="The situation the tree answers.")
    warnings: list[Text] = Field(default_factory=list, description="Safety warnings shown first.")
    safety: list[Identifier] = Field(
        default_factory=list,
        description="Safety topics the situation can involve; every path must ask about each.",
    )
    start: Identifier = Field(description="Id of the first node.")
    nodes: dict[Identifier, Node] = Field(
        max_length=MAX_TREE_NODES,
        description=f"Nodes by id: questions and outcomes (at most {MAX_TREE_NODES}).",
    )


class GlossaryEntry(Strict):
    """One term of the glossary; the only place where abbreviations and synonyms are declared."""

    id: Identifier = Field(description="Unique id: the term in ASCII kebab-case.")
    term: Text = Field(description="The term as written in text.")
    abbreviation: Text | None = Field(None, description="Abbreviation, e.g. OSPOD.")
    definition: Text = Field(description="One or two sentences.")
    forms: list[Text] = Field(default_factory=list, description="Other written forms.")
    synonyms: list[Text] = Field(default_factory=list, description="Synonyms (feed search).")
    see_also: list[Identifier] = Field(default_factory=list, description="Related term ids.")
    legal_basis: Text | None = Field(None, description="Law (number and name), only if certain.")


GLOSSARY_FILE_MODEL = list[GlossaryEntry]


class Law(Strict):
    """A law (or another item of the Collection of Laws) that content may cite."""

    number: int = Field(ge=1, description="Number in the Collection of Laws, e.g. 108.")
    year: int = Field(ge=1918, le=2100, description="Year of the Collection, e.g. 2006.")
    title: Text = Field(
        description="Full title, e.g. „zákon č. 108/2006 Sb., o sociálních službách“."
    )
    short_title: Text = Field(description="Name used in lists, e.g. „zákon o sociálních službách“.")
    abbreviation: Text | None = Field(
        None, description="Abbreviation accepted after a paragraph, e.g. TZ in „§ 368 TZ“."
    )
    forms: list[Text] = Field(
        default_factory=list,
        description="Names accepted after a paragraph, e.g. „trestního zákoníku“ in „§ 368 trestního zákoníku“.",
    )
    url: Annotated[str, StringConstraints(pattern=r"^https://")] = Field(
        description="The official text, e.g. https://www.e-sbirka.cz/sb/2006/108."
    )

    @property
    def designation(self) -> str:
        """`108/2006 Sb.`: how the law is cited."""
        return f"{self.number}/{self.year} Sb."


LAW_FILE_MODEL = list[Law]


class SafetyTopic(Strict):
    """A safety or legal topic every methodology working in the given settings must handle."""

    id: Identifier = Field(description="Topic id used in manifests and trees, e.g. ohrozene-dite.")
    title: Text = Field(description="Name of the topic as an author reads it.")
    section: Identifier = Field(description="Section id of the shared page that handles it.")
    settings: list[WorkSetting | Literal["všechny"]] = Field(
        min_length=1, description="Settings the topic applies to; „všechny“ for every methodology."
    )


SAFETY_FILE_MODEL = list[SafetyTopic]


class WorkshopBlock(Strict):
    """One block of a workshop: how long, what it covers and what the trainer brings."""

    minutes: int = Field(ge=5, le=240, description="Approximate length in minutes.")
    content: Text = Field(description="What the block covers.")
    aids: list[Link | Text] = Field(
        default_factory=list,
        description="Aids („Pomůcky“): a link to a checklist, tree or section, or plain text.",
    )


class Workshop(Strict):
    """A half-day workshop outline on „Pro školitele“; a printable pack is made from it."""

    id: Identifier = Field(description="Id used in the pack's file name, e.g. kp.")
    section: Identifier = Field(description="Id of the heading on „Pro školitele“ it belongs to.")
    methodology: Identifier = Field(description="Folder name of the methodology it teaches.")
    title: Text = Field(description="Title of the pack, e.g. „Workshop: kontaktní práce“.")
    audience: Text = Field(description="Who the workshop is for („Pro koho“).")
    goals: Text = Field(description="What participants take away („Cíle“).")
    blocks: list[WorkshopBlock] = Field(min_length=1, description="The blocks in order.")
    trees: list[Identifier] = Field(default_factory=list, description="Trees to walk through.")
    situations: list[Identifier] = Field(
        default_factory=list, description="Section ids of the model situations the pack prints."
    )
    questions: list[Text] = Field(min_length=1, description="Questions for the discussion.")

    def tool_links(self) -> list[Link]:
        """Checklists and trees the workshop uses, in order of first use, each once."""
        links = [aid for block in self.blocks for aid in block.aids if isinstance(aid, Link)]
        links += [Link(tree=tree_id) for tree_id in self.trees]
        seen: set[tuple[str, str]] = set()
        tools = []
        for link in links:
            if link.kind in ("checklist", "tree") and (link.kind, link.target) not in seen:
                seen.add((link.kind, link.target))
                tools.append(link)
        return tools


WORKSHOP_FILE_MODEL = list[Workshop]
# Workshop outlines of „Pro školitele“, each printed as a pack.
WORKSHOPS_FILE = "registry/skoleni.yml"


@dataclass(frozen=True)
class Heading:
    """A chapter or section heading with its explicit stable id."""

    level: int
    title: str
    id: str | None
    line: int


# `{{ checklist("id") }}`, `{{ decision_tree("id") }}`, `{{ term("id") }}` in chapter Markdown.
MACRO_CALL = re.compile(r"\{\{\s*(checklist|decision_tree|term)\(\s*[\"']([^\"']*)[\"']")


@dataclass(frozen=True)
class Chapter:
    """One Markdown chapter of a methodology."""

    name: str
    source: Path
    shown: str
    title: str
    id: str
    markdown: str
    headings: tuple[Heading, ...]

    @property
    def stem(self) -> str:
        """The file name without `.md`: the chapter's URL segment."""
        return self.name.removesuffix(".md")

    def macro_calls(self, macro: str) -> list[str]:
        """Ids passed to one macro (`checklist`, `decision_tree`, `term`) in this chapter."""
        return [found for name, found in MACRO_CALL.findall(self.markdown) if name == macro]


@dataclass(frozen=True)
class Methodology:
    """A methodology assembled from its folder: manifest, chapters and tools."""

    slug: str
    folder: Path
    manifest: Manifest
    chapters: tuple[Chapter, ...]
    checklists: tuple[Checklist, ...] = ()
    trees: tuple[DecisionTree, ...] = ()
    releases: tuple[Any, ...] = ()  # ReleaseRecord, newest last
    downloads: tuple[Any, ...] = ()  # FrozenDownloads, in file order
    editions: dict[str, Methodology] = field(default_factory=dict)  # frozen copies by version

    @functools.cached_property  # asked for every released id of every methodology
    def section_ids(self) -> tuple[str, ...]:
        """Every chapter and section id of this edition, in reading order."""
        return tuple(
            h.id for chapter in self.chapters for h in chapter.headings if h.id and h.level <= 3
        )


@dataclass(frozen=True)
class SitePage:
    """A hand-written page of the site under `docs/`, with its headings."""

    source: Path
    shown: str
    uri: str
    url: str
    markdown: str
    headings: tuple[Heading, ...]


@dataclass
class SourceMap:
    """Where each tool and term was read from, and the positions inside each YAML file."""

    tools: dict[int, str] = field(default_factory=dict)
    documents: dict[str, YamlDocument] = field(default_factory=dict)
    terms: list[tuple[str, int]] = field(default_factory=list)

    def file_of(self, tool: Checklist | DecisionTree) -> str:
        """The file a checklist or tree was read from (tools are told apart by identity)."""
        return self.tools.get(id(tool), tool.id)

    def locate(self, shown: str, path: tuple = ()) -> tuple[int, int]:
        """Line and column of a YAML path in a file, or the file's start when unknown."""
        document = self.documents.get(shown)
        return document.locate(path) if document else (1, 1)


@dataclass(frozen=True)
class KnowledgeBase:
    """Everything the site, the PDF and `check` need, validated once."""

    root: Path
    methodologies: tuple[Methodology, ...]
    shared_checklists: tuple[Checklist, ...] = ()
    shared_trees: tuple[DecisionTree, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    site_pages: tuple[SitePage, ...] = ()
    laws: tuple[Law, ...] = ()
    safety_topics: tuple[SafetyTopic, ...] = ()
    workshops: tuple[Workshop, ...] = ()
    sources: SourceMap = field(default_factory=lambda: SourceMap())

    def all_checklists(self) -> list[Checklist]:
        """Checklists of every methodology, then the shared ones."""
        return [c for m in self.methodologies for c in m.checklists] + list(self.shared_checklists)

    def all_trees(self) -> list[DecisionTree]:
        """Decision trees of every methodology, then the shared ones."""
        return [t for m in self.methodologies for t in m.trees] + list(self.shared_trees)

    def methodology(self, slug: str) -> Methodology:
        """Find a methodology by its folder name."""
        return next(m for m in self.methodologies if m.slug == slug)


@dataclass(frozen=True)
class Edition:
    """One rendered version of a methodology: the current one (version None) or a released one."""

    methodology: Methodology
    content: Methodology
    version: str | None

    @property
    def prefix(self) -> str:
        """Source/URL folder of the edition: `slug/` or `slug/1.0/`."""
        slug = self.methodology.slug
        return f"{slug}/{self.version}/" if self.version else f"{slug}/"

    @property
    def shown_version(self) -> str:
        """The version number a reader sees on the pages of this edition."""
        return self.version or self.methodology.manifest.version

    def chapter_uri(self, chapter: Chapter) -> str:
        """Source URI of a chapter of this edition."""
        return f"{self.prefix}{chapter.name}"
