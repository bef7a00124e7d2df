"""Small SVG building blocks shared by the three views: numbers, token labels, truncation.

Every number goes through ``num`` so the same figure gives the same bytes on every machine.
"""

from __future__ import annotations

from html import escape

from .layout import FONT_SIZE, text_width

#: Widest a token label may be drawn (px at FONT_SIZE); longer tokens end in "…" and show
#: their full text in a tooltip (``<title>``) and to screen readers (``aria-label``).
MAX_TOKEN_PX = 150.0


def part_id(fig_id: str, part: str) -> str:
    """The id of a part of figure ``fig_id`` (its name, caption, arrowhead, filters). A figure
    id cannot hold a ".", so no part id is any figure's id, nor another figure's part's: ids
    stay unique on the page (the widget's ``A.partId`` makes its own the same way)."""
    return f"{fig_id}.{part}"


def num(x: float) -> str:
    """Short, fixed float formatting (at most two decimals, no ``-0``): the same bytes on every
    machine."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def shown(token: str, limit: float = MAX_TOKEN_PX, size: float = FONT_SIZE) -> str:
    """``token`` as drawn: cut to ``limit`` px with an ellipsis when it is longer."""
    if text_width(token, size) <= limit:
        return token
    room = limit - text_width("…", size)
    out = ""
    for ch in token:
        if text_width(out + ch, size) > room:
            break
        out += ch
    return out + "…"


def shown_width(token: str) -> float:
    """``text_width(shown(token))``: the width a token's box must hold."""
    return text_width(shown(token))


def _dots(x: float, y: float, size: float, vertical: bool = False) -> str:
    """An ellipsis drawn as three dots (a path, not text, so the token's text stays the token)."""
    r, step = max(size * 0.07, 0.6), size * 0.22
    d = "".join(
        f"M{num(x + (0 if vertical else k * step) - r)} {num(y - (k * step if vertical else 0))}"
        f"a{num(r)} {num(r)} 0 1 0 {num(2 * r)} 0a{num(r)} {num(r)} 0 1 0 -{num(2 * r)} 0"
        for k in range(3)
    )
    return f'<path class="attn-ellipsis" d="{d}"></path>'


def token_g(
    cls: str,
    index: int,
    token: str,
    box: tuple[float, float, float, float],
    text_at: tuple[float, float],
    anchor: str = "middle",
    *,
    extra: str = "",
    size: float = FONT_SIZE,
    limit: float = MAX_TOKEN_PX,
    upright: bool = True,
) -> str:
    """One ``g.<cls>[data-index]``: a box and the token text.

    The element's text is always the whole token (docs/reference.md). A token wider than ``limit`` is
    drawn clipped by a nested ``<svg>`` viewport and ends in three dots; the script shows its
    full text on hover. ``upright=False`` turns the text to read upwards (matrix columns).
    """
    x, y, w, h = box
    size_attr = "" if size == FONT_SIZE else f' font-size="{num(size)}"'
    rect = (
        f'<rect class="attn-token-box" x="{num(x)}" y="{num(y)}" width="{num(w)}" '
        f'height="{num(h)}" rx="{num(min(5.0, h / 4))}"></rect>'
    )
    text = escape(token, quote=False)
    tx, ty = text_at
    if text_width(token, size) <= limit:  # drawn whole: shown(token, limit, size) == token
        turn = "" if upright else f' transform="rotate(-90 {num(tx)} {num(ty)})"'
        return (
            f'<g class="{cls}{" " + extra if extra else ""}" data-index="{index}">{rect}'
            f'<text class="attn-token-text" x="{num(tx)}" y="{num(ty)}" text-anchor="{anchor}" '
            f'dominant-baseline="central"{size_attr}{turn}>{text}</text></g>'
        )
    dots = size * 0.8
    if upright:
        left = tx if anchor == "start" else x + (w - limit) / 2 if anchor == "middle" else tx - limit
        clip = (left, y, limit - dots, h)
        inner = (
            f'<text class="attn-token-text" x="0" y="{num(ty - y)}" dominant-baseline="central"'
            f"{size_attr}>{text}</text>"
        )
        tail = _dots(left + limit - dots * 0.8, ty, size)
    else:
        clip = (x, ty - limit + dots, w, limit - dots)
        inner = (
            f'<text class="attn-token-text" x="{num(tx - x)}" y="{num(limit - dots)}" '
            f'dominant-baseline="central" transform="rotate(-90 {num(tx - x)} {num(limit - dots)})"'
            f"{size_attr}>{text}</text>"
        )
        tail = _dots(tx, ty - limit + dots * 0.8, size, vertical=True)
    cx, cy, cw, ch = clip
    return (
        f'<g class="{cls} attn-long{" " + extra if extra else ""}" data-index="{index}">{rect}'
        f'<svg class="attn-clip" x="{num(cx)}" y="{num(cy)}" width="{num(cw)}" height="{num(ch)}">'
        f"{inner}</svg>{tail}</g>"
    )


def svg_open(width: float, height: float, name_id: str) -> str:
    """The root ``<svg>``, named by the element whose id is ``name_id``."""
    return (
        f'<svg class="attn-svg" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {num(width)} {num(height)}" width="{num(width)}" '
        f'height="{num(height)}" role="group" aria-labelledby="{name_id}">'
    )


def html_text(text: str) -> str:
    """``escape(text)`` with the ellipsis that cuts a long name written ``&#8230;``: the figure
    adds no character beyond ASCII that its tokens do not bring (the payload is ASCII JSON too)."""
    return escape(text).replace("…", "&#8230;")
