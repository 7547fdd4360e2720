"""The safety layer: topics every methodology must handle, trees that must ask first, reviews.

`registry/bezpecnost.yml` lists the safety and legal topics (danger to life, an endangered child,
violence, the worker's own safety…) with the work settings they apply to and the section of the
shared page „Bezpečnost a zákonné povinnosti“ that handles each. A methodology maps every topic
that applies to it to sections; a tree that declares a topic must ask about it on every path.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from .errors import ContentError, display_path
from .model import (
    MANIFEST_NAME,
    DecisionTree,
    KnowledgeBase,
    Methodology,
    OutcomeNode,
    QuestionNode,
    Review,
    SafetyTopic,
)
from .typography import format_date

ALL_SETTINGS = "všechny"
SAFETY_REVIEW = "bezpečnost"


def applicable_topics(methodology: Methodology, topics: Iterable[SafetyTopic]) -> list[SafetyTopic]:
    """The topics that apply to a methodology by the settings its manifest declares."""
    settings = set(methodology.manifest.settings)
    return [
        topic
        for topic in topics
        if ALL_SETTINGS in topic.settings or settings & set(topic.settings)
    ]


def check_safety_coverage(knowledge: KnowledgeBase, sections: set[str]) -> list[ContentError]:
    """Every applicable topic is mapped to sections that exist; every mapped topic is known."""
    topics = {topic.id: topic for topic in knowledge.safety_topics}
    errors: list[ContentError] = []
    for topic in knowledge.safety_topics:
        if topic.section not in sections:
            shown = _registry_file(knowledge)
            index = knowledge.safety_topics.index(topic)
            line, column = knowledge.sources.locate(shown, (index, "section"))
            message = f"bezpečnostní téma „{topic.id}“ odkazuje na oddíl „{topic.section}“, který neexistuje"
            errors.append(ContentError(shown, line, column, message))
    for methodology in knowledge.methodologies:
        shown = _manifest_file(knowledge, methodology)
        safety = methodology.manifest.safety
        for topic in applicable_topics(methodology, knowledge.safety_topics):
            if not safety.get(topic.id):
                line, column = knowledge.sources.locate(shown, ("safety",))
                errors.append(
                    ContentError(
                        shown,
                        line,
                        column,
                        f"bezpečnostní téma „{topic.id}“ ({topic.title}) se na tuto metodiku "
                        "vztahuje, ale v poli safety mu chybí oddíly, které ho řeší",
                        f"například {topic.id}: [{topic.section}]",
                    )
                )
        for topic_id, mapped in safety.items():
            if topic_id not in topics:
                line, column = knowledge.sources.locate(shown, ("safety", topic_id))
                known = ", ".join(sorted(topics)) or "rejstřík registry/bezpecnost.yml je prázdný"
                message = f"neznámé bezpečnostní téma „{topic_id}“ (známá: {known})"
                errors.append(ContentError(shown, line, column, message))
                continue
            for index, section in enumerate(mapped):
                if section not in sections:
                    line, column = knowledge.sources.locate(shown, ("safety", topic_id, index))
                    message = f"bezpečnostní téma „{topic_id}“: oddíl „{section}“ neexistuje"
                    errors.append(ContentError(shown, line, column, message))
    return errors


def check_tree_safety(
    tree: DecisionTree, shown: str, knowledge: KnowledgeBase
) -> list[ContentError]:
    """A tree that declares a topic leads to its shared procedure, and every path asks first."""
    topics = {topic.id: topic for topic in knowledge.safety_topics}
    declared = [topics[topic_id] for topic_id in tree.safety if topic_id in topics]
    # An outcome that already is a safety procedure (e.g. „call 155 now“) may come before the others.
    any_safe_outcome = _outcomes_linking(tree, {topic.section for topic in declared})
    errors: list[ContentError] = []
    for index, topic_id in enumerate(tree.safety):
        line, column = knowledge.sources.locate(shown, ("safety", index))
        topic = topics.get(topic_id)
        if topic is None:
            message = f"neznámé bezpečnostní téma „{topic_id}“ v poli safety"
            errors.append(ContentError(shown, line, column, message))
            continue
        safe_outcomes = _outcomes_linking(tree, {topic.section})
        if not safe_outcomes:
            message = (
                f"strom řeší téma „{topic_id}“, ale žádný jeho výsledek neodkazuje "
                f"na společný postup (links: [{{section: {topic.section}}}])"
            )
            errors.append(ContentError(shown, line, column, message))
            continue
        gates = {
            node_id
            for node_id, node in tree.nodes.items()
            if isinstance(node, QuestionNode)
            and any(option.next in safe_outcomes for option in node.options)
        }
        for outcome in _reachable_outcomes_avoiding(tree, gates) - any_safe_outcome:
            row, col = knowledge.sources.locate(shown, ("nodes", outcome))
            message = (
                f"k výsledku „{outcome}“ se lze dostat, aniž by strom položil otázku "
                f"na téma „{topic_id}“ ({topic.title}); tu dejte na začátek nebo na každou cestu"
            )
            errors.append(ContentError(shown, row, col, message))
    return errors


def _outcomes_linking(tree: DecisionTree, sections: set[str]) -> set[str]:
    """Outcomes that link to one of the given sections: the shared safety procedures."""
    return {
        node_id
        for node_id, node in tree.nodes.items()
        if isinstance(node, OutcomeNode) and any(link.section in sections for link in node.links)
    }


def _reachable_outcomes_avoiding(tree: DecisionTree, gates: set[str]) -> set[str]:
    """Outcomes reachable from the start without passing through any of the gate questions."""
    seen: set[str] = set()
    stack = [tree.start]
    outcomes: set[str] = set()
    while stack:
        node_id = stack.pop()
        if node_id in seen or node_id in gates or node_id not in tree.nodes:
            continue
        seen.add(node_id)
        node = tree.nodes[node_id]
        if isinstance(node, OutcomeNode):
            outcomes.add(node_id)
        else:
            stack.extend(option.next for option in node.options)
    return outcomes


def last_review(methodology: Methodology, kind: str | None = None) -> Review | None:
    """The most recent review (of one kind, if given)."""
    reviews = [r for r in methodology.manifest.reviews if kind is None or r.kind == kind]
    return max(reviews, key=lambda review: review.date, default=None)


def next_review_date(methodology: Methodology) -> dt.date | None:
    """When the methodology is due for review: the earliest `next` among the latest of each kind."""
    latest = [
        last_review(methodology, kind) for kind in {r.kind for r in methodology.manifest.reviews}
    ]
    return min((review.next for review in latest if review), default=None)


def overdue_reviews(knowledge: KnowledgeBase, today: dt.date) -> list[ContentError]:
    """Warnings, not errors: the latest review of a kind whose next date has passed."""
    warnings = []
    for methodology in knowledge.methodologies:
        shown = _manifest_file(knowledge, methodology)
        for kind in sorted({review.kind for review in methodology.manifest.reviews}):
            review = last_review(methodology, kind)
            if review and review.next < today:
                index = methodology.manifest.reviews.index(review)
                line, column = knowledge.sources.locate(shown, ("reviews", index, "next"))
                message = (
                    f"revize „{kind}“ je po termínu: příští revize měla být "
                    f"{format_date(review.next)}, poslední proběhla {format_date(review.date)}"
                )
                warnings.append(ContentError(shown, line, column, message))
    return warnings


def safety_review_problem(methodology: Methodology, changed: dt.date | None) -> str:
    """Why a release must wait for a safety review, or "" when one is dated after the last change.

    `changed` is None when the history is unknown (no git); then a safety review must exist.
    """
    review = last_review(methodology, SAFETY_REVIEW)
    if review is None:
        return "metodika nemá záznam o revizi bezpečnosti (reviews, kind: bezpečnost)"
    if changed is not None and review.date < changed:
        return (
            f"poslední revize bezpečnosti ({format_date(review.date)}) je starší než poslední "
            f"změna obsahu ({format_date(changed)}); nechte obsah znovu zrevidovat"
        )
    return ""


def _manifest_file(knowledge: KnowledgeBase, methodology: Methodology) -> str:
    return display_path(methodology.folder / MANIFEST_NAME, knowledge.root)


def _registry_file(knowledge: KnowledgeBase) -> str:
    return display_path(knowledge.root / "registry" / "bezpecnost.yml", knowledge.root)
