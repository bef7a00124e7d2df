"""The scores as plain HTML tables: readable without JavaScript, by screen readers, in print."""

from __future__ import annotations

from functools import lru_cache
from html import escape

import numpy as np

from ..attention import Attention
from ..numerics import head_stats, head_values

#: Above this many cells per head a table stops being readable; the figure still works.
MAX_TABLE_TOKENS = 40
#: Most cells the tables of one figure hold together (two heads of 40 tokens). A model figure has
#: many heads (BERT-base: 144); tables for all of them would be most of the page's weight.
MAX_TABLE_CELLS = 2 * MAX_TABLE_TOKENS**2


#: Most heads the "each head at a glance" table lists (a 256 × 256 model would be 65,536 rows).
MAX_STAT_ROWS = 1024


def head_stats_table(attention: Attention) -> str:
    """One row per layer and head (the rollout layer, the same in every head, has one): its
    entropy and where its weight goes, each averaged over the queries, from the weights as
    computed (rounded only as shown). Nothing for a single head."""
    weights = attention.weights
    layers, heads = weights.shape[:2]
    if layers * heads < 2:
        return ""
    stats = head_stats(attention.cross, attention.tokens)
    values = [v.reshape(-1).tolist() for v in head_values(weights, attention.tokens, stats)]
    head = "".join(f'<th scope="col">{stat.heading}</th>' for stat in stats)
    own = layers - 1 if attention.rollout else layers
    pairs = [(li, hi) for li in range(own) for hi in range(heads)] + [(own, 0)] * attention.rollout
    rows = []
    for li, hi in pairs[:MAX_STAT_ROWS]:
        k = li * heads + hi
        name = attention.layer_names[li] + ("" if li == own else f", {attention.head_names[hi]}")
        cells = "".join(f"<td>{v[k]:.{stat.decimals}f}</td>" for stat, v in zip(stats, values, strict=True))
        rows.append(f'<tr><th scope="row">{escape(name)}</th>{cells}</tr>')
    left = len(pairs) - len(rows)
    note = f'<p class="attn-table-note">{left} more heads are left out of this table.</p>' if left else ""
    names = {stat.name for stat in stats}
    probes = [
        said
        for name, said in (
            ("duplicate", "on an earlier copy of its own token"),
            ("induction", "on the token after such a copy (induction)"),
        )
        if name in names
    ]
    said = (
        "entropy in bits and the share of weight on the first key"
        if attention.cross
        else "entropy in bits, the share of weight on the previous token, on the first token and on "
        "the query itself, and how far a query looks (in tokens)"
        + (f"; where tokens repeat, the share {' and '.join(probes)}" if probes else "")
    )
    return (
        f'<table class="attn-table attn-head-stats"><caption>Each head at a glance, averaged over '
        f"the queries: {said}</caption>"
        f"<thead><tr><td></td>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>{note}"
    )


