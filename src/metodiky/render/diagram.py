"""A decision tree as an SVG diagram, laid out in layers at build time (no client-side library)."""

from __future__ import annotations

import textwrap
from html import escape

from ..model import DecisionTree, Option, OutcomeNode, QuestionNode

BOX_WIDTH = 190
LINE_HEIGHT = 15
CHARS_PER_LINE = 27
MAX_LINES = 5
H_GAP = 30
V_GAP = 56
PADDING = 10
# A row per answer label below a layer: taller than 11 px text, and a generous width per character.
ANSWER_ROW = 16
ANSWER_CHAR_WIDTH = 6.5


def render_tree_svg(tree: DecisionTree) -> str:
    """An accessible SVG of the whole tree: questions and outcomes as boxes, answers on the arrows."""
    layers = _layers(tree)
    labels = {node_id: _box_lines(tree, node_id) for node_id in tree.nodes}
    box_height = PADDING * 2 + LINE_HEIGHT * max(len(lines) for lines in labels.values())
    width = max(len(layer) for layer in layers) * (BOX_WIDTH + H_GAP) + H_GAP
    edges_below = [_edges_from(tree, layer) for layer in layers]
    gaps = [max(V_GAP, len(edges) * ANSWER_ROW + 2 * PADDING) for edges in edges_below]
    positions = {}
    top = V_GAP / 2
    for depth, layer in enumerate(layers):
        offset = (width - len(layer) * (BOX_WIDTH + H_GAP) + H_GAP) / 2
        for index, node_id in enumerate(layer):
            positions[node_id] = (offset + index * (BOX_WIDTH + H_GAP), top)
        top += box_height + gaps[depth]
    height = top - gaps[-1] + V_GAP / 2
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="mk-tree-diagram" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-labelledby="diagram-{tree.id}">',
        f'<title id="diagram-{tree.id}">Diagram rozhodovacího stromu: {escape(tree.title)}</title>',
        f'<defs><marker id="sipka-{tree.id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
    ]
    answers = []  # drawn after every arrow, so no arrow crosses a label
    for edges in edges_below:
        # Each answer below a layer gets a row of its own, so no two labels can overlap.
        edges.sort(key=lambda edge: (positions[edge[0]][0], positions[edge[1].next][0]))
        for row, (node_id, option) in enumerate(edges):
            x1, y1 = positions[node_id]
            x2, y2 = positions[option.next]
            start = (x1 + BOX_WIDTH / 2, y1 + box_height)
            end = (x2 + BOX_WIDTH / 2, y2)
            parts.append(
                f'<line x1="{start[0]:.0f}" y1="{start[1]:.0f}" x2="{end[0]:.0f}" y2="{end[1]:.0f}" '
                f'stroke="#555" stroke-width="1.2" marker-end="url(#sipka-{tree.id})"/>'
            )
            label = _shorten(option.label, 24)
            label_y = start[1] + PADDING + (row + 0.5) * ANSWER_ROW
            along = (label_y - start[1]) / (end[1] - start[1])
            half = len(label) * ANSWER_CHAR_WIDTH / 2
            label_x = min(max(start[0] + (end[0] - start[0]) * along, half), width - half)
            answers.append(
                f'<text class="mk-tree-diagram__answer" x="{label_x:.0f}" y="{label_y + 4:.0f}" '
                'text-anchor="middle" font-size="11" '
                f'fill="#222" stroke="#fff" stroke-width="3" paint-order="stroke">'
                f"{escape(label)}</text>"
            )
    parts += answers
    for node_id, node in tree.nodes.items():
        x, y = positions[node_id]
        outcome = isinstance(node, OutcomeNode)
        fill, stroke = ("#e8f3ea", "#1b6e3a") if outcome else ("#eef2fa", "#1d4f91")
        parts.append(
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_WIDTH}" height="{box_height}" rx="{8 if outcome else 2}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="1.4"/>'
        )
        for line_number, line in enumerate(labels[node_id]):
            weight = ' font-weight="bold"' if outcome else ""
            parts.append(
                f'<text x="{x + PADDING:.0f}" y="{y + PADDING + 11 + line_number * LINE_HEIGHT:.0f}" '
                f'font-size="12" fill="#111"{weight}>{escape(line)}</text>'
            )
    parts.append("</svg>")
    return "\n".join(parts)


def _edges_from(tree: DecisionTree, layer: list[str]) -> list[tuple[str, Option]]:
    """The answers leaving the nodes of one layer, as (node id, option)."""
    return [
        (node_id, option)
        for node_id in layer
        if isinstance(node := tree.nodes[node_id], QuestionNode)
        for option in node.options
    ]


def _layers(tree: DecisionTree) -> list[list[str]]:
    """Nodes grouped by their longest distance from the start, so arrows always point down."""
    depth = {tree.start: 0}
    order = [tree.start]
    for node_id in order:  # order grows while we walk: a breadth-first pass
        node = tree.nodes[node_id]
        for option in node.options if isinstance(node, QuestionNode) else []:
            if option.next not in depth:
                order.append(option.next)
            depth[option.next] = max(depth.get(option.next, 0), depth[node_id] + 1)
    for _ in range(len(tree.nodes)):  # relax until stable; trees are acyclic (checked before)
        for node_id in order:
            node = tree.nodes[node_id]
            for option in node.options if isinstance(node, QuestionNode) else []:
                depth[option.next] = max(depth[option.next], depth[node_id] + 1)
    layers: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    for node_id in order:
        layers[depth[node_id]].append(node_id)
    return layers


def _box_lines(tree: DecisionTree, node_id: str) -> list[str]:
    node = tree.nodes[node_id]
    text = node.question if isinstance(node, QuestionNode) else node.outcome
    lines = textwrap.wrap(_plain(text), CHARS_PER_LINE) or [""]
    if len(lines) > MAX_LINES:
        lines = lines[: MAX_LINES - 1] + [
            _shorten(" ".join(lines[MAX_LINES - 1 :]), CHARS_PER_LINE)
        ]
    return lines


def _plain(text: str) -> str:
    return text.replace("**", "").replace("*", "")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
