"""The arcs view of cross-attention: queries in a row above, keys in a row below, an edge from
a query down to each key it attends to (arrowhead on the key).

Queries and keys are two sequences (a translation's target and source), so one row of tokens
cannot hold both. Each row's slots are wide enough for the token and its score label: a query's
label (who attends to a key) sits above it, a key's (what a query attends to) below it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .layout import GAP, LABEL_ROW, LABEL_SIZE, MARGIN, PAD_X, TOKEN_H, text_width
from .svg import num, shown_width, token_g

#: Between the two rows, where the edges run.
EDGE_ROOM = 110.0


@dataclass(frozen=True)
class TwoRowsView:
    tokens: tuple[str, ...]  # the queries, above
    keys: tuple[str, ...]  # below
    cx: tuple[float, ...]  # centre of each query's slot
    kx: tuple[float, ...]  # centre of each key's slot
    q_widths: tuple[float, ...]
    k_widths: tuple[float, ...]
    width: float
    height: float

    max_stroke = 7.0

    @property
    def q_top(self) -> float:
        return MARGIN + LABEL_ROW

    @property
    def k_top(self) -> float:
        return self.q_top + TOKEN_H + EDGE_ROOM

    def edge(self, query: int, key: int) -> str:
        x1, y1, x2, y2 = self.cx[query], self.q_top + TOKEN_H, self.kx[key], self.k_top
        mid = (y1 + y2) / 2
        return f"M{num(x1)} {num(y1)}C{num(x1)} {num(mid)} {num(x2)} {num(mid)} {num(x2)} {num(y2)}"

    def edges(self, focus: int, others: list[int], inbound: bool) -> list[str]:
        """Paths between ``focus`` (a key when ``inbound``) and each of ``others``, always drawn
        from the query to the key."""
        return [self.edge(j, focus) if inbound else self.edge(focus, j) for j in others]

    def label_tags(self, inbound: bool) -> list[str]:
        """The opening ``<text>`` of each static score label: above the queries (who attends to
        a key) or under the keys (what a query attends to)."""
        xs, y = (
            (self.cx, MARGIN + LABEL_ROW / 2) if inbound else (self.kx, self.k_top + TOKEN_H + LABEL_ROW / 2)
        )
        return [
            f'<text class="attn-static-label" x="{num(x)}" y="{num(y)}" text-anchor="middle" '
            f'dominant-baseline="central">'
            for x in xs
        ]

    def body(self, fig_id: str, first: np.ndarray | None, focus: int | None, on_keys: bool = False) -> str:
        parts = ['<g class="attn-tokens">']
        for i, (token, x, w) in enumerate(zip(self.tokens, self.cx, self.q_widths, strict=True)):
            parts.append(
                token_g(
                    "attn-token",
                    i,
                    token,
                    (x - w / 2, self.q_top, w, TOKEN_H),
                    (x, self.q_top + TOKEN_H / 2),
                    extra="attn-focus" if i == focus and not on_keys else "",
                )
            )
        parts.append('</g><g class="attn-keys">')
        for j, (token, x, w) in enumerate(zip(self.keys, self.kx, self.k_widths, strict=True)):
            parts.append(
                token_g(
                    "attn-key",
                    j,
                    token,
                    (x - w / 2, self.k_top, w, TOKEN_H),
                    (x, self.k_top + TOKEN_H / 2),
                    extra="attn-focus" if j == focus and on_keys else "",
                )
            )
        parts.append("</g>")
        return "".join(parts)

    def geo(self) -> dict:
        return {
            "cx": list(self.cx),
            "kx": list(self.kx),
            "qy": self.q_top + TOKEN_H,
            "ky": self.k_top,
            "label": [MARGIN + LABEL_ROW / 2, self.k_top + TOKEN_H + LABEL_ROW / 2],
        }


def _row(tokens: tuple[str, ...], least: float) -> tuple[list[float], list[float], float]:
    """Slot widths and centres of one row starting at 0, and its length."""
    widths = [round(max(shown_width(t), least) + 2 * PAD_X, 2) for t in tokens]
    centres, x = [], 0.0
    for w in widths:
        centres.append(x + w / 2)
        x += w + GAP
    return widths, centres, x - GAP


def two_rows_view(tokens: tuple[str, ...], keys: tuple[str, ...], precision: int) -> TwoRowsView:
    """Queries above, keys below, each row centred on the wider one."""
    least = max(text_width("0." + "0" * precision, LABEL_SIZE), 12.0)  # room for a score label
    q_widths, q_centres, q_len = _row(tokens, least)
    k_widths, k_centres, k_len = _row(keys, least)
    inner = max(q_len, k_len)
    cx = tuple(round(MARGIN + (inner - q_len) / 2 + c, 2) for c in q_centres)
    kx = tuple(round(MARGIN + (inner - k_len) / 2 + c, 2) for c in k_centres)
    height = MARGIN + LABEL_ROW + TOKEN_H + EDGE_ROOM + TOKEN_H + LABEL_ROW + MARGIN
    return TwoRowsView(
        tokens, keys, cx, kx, tuple(q_widths), tuple(k_widths), round(inner + 2 * MARGIN, 2), round(height, 2)
    )
