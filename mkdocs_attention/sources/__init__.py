"""Spec → ``Attention``: pick the source the fence names and compute its weights."""

from __future__ import annotations

from ..attention import Attention
from ..limits import check_figure_weights
from ..spec import DataFile, HFModel, QueriesKeys, Scores, Spec, ToyModel, Weights
from .env import LoadEnv
from .explicit import from_weights
from .files import from_file
from .logits import from_qk, from_scores
from .toy import toy_attention

__all__ = ["LoadEnv", "load"]


def load(spec: Spec, env: LoadEnv | None = None) -> Attention:
    """Compute the attention a fence asks for; bad input raises ``AttentionError``. No figure
    carries more than ``MAX_FIGURE_WEIGHTS`` weights (the toy model's is checked before it runs)."""
    env = env or LoadEnv()
    if isinstance(spec.source, ToyModel):
        check_figure_weights((1, spec.heads, len(spec.tokens), len(spec.tokens)), "the toy model")
    attention = _computed(spec, env)
    check_figure_weights(attention.weights.shape, f"{spec.source.kind} source")
    return attention


def _computed(spec: Spec, env: LoadEnv) -> Attention:
    source = spec.source
    if isinstance(source, Weights):
        return from_weights(spec.tokens, source.heads, causal=spec.causal, normalize=spec.normalize)
    if isinstance(source, Scores):
        return from_scores(spec.tokens, source.heads, temperature=spec.temperature, causal=spec.causal)
    if isinstance(source, QueriesKeys):
        return from_qk(spec.tokens, source.queries, source.keys, temperature=spec.temperature,
                       causal=spec.causal)
    if isinstance(source, DataFile):
        return from_file(source.path, spec.tokens, env, layers=spec.layer, heads=spec.head,
                         causal=spec.causal, normalize=spec.normalize)
    if isinstance(source, HFModel):
        from .hf import from_model  # optional extra: imported only when a fence needs it

        return from_model(spec, source.name, env)
    return toy_attention(spec.tokens, heads=spec.heads, dim=spec.dim, seed=spec.seed,
                         causal=spec.causal, temperature=spec.temperature)
