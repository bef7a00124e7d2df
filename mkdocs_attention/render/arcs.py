"""The static SVG of the arcs view: tokens in a row, room for arcs above, labels below.

The build-time SVG carries no edges (edges exist only while a token is active); the script
draws them into ``g.attn-edges`` from the payload and the geometry in it.
"""

from __future__ import annotations

from html import escape

from .layout import LABEL_SIZE, TOKEN_H, ArcsLayout, arc_path, arcs_layout


def num(x: float) -> str:
    """Short, fixed float formatting: byte-identical output on every machine."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def static_edges(layout: ArcsLayout, focus: int, row: list[float], stroke: float, precision: int,
                 inbound: bool = False) -> str:
    """The focus token's edges and scores, drawn at build time for readers without JavaScript
    and for print; the script hides them while a reader explores."""
    parts = ['<g class="attn-static" aria-hidden="true">']
    for j, w in enumerate(row):
        if w > 0:
            a, b = (layout.cx[j], layout.cx[focus]) if inbound else (layout.cx[focus], layout.cx[j])
            d = arc_path(a, b, layout.token_top, num)
            parts.append(f'<path class="attn-static-edge" d="{d}" stroke-width="{num(w * stroke)}"></path>')
    for j, w in enumerate(row):
        parts.append(f'<text class="attn-static-label" x="{num(layout.cx[j])}" y="{num(layout.label_y)}" '
                     f'text-anchor="middle" font-size="{num(LABEL_SIZE)}">{w:.{precision}f}</text>')
    parts.append("</g>")
    return "".join(parts)


def arcs_svg(tokens: tuple[str, ...], layout: ArcsLayout, label: str, static: str = "",
             focus: int | None = None) -> str:
    """Inline SVG with one ``g.attn-token[data-index]`` per token."""
    parts = [
        f'<svg class="attn-svg" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {num(layout.width)} {num(layout.height)}" width="{num(layout.width)}" '
        f'height="{num(layout.height)}" role="group" aria-label="{escape(label)}">',
        static,
        '<g class="attn-edges"></g><g class="attn-tokens">',
    ]
    text_y = layout.token_top + TOKEN_H / 2
    for i, (tok, cx, w) in enumerate(zip(tokens, layout.cx, layout.widths, strict=True)):
        parts.append(
            f'<g class="attn-token{" attn-focus" if i == focus else ""}" data-index="{i}">'
            f'<rect class="attn-token-box" x="{num(cx - w / 2)}" y="{num(layout.token_top)}" '
            f'width="{num(w)}" height="{num(TOKEN_H)}" rx="5"></rect>'
            f'<text class="attn-token-text" x="{num(cx)}" y="{num(text_y)}" '
            f'text-anchor="middle" dominant-baseline="central">{escape(tok, quote=False)}</text></g>'
        )
    parts.append(
        f'</g><g class="attn-labels" font-size="{num(LABEL_SIZE)}"></g></svg>'
    )
    return "".join(parts)


__all__ = ["arcs_layout", "arcs_svg", "num"]