def scores_tables(
    attention: Attention, precision: int, weights: np.ndarray | None = None, index: np.ndarray | None = None
) -> str:
    """One table per layer and head (rows = queries, columns = keys), in order, while they fit
    in ``MAX_TABLE_CELLS``; a note says how many were left out. ``weights`` (the figure's, as
    shown) replace ``attention.weights`` when given; ``index`` is their ``decimal_index``."""
    n, k = attention.n, len(attention.keys)
    if max(n, k) > MAX_TABLE_TOKENS:
        return (
            f'<p class="attn-table-note">The table is left out: {max(n, k)} tokens is more than '
            f"{MAX_TABLE_TOKENS}.</p>"
        )
    tokens = [escape(t) for t in attention.tokens]
    head = "".join(f'<th scope="col">{escape(t)}</th>' for t in attention.keys)
    pairs = [(li, hi) for li in range(len(attention.layer_names)) for hi in range(len(attention.head_names))]
    fit = max(1, MAX_TABLE_CELLS // (n * k))
    out = []
    multi_layer = len(attention.layer_names) > 1
    # (layer, head) pairs in order are the rows of the weights seen as (L·H, M, N).
    w = (attention.weights if weights is None else weights).reshape(-1, n, k)[:fit]
    # Every table's rows in one grid: the row's header, its cells, the row's end.
    grid = np.empty((len(w), n, k + 2), dtype=object)
    grid[:, :, 0] = [f'<tr><th scope="row">{t}</th>' for t in tokens]
    grid[:, :, 1:-1] = (
        _cell_array(w, precision)
        if index is None
        else _cell_strings(precision)[index.reshape(-1, n, k)[:fit]]
    )
    grid[:, :, -1] = "</tr>"
    for (li, hi), table in zip(pairs[:fit], grid.reshape(len(w), -1).tolist(), strict=True):
        name = attention.head_names[hi]
        where = f"{attention.layer_names[li]}, {name}" if multi_layer else name
        out.append(
            f'<table class="attn-table"><caption>{escape(where)}: how much each row '
            f"(query) attends to each column (key)</caption>"
            f"<thead><tr><td></td>{head}</tr></thead><tbody>{''.join(table)}</tbody></table>"
        )
    if len(pairs) > fit:
        left = len(pairs) - fit
        out.append(
            f'<p class="attn-table-note">{left} more {"table is" if left == 1 else "tables are"} '
            f"left out to keep the page light: {len(pairs)} heads of {max(n, k)} tokens. "
            "The figure above shows every head.</p>"
        )
    return "".join(out)


def cells(weights: np.ndarray, decimals: int) -> list:
    """``<td>`` of each weight in ``[0, 1]``, as ``f"{w:.{decimals}f}"`` writes it, nested as
    ``weights`` is."""
    return _cell_array(weights, decimals).tolist()


def _cell_array(weights: np.ndarray, decimals: int) -> np.ndarray:
    """``<td>`` of each weight in ``[0, 1]``, as ``f"{w:.{decimals}f}"`` writes it, in an object
    array shaped as ``weights`` is (every table of a figure in one call).

    The tables are most of a small figure's build time: up to four decimals, a cell is looked
    up by its rounded integer. ``np.rint(w * 10**d)`` can round the other way from Python's exact
    decimal rounding only within a hair of a half; those cells are formatted by Python.
    """
    if decimals > 4:
        flat = [f"<td>{w:.{decimals}f}</td>" for w in weights.ravel().tolist()]
        return np.array(flat, dtype=object).reshape(weights.shape)
    unit = 10**decimals
    scaled = weights * float(unit)
    k = np.rint(scaled)
    # Python decides near a half, and outside [0, 1] (-0.0 and NaN too; no weight is there).
    by_python = (np.abs(np.abs(scaled - k) - 0.5) < 1e-6) | np.signbit(weights) | ~(k <= unit)
    out = _cell_strings(decimals)[np.where(by_python, 0.0, k).astype(np.intp)]
    for at in zip(*by_python.nonzero(), strict=True):
        out[at] = f"<td>{weights[at]:.{decimals}f}</td>"
    return out


def decimal_index(steps: np.ndarray, scale: int, decimals: int) -> np.ndarray | None:
    """Each quantised weight ``steps / scale`` rounded to ``decimals`` as Python formats it, as an
    integer count of ``10**-decimals``, in integer arithmetic (tables and labels then look their
    text up). None where that is not exact: beyond four decimals, or an even scale unless it is
    the unit itself (u8 at two decimals).

    With an odd scale (u16, u32) no ``k / scale`` is a tie: ``2k·10**d = scale·(2m+1)`` would make
    an even number odd. Its distance to the nearest half, at least ``1 / (2·scale)`` units, is
    far above the float error of ``k / scale`` (``10**d · 2**-53``), so the float Python formats
    rounds the same way as the exact fraction.
    """
    unit = 10**decimals
    if decimals > 4 or (scale != unit and scale % 2 == 0):
        return None
    k = steps.astype(np.int64)
    return k if scale == unit else (k * (2 * unit) + scale) // (2 * scale)


def decimal_texts(weights: np.ndarray, decimals: int, index: np.ndarray | None = None) -> list:
    """``f"{w:.{decimals}f}"`` of each weight (1-D), from ``index`` (its ``decimal_index``) when
    given."""
    if index is None:
        return [f"{w:.{decimals}f}" for w in weights.tolist()]
    return _texts(decimals)[index].tolist()


@lru_cache(maxsize=8)
def _texts(decimals: int) -> np.ndarray:
    """``0.00`` … ``1.00``: every text a weight can have at ``decimals``, by its integer."""
    unit = 10**decimals
    return np.array(
        [f"{k // unit}.{k % unit:0{decimals}d}" if decimals else str(k) for k in range(unit + 1)],
        dtype=object,
    )


@lru_cache(maxsize=8)
def _cell_strings(decimals: int) -> np.ndarray:
    """``<td>0.00</td>`` … ``<td>1.00</td>``: every cell a weight can have, by its integer."""
    return np.array([f"<td>{t}</td>" for t in _texts(decimals).tolist()], dtype=object)
