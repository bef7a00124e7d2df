"""Spec + Attention → the ``figure.attn`` HTML (docs/reference.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from html import escape
from typing import Any, Protocol, cast

import numpy as np

from ..attention import Attention
from ..codec import encode_steps, quantize
from ..errors import AttentionError, shown
from ..spec import Spec
from ..widget_files import parts
from .arcs import arcs_view
from .layout import LABEL_SIZE
from .lines import lines_view
from .matrix import matrix_view
from .overview import overview_part
from .payload import attribute_json, figure_encoding, math_part, payload_dict
from .steps import steps_table
from .svg import html_text, num, part_id, svg_open
from .table import decimal_index, decimal_texts, head_stats_table, scores_tables


class View(Protocol):
    """What every view lays out: its size, its body, the geometry the script needs."""

    @property
    def width(self) -> float: ...
    @property
    def height(self) -> float: ...
    @property
    def max_stroke(self) -> float: ...
    def body(
        self, fig_id: str, first: np.ndarray | None, focus: int | None, on_keys: bool = False
    ) -> str: ...
    def geo(self) -> dict[str, Any]: ...


class EdgeView(View, Protocol):
    """A view that draws edges between tokens (arcs, lines) and score labels beside them."""

    def edges(self, focus: int, others: list[int], inbound: bool) -> list[str]: ...
    def label_tags(self, inbound: bool) -> list[str]: ...


#: Each view's layout from the queries' tokens, the keys' (None: the same tokens) and the decimals
#: of its score labels.
VIEWS: dict[str, Callable[[tuple[str, ...], tuple[str, ...] | None, int], View]] = {
    "arcs": arcs_view,
    "lines": lines_view,
    "matrix": matrix_view,
}


def _toolbar(kind: str, label: str, items: list[tuple[str, str]], pressed: str) -> str:
    """Buttons ``.attn-<kind>[data-<kind>]`` in a labelled toolbar; none for a single choice."""
    if len(items) < 2:
        return ""

    def swatch(value: str) -> str:
        """Each head's colour beside its name: the legend of the "All heads" mode."""
        if kind != "head" or not value.isdigit():
            return ""
        return f'<span class="attn-swatch attn-h{int(value) % 16}" aria-hidden="true"></span>'

    buttons = "".join(
        f'<button type="button" class="attn-{kind}" data-{kind}="{value}" '
        f'aria-pressed="{"true" if value == pressed else "false"}">{swatch(value)}{escape(name)}</button>'
        for value, name in items
    )
    return f'<div class="attn-toolbar" role="toolbar" aria-label="{label}">{buttons}</div>'


def _controls(spec: Spec, attention: Attention, weighting: dict[str, Any] | None) -> tuple[str, bool]:
    """The toolbars, and whether any has head or layer buttons (the script's ``controls``
    part; the core switches direction, the ``weighting`` part, as the payload's, weightings)."""
    heads = [(str(i), name) for i, name in enumerate(attention.head_names)]
    if len(heads) > 1 and spec.view != "matrix":
        heads.append(("all", "All heads"))
    bars = _toolbar(
        "layer", "Layers", [(str(i), n) for i, n in enumerate(attention.layer_names)], "0"
    ) + _toolbar("head", "Heads", heads, "0")
    switches = bool(bars)
    if weighting is not None and "entry" in weighting:  # the layers, or their whole-model entry
        weightings = [("attention", "Attention"), (weighting["entry"], attention.layer_names[-1])]
        bars += _toolbar("weighting", "Weighting", weightings, "attention")
    elif weighting is not None:  # the reader can weigh α by the norms or not
        weightings = [("value-norm", "Value norms"), ("attention", "Attention")]
        bars += _toolbar("weighting", "Weighting", weightings, "value-norm")
    if not attention.cross:  # in cross-attention a query attends and a key is attended to
        bars += _toolbar("dir", "Direction", [("out", "Attends to"), ("in", "Attended by")], spec.direction)
    # Every figure can be linked to as it is shown (the script writes the link).
    bars += (
        '<div class="attn-toolbar attn-share" role="toolbar" aria-label="Share">'
        '<button type="button" class="attn-link">Copy link</button>'
        '<button type="button" class="attn-export" data-format="svg">Save SVG</button>'
        '<button type="button" class="attn-export" data-format="png">Save PNG</button></div>'
    )
    return f'<div class="attn-controls" data-search-exclude>{bars}</div>', switches


def focus_index(spec: Spec, attention: Attention, weights: np.ndarray | None = None) -> int:
    """The token whose edges the static figure shows: ``focus`` (index or token text), else the
    query with the single strongest weight in the first head (its pattern reads best; of
    ``weights`` when given, the figure's weights as shown). In cross-attention shown "attended
    by", a key."""
    on_keys = focus_on_keys(spec, attention)
    names = attention.keys if on_keys else attention.tokens
    f = spec.focus
    if f is None:
        first = (attention.weights if weights is None else weights)[0, 0]
        # The row of the first occurrence of the largest weight: the first row whose maximum it is
        # (a flat argmax: a row-wise reduction costs five times as much at a figure's size); a
        # key: its column.
        at = int(first.argmax())
        return at % first.shape[1] if on_keys else at // first.shape[1]
    what = "key tokens" if on_keys else "tokens"
    if isinstance(f, int):
        if f >= len(names):
            raise AttentionError(
                f"'focus' {f} is out of range: there are {len(names)} {what} (0–{len(names) - 1})"
            )
        return f
    if f not in names:
        raise AttentionError(f"'focus' {shown(f)} is not one of the {what}")
    return names.index(f)


