"""The arcs view: tokens in a row, arcs above them (arrowhead on the attended key), scores below.

Token slots are wide enough for the token and for its score label, so labels (in their own
row under the tokens) never overlap one another or a token, whatever the sentence length.
"""

from __future__ import annotations

from functools import lru_cache

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
from .payload import Raw, attribute_json, json_number, json_numbers
from .svg import MAX_TOKEN_PX, _box_end, esc_text, num, rounded, shown_width, token_g

#: The arc shape's constants as the payload writes them (attn.js draws the same arcs).
_ARC = Raw(attribute_json([ARC_MIN, ARC_SLOPE, ARC_MAX]))


class ArcsView:
    """Positions in SVG user units (1 unit = 1 CSS px at natural size), and as written.

    A plain class with slots: every figure builds one. ``xs`` (token centres) and ``lefts`` (box
    starts) are the numbers as the SVG writes them, formatted once for the edges, labels and
    tokens that share them.
    """

    __slots__ = (
        "_slots",
        "cx",
        "height",
        "label_y",
        "lefts",
        "token_top",
        "tokens",
        "width",
        "xs",
    )

    #: Stroke width (px) of the figure's strongest edge.
    max_stroke = 9.0

    def __init__(self, tokens: tuple[str, ...], cx: list[float], xs: list[str], slots: list[_Slot],
                 token_top: float, label_y: float, width: float, height: float) -> None:
        self.tokens, self.cx, self.xs, self._slots = tokens, cx, xs, slots
        self.token_top, self.label_y, self.width, self.height = token_top, label_y, width, height
        self.lefts = [num(c - s.width / 2) for c, s in zip(cx, slots, strict=True)]

    def edge(self, src: int, dst: int) -> str:
        """Path of the edge from query ``src`` to key ``dst`` (same shape as attn.js)."""
        return self.edges(src, [dst], inbound=False)[0]

    def edges(self, focus: int, others: list[int], inbound: bool) -> list[str]:
        """Paths of the edges between ``focus`` and each of ``others`` (from them when ``inbound``):
        an arc from query to key, or a loop above a token attending to itself."""
        cx, xs, top = self.cx, self.xs, self.token_top
        x1, a, t = cx[focus], xs[focus], num(top)
        out = []
        for j in others:
            if j == focus:
                out.append(f"M{num(x1 - 7)} {t}C{num(x1 - 17)} {num(top - 30)} {num(x1 + 17)} "
                           f"{num(top - 30)} {num(x1 + 7)} {t}")
                continue
            h, b = num(top - arc_height(cx[j] - x1)), xs[j]
            out.append(f"M{b} {t}C{b} {h} {a} {h} {a} {t}" if inbound
                       else f"M{a} {t}C{a} {h} {b} {h} {b} {t}")
        return out

    def label_tags(self, inbound: bool) -> list[str]:
        """The opening ``<text>`` of each token's static score label."""
        y = num(self.label_y)
        return [f'<text class="attn-static-label" x="{x}" y="{y}" text-anchor="middle" '
                f'dominant-baseline="central">' for x in self.xs]

    def body(self, fig_id: str, first: np.ndarray | None, focus: int | None) -> str:
        top = self.token_top
        y, text_y, end = num(top), num(top + TOKEN_H / 2), _box_end(TOKEN_H)
        parts = ['<g class="attn-tokens">']
        for i, (slot, x, left) in enumerate(zip(self._slots, self.xs, self.lefts, strict=True)):
            cls = "attn-token attn-focus" if i == focus else "attn-token"
            if slot.long:  # drawn clipped, with dots: the general path
                w = slot.width
                parts.append(token_g("attn-token", i, slot.token, (self.cx[i] - w / 2, top, w, TOKEN_H),
                                     (self.cx[i], top + TOKEN_H / 2),
                                     extra="attn-focus" if i == focus else ""))
            else:  # what token_g writes for a whole, upright, centred token
                parts.append(f'<g class="{cls}" data-index="{i}"><rect class="attn-token-box" x="{left}" '
                             f'y="{y}" width="{slot.written}" {end}<text class="attn-token-text" x="{x}" '
                             f'y="{text_y}" text-anchor="middle" dominant-baseline="central">{slot.text}'
                             "</text></g>")
        parts.append("</g>")
        return "".join(parts)

    def geo(self) -> dict:
        return {"cx": json_numbers(self.xs), "top": json_number(num(self.token_top)),
                "label": json_number(num(self.label_y)), "arc": _ARC}


class _Slot:
    """One token's slot: its width exact and rounded, as written, and how its text is drawn."""

    __slots__ = ("exact", "long", "text", "token", "width", "written")

    def __init__(self, token: str, least: float) -> None:
        self.token = token
        self.exact = max(shown_width(token), least) + 2 * PAD_X
        self.width = round(self.exact, 2)
        self.written = num(self.width)
        self.long = text_width(token) > MAX_TOKEN_PX
        self.text = esc_text(token)


def arcs_view(tokens: tuple[str, ...], precision: int) -> ArcsView:
    """Tokens in a row, arcs above them, one score label slot under each token."""
    least = _least(precision)
    slots = [_slot(t, least) for t in tokens]
    cx, xs, raw, x = [], [], [], MARGIN
    for s in slots:  # the same sums, in the same order, as before: the same bytes out
        c = x + s.exact / 2
        raw.append(c)
        value, written = rounded(c)
        cx.append(value)
        xs.append(written)
        x += s.exact + GAP
    width = x - GAP + MARGIN
    arc_room = 0.75 * arc_height(raw[-1] - raw[0]) + 4.0 if len(tokens) > 1 else 30.0
    token_top = MARGIN + max(arc_room, 30.0)
    label_y = token_top + TOKEN_H + LABEL_ROW - 5.0
    height = token_top + TOKEN_H + LABEL_ROW + MARGIN
    return ArcsView(tokens, cx, xs, slots, round(token_top, 2), round(label_y, 2), round(width, 2),
                    round(height, 2))


@lru_cache(maxsize=8)
def _least(precision: int) -> float:
    """Narrowest slot content: room for a score label at ``precision``."""
    return max(text_width("0." + "0" * precision, LABEL_SIZE), 12.0)


@lru_cache(maxsize=8192)  # a course repeats its words
def _slot(token: str, least: float) -> _Slot:
    return _Slot(token, least)
