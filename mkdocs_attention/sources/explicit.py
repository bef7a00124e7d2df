"""Hand-written weights: check they are a real attention pattern, then wrap them."""

from __future__ import annotations

import numpy as np

from ..attention import Attention
from ..errors import shown
from ..spec import HeadWeights
from .checks import check_weights


def from_weights(
    tokens: tuple[str, ...],
    heads: tuple[HeadWeights, ...],
    *,
    causal: bool = False,
    normalize: bool = False,
    key_tokens: tuple[str, ...] | None = None,
) -> Attention:
    """Validate each head (finite, non-negative, rows sum to 1, causal if asked)."""
    stack = np.array([h.rows for h in heads], dtype=np.float64)
    checked = [
        check_weights(f"weights of {shown(h.name)}", tokens, w, causal=causal, normalize=normalize)
        for h, w in zip(heads, stack, strict=True)
    ]
    return Attention(
        tokens=tokens,
        weights=np.stack(checked)[None],
        head_names=tuple(h.name for h in heads),
        key_tokens=key_tokens,
    )
