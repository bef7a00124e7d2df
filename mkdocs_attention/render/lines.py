"""The lines view: queries in a column on the left, keys on the right, a line per edge.

Each token has its own row on both sides and its score label sits beside it (right of the
key for outgoing edges, left of the query for incoming), so labels never collide. Long
sentences grow downwards and the figure scrolls inside itself.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .layout import LABEL_SIZE, MARGIN, PAD_X, text_width
from .svg import num, shown, token_g

ROW = 24.0
BOX_H = 20.0
LINE_GAP = 150.0  # between the two columns, where the lines run
LABEL_GAP = 6.0
HEADER = 20.0


@dataclass(frozen=True)
class LinesView:
    tokens: tuple[str, ...]  # the queries, on the left
    keys: tuple[str, ...]  # on the right
    label_w: float
    box_w: float
    width: float
    height: float

    max_stroke = 7.0

    @property
    def left(self) -> float:
        """x of the query column's left edge."""
        return MARGIN + self.label_w + LABEL_GAP

    @property
    def right(self) -> float:
        """x of the key column's left edge."""
        return self.left + self.box_w + LINE_GAP

    def y(self, i: int) -> float:
        return MARGIN + HEADER + ROW * i + ROW / 2

    def edge(self, src: int, dst: int) -> str:
        x1, x2 = self.left + self.box_w, self.right
        y1, y2, mid = self.y(src), self.y(dst), LINE_GAP / 2
        return f"M{num(x1)} {num(y1)}C{num(x1 + mid)} {num(y1)} {num(x2 - mid)} {num(y2)} {num(x2)} {num(y2)}"

    def edges(self, focus: int, others: list[int], inbound: bool) -> list[str]:
        """Paths of the edges between ``focus`` and each of ``others`` (from them when ``inbound``)."""
        return [self.edge(j, focus) if inbound else self.edge(focus, j) for j in others]

    def label_tags(self, inbound: bool) -> list[str]:
        """The opening ``<text>`` of each token's static score label: beside the query (incoming
        edges) or the key (outgoing)."""
        x, anchor = (
            (self.left - LABEL_GAP, "end") if inbound else (self.right + self.box_w + LABEL_GAP, "start")
        )
        return [
            f'<text class="attn-static-label" x="{num(x)}" y="{num(self.y(j))}" '
            f'text-anchor="{anchor}" dominant-baseline="central">'
            for j in range(len(self.tokens if inbound else self.keys))
        ]

    def body(self, fig_id: str, first: np.ndarray | None, focus: int | None, on_keys: bool = False) -> str:
        parts = [
            f'<text class="attn-axis" x="{num(self.left + self.box_w)}" y="{num(MARGIN + 10)}" '
            f'text-anchor="end">query</text>'
            f'<text class="attn-axis" x="{num(self.right)}" y="{num(MARGIN + 10)}">key</text>',
            '<g class="attn-tokens">',
        ]
        top = (ROW - BOX_H) / 2
        for i, tok in enumerate(self.tokens):
            y = self.y(i)
            parts.append(
                token_g(
                    "attn-token",
                    i,
                    tok,
                    (self.left, y - ROW / 2 + top, self.box_w, BOX_H),
                    (self.left + self.box_w - PAD_X, y),
                    "end",
                    extra="attn-focus" if i == focus and not on_keys else "",
                )
            )
        parts.append('</g><g class="attn-keys">')
        for i, tok in enumerate(self.keys):
            y = self.y(i)
            parts.append(
                token_g(
                    "attn-key",
                    i,
                    tok,
                    (self.right, y - ROW / 2 + top, self.box_w, BOX_H),
                    (self.right + PAD_X, y),
                    "start",
                    extra="attn-focus" if i == focus and on_keys else "",
                )
            )
        parts.append("</g>")
        return "".join(parts)

    def geo(self) -> dict:
        return {
            "x1": round(self.left + self.box_w, 2),
            "x2": round(self.right, 2),
            "y0": MARGIN + HEADER + ROW / 2,
            "row": ROW,
            "lx": [round(self.left - LABEL_GAP, 2), round(self.right + self.box_w + LABEL_GAP, 2)],
        }


def lines_view(tokens: tuple[str, ...], keys: tuple[str, ...] | None, precision: int) -> LinesView:
    """Queries (``tokens``) left, keys right (the same tokens when ``keys`` is None)."""
    right = tokens if keys is None else keys
    label_w = text_width("0." + "0" * precision, LABEL_SIZE)
    box_w = max(max(text_width(shown(t)) for t in (*tokens, *right)), 12.0) + 2 * PAD_X
    width = MARGIN + label_w + LABEL_GAP + box_w + LINE_GAP + box_w + LABEL_GAP + label_w + MARGIN
    height = MARGIN + HEADER + ROW * max(len(tokens), len(right)) + MARGIN
    return LinesView(tokens, right, round(label_w, 2), round(box_w, 2), round(width, 2), round(height, 2))
