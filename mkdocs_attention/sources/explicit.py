"""Hand-written weights: check they are a real attention pattern, then wrap them."""

from __future__ import annotations

import numpy as np

from ..attention import Attention
from ..errors import AttentionError
from ..numerics import causal_mask
from ..spec import HeadWeights

ROW_SUM_TOLERANCE = 1e-3


def _check(name: str, tokens: tuple[str, ...], w: np.ndarray, causal: bool) -> None:
    where = f"weights of {name!r}"
    bad = ~np.isfinite(w)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        raise AttentionError(f"{where}: row {r + 1}, column {c + 1} is {w[r, c]}, not a finite number")
    neg = w < 0
    if neg.any():
        r, c = np.argwhere(neg)[0]
        raise AttentionError(f"{where}: row {r + 1}, column {c + 1} is negative ({w[r, c]:g})")
    sums = w.sum(axis=1)
    off = np.abs(sums - 1.0) > ROW_SUM_TOLERANCE
    if off.any():
        r = int(np.argmax(off))
        raise AttentionError(
            f"{where}: row {r + 1} ({tokens[r]!r}) sums to {sums[r]:.4g}, not 1; "
            "each query's weights must add up to 1"
        )
    if causal:
        leak = w * causal_mask(len(tokens)) > 0
        if leak.any():
            r, c = np.argwhere(leak)[0]
            raise AttentionError(
                f"{where}: causal is true but {tokens[r]!r} (row {r + 1}) attends to the later "
                f"token {tokens[c]!r} (column {c + 1}) with weight {w[r, c]:g}"
            )


def from_weights(
    tokens: tuple[str, ...], heads: tuple[HeadWeights, ...], *, causal: bool = False
) -> Attention:
    """Validate each head (finite, non-negative, rows sum to 1, causal if asked)."""
    stack = np.array([h.rows for h in heads], dtype=np.float64)
    for head, w in zip(heads, stack, strict=True):
        _check(head.name, tokens, w, causal)
    return Attention(tokens=tokens, weights=stack[None], head_names=tuple(h.name for h in heads))
