from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from mkdocs_attention.codec import logits_dtype
from mkdocs_attention.numerics import exact_dot, float32_exact
from mkdocs_attention.sources.toy import positions, pseudo_normal, toy_attention, toy_projections

FOX = ("The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ".")


def reference(tokens: tuple[str, ...], heads: int, dim: int, seed: int, causal: bool) -> np.ndarray:
    """softmax(QKᵀ/√d) written out the long way, from the model's own Q and K; each logit q·k is
    a float32 value, as the model defines it."""
    q, k = toy_projections(tokens, heads=heads, dim=dim, seed=seed)
    n, d = len(tokens), q.shape[-1]
    out = np.zeros((heads, n, n))
    for h in range(heads):
        for i in range(n):
            logits = np.array([float(np.float32(q[h, i] @ k[h, j])) / np.sqrt(d) for j in range(n)])
            allowed = np.array([not causal or j <= i for j in range(n)])
            e = np.where(allowed, np.exp(logits - logits[allowed].max()), 0.0)
            out[h, i] = e / e.sum()
    return out


@pytest.mark.parametrize(
    ("heads", "dim", "seed", "causal"), [(1, 32, 0, False), (2, 16, 7, True), (4, 64, 123, False)]
)
def test_matches_reference(heads: int, dim: int, seed: int, causal: bool) -> None:
    att = toy_attention(FOX, heads=heads, dim=dim, seed=seed, causal=causal)
    assert att.weights.shape == (1, heads, 10, 10)
    np.testing.assert_allclose(att.weights[0], reference(FOX, heads, dim, seed, causal), atol=1e-12)


def test_rows_sum_to_one_and_are_positive() -> None:
    w = toy_attention(FOX, heads=3, dim=24).weights
    np.testing.assert_allclose(w.sum(-1), 1.0, atol=1e-12)
    assert (w > 0).all()


def test_causal_masks_later_keys_exactly() -> None:
    w = toy_attention(FOX, heads=2, dim=16, causal=True).weights[0]
    upper = np.triu(np.ones((10, 10), dtype=bool), k=1)
    assert (w[:, upper] == 0).all()
    assert (w[:, ~upper] > 0).all()
    assert w[0, 0, 0] == 1.0


def test_heads_and_seeds_differ() -> None:
    w = toy_attention(FOX, heads=2, dim=16).weights[0]
    assert not np.allclose(w[0], w[1])
    assert not np.allclose(toy_attention(FOX, seed=1).weights, toy_attention(FOX, seed=2).weights)


def test_positions_are_sinusoidal() -> None:
    p = positions(4, 6)
    assert p[0].tolist() == [0, 1, 0, 1, 0, 1]
    assert p[1, 0] == pytest.approx(np.sin(1.0))
    assert p[1, 1] == pytest.approx(np.cos(1.0))


def test_same_weights_in_two_processes_with_different_hash_seeds() -> None:
    code = (
        "import json; from mkdocs_attention.sources.toy import toy_attention;"
        "print(json.dumps(toy_attention(tuple('The quick brown fox'.split()), heads=2, dim=8)"
        ".weights.tolist()))"
    )
    runs = []
    for seed in ("1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout
        runs.append(json.loads(out))
    assert runs[0] == runs[1]
    here = toy_attention(tuple(["The", "quick", "brown", "fox"]), heads=2, dim=8).weights.tolist()
    assert runs[0] == here


@pytest.mark.parametrize("n", [10, 64])
def test_logits_do_not_depend_on_how_the_sums_are_ordered(n: int) -> None:
    """Two CPUs' BLAS differ in the last bits of q·k (the golden page once changed with the
    machine). Summing in another order, or nudging the inputs by an ulp, gives the same logits."""
    tokens = tuple(f"w{i % 7}" for i in range(n))
    q, k = toy_projections(tokens, heads=2, dim=32, seed=0)
    blas = q @ k.transpose(0, 2, 1)
    other = exact_dot(q, k)
    nudged = np.nextafter(q, np.inf) @ k.transpose(0, 2, 1)
    assert not np.array_equal(blas, nudged)  # the float64 sums do differ ...
    assert np.array_equal(float32_exact(blas), float32_exact(other))  # ... the model's logits do not
    assert np.array_equal(float32_exact(blas), float32_exact(nudged))
    logits = toy_attention(tokens, heads=2).math.logits
    assert np.array_equal(logits, float32_exact(blas)) and np.array_equal(logits.astype(np.float32), logits)


@pytest.mark.parametrize(("heads", "dim", "temperature"), [(1, 32, 1.0), (2, 32, 0.5), (4, 64, 2.0)])
def test_logits_declared_float32_are_float32(heads: int, dim: int, temperature: float) -> None:
    """The toy model tells the renderer its logits are float32 values (so it skips the check):
    they must be."""
    for text in ("The quick brown fox jumps over the lazy dog", "a b c d e f g h i j k l m n o p q r s"):
        att = toy_attention(tuple(text.split()), heads=heads, dim=dim, temperature=temperature)
        assert att.math.dtype == "f4"
        assert logits_dtype(att.math.logits) == "f4"


def test_pseudo_normal_numbers_have_unit_variance_and_exact_steps() -> None:
    v = pseudo_normal(b"test", (200_000,))
    assert abs(v.mean()) < 0.01 and abs(v.std() - 1.0) < 0.01
    assert np.array_equal(v, pseudo_normal(b"test", (200_000,)))
    assert not np.array_equal(v[:100], pseudo_normal(b"other", (100,)))
    # Each is (k / 65536 − 2)·√3 for k an integer sum of four 16-bit draws (+2): nothing rounded.
    k = (v / np.sqrt(3.0) + 2.0) * 65536.0 - 2.0
    assert np.abs(k - np.rint(k)).max() < 1e-6 and k.min() >= 0 and k.max() <= 4 * 65535


@pytest.mark.skipif(
    subprocess.run(
        [sys.executable, "-c", "import sys, numpy; print('numpy.random' in sys.modules)"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    == "True",
    reason="this numpy imports numpy.random itself (before 1.25)",
)
def test_the_toy_model_does_not_load_numpy_random() -> None:
    """Importing numpy.random costs a build ~40 M instructions; the toy model has no need of it."""
    code = (
        "import sys; from mkdocs_attention.sources.toy import toy_attention; "
        "toy_attention(('a', 'b', 'c'), heads=2, dim=8); print('numpy.random' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
