"""Spec → ``Attention``: pick the source the fence names and compute its weights."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from ..attention import Attention, Comparison
from ..errors import AttentionError
from ..limits import check_figure_weights
from ..numerics import MAX_FLOW_CELLS, attention_flow, rollout
from ..spec import DataFile, HFModel, QueriesKeys, Scores, Spec, ToyModel, Weights
from .env import LoadEnv
from .explicit import from_weights
from .files import from_file, from_stack
from .logits import from_qk, from_scores
from .toy import toy_attention

__all__ = ["LoadEnv", "load", "with_comparison", "with_flow", "with_rollout"]


def load(spec: Spec, env: LoadEnv | None = None) -> Attention:
    """Compute the attention a fence asks for; bad input raises ``AttentionError``. No figure
    carries more than ``MAX_FIGURE_WEIGHTS`` weights (the toy model's is checked before it runs)."""
    env = env or LoadEnv()
    if isinstance(spec.source, ToyModel):
        check_figure_weights((1, spec.heads, len(spec.tokens), len(spec.tokens)), "the toy model")
    attention = _computed(spec, env)
    if spec.rollout:
        attention = with_rollout(attention)
    if spec.weighting == "flow":
        attention = with_flow(attention)
    check_figure_weights(attention.weights.shape, f"{spec.source.kind} source")
    if spec.compare is not None:
        attention = with_comparison(attention, spec, env)
    return attention


def with_comparison(attention: Attention, spec: Spec, env: LoadEnv) -> Attention:
    """``attention`` with its ``compare``: the same logits with the mask, or a second source of
    the same tokens and shape."""
    if spec.compare == "causal":
        other, label = _computed(replace(spec, causal=True, compare=None), env), "with the mask"
    else:
        assert isinstance(spec.compare, Spec)
        other, label = _computed(spec.compare, env), "the second source"
    a, b = attention, other
    if (a.tokens, a.keys) != (b.tokens, b.keys):
        raise AttentionError(
            "'compare' has other tokens than the figure: "
            f"{' '.join(b.tokens[:8])}… against {' '.join(a.tokens[:8])}…"
        )
    if a.weights.shape != b.weights.shape:
        dims = ["×".join(map(str, w.shape)) for w in (b.weights, a.weights)]
        raise AttentionError(
            f"'compare' gives {dims[0]} weights and the figure {dims[1]} (layers × "
            "heads × queries × keys): they must match"
        )
    return replace(attention, compare=Comparison(other.weights, label), math=None)


ROLLOUT_NOTE = (
    "Rollout (Abnar & Zuidema, 2020): how much each token draws on each input token "
    "through all the layers, each layer's head mean mixed half-and-half with the "
    "token itself (the residual stream) and multiplied from the first layer to the last."
)


FLOW_NOTE = (
    "Flow (Abnar & Zuidema, 2020): how much each token draws on each input token through all "
    "the layers, as the most that can flow from it at the top to that token at the bottom when "
    "each layer's head mean, mixed half-and-half with the token itself, limits each step; "
    "each row rescaled to sum to 1."
)


def with_rollout(attention: Attention) -> Attention:
    """``attention`` with a last layer, "Rollout", holding its rollout in every head."""
    _check_whole_model(attention, "'rollout'", "rollout")
    return attention.with_whole_model("Rollout", rollout(attention.weights), ROLLOUT_NOTE)


def with_flow(attention: Attention) -> Attention:
    """``attention`` with a last layer, "Flow", holding its attention flow in every head."""
    _check_whole_model(attention, "'weighting: flow'", "flow")
    layers, _, n, _ = attention.weights.shape
    if layers * n * n > MAX_FLOW_CELLS:
        raise AttentionError(
            f"'weighting: flow' is one max-flow per pair of tokens through every layer: {layers} "
            f"layers of {n} tokens is more than it computes in a build ({MAX_FLOW_CELLS:,} "
            "layers × tokens², e.g. 6 layers of 24 tokens); use fewer 'layers' or a shorter "
            "text, or 'rollout'"
        )
    return attention.with_whole_model("Flow", attention_flow(attention.weights), FLOW_NOTE)


def _check_whole_model(attention: Attention, what: str, noun: str) -> None:
    layers = attention.weights.shape[0]
    if attention.cross:
        raise AttentionError(
            f"{what} chains layers over the same tokens: cross-attention "
            f"(different query and key tokens) has no {noun}"
        )
    if layers < 2:
        raise AttentionError(f"{what} needs at least 2 layers; this figure has {layers}")


def _weights(spec: Spec, source: Weights, env: LoadEnv) -> Attention:
    return from_weights(
        spec.tokens, source.heads, causal=spec.causal, normalize=spec.normalize, key_tokens=spec.key_tokens
    )


def _scores(spec: Spec, source: Scores, env: LoadEnv) -> Attention:
    return from_scores(
        spec.tokens,
        source.heads,
        temperature=spec.temperature,
        causal=spec.causal,
        key_tokens=spec.key_tokens,
    )


def _qk(spec: Spec, source: QueriesKeys, env: LoadEnv) -> Attention:
    return from_qk(
        spec.tokens,
        source.queries,
        source.keys,
        temperature=spec.temperature,
        causal=spec.causal,
        key_tokens=spec.key_tokens,
    )


def _file(spec: Spec, source: DataFile, env: LoadEnv) -> Attention:
    if source.data is not None:
        attention = from_stack(
            source.data,
            source.path,
            spec.tokens,
            env,
            key_tokens=spec.key_tokens,
            layers=spec.layer,
            heads=spec.head,
            causal=spec.causal or source.writing is not None,
            normalize=spec.normalize,
        )
        if source.writing is None:
            return attention
        return replace(attention, generation=source.writing)
    return from_file(
        source.path,
        spec.tokens,
        env,
        layers=spec.layer,
        heads=spec.head,
        causal=spec.causal,
        normalize=spec.normalize,
        key_tokens=spec.key_tokens,
    )


def _model(spec: Spec, source: HFModel, env: LoadEnv) -> Attention:
    from .hf import from_model  # optional extra: imported only when a fence needs it

    return from_model(spec, source.name, env)


def _toy(spec: Spec, source: ToyModel, env: LoadEnv) -> Attention:
    return toy_attention(
        spec.tokens,
        heads=spec.heads,
        dim=spec.dim,
        seed=spec.seed,
        causal=spec.causal,
        temperature=spec.temperature,
    )


#: How each kind of source (``spec.SOURCE_KINDS``) is computed.
COMPUTE: dict[str, Callable[[Spec, Any, LoadEnv], Attention]] = {
    "toy": _toy,
    "hf": _model,
    "weights": _weights,
    "scores": _scores,
    "qk": _qk,
    "file": _file,
}


def _computed(spec: Spec, env: LoadEnv) -> Attention:
    return COMPUTE[spec.source.kind](spec, spec.source, env)
