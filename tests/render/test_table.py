"""The no-JavaScript tables: every cell as the figure rounds it, within a size budget."""

from __future__ import annotations

import re
from html import unescape

import numpy as np
import pytest

from mkdocs_attention.attention import Attention
from mkdocs_attention.codec import U8, U16, U32
from mkdocs_attention.render.table import (
    MAX_TABLE_CELLS,
    MAX_TABLE_TOKENS,
    decimal_index,
    decimal_texts,
    scores_tables,
)
from mkdocs_attention.render.table import cells as td_cells


def attention(layers: int, heads: int, n: int, seed: int = 0) -> Attention:
    w = np.random.default_rng(seed).dirichlet(np.ones(n), size=(layers, heads, n))
    return Attention(
        tokens=tuple(f"t<{i}>" for i in range(n)),
        weights=w,
        head_names=tuple(f"Head {h + 1}" for h in range(heads)),
        layer_names=tuple(f"Layer {k + 1}" for k in range(layers)),
    )


def cells(table: str) -> np.ndarray:
    rows = re.findall(r"<tr><th scope=\"row\">.*?</tr>", table)
    return np.array([[float(x) for x in re.findall(r"<td>([^<]*)</td>", r)] for r in rows])


def test_every_head_gets_a_table_with_every_weight_rounded() -> None:
    a = attention(2, 3, 5)
    html = scores_tables(a, 3)
    tables = re.findall(r"<table.*?</table>", html)
    assert len(tables) == 6 and "attn-table-note" not in html
    captions = [re.search(r"<caption>([^:]*):", t).group(1) for t in tables]
    assert captions == [f"Layer {k}, Head {h}" for k in (1, 2) for h in (1, 2, 3)]
    for t, (li, hi) in zip(tables, [(k, h) for k in range(2) for h in range(3)], strict=True):
        np.testing.assert_array_equal(cells(t), np.round(a.weights[li, hi], 3))
    heads = re.findall(r'<th scope="(?:col|row)">([^<]*)</th>', tables[0])
    assert [unescape(h) for h in heads] == [*a.tokens, *a.tokens]


def test_a_model_sized_figure_keeps_its_tables_within_the_budget() -> None:
    a = attention(12, 12, 20)  # BERT-base: 144 heads
    html = scores_tables(a, 2)
    tables = re.findall(r"<table.*?</table>", html)
    assert len(tables) == MAX_TABLE_CELLS // 400 < 144
    assert sum(cells(t).size for t in tables) <= MAX_TABLE_CELLS
    np.testing.assert_array_equal(cells(tables[0]), np.round(a.weights[0, 0], 2))
    assert f"{144 - len(tables)} more tables are left out" in html


def test_the_budget_counts_cells_and_the_token_limit_still_holds() -> None:
    a = attention(1, 4, MAX_TABLE_TOKENS)
    html = scores_tables(a, 2)
    assert html.count("<table") == MAX_TABLE_CELLS // MAX_TABLE_TOKENS**2
    a = attention(1, 1, MAX_TABLE_TOKENS + 1)
    assert "<table" not in scores_tables(a, 2) and "is more than 40" in scores_tables(a, 2)


@pytest.mark.parametrize("decimals", range(7))
def test_cells_are_written_exactly_as_python_rounds_them(decimals: int) -> None:
    # Every u16 weight, exact binary ties (0.125, 0.375) and near-ties (0.005, 0.015 are a hair
    # under or over), 0 and 1: the lookup must agree with f"{w:.{d}f}" on each.
    every_u16 = (np.arange(65536) / 65535).reshape(256, 256)
    ties = np.array([[0.125, 0.375, 0.005, 0.015, 0.0005, 0.5, 1.0, 0.0, 0.00125, 0.995, 0.9995, 0.045]])
    outside = np.array([[-0.5, -0.004, 1.004, 1.5, 2.0, -0.0, np.nan]])  # no weight, but never a wrong cell
    for w in (every_u16, ties, outside, np.random.default_rng(decimals).dirichlet(np.ones(9), size=9)):
        assert td_cells(w, decimals) == [[f"<td>{x:.{decimals}f}</td>" for x in row] for row in w.tolist()]
    stacked = np.random.default_rng(decimals).dirichlet(np.ones(5), size=(3, 5))  # three tables
    assert td_cells(stacked, decimals) == [
        [[f"<td>{x:.{decimals}f}</td>" for x in row] for row in t] for t in stacked.tolist()
    ]


@pytest.mark.parametrize("decimals", range(5))
def test_the_integer_rounding_of_u16_weights_is_pythons(decimals: int) -> None:
    steps = np.arange(65536, dtype=np.float64)
    index = decimal_index(steps, U16.scale, decimals)
    assert index is not None
    shown = (steps / U16.scale).tolist()
    assert decimal_texts(steps / U16.scale, decimals, index) == [f"{w:.{decimals}f}" for w in shown]


@pytest.mark.parametrize("decimals", range(5))
def test_the_integer_rounding_of_u32_weights_is_pythons_next_to_every_half(decimals: int) -> None:
    # The steps on either side of each rounding boundary (m + ½) / 10**d, and a random sample.
    unit, scale = 10**decimals, U32.scale
    halves = (np.arange(unit) + 0.5) * scale / unit
    near = np.concatenate([np.floor(halves) + d for d in (-1, 0, 1, 2)])
    steps = np.concatenate(
        [near, np.random.default_rng(decimals).integers(0, scale + 1, 100_000), [0, scale]]
    )
    steps = steps[(steps >= 0) & (steps <= scale)].astype(np.float64)
    index = decimal_index(steps, scale, decimals)
    assert index is not None
    shown = (steps / scale).tolist()
    assert decimal_texts(steps / scale, decimals, index) == [f"{w:.{decimals}f}" for w in shown]


def test_u8_weights_are_their_own_two_decimal_index_and_ties_are_left_to_python() -> None:
    steps = np.arange(101, dtype=np.float64)
    assert np.array_equal(decimal_index(steps, U8.scale, 2), steps.astype(int))
    # 0.5 at no decimals, 0.05 at one: ties of an even scale, which only Python's float formatting settles.
    assert decimal_index(steps, U8.scale, 1) is None and decimal_index(steps, U8.scale, 0) is None
    assert decimal_index(steps, U16.scale, 5) is None
    assert decimal_texts(steps / 100, 0) == [f"{w:.0f}" for w in (steps / 100).tolist()]


def test_tables_from_the_index_are_the_tables_from_the_weights() -> None:
    a = attention(2, 3, 7)
    steps = np.rint(a.weights * U16.scale)
    shown = steps / U16.scale
    for decimals in range(5):
        index = decimal_index(steps, U16.scale, decimals)
        assert scores_tables(a, decimals, shown, index) == scores_tables(a, decimals, shown)
