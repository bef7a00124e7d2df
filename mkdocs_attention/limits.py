"""Limits every host shares, each with one default and one check.

They keep a build finite whatever a fence or a file claims: sizes are checked before anything
of that size is allocated.
"""

from __future__ import annotations

from math import prod

from .errors import AttentionError

#: Most tokens a figure may have unless the host's ``max_tokens`` option says otherwise.
MAX_TOKENS = 512
#: Most characters in one fence (its header and body).
MAX_FENCE_CHARS = 1_000_000
#: Most numbers written in one fence body (weights, scores, vectors): larger data goes in a file.
MAX_FENCE_NUMBERS = 2**18
#: Most layers, and most heads, a source may have.
MAX_LAYERS = MAX_HEADS = 256
#: Most weights one figure carries (layers × heads × N × N): about 5.6 MB of page at one byte each.
MAX_FIGURE_WEIGHTS = 2**22


def check_token_count(count: int, limit: int, what: str = "") -> None:
    """Refuse a figure of more than ``limit`` tokens (``what`` says whose tokens they are)."""
    if count > limit:
        raise AttentionError(
            f"{what}{count} tokens is more than the limit of {limit} "
            "(raise the max_tokens option to allow it)"
        )


def check_stack_shape(shape: tuple[int, ...], what: str, max_tokens: int) -> None:
    """Refuse a ``(layers, heads, N, N)`` stack the figure could not carry: too many tokens,
    layers or heads (choose some with ``layer:`` and ``head:``)."""
    layers, heads, m, n = shape
    check_token_count(max(m, n), max_tokens, f"{what}: ")
    if layers > MAX_LAYERS or heads > MAX_HEADS:
        raise AttentionError(
            f"{what} has {layers} layers and {heads} heads; at most {MAX_LAYERS} of each can be shown"
        )


def check_figure_weights(shape: tuple[int, ...], what: str) -> None:
    """Refuse a figure of more than ``MAX_FIGURE_WEIGHTS`` weights."""
    if prod(shape) > MAX_FIGURE_WEIGHTS:
        dims = "×".join(map(str, shape))
        raise AttentionError(
            f"{what} gives {dims} = {prod(shape):,} weights, more than the "
            f"{MAX_FIGURE_WEIGHTS:,} one figure can carry; choose layers and heads with "
            "'layer:' and 'head:'"
        )
