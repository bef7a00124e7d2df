"""Rounding shared by the example course's data scripts (make_heads.py, make_translation.py)."""

from __future__ import annotations

import numpy as np


def hundredths(w: np.ndarray) -> np.ndarray:
    """Each row rounded to whole hundredths that still add up to 1 (largest remainders round up):
    the two decimals a figure shows, so its numbers are the file's own."""
    scaled = w / w.sum(-1, keepdims=True) * 100
    whole = np.floor(scaled)
    short = (100 - whole.sum(-1)).astype(int)
    ranks = np.argsort(np.argsort(whole - scaled, axis=-1, kind="stable"), axis=-1, kind="stable")
    return (whole + (ranks < short[..., None])) / 100
