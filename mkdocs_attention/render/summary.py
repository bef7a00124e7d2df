"""Spec + Attention → a figure as words and numbers, for outputs that run no script (LaTeX/PDF,
plain text, man pages): its name, caption and note, and the scores of the token the static
figure shows, rounded as the figure's table prints them."""

from __future__ import annotations

from dataclasses import dataclass

from ..attention import Attention
from ..codec import quantized
from ..spec import Spec
from .figure import figure_label, focus_index
from .payload import figure_encoding
from .table import decimal_texts


@dataclass(frozen=True)
class Score:
    """One token's weight from (or to) the focus token."""

    token: str
    text: str  # as the table prints it ("0.25")
    weight: float  # the same, as a number (a cell's shade)


@dataclass(frozen=True)
class Summary:
    name: str
    caption: str | None
    note: str | None
    #: "Layer 1, Head 1: what "fox" attends to" — what ``scores`` are.
    heading: str
    scores: tuple[Score, ...]


def summarize(spec: Spec, attention: Attention) -> Summary:
    """The figure's first layer and head, seen from its focus token."""
    enc = figure_encoding(attention, spec.precision)
    shown = quantized(attention.weights[0, 0], enc)  # the first head only, as the figure shows it
    focus = focus_index(spec, attention, shown[None, None])
    row = shown[focus] if spec.direction == "out" else shown[:, focus]
    verb = "attends to" if spec.direction == "out" else "is attended by"
    token, names = (
        (attention.tokens[focus], attention.keys)
        if spec.direction == "out"
        else (attention.keys[focus], attention.tokens)
    )
    heading = f"{attention.layer_names[0]}, {attention.head_names[0]}: what \u201c{token}\u201d {verb}"
    texts = decimal_texts(row, spec.precision)
    scores = tuple(Score(t, text, float(w)) for t, text, w in zip(names, texts, row.tolist(), strict=True))
    return Summary(figure_label(spec, attention), spec.caption, attention.note, heading, scores)
