"""Spec → ``Attention``: pick the source the fence names and compute its weights."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..attention import Attention
from ..errors import AttentionError
from ..limits import check_figure_weights
from ..numerics import rollout
from ..spec import DataFile, HFModel, QueriesKeys, Scores, Spec, ToyModel, Weights
from .env import LoadEnv
from .explicit import from_weights
from .files import from_file
from .logits import from_qk, from_scores
from .toy import toy_attention

__all__ = ["LoadEnv", "load", "with_rollout"]


def load(spec: Spec, env: LoadEnv | None = None) -> Attention:
    """Compute the attention a fence asks for; bad input raises ``AttentionError``. No figure
    carries more than ``MAX_FIGURE_WEIGHTS`` weights (the toy model's is checked before it runs)."""
    env = env or LoadEnv()
    if isinstance(spec.source, ToyModel):
        check_figure_weights((1, spec.heads, len(spec.tokens), len(spec.tokens)), "the toy model")
    attention = _computed(spec, env)
    if spec.rollout:
        attention = with_rollout(attention)
    check_figure_weights(attention.weights.shape, f"{spec.source.kind} source")
    return attention


ROLLOUT_NOTE = ("Rollout (Abnar & Zuidema, 2020): how much each token draws on each input token "
                "through all the layers, each layer's head mean mixed half-and-half with the "
                "token itself (the residual stream) and multiplied from the first layer to the last.")


def with_rollout(attention: Attention) -> Attention:
    """``attention`` with a last layer, "Rollout", holding its rollout in every head."""
    layers, heads, n, _ = attention.weights.shape
    if attention.cross:
        raise AttentionError("'rollout' chains layers over the same tokens: cross-attention "
                             "(different query and key tokens) has no rollout")
    if layers < 2:
        raise AttentionError(f"'rollout' needs at least 2 layers; this figure has {layers}")
    rolled = np.broadcast_to(rollout(attention.weights), (1, heads, n, n))
    note = f"{attention.note} {ROLLOUT_NOTE}" if attention.note else ROLLOUT_NOTE
    return replace(attention, weights=np.concatenate([attention.weights, rolled]),
                   layer_names=(*attention.layer_names, "Rollout"), note=note, rollout=True)


def _computed(spec: Spec, env: LoadEnv) -> Attention:
    source = spec.source
    keys = spec.key_tokens
    if isinstance(source, Weights):
        return from_weights(spec.tokens, source.heads, causal=spec.causal, normalize=spec.normalize,
                            key_tokens=keys)
    if isinstance(source, Scores):
        return from_scores(spec.tokens, source.heads, temperature=spec.temperature, causal=spec.causal,
                           key_tokens=keys)
    if isinstance(source, QueriesKeys):
        return from_qk(spec.tokens, source.queries, source.keys, temperature=spec.temperature,
                       causal=spec.causal, key_tokens=keys)
    if isinstance(source, DataFile):
        return from_file(source.path, spec.tokens, env, layers=spec.layer, heads=spec.head,
                         causal=spec.causal, normalize=spec.normalize, key_tokens=keys)
    if isinstance(source, HFModel):
        from .hf import from_model  # optional extra: imported only when a fence needs it

        return from_model(spec, source.name, env)
    return toy_attention(spec.tokens, heads=spec.heads, dim=spec.dim, seed=spec.seed,
                         causal=spec.causal, temperature=spec.temperature)
