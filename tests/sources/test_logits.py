"""scores and queries+keys against an independent float64 reference."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mkdocs_attention.sources import load
from mkdocs_attention.spec import build_spec


def reference_softmax_row(logits: list[float], allowed: list[bool]) -> list[float]:
    """Plain-Python softmax of one row (math.fsum, no numpy), masked entries exactly 0."""
    top = max(x for x, a in zip(logits, allowed, strict=True) if a)
    exps = [math.exp(x - top) if a else 0.0 for x, a in zip(logits, allowed, strict=True)]
    total = math.fsum(exps)
    return [e / total for e in exps]


def reference(logits: np.ndarray, divisor: float, causal: bool) -> np.ndarray:
    h, n, _ = logits.shape
    out = np.zeros_like(logits)
    for hh in range(h):
        for i in range(n):
            row = [float(x) / divisor for x in logits[hh, i]]
            out[hh, i] = reference_softmax_row(row, [not causal or j <= i for j in range(n)])
    return out


@pytest.mark.parametrize("seed", range(8))
def test_scores_match_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, h = int(rng.integers(1, 9)), int(rng.integers(1, 4))
    scores = rng.normal(0, 5, (h, n, n))
    temperature = float(rng.uniform(0.2, 3))
    causal = bool(seed % 2)
    spec = build_spec(
        {
            "tokens": [f"t{i}" for i in range(n)],
            "scores": scores.tolist(),
            "temperature": temperature,
            "causal": causal,
        }
    )
    att = load(spec)
    np.testing.assert_allclose(att.weights[0], reference(scores, temperature, causal), rtol=0, atol=1e-9)
    assert att.math.label == "score" and att.math.divisor == pytest.approx(temperature)


@pytest.mark.parametrize("seed", range(8))
def test_queries_keys_match_reference(seed: int) -> None:
    rng = np.random.default_rng(100 + seed)
    n, h, d = int(rng.integers(1, 9)), int(rng.integers(1, 4)), int(rng.integers(1, 9))
    q, k = rng.normal(size=(h, n, d)), rng.normal(size=(h, n, d))
    causal = bool(seed % 2)
    spec = build_spec(
        {"tokens": [f"t{i}" for i in range(n)], "queries": q.tolist(), "keys": k.tolist(), "causal": causal}
    )
    att = load(spec)
    logits = np.array(
        [
            [
                [math.fsum(a * b for a, b in zip(q[hh, i], k[hh, j], strict=True)) for j in range(n)]
                for i in range(n)
            ]
            for hh in range(h)
        ]
    )
    np.testing.assert_allclose(att.weights[0], reference(logits, math.sqrt(d), causal), rtol=0, atol=1e-9)
    assert att.math.by == f"√{d}"
    # summed feature by feature in a fixed order (not by BLAS, whose bits vary by CPU)
    expected = q[:, :, None, 0] * k[:, None, :, 0]
    for e in range(1, d):
        expected = expected + q[:, :, None, e] * k[:, None, :, e]
    assert np.array_equal(att.math.logits, expected)


def test_huge_and_very_negative_logits_are_stable() -> None:
    spec = build_spec(
        {
            "tokens": ["a", "b", "c"],
            "scores": [[1e300, -1e300, 0], [-1e308, -1e308, -1e308], [710, 709, -745]],
        }
    )
    w = load(spec).weights[0, 0]
    assert np.isfinite(w).all()
    np.testing.assert_allclose(w.sum(-1), 1.0)
    assert w[0].tolist() == [1.0, 0.0, 0.0]
    np.testing.assert_allclose(w[1], [1 / 3] * 3)
    np.testing.assert_allclose(w[2], reference_softmax_row([710, 709, -745], [True] * 3), atol=1e-12)


def test_single_head_queries_in_plain_form() -> None:
    spec = build_spec({"tokens": ["a", "b"], "queries": [[1, 0], [0, 1]], "keys": [[1, 0], [0, 1]]})
    w = load(spec).weights[0, 0]
    e = math.exp(1 / math.sqrt(2))
    np.testing.assert_allclose(w, [[e / (e + 1), 1 / (e + 1)], [1 / (e + 1), e / (e + 1)]], atol=1e-12)
