"""Build-time geometry: where each token sits and how tall arcs get.

Token slots are wide enough for the token and for its score label, so score labels (drawn in
their own row under the tokens) can never overlap one another or a token. Text widths are
estimated generously from per-character classes (wide fonts such as DejaVu Sans as the bound).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

FONT_SIZE = 14.0
LABEL_SIZE = 12.0
PAD_X = 10.0  # inside a token box, each side
GAP = 6.0  # between token boxes
TOKEN_H = 26.0
LABEL_ROW = 20.0
MARGIN = 8.0
ARC_MIN = 18.0
ARC_SLOPE = 0.32
ARC_MAX = 150.0

_NARROW = set("il.,:;'!|`ijlftr()[]{}\"’‘")
_WIDE = set("mwMW@%")


def _char_em(ch: str) -> float:
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 1.05
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0.0
    if ch in _NARROW:
        return 0.38
    if ch in _WIDE:
        return 0.95
    if ch.isupper():
        return 0.74
    return 0.64


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """An upper estimate of ``text``'s rendered width in px at ``size``."""
    return sum(_char_em(c) for c in text) * size


def arc_height(dx: float) -> float:
    """Control-point height of the arc spanning ``dx`` px; the apex is three quarters of it."""
    return min(ARC_MAX, ARC_MIN + ARC_SLOPE * abs(dx))


@dataclass(frozen=True)
class ArcsLayout:
    """Positions in SVG user units (1 unit = 1 CSS px at natural size)."""

    cx: tuple[float, ...]
    widths: tuple[float, ...]
    token_top: float
    label_y: float
    width: float
    height: float


def arcs_layout(tokens: tuple[str, ...], precision: int) -> ArcsLayout:
    """Tokens in a row, arcs above them, one score label slot under each token."""
    label_w = text_width("0." + "0" * precision, LABEL_SIZE)
    widths = [max(text_width(t), label_w, 12.0) + 2 * PAD_X for t in tokens]
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
    return ArcsLayout(tuple(round(c, 2) for c in cx), tuple(round(w, 2) for w in widths),
                      round(token_top, 2), round(label_y, 2), round(width, 2), round(height, 2))


def arc_path(x1: float, x2: float, top: float, fmt) -> str:
    """The edge from the token centred at ``x1`` to the one at ``x2`` (same shape as attn.js)."""
    if x1 == x2:
        return (f"M{fmt(x1 - 7)} {fmt(top)}C{fmt(x1 - 17)} {fmt(top - 30)} {fmt(x1 + 17)} "
                f"{fmt(top - 30)} {fmt(x1 + 7)} {fmt(top)}")
    h = arc_height(x2 - x1)
    return f"M{fmt(x1)} {fmt(top)}C{fmt(x1)} {fmt(top - h)} {fmt(x2)} {fmt(top - h)} {fmt(x2)} {fmt(top)}"
