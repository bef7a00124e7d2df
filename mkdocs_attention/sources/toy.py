"""The built-in toy model: one deterministic numpy self-attention layer.

Token embeddings and the W_Q/W_K projections are pseudo-normal numbers drawn from SHAKE-256 keyed
by the token (case-folded) and the seed (never Python's salted ``hash()``), with exact arithmetic
only: the same sentence gives the same weights on every build and machine, and no
``numpy.random`` (importing it costs a build ~40 M instructions). Its logits are float32 values,
as a real model's are: computed in float64 (BLAS, ``sin``; their last bits differ between CPUs)
and then rounded, so every machine gets the same logits, and the page carries them in four bytes
each.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np

from ..attention import Attention
from ..bounded_lru import array_cache
from ..numerics import float32_exact
from .logits import attention_from_logits


def pseudo_normal(key: bytes, shape: tuple[int, ...]) -> np.ndarray:
    """Unit-variance numbers fixed by ``key``: each the centred, scaled sum of four uniform 16-bit
    draws from SHAKE-256 (Irwin–Hall). Every step is exact but the final scaling, which IEEE
    rounds the same way everywhere."""
    count = math.prod(shape)
    raw = np.frombuffer(hashlib.shake_256(key).digest(8 * count), dtype="<u2").reshape(count, 4)
    sums = raw.sum(axis=1, dtype=np.float64)  # exact: at most 4 · 65535
    return ((sums + 2.0) / 65536.0 - 2.0).reshape(shape) * math.sqrt(3.0)


def token_embedding(token: str, dim: int, seed: int) -> np.ndarray:
    """A unit-variance vector fixed by (token, seed); case-folded so "The" ≈ "the"."""
    return _embedding(token.casefold(), dim, seed)


@array_cache(max_bytes=16_000_000)  # a course repeats its words
def _embedding(token: str, dim: int, seed: int) -> np.ndarray:
    return pseudo_normal(b"mkdocs-attn-emb:%d:" % seed + token.encode("utf-8"), (dim,))


@array_cache(max_bytes=64_000_000)
def _projections(heads: int, dim: int, seed: int) -> np.ndarray:
    """The seeded W_Q and W_K of the toy layer side by side, (dim, 2 · dim), each head's
    dim // heads columns in turn: one product gives every head's queries and keys (two einsums
    cost ~10 µs each at a fence's size, one matmul ~2); read-only."""
    d_head = dim // heads
    w_q, w_k = pseudo_normal(
        b"mkdocs-attn-wqk:%d:%d:%d" % (seed, heads, dim), (2, heads, dim, d_head)
    ) / np.sqrt(dim)
    return np.concatenate([w.transpose(1, 0, 2).reshape(dim, -1) for w in (w_q, w_k)], axis=1)


@array_cache(max_bytes=16_000_000)
def positions(n: int, dim: int) -> np.ndarray:
    """Sinusoidal position encodings (Vaswani et al. 2017), shape (n, dim); read-only, memoised
    (a course's sentences share a few lengths)."""
    pos = np.arange(n, dtype=np.float64)[:, None]
    i = np.arange(dim)[None, :]
    angle = pos / np.power(10000.0, (2 * (i // 2)) / dim)
    return np.where(i % 2 == 0, np.sin(angle), np.cos(angle))


def toy_projections(
    tokens: tuple[str, ...], *, heads: int, dim: int, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    """Queries and keys per head, each (heads, n, dim // heads)."""
    x = np.array([token_embedding(t, dim, seed) for t in tokens]) + positions(len(tokens), dim)
    qk = (x @ _projections(heads, dim, seed)).reshape(len(tokens), 2, heads, dim // heads)
    q, k = qk.transpose(1, 2, 0, 3)
    return q, k


def toy_attention(
    tokens: tuple[str, ...],
    *,
    heads: int = 1,
    dim: int = 32,
    seed: int = 0,
    causal: bool = False,
    temperature: float = 1.0,
) -> Attention:
    """softmax(Q·Kᵀ/(√d_head · T) + mask) for every head of the toy layer."""
    q, k = toy_projections(tokens, heads=heads, dim=dim, seed=seed)
    names = tuple(f"Head {h + 1}" for h in range(heads))
    logits = float32_exact(q @ k.transpose(0, 2, 1))
    return attention_from_logits(
        tokens, logits, names, d=q.shape[-1], temperature=temperature, causal=causal, label="q·k", dtype="f4"
    )
