"""Checks every weight matrix passes, wherever it came from (fence, file, cache)."""

from __future__ import annotations

import numpy as np

from ..errors import AttentionError, shown
from ..numerics import causal_mask

ROW_SUM_TOLERANCE = 1e-3


def check_weights(
    where: str, tokens: tuple[str, ...], w: np.ndarray, *, causal: bool, normalize: bool = False
) -> np.ndarray:
    """Validate ``w[..., N, N]`` (finite, ≥ 0, rows sum to 1, causal); return it, renormalised if asked."""
    bad = ~np.isfinite(w)
    if bad.any():
        at = tuple(np.argwhere(bad)[0])
        *lead, r, c = at
        raise AttentionError(
            f"{where}{_at(lead)}: row {r + 1}, column {c + 1} is {w[at]}, not a finite number"
        )
    neg = w < 0
    if neg.any():
        at = tuple(np.argwhere(neg)[0])
        *lead, r, c = at
        raise AttentionError(f"{where}{_at(lead)}: row {r + 1}, column {c + 1} is negative ({w[at]:g})")
    sums = w.sum(axis=-1)
    if normalize:
        if (sums <= 0).any():
            *lead, r = np.argwhere(sums <= 0)[0]
            raise AttentionError(
                f"{where}{_at(lead)}: row {r + 1} ({shown(tokens[r])}) is all zeros; it cannot be normalised"
            )
        w = w / sums[..., None]
    else:
        off = np.abs(sums - 1.0) > ROW_SUM_TOLERANCE
        if off.any():
            at = tuple(np.argwhere(off)[0])
            *lead, r = at
            raise AttentionError(
                f"{where}{_at(lead)}: row {r + 1} ({shown(tokens[r])}) sums to {sums[at]:.4g}, not 1; "
                "each query's weights must add up to 1 (or set normalize: true)"
            )
    if causal:
        leak = (w * causal_mask(len(tokens))) > 0
        if leak.any():
            at = tuple(np.argwhere(leak)[0])
            *lead, r, c = at
            raise AttentionError(
                f"{where}{_at(lead)}: causal is true but {shown(tokens[r])} (row {r + 1}) attends to the "
                f"later token {shown(tokens[c])} (column {c + 1}) with weight {w[at]:g}"
            )
    return w


def _at(lead: list[int]) -> str:
    """Where in a stack the problem is: ``[layer 2, head 0]``."""
    names = ("layer", "head")[-len(lead) :] if lead else ()
    return "".join(f", {n} {int(i)}" for n, i in zip(names, lead, strict=True))
