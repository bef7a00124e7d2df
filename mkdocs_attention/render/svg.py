"""Small SVG building blocks shared by the three views: numbers, token labels, truncation.

Every number goes through ``num`` so the same figure gives the same bytes on every machine.
"""

from __future__ import annotations

from html import escape

from .layout import FONT_SIZE, text_width

#: Widest a token label may be drawn (px at FONT_SIZE); longer tokens end in "…" and show
#: their full text in a tooltip (``<title>``) and to screen readers (``aria-label``).
MAX_TOKEN_PX = 150.0


def num(x: float) -> str:
    """Short, fixed float formatting: byte-identical output on every machine."""
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


def token_g(cls: str, index: int, token: str, box: tuple[float, float, float, float],
            text_at: tuple[float, float], anchor: str = "middle", *, extra: str = "",
            size: float = FONT_SIZE, limit: float = MAX_TOKEN_PX) -> str:
    """One ``g.<cls>[data-index]``: a box and the (maybe shortened) token text.

    A shortened token keeps its full text in ``<title>`` (hover tooltip) and ``aria-label``.
    """
    label = shown(token, limit, size)
    x, y, w, h = box
    title, aria = "", ""
    if label != token:
        title = f"<title>{escape(token, quote=False)}</title>"
        aria = f' aria-label="{escape(token)}"'
    size_attr = "" if size == FONT_SIZE else f' font-size="{num(size)}"'
    return (
        f'<g class="{cls}{" " + extra if extra else ""}" data-index="{index}"{aria}>{title}'
        f'<rect class="attn-token-box" x="{num(x)}" y="{num(y)}" width="{num(w)}" '
        f'height="{num(h)}" rx="{num(min(5.0, h / 4))}"></rect>'
        f'<text class="attn-token-text" x="{num(text_at[0])}" y="{num(text_at[1])}" '
        f'text-anchor="{anchor}" dominant-baseline="central"{size_attr}>'
        f"{escape(label, quote=False)}</text></g>"
    )


def svg_open(width: float, height: float, label: str) -> str:
    return (f'<svg class="attn-svg" xmlns="http://www.w3.org/2000/svg" '
            f'viewBox="0 0 {num(width)} {num(height)}" width="{num(width)}" '
            f'height="{num(height)}" role="group" aria-label="{escape(label)}">')
