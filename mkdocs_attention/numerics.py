"""Numerically stable softmax and masks shared by every source that computes weights."""

from __future__ import annotations

import numpy as np


def causal_mask(n: int) -> np.ndarray:
    """``True`` where a query may not look: keys after it (j > i)."""
    return np.triu(np.ones((n, n), dtype=bool), k=1)


def softmax(logits: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Row softmax over the last axis; masked entries get exactly 0.

    Subtracting the row maximum keeps ``exp`` finite for huge logits; a masked entry never
    wins the maximum, and a query always sees itself, so no row is all-masked.
    """
    x = np.asarray(logits, dtype=np.float64)
    if mask is not None:
        x = np.where(mask, -np.inf, x)
    x = x - x.max(axis=-1, keepdims=True)  # a new array: the rest works in place
    np.exp(x, out=x)
    x /= np.add.reduce(x, axis=-1, keepdims=True)  # .sum() without its wrapper: 1.5 of 2.8 µs here
    return x


def exact_dot(q: np.ndarray, k: np.ndarray) -> np.ndarray:
    """``q @ kᵀ`` over the last axis, ``(…, N, d) × (…, M, d) → (…, N, M)``, summed feature by
    feature in a fixed order with no fused multiply-add: the same bits on every machine, which
    BLAS (whose kernels differ by CPU) does not promise. One vectorised N×M step per feature."""
    out = q[..., :, None, 0] * k[..., None, :, 0]
    for e in range(1, q.shape[-1]):
        out += q[..., :, None, e] * k[..., None, :, e]
    return out


def float32_exact(x: np.ndarray) -> np.ndarray:
    """``x`` rounded to the nearest float32, as float64. Values a few float64 ulps apart (one CPU's
    BLAS or sin against another's) round to the same float32 but for a ~10⁻⁸ chance each."""
    return x.astype(np.float32).astype(np.float64)
