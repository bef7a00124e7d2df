"""``overview``/``sort_heads``: when a figure gets the grid, and the order of its heads, against a
plain reference. The grid's drawing is the browser's (tests/browser/test_overview.py)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from mkdocs_attention.attention import Attention
from mkdocs_attention.errors import AttentionError
from mkdocs_attention.numerics import HEAD_STATS, softmax
from mkdocs_attention.render import render_figure
from mkdocs_attention.sources import with_rollout
from mkdocs_attention.spec import Spec, parse_fence
from tests.test_head_stats import reference


def attention(layers: int, heads: int, n: int = 5, seed: int = 0) -> Attention:
    w = softmax(np.random.default_rng(seed).normal(0, 2, (layers, heads, n, n)))
    return Attention(
        tokens=tuple(f"t{i}" for i in range(n)),
        weights=w,
        head_names=tuple(f"Head {h + 1}" for h in range(heads)),
        layer_names=tuple(f"Layer {i + 1}" for i in range(layers)),
    )


def overview(spec: Spec, att: Attention) -> object:
    """The payload's ``overview`` (None when absent)."""
    html = render_figure(spec, att, "f")
    return json.loads(re.search(r"data-attn='([^']*)'", html).group(1)).get("overview")


@pytest.mark.parametrize(
    ("layers", "heads", "on"), [(2, 2, True), (12, 12, True), (1, 4, False), (4, 1, False), (1, 1, False)]
)
def test_on_by_default_for_two_layers_of_two_heads(layers: int, heads: int, on: bool) -> None:
    assert overview(Spec(tokens=()), attention(layers, heads)) == ({} if on else None)


def test_the_rollout_layer_does_not_count() -> None:
    spec = Spec(tokens=(), rollout=True)
    assert overview(spec, with_rollout(attention(2, 1))) is None
    assert overview(spec, with_rollout(attention(2, 2))) == {}


def test_asked_for_or_refused() -> None:
    assert overview(Spec(tokens=(), overview=True), attention(1, 4)) == {}
    assert overview(Spec(tokens=(), overview=False), attention(3, 3)) is None
    with pytest.raises(AttentionError, match="one layer and one head"):
        overview(Spec(tokens=(), overview=True), attention(1, 1))


@pytest.mark.parametrize("stat", [s.name for s in HEAD_STATS])
def test_sort_heads_orders_each_layer_smallest_first(stat: str) -> None:
    att = attention(3, 6, n=7, seed=3)
    got = overview(Spec(tokens=(), sort_heads=stat), att)
    expected = []
    for layer in att.weights:  # as computed, not as rounded to the precision shown
        values = [reference(head, att.tokens)[stat] for head in layer]
        expected.append(sorted(range(len(values)), key=lambda h: (round(values[h], 9), h)))
    assert got == {"order": expected, "sort": stat}


def test_sort_heads_turns_the_grid_on_and_keeps_ties_in_order() -> None:
    att = attention(1, 3)
    same = np.broadcast_to(att.weights[:, :1], att.weights.shape).copy()
    tied = Attention(tokens=att.tokens, weights=same, head_names=att.head_names)
    assert overview(Spec(tokens=(), sort_heads="entropy"), tied) == {"order": [[0, 1, 2]], "sort": "entropy"}


def test_fence_options() -> None:
    spec = parse_fence("text: a b\noverview: true\nsort_heads: self")
    assert (spec.overview, spec.sort_heads) == (True, "self")
    assert parse_fence("a b", "{overview=false}").overview is False
    with pytest.raises(AttentionError, match="no effect with 'overview: false'"):
        parse_fence("text: a b\noverview: false\nsort_heads: entropy")
    with pytest.raises(AttentionError, match="did you mean 'entropy'"):
        parse_fence("text: a b\nsort_heads: entropie")
