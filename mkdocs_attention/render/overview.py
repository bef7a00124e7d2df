"""The overview grid's part of the payload: whether a figure has one, and its heads' order.

The grid itself (one thumbnail per layer and head) is drawn by the script from the weights the
payload already carries, so it adds no second copy of them; this module only decides.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..attention import Attention
from ..errors import AttentionError
from ..numerics import HEAD_STATS, head_stats
from ..spec import Spec


def overview_part(spec: Spec, attention: Attention) -> dict[str, Any] | None:
    """``{}`` for a grid in the heads' own order, ``{"sort", "order"}`` (each layer's heads,
    smallest summary of the weights as computed first) when ``sort_heads`` asks, or None for no
    grid. By default a figure with 2+ layers and 2+ heads gets one (the rollout layer,
    one matrix for every head, does not count)."""
    if attention.compare is not None:  # a difference: the thumbnails would show the weights
        return None
    weights = attention.weights
    layers, heads = weights.shape[:2]
    own = layers - 1 if attention.rollout else layers
    wanted = spec.overview
    if wanted is None:
        wanted = spec.sort_heads is not None or (own >= 2 and heads >= 2)
    if not wanted:
        return None
    if layers * heads < 2:
        raise AttentionError(
            "'overview' shows every layer and head side by side; this figure has one layer and one head"
        )
    if spec.sort_heads is None:
        return {}
    stat = next(s for s in HEAD_STATS if s.name == spec.sort_heads)
    if attention.cross and stat.positional:
        usable = ", ".join(s.name for s in head_stats(cross=True))
        raise AttentionError(
            f"'sort_heads: {stat.name}' compares each query's position with the "
            f"keys', which cross-attention does not share; sort by {usable}"
        )
    order = np.argsort(stat.of(weights[:own], attention.tokens), axis=1, kind="stable")
    return {"order": order.tolist(), "sort": stat.name}
