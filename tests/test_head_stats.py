"""The per-head summaries against a plain float64 reference written with loops."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mkdocs_attention import load, parse_fence, render_figure
from mkdocs_attention.numerics import HEAD_STATS, causal_mask, softmax


def reference(w: np.ndarray) -> dict[str, float]:
    """One head's (N, N) weights, summarised row by row with Python floats."""
    n = len(w)
    rows = [[float(x) for x in row] for row in w]
    entropy = sum(-sum(p * math.log2(p) for p in row if p > 0) for row in rows) / n
    previous = sum(rows[i][i - 1] for i in range(1, n)) / (n - 1) if n > 1 else 0.0
    first = sum(row[0] for row in rows) / n
    itself = sum(rows[i][i] for i in range(n)) / n
    distance = sum(sum(p * abs(i - j) for j, p in enumerate(row)) for i, row in enumerate(rows)) / n
    return {"entropy": entropy, "previous": previous, "first": first, "self": itself, "distance": distance}


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("causal", [False, True])
def test_every_summary_equals_the_reference(seed: int, causal: bool) -> None:
    rng = np.random.default_rng(seed)
    layers, heads, n = int(rng.integers(1, 4)), int(rng.integers(1, 4)), int(rng.integers(1, 12))
    w = softmax(rng.normal(0, 3, (layers, heads, n, n)), causal_mask(n) if causal else None)
    for stat in HEAD_STATS:
        got = stat.of(w)
        assert got.shape == (layers, heads)
        for li in range(layers):
            for hi in range(heads):
                assert got[li, hi] == pytest.approx(reference(w[li, hi])[stat.name], abs=1e-12)


def test_known_heads() -> None:
    n = 5
    eye, uniform = np.eye(n), np.full((n, n), 1 / n)
    previous = np.eye(n, k=-1)
    previous[0, 0] = 1
    stats = {s.name: s.of(np.stack([eye, uniform, previous])[None]) for s in HEAD_STATS}
    assert stats["self"][0].tolist() == [1.0, pytest.approx(0.2), pytest.approx(0.2)]
    assert stats["entropy"][0].tolist() == [0.0, pytest.approx(math.log2(5)), 0.0]
    assert stats["previous"][0, 2] == 1.0 and stats["distance"][0, 0] == 0.0
    assert stats["distance"][0, 2] == pytest.approx(0.8)  # four queries one token back, one on itself


def test_the_figure_lists_each_head_in_its_table() -> None:
    spec = parse_fence("text: The cat sat on the mat.\nheads: 4")
    html = render_figure(spec, load(spec), "attn-x")
    table = html[html.index('<table class="attn-table attn-head-stats">'):]
    table = table[:table.index("</table>")]
    assert table.count("<th scope=\"row\">") == 4 and "entropy (bits)" in table
    single = parse_fence("The cat sat.")
    assert "attn-head-stats" not in render_figure(single, load(single), "attn-y")
