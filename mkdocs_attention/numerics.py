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
    x = x - np.max(x, axis=-1, keepdims=True)
    e = np.exp(x)
    return e / np.sum(e, axis=-1, keepdims=True)
