"""Limits every host shares: one default, one check."""

from __future__ import annotations

from .errors import AttentionError

#: Most tokens a figure may have unless the host's ``max_tokens`` option says otherwise.
MAX_TOKENS = 512


def check_token_count(count: int, limit: int, what: str = "") -> None:
    """Refuse a figure of more than ``limit`` tokens (``what`` says whose tokens they are)."""
    if count > limit:
        raise AttentionError(f"{what}{count} tokens is more than the limit of {limit} "
                             "(raise the max_tokens option to allow it)")
