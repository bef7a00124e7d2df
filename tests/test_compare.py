"""``compare``: B − A, against a plain float64 reference, its options' checks, and the static
figure's signed edges and labels."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from mkdocs_attention import AttentionError, LoadEnv, load, parse_fence, render_figure
from mkdocs_attention.render.payload import payload_weights
from tests.helpers import payload

SCORES = [[1.5, -0.5, 2.0, 0.0], [0.3, 0.2, -1.0, 2.5], [-2.0, 1.0, 0.5, 0.1], [0.0, 0.0, 0.0, 3.0]]


def softmax_rows(rows: list[list[float]], causal: bool) -> list[list[float]]:
    """Row softmax in plain Python; ``causal`` leaves out the keys after each query."""
    out = []
    for i, row in enumerate(rows):
        seen = [x for j, x in enumerate(row) if not causal or j <= i]
        top = max(seen)
        exps = [math.exp(x - top) if not causal or j <= i else 0.0 for j, x in enumerate(row)]
        total = sum(exps)
        out.append([e / total for e in exps])
    return out


def test_compare_causal_is_the_masked_softmax_minus_the_plain_one() -> None:
    spec = parse_fence(f"tokens: [a, b, c, d]\nscores: {json.dumps(SCORES)}\ncompare: causal")
    att = load(spec)
    expected = np.array(softmax_rows(SCORES, True)) - np.array(softmax_rows(SCORES, False))
    np.testing.assert_allclose(att.compare.weights[0, 0] - att.weights[0, 0], expected, rtol=0, atol=1e-12)
    assert att.compare.label == "with the mask" and att.math is None  # no worked math for a difference
    p = payload(render_figure(spec, att, "f"))
    a = payload_weights(p)
    b = payload_weights({**p, "w": p["compare"]["w"]})
    np.testing.assert_allclose(b - a, expected[None, None], rtol=0, atol=1e-2 + 1e-12)  # two decimals each


def test_a_second_source_of_the_same_shape(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    w = rng.dirichlet(np.ones(5), size=(2, 3, 5))
    v = rng.dirichlet(np.ones(5), size=(2, 3, 5))
    np.save(tmp_path / "a.npy", w)
    np.save(tmp_path / "b.npy", v)
    env = LoadEnv(base_dir=tmp_path, docs_dir=tmp_path)
    spec = parse_fence("tokens: [p, q, r, s, t]\nfile: a.npy\ncompare: {file: b.npy}")
    att = load(spec, env)
    np.testing.assert_array_equal(att.compare.weights - att.weights, v - w)
    assert att.compare.label == "the second source"
    np.save(tmp_path / "c.npy", v[:, :2])
    with pytest.raises(AttentionError, match=r"'compare' gives 2×2×5×5 weights and the figure 2×3×5×5"):
        load(parse_fence("tokens: [p, q, r, s, t]\nfile: a.npy\ncompare: {file: c.npy}"), env)


def test_hand_written_weights_and_the_static_figure() -> None:
    spec = parse_fence(
        "tokens: [a, b]\nweights: [[0.5, 0.5], [0.2, 0.8]]\n"
        "compare:\n  weights: [[0.9, 0.1], [0.2, 0.8]]\nfocus: 0"
    )
    html = render_figure(spec, load(spec), "f")
    # focus "a": +0.40 on a (B attends more), −0.40 on b: one edge of each style
    assert re.findall(r'class="attn-static-edge( attn-up| attn-down)"', html) == [" attn-up", " attn-down"]
    assert re.findall(r"attn-static-label[^>]*>([^<]*)<", html) == ["+0.40", "\u22120.40"]
    assert "marker-end" not in html.split("attn-static")[1].split("</g>")[0]  # sign, not arrowheads
    assert "A, the figure's weights:" in html and "B, the second source:" in html  # both tables


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "tokens: [a, b]\nweights: [[1, 0], [0, 1]]\ncompare: causal",
            "'compare: causal' masks the same logits",
        ),
        ("text: a b c\ncausal: true\ncompare: causal", "leave 'causal' out"),
        ("text: a b\ncompare: {model: bert}", "'compare' cannot hold 'model'"),
        ("text: a b\ncompare: {tokens: [x, y], weights: [[1, 0], [0, 1]]}", "'compare' cannot hold 'tokens'"),
        ("text: a b\ncompare: {temperature: 2}", "'compare' needs a second source"),
        (
            "tokens: [a, b]\nweights: [[1, 0], [0, 1]]\ncompare: {weights: [[1, 0, 0], [0, 1, 0], [0, 0, 1]]}",
            "'compare': 'weights' is 3×3 but there are 2 tokens",
        ),
        ("text: a b\ncompare: sideways", "'compare' is 'causal' or a second source"),
        ("text: a b\nheads: 2\noverview: true\ncompare: causal", "'overview' does not go with 'compare'"),
        (
            "text: a b\nheads: 2\nsort_heads: entropy\ncompare: causal",
            "'sort_heads' does not go with 'compare'",
        ),
        ("text: a b\nmodel: bert-base-uncased\ncompare: causal", "'compare' applies to"),
    ],
)
def test_what_compare_refuses(body: str, message: str) -> None:
    with pytest.raises(AttentionError, match=re.escape(message)):
        parse_fence(body)
