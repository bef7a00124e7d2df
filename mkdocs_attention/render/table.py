"""The scores as plain HTML tables: readable without JavaScript, by screen readers, in print."""

from __future__ import annotations

from functools import lru_cache
from html import escape

import numpy as np

from ..attention import Attention
from .svg import esc

#: Above this many cells per head a table stops being readable; the figure still works.
MAX_TABLE_TOKENS = 40
#: Most cells the tables of one figure hold together (two heads of 40 tokens). A model figure has
#: many heads (BERT-base: 144); tables for all of them would be most of the page's weight.
MAX_TABLE_CELLS = 2 * MAX_TABLE_TOKENS**2


def scores_tables(attention: Attention, precision: int) -> str:
    """One table per layer and head (rows = queries, columns = keys), in order, while they fit
    in ``MAX_TABLE_CELLS``; a note says how many were left out."""
    n = attention.n
    if n > MAX_TABLE_TOKENS:
        return (f'<p class="attn-table-note">The table is left out: {n} tokens is more than '
                f"{MAX_TABLE_TOKENS}.</p>")
    tokens = [esc(t) for t in attention.tokens]
    head = "".join(f'<th scope="col">{t}</th>' for t in tokens)
    pairs = [(li, hi) for li in range(len(attention.layer_names))
             for hi in range(len(attention.head_names))]
    fit = max(1, MAX_TABLE_CELLS // (n * n))
    out = []
    multi_layer = len(attention.layer_names) > 1
    for li, hi in pairs[:fit]:
        name = attention.head_names[hi]
        where = f"{attention.layer_names[li]}, {name}" if multi_layer else name
        rows = "".join(f'<tr><th scope="row">{tok}</th>{"".join(row)}</tr>'
                       for tok, row in zip(tokens, cells(attention.weights[li, hi], precision), strict=True))
        out.append(
            f'<table class="attn-table"><caption>{escape(where)}: how much each row '
            f"(query) attends to each column (key)</caption>"
            f'<thead><tr><td></td>{head}</tr></thead><tbody>{rows}</tbody></table>'
        )
    if len(pairs) > fit:
        left = len(pairs) - fit
        out.append(f'<p class="attn-table-note">{left} more {"table is" if left == 1 else "tables are"} '
                   f"left out to keep the page light: {len(pairs)} heads of {n} tokens. "
                   "The figure above shows every head.</p>")
    return "".join(out)


def cells(weights: np.ndarray, decimals: int) -> list[list[str]]:
    """``<td>`` of each weight in ``[0, 1]``, as ``f"{w:.{decimals}f}"`` writes it.

    The tables are most of a small figure's build time: up to four decimals, a cell is looked
    up by its rounded integer. ``np.rint(w * 10**d)`` can round the other way from Python's exact
    decimal rounding only within a hair of a half; those cells are formatted by Python.
    """
    if decimals > 4:
        return [[f"<td>{w:.{decimals}f}</td>" for w in row] for row in weights.tolist()]
    scaled = weights * 10.0**decimals
    k = np.rint(scaled)
    near_half = np.abs(np.abs(scaled - k) - 0.5) < 1e-6
    out = _cell_strings(decimals)[k.astype(np.intp)]
    for i, j in zip(*np.nonzero(near_half), strict=True):
        out[i, j] = f"<td>{weights[i, j]:.{decimals}f}</td>"
    return out.tolist()


@lru_cache(maxsize=8)
def _cell_strings(decimals: int) -> np.ndarray:
    """``<td>0.00</td>`` … ``<td>1.00</td>``: every cell a weight can have, by its integer."""
    unit = 10**decimals
    texts = [f"{k // unit}.{k % unit:0{decimals}d}" if decimals else str(k) for k in range(unit + 1)]
    return np.array([f"<td>{t}</td>" for t in texts], dtype=object)