def focus_on_keys(spec: Spec, attention: Attention) -> bool:
    """Whether the focus token is a key: in cross-attention shown as "attended by" (in
    self-attention a token is both)."""
    return attention.cross and spec.direction == "in"


def kept(row: np.ndarray, threshold: float, top_k: int | None) -> np.ndarray:
    """Which edges of one token are drawn: non-zero, at least ``threshold``, among the ``top_k``
    strongest (ties to the earlier token). attn.js applies the same rule."""
    keep = row >= threshold if threshold > 0 else row > 0
    if top_k is not None and top_k < int(keep.sum()):
        rank = np.empty(len(row), dtype=int)
        rank[np.argsort(-row, kind="stable")] = np.arange(len(row))
        keep &= rank < top_k
    return keep


def static_edges(
    view: EdgeView, spec: Spec, focus: int, row: np.ndarray, stroke: float, marker: str, labels: list[str]
) -> str:
    """The focus token's edges and scores (``labels``: each weight of ``row`` as shown), drawn at
    build time for readers without JavaScript and for print; the script hides them while a
    reader explores. A difference (``compare``) has signed weights: each edge is as wide as its
    size and styled by its sign."""
    inbound = spec.direction == "in"
    drawn = kept(np.abs(row), spec.threshold, spec.top_k).nonzero()[0]
    paths, widths = view.edges(focus, drawn.tolist(), inbound), (np.abs(row[drawn]) * stroke).tolist()
    signs = [
        "" if spec.compare is None else " attn-up" if x > 0 else " attn-down" for x in row[drawn].tolist()
    ]
    edges = "".join(
        [
            f'<path class="attn-static-edge{c}" d="{d}" stroke-width="{num(w)}"{marker}></path>'
            for d, w, c in zip(paths, widths, signs, strict=True)
        ]
    )
    texts = "".join(
        [f"{tag}{text}</text>" for tag, text in zip(view.label_tags(inbound), labels, strict=True)]
    )
    return f'<g class="attn-static" aria-hidden="true">{edges}{texts}</g>'


def figure_label(spec: Spec, attention: Attention) -> str:
    """The figure's accessible name: its title, else the start of its sentence."""
    sentence = " ".join(attention.tokens)
    return spec.title or f"Attention over: {sentence[:80]}{'…' if len(sentence) > 80 else ''}"


def search_text(spec: Spec, attention: Attention) -> str:
    """What a reader would search the figure by, as HTML text: its name, note and caption (not
    its scores). Search plugins index this instead of the figure's hundreds of elements."""
    words = [figure_label(spec, attention), attention.note or "", spec.caption or ""]
    return html_text(" ".join(w for w in words if w))


@dataclass(frozen=True)
class Rendered:
    """A figure's HTML and the widget's parts it uses (``widget_files.parts``)."""

    html: str
    parts: tuple[str, ...]


def render_figure(spec: Spec, attention: Attention, fig_id: str) -> str:
    """The widget root with its static SVG, payload, score list and fallback table."""
    return render(spec, attention, fig_id).html


