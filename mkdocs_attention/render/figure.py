"""Spec + Attention → the ``figure.attn`` HTML of DESIGN.md §4."""

from __future__ import annotations

from html import escape

import numpy as np

from ..attention import Attention
from ..errors import AttentionError
from ..spec import Spec
from .arcs import arcs_layout, arcs_svg, static_edges
from .layout import ARC_MAX, ARC_MIN, ARC_SLOPE
from .payload import build_payload, dumps
from .table import scores_tables

#: Stroke width (px) of an edge of weight equal to the figure's largest weight.
MAX_STROKE = 9.0


#: Above this many tokens the worked-math panel is left out (its logits would dominate the page).
MAX_MATH_TOKENS = 64


def _toolbar(kind: str, names: tuple[str, ...]) -> str:
    """Buttons ``.attn-head[data-head]`` / ``.attn-layer[data-layer]``; none for a single one."""
    if len(names) < 2:
        return ""
    buttons = "".join(
        f'<button type="button" class="attn-{kind}" data-{kind}="{i}" '
        f'aria-pressed="{"true" if i == 0 else "false"}">{escape(name)}</button>'
        for i, name in enumerate(names)
    )
    return f'<div class="attn-toolbar" role="toolbar" aria-label="{kind.title()}s">{buttons}</div>'


def _math_payload(attention: Attention) -> dict | None:
    m = attention.math
    if m is None or attention.n > MAX_MATH_TOKENS:
        return None
    return {"label": m.label, "by": m.by, "divisor": round(m.divisor, 12), "causal": m.causal,
            "logits": np.round(m.logits, 6).tolist()}


def focus_index(spec: Spec, attention: Attention) -> int:
    """The token whose edges the static figure shows: ``focus`` (index or token text), else the
    query with the single strongest weight in the first head (its pattern reads best)."""
    f = spec.focus
    if f is None:
        return int(np.argmax(attention.weights[0, 0].max(axis=1)))
    if isinstance(f, int):
        if f >= attention.n:
            raise AttentionError(
                f"'focus' {f} is out of range: there are {attention.n} tokens (0–{attention.n - 1})")
        return f
    if f not in attention.tokens:
        raise AttentionError(f"'focus' {f!r} is not one of the tokens")
    return attention.tokens.index(f)


def render_figure(spec: Spec, attention: Attention, fig_id: str) -> str:
    """The widget root with its static SVG, payload, score list and fallback table."""
    layout = arcs_layout(attention.tokens, spec.precision)
    peak = float(np.max(attention.weights)) or 1.0
    payload = build_payload(
        attention,
        view=spec.view,
        direction=spec.direction,
        precision=spec.precision,
        stroke=round(MAX_STROKE / peak, 6),
        geo={"cx": list(layout.cx), "top": layout.token_top, "label": layout.label_y,
             "arc": [ARC_MIN, ARC_SLOPE, ARC_MAX]},
    )
    math = _math_payload(attention)
    if math:
        payload["math"] = math
    sentence = " ".join(attention.tokens)
    label = spec.title or f"Attention over: {sentence[:80]}{'…' if len(sentence) > 80 else ''}"
    title = (f'<figcaption class="attn-title">{escape(spec.title)}</figcaption>'
             if spec.title else "")
    named = "" if spec.title else f' aria-label="{escape(label)}"'
    caption = ""
    described = ""
    if spec.caption:
        caption = f'<p class="attn-caption" id="{fig_id}-caption">{escape(spec.caption)}</p>'
        described = f' aria-describedby="{fig_id}-caption"'
    controls = _toolbar("layer", attention.layer_names) + _toolbar("head", attention.head_names)
    if controls:
        controls = f'<div class="attn-controls">{controls}</div>'
    math_panel = '<div class="attn-math"></div>' if math else ""
    focus = focus_index(spec, attention)
    row = attention.weights[0, 0, focus] if spec.direction == "out" else attention.weights[0, 0, :, focus]
    static = static_edges(layout, focus, [float(w) for w in row], payload["stroke"], spec.precision,
                          inbound=spec.direction == "in")
    note = f'<p class="attn-note">{escape(attention.note)}</p>' if attention.note else ""
    return (
        f'<figure class="attn" id="{fig_id}" data-attn-view="{spec.view}"{named}{described} '
        f"data-attn='{attr_json(dumps(payload))}'>"
        f"{title}{controls}"
        f'<div class="attn-scroll">{arcs_svg(attention.tokens, layout, label, static, focus)}</div>'
        f'<ol class="attn-scores" aria-label="Scores of the active token"></ol>'
        f'<p class="attn-status" role="status" aria-live="polite"></p>'
        f"{math_panel}{note}{caption}"
        f'<details class="attn-data"><summary>Scores as a table</summary>'
        f"{scores_tables(attention, spec.precision)}</details>"
        f"</figure>"
    )


def attr_json(text: str) -> str:
    """Escape JSON for a single-quoted attribute: JSON's many ``"`` stay one byte each."""
    return text.replace("&", "&amp;").replace("'", "&#39;").replace("<", "&lt;").replace(">", "&gt;")


def render_error(message: str) -> str:
    """The box that replaces a bad fence in non-strict builds."""
    return (f'<div class="attn-error" role="alert"><strong>attention:</strong> '
            f"{escape(message)}</div>")
