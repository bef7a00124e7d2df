"""The arcs view: tokens in a row, arcs above them (arrowhead on the attended key), scores below.

Token slots are wide enough for the token and for its score label, so labels (in their own
row under the tokens) never overlap one another or a token, whatever the sentence length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .layout import (
    ARC_MAX,
    ARC_MIN,
    ARC_SLOPE,
    GAP,
    LABEL_ROW,
    LABEL_SIZE,
    LOOP,
    MARGIN,
    PAD_X,
    TOKEN_H,
    arc_height,
    text_width,
)
from .svg import num, shown_width, token_g
from .two_rows import TwoRowsView, two_rows_view


@dataclass(frozen=True)
class ArcsView:
    """Positions in SVG user units (1 unit = 1 CSS px at natural size): each token's centre
    (rounded to two decimals, and as written: edges, labels and boxes share them) and slot width."""

    tokens: tuple[str, ...]
    cx: tuple[float, ...]
    xs: tuple[str, ...]
    widths: tuple[float, ...]
    token_top: float
    label_y: float
    width: float
    height: float

    #: Stroke width (px) of the figure's strongest edge.
    max_stroke = 9.0

    def edge(self, src: int, dst: int) -> str:
        """Path of the edge from query ``src`` to key ``dst`` (attn-arcs.js draws it from ``geo``)."""
        return self.edges(src, [dst], inbound=False)[0]

    def edges(self, focus: int, others: list[int], inbound: bool) -> list[str]:
        """Paths of the edges between ``focus`` and each of ``others`` (from them when ``inbound``):
        an arc from query to key, or a loop above a token attending to itself."""
        top, x1 = self.token_top, self.cx[focus]
        t, a = num(top), self.xs[focus]
        out = []
        for j in others:
            if j == focus:
                foot, reach, rise = LOOP
                out.append(
                    f"M{num(x1 - foot)} {t}C{num(x1 - reach)} {num(top - rise)} {num(x1 + reach)} "
                    f"{num(top - rise)} {num(x1 + foot)} {t}"
                )
                continue
            h, b = num(top - arc_height(self.cx[j] - x1)), self.xs[j]
            out.append(
                f"M{b} {t}C{b} {h} {a} {h} {a} {t}" if inbound else f"M{a} {t}C{a} {h} {b} {h} {b} {t}"
            )
        return out

    def label_tags(self, inbound: bool) -> list[str]:
        """The opening ``<text>`` of each token's static score label."""
        y = num(self.label_y)
        return [
            f'<text class="attn-static-label" x="{x}" y="{y}" text-anchor="middle" '
            f'dominant-baseline="central">'
            for x in self.xs
        ]

    def body(self, fig_id: str, first: np.ndarray | None, focus: int | None, on_keys: bool = False) -> str:
        top = self.token_top
        parts = ['<g class="attn-tokens">']
        for i, (token, x, w) in enumerate(zip(self.tokens, self.cx, self.widths, strict=True)):
            parts.append(
                token_g(
                    "attn-token",
                    i,
                    token,
                    (x - w / 2, top, w, TOKEN_H),
                    (x, top + TOKEN_H / 2),
                    extra="attn-focus" if i == focus else "",
                )
            )
        parts.append("</g>")
        return "".join(parts)

    def geo(self) -> dict:
        return {
            "cx": list(self.cx),
            "top": self.token_top,
            "label": self.label_y,
            "arc": [ARC_MIN, ARC_SLOPE, ARC_MAX],
            "loop": list(LOOP),
        }


def arcs_view(
    tokens: tuple[str, ...], keys: tuple[str, ...] | None, precision: int
) -> ArcsView | TwoRowsView:
    """Tokens in a row, arcs above them, one score label slot under each token; for
    cross-attention (``keys`` given) queries and keys in two rows."""
    if keys is not None:
        return two_rows_view(tokens, keys, precision)
    least = max(text_width("0." + "0" * precision, LABEL_SIZE), 12.0)  # room for a score label
    exact = [max(shown_width(t), least) + 2 * PAD_X for t in tokens]
    centres, x = [], MARGIN
    for w in exact:
        centres.append(x + w / 2)
        x += w + GAP
    width = x - GAP + MARGIN
    arc_room = 0.75 * arc_height(centres[-1] - centres[0]) + 4.0 if len(tokens) > 1 else 30.0
    token_top = MARGIN + max(arc_room, 30.0)
    label_y = token_top + TOKEN_H + LABEL_ROW - 5.0
    height = token_top + TOKEN_H + LABEL_ROW + MARGIN
    cx = tuple(round(c, 2) for c in centres)
    return ArcsView(
        tokens,
        cx,
        tuple(map(num, cx)),
        tuple(round(w, 2) for w in exact),
        round(token_top, 2),
        round(label_y, 2),
        round(width, 2),
        round(height, 2),
    )