def render(spec: Spec, attention: Attention, fig_id: str) -> Rendered:
    """``render_figure``'s HTML, with the parts of the widget it uses."""
    view = VIEWS[spec.view](attention.tokens, attention.key_tokens, spec.precision)
    enc = figure_encoding(attention, spec.precision)
    steps = quantize(attention.weights, enc)
    # Rounded once to what the page carries, so the static SVG and the table agree with the script.
    shown = steps / enc.scale
    # What the figure draws: the weights, or with ``compare`` the difference B − A (both as the
    # page carries them), whose edges and cells are as strong as its size.
    drawn, compared = shown, None
    if attention.compare is not None:
        other = quantize(attention.compare.weights, enc)
        drawn = other / enc.scale - shown
        compared = {"label": attention.compare.label, "w": encode_steps(other, enc)}
    peak = float(np.abs(drawn).max()) or 1.0
    stroke = round(view.max_stroke / peak, 6)
    math = math_part(attention)
    payload = payload_dict(
        spec,
        attention,
        enc,
        steps,
        stroke=stroke,
        geo=view.geo(),
        math=math,
        overview=overview_part(spec, attention),
        compare=compared,
    )
    # The figure and its SVG are named by an element's text, not an aria-label: HTML rewriters
    # (minifiers) decode attributes, and a token such as "<img src=//host/p.png>" in an attribute
    # is then taken for markup by the next regular-expression rewriter (Material's privacy plugin).
    name_id = part_id(fig_id, "name")
    if spec.title:
        name = f'<figcaption class="attn-title" id="{name_id}">{escape(spec.title)}</figcaption>'
    else:
        label = html_text(figure_label(spec, attention))
        name = f'<span class="attn-name" id="{name_id}" hidden>{label}</span>'
    caption = ""
    described = ""
    if spec.caption:
        caption_id = part_id(fig_id, "caption")
        caption = f'<p class="attn-caption" id="{caption_id}">{escape(spec.caption)}</p>'
        described = f' aria-describedby="{caption_id}"'
    # The worked math of the pinned query: softmax of the logits, or a value-norm figure's α ‖f‖.
    math_panel = (
        '<div class="attn-math" data-search-exclude></div>' if math or attention.values is not None else ""
    )
    steps_panel = '<div class="attn-steps" data-search-exclude></div>' if attention.generation else ""
    # A model's writing shows, without JavaScript, its last step: the last token's row.
    written = attention.generation is not None and spec.focus is None
    focus = attention.n - 1 if written else focus_index(spec, attention, np.abs(drawn))
    defs, static, marker = "", "", ""
    if spec.view == "arcs":
        arrow_id = part_id(fig_id, "arrow")
        marker = f' marker-end="url(#{arrow_id})"'
        defs = (
            f'<defs><marker id="{arrow_id}" class="attn-arrow" viewBox="0 0 8 8" refX="7" '
            f'refY="4" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" '
            f'orient="auto"><path d="M0 0L8 4L0 8z"></path></marker></defs>'
        )
    index = decimal_index(steps, enc.scale, spec.precision)
    if spec.view != "matrix":
        at = (0, 0, focus) if spec.direction == "out" else (0, 0, slice(None), focus)
        row = drawn[at]
        labels = (
            signed_texts(row, spec.precision)
            if compared is not None
            else decimal_texts(row, spec.precision, None if index is None else index[at])
        )
        if compared is not None:
            marker = ""  # a difference's edges carry their sign in their style, not an arrowhead
        static = static_edges(cast(EdgeView, view), spec, focus, row, stroke, marker, labels)
    note = f'<p class="attn-note">{escape(attention.note)}</p>' if attention.note else ""
    # The matrix shades its cells by the first head as fractions of the figure's peak; the other
    # views draw no weights in their body.
    first = drawn[0, 0] / peak if spec.view == "matrix" else None
    edges, body = (
        '<g class="attn-edges"></g>',
        view.body(fig_id, first, focus, focus_on_keys(spec, attention)),
    )
    # Arcs and lines end under their tokens; the matrix's cell outlines go over its heat map.
    layers = body + edges if spec.view == "matrix" else edges + body
    svg = (
        f"{svg_open(view.width, view.height, name_id)}{defs}{static}{layers}"
        f'<g class="attn-labels" font-size="{num(LABEL_SIZE)}" aria-hidden="true"></g></svg>'
    )
    controls, switches = _controls(spec, attention, payload.get("weighting"))
    # A token drawn cut short (svg.token_g's attn-long) shows its whole text in the tooltip. The
    # script loads the parts the payload names.
    used = parts(payload, has_controls=switches, has_long=" attn-long" in body)
    payload["parts"] = list(used)
    html = (
        f'<figure class="attn" id="{fig_id}" data-attn-view="{spec.view}" aria-labelledby="{name_id}"'
        f"{described} data-attn='{attribute_json(payload)}'>"
        f"{name}{controls}{steps_panel}"
        f'<div class="attn-scroll" data-search-exclude>{svg}</div>'
        f'<ol class="attn-scores" aria-label="Scores of the active token" data-search-exclude></ol>'
        f'<p class="attn-status" role="status" aria-live="polite" data-search-exclude></p>'
        f"{math_panel}{note}{caption}"
        f'<details class="attn-data" data-search-exclude><summary>Scores as a table</summary>'
        f"{steps_table(attention.generation, attention.tokens) if attention.generation else ''}"
        f"{head_stats_table(attention)}{tables(attention, spec.precision, shown, index)}</details>"
        f"</figure>"
    )
    return Rendered(html, used)


def tables(attention: Attention, precision: int, shown: np.ndarray, index: np.ndarray | None) -> str:
    """The no-JavaScript tables: the figure's weights; with ``compare``, A's then B's."""
    own = scores_tables(attention, precision, shown, index)
    if attention.compare is None:
        return own
    other = replace(attention, weights=attention.compare.weights, compare=None)
    return (
        f'<p class="attn-table-note">A, the figure\'s weights:</p>{own}'
        f'<p class="attn-table-note">B, {escape(attention.compare.label)}:</p>'
        f"{scores_tables(other, precision)}"
    )


def signed_texts(values: np.ndarray, decimals: int) -> list[str]:
    """A difference as the figure writes it: "+0.12", "−0.05" (a minus sign), "0.00"."""
    out = []
    for v in values.tolist():
        text = f"{abs(v):.{decimals}f}"
        zero = float(text) == 0
        out.append(text if zero else ("+" if v > 0 else "\u2212") + text)
    return out


def render_error(message: str) -> str:
    """The box that replaces a bad fence in non-strict builds."""
    return f'<div class="attn-error" role="alert"><strong>attention:</strong> {escape(message)}</div>'
