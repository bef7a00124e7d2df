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
#: Most layers, and most heads, one figure may show.
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


def check_layers_heads(shown: tuple[int, int], has: tuple[int, int], what: str) -> None:
    """Refuse a figure of more layers or heads than it can show (``shown``); the source may
    have more (``has``): ``layer:`` and ``head:`` choose."""
    if shown[0] > MAX_LAYERS or shown[1] > MAX_HEADS:
        raise AttentionError(
            f"{what} has {has[0]} layers and {has[1]} heads; at most {MAX_LAYERS} of each can be "
            f"shown (this figure would show {shown[0]} and {shown[1]}): choose some with 'layer:' "
            "and 'head:'"
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
