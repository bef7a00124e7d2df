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
    MARGIN,
    PAD_X,
    TOKEN_H,
    arc_height,
    text_width,
)
from .svg import num, shown, token_g


@dataclass(frozen=True)
class ArcsView:
    """Positions in SVG user units (1 unit = 1 CSS px at natural size)."""

    tokens: tuple[str, ...]
    cx: tuple[float, ...]
    widths: tuple[float, ...]
    token_top: float
    label_y: float
    width: float
    height: float

    #: Stroke width (px) of the figure's strongest edge.
    max_stroke = 9.0

    def edge(self, src: int, dst: int) -> str:
        """Path of the edge from query ``src`` to key ``dst`` (same shape as attn.js)."""
        x1, x2, top = self.cx[src], self.cx[dst], self.token_top
        if src == dst:
            return (f"M{num(x1 - 7)} {num(top)}C{num(x1 - 17)} {num(top - 30)} {num(x1 + 17)} "
                    f"{num(top - 30)} {num(x1 + 7)} {num(top)}")
        h = arc_height(x2 - x1)
        return f"M{num(x1)} {num(top)}C{num(x1)} {num(top - h)} {num(x2)} {num(top - h)} {num(x2)} {num(top)}"

    def label_at(self, j: int, inbound: bool) -> tuple[float, float, str]:
        return self.cx[j], self.label_y, "middle"

    def body(self, fig_id: str, first: np.ndarray, focus: int | None) -> str:
        text_y = self.token_top + TOKEN_H / 2
        parts = ['<g class="attn-tokens">']
        for i, (tok, cx, w) in enumerate(zip(self.tokens, self.cx, self.widths, strict=True)):
            parts.append(token_g("attn-token", i, tok, (cx - w / 2, self.token_top, w, TOKEN_H),
                                 (cx, text_y), extra="attn-focus" if i == focus else ""))
        parts.append("</g>")
        return "".join(parts)

    def geo(self) -> dict:
        return {"cx": list(self.cx), "top": self.token_top, "label": self.label_y,
                "arc": [ARC_MIN, ARC_SLOPE, ARC_MAX]}


def arcs_view(tokens: tuple[str, ...], precision: int) -> ArcsView:
    """Tokens in a row, arcs above them, one score label slot under each token."""
    label_w = text_width("0." + "0" * precision, LABEL_SIZE)
    widths = [max(text_width(shown(t)), label_w, 12.0) + 2 * PAD_X for t in tokens]
    cx, x = [], MARGIN
    for w in widths:
        cx.append(x + w / 2)
        x += w + GAP
    width = x - GAP + MARGIN
    span = cx[-1] - cx[0]
    arc_room = 0.75 * arc_height(span) + 4.0 if len(tokens) > 1 else 30.0
    token_top = MARGIN + max(arc_room, 30.0)
    label_y = token_top + TOKEN_H + LABEL_ROW - 5.0
    height = token_top + TOKEN_H + LABEL_ROW + MARGIN
    return ArcsView(tokens, tuple(round(c, 2) for c in cx), tuple(round(w, 2) for w in widths),
                    round(token_top, 2), round(label_y, 2), round(width, 2), round(height, 2))
