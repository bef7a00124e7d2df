"""Weights from logits: hand-written ``scores``, or ``queries`` · ``keys``."""

from __future__ import annotations

import math

import numpy as np

from ..attention import Attention, Logits
from ..errors import AttentionError, shown
from ..numerics import causal_mask, exact_dot, softmax
from ..spec import HeadWeights, Matrix


def by_text(d: int | None, temperature: float) -> str:
    """How the divisor reads: ``√8``, ``√8 × 0.5`` or ``0.5``."""
    parts = [f"√{d}"] if d else []
    if temperature != 1.0 or not parts:
        parts.append(f"{temperature:g}")
    return " × ".join(parts)


def attention_from_logits(
    tokens: tuple[str, ...],
    logits: np.ndarray,
    names: tuple[str, ...],
    *,
    d: int | None,
    temperature: float,
    causal: bool,
    label: str,
    dtype: str | None = None,
    key_tokens: tuple[str, ...] | None = None,
) -> Attention:
    """softmax(logits / (√d · T) + mask) per head, keeping the logits for the worked math (``dtype``
    "f4" when the caller knows they are all float32 values). ``key_tokens``: the columns' tokens,
    when they are not ``tokens`` (cross-attention, never causal)."""
    divisor = (math.sqrt(d) if d else 1.0) * temperature
    mask = causal_mask(len(tokens)) if causal else None
    with np.errstate(over="ignore"):
        scaled = logits / divisor
    if not np.isfinite(scaled).all():
        raise AttentionError(
            f"the {label} values divided by {by_text(d, temperature)} are too large for "
            "a floating-point number; use smaller values or a larger temperature"
        )
    weights = softmax(scaled, mask)
    math_ = Logits(
        logits=logits, divisor=divisor, label=label, by=by_text(d, temperature), causal=causal, dtype=dtype
    )
    return Attention(
        tokens=tokens, weights=weights[None], head_names=names, math=math_, key_tokens=key_tokens
    )


def from_scores(
    tokens: tuple[str, ...],
    heads: tuple[HeadWeights, ...],
    *,
    temperature: float = 1.0,
    causal: bool = False,
    key_tokens: tuple[str, ...] | None = None,
) -> Attention:
    """Pre-softmax scores as written; any finite value, however large, is fine."""
    logits = np.array([h.rows for h in heads], dtype=np.float64)
    bad = ~np.isfinite(logits)
    if bad.any():
        h, r, c = np.argwhere(bad)[0]
        raise AttentionError(
            f"scores of {shown(heads[h].name)}: row {r + 1}, column {c + 1} is "
            f"{logits[h, r, c]}, not a finite number (masking is what 'causal' is for)"
        )
    return attention_from_logits(
        tokens,
        logits,
        tuple(h.name for h in heads),
        d=None,
        temperature=temperature,
        causal=causal,
        label="score",
        key_tokens=key_tokens,
    )


def from_qk(
    tokens: tuple[str, ...],
    queries: tuple[Matrix, ...],
    keys: tuple[Matrix, ...],
    *,
    temperature: float = 1.0,
    causal: bool = False,
    key_tokens: tuple[str, ...] | None = None,
) -> Attention:
    """Scaled dot-product attention from explicit vectors: softmax(Q·Kᵀ/√d)."""
    q = np.array(queries, dtype=np.float64)
    k = np.array(keys, dtype=np.float64)
    for name, m in (("queries", q), ("keys", k)):
        if not np.isfinite(m).all():
            raise AttentionError(f"{shown(name)} holds a value that is not a finite number")
    names = tuple(f"Head {h + 1}" for h in range(q.shape[0]))
    with np.errstate(over="ignore", invalid="ignore"):
        logits = exact_dot(q, k)
    return attention_from_logits(
        tokens,
        logits,
        names,
        d=q.shape[-1],
        temperature=temperature,
        causal=causal,
        label="q·k",
        key_tokens=key_tokens,
    )
