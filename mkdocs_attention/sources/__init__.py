"""Spec → ``Attention``: pick the source the fence names and compute its weights."""

from __future__ import annotations

from ..attention import Attention
from ..spec import Spec
from .explicit import from_weights
from .toy import toy_attention

__all__ = ["load"]


def load(spec: Spec) -> Attention:
    """Compute the attention a fence asks for; bad numbers raise ``AttentionError``."""
    if spec.weights is not None:
        return from_weights(spec.tokens, spec.weights, causal=spec.causal)
    return toy_attention(
        spec.tokens, heads=spec.heads, dim=spec.dim, seed=spec.seed, causal=spec.causal
    )
