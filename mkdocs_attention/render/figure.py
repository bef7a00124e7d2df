"""Spec + Attention → the ``figure.attn`` HTML of DESIGN.md §4."""

from __future__ import annotations

from html import escape

import numpy as np

from ..attention import Attention
from ..spec import Spec
from .arcs import arcs_layout, arcs_svg
from .layout import ARC_MAX, ARC_MIN, ARC_SLOPE
from .payload import build_payload, dumps
from .table import scores_tables

#: Stroke width (px) of an edge of weight equal to the figure's largest weight.
MAX_STROKE = 9.0


def _heads_toolbar(attention: Attention) -> str:
    if len(attention.head_names) < 2:
        return ""
    buttons = "".join(
        f'<button type="button" class="attn-head" data-head="{h}" '
        f'aria-pressed="{"true" if h == 0 else "false"}">{escape(name)}</button>'
        for h, name in enumerate(attention.head_names)
    )
    return f'<div class="attn-controls" role="toolbar" aria-label="Heads">{buttons}</div>'


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
    return (
        f'<figure class="attn" id="{fig_id}" data-attn-view="{spec.view}"{named}{described} '
        f"data-attn='{attr_json(dumps(payload))}'>"
        f"{title}{_heads_toolbar(attention)}"
        f'<div class="attn-scroll">{arcs_svg(attention.tokens, layout, label)}</div>'
        f'<ol class="attn-scores" aria-label="Scores of the active token"></ol>'
        f'<p class="attn-status" role="status" aria-live="polite"></p>'
        f"{caption}"
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
