"""Build-time text metrics and shared sizes.

The views lay labels out so they can never overlap; that needs widths before any browser
exists, so text widths are estimated generously from per-character classes (wide fonts such
as DejaVu Sans as the bound).
"""

from __future__ import annotations

import unicodedata
from functools import cache

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
#: A token's loop to itself: half-width where it meets the token, half-width of its control
#: points, height.
LOOP = (7, 17, 30)

_NARROW = set("il.,:;'!|`ijlftr()[]{}\"’‘")
_WIDE = set("mwMW@%")


@cache  # one entry per distinct character: asking unicodedata for every character is slow
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
    return sum(map(_char_em, text)) * size


def arc_height(dx: float) -> float:
    """Control-point height of the arc spanning ``dx`` px; the apex is three quarters of it."""
    return min(ARC_MAX, ARC_MIN + ARC_SLOPE * abs(dx))
