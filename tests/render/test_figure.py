"""``render.figure`` helpers that the golden figures cover only by example."""

from __future__ import annotations

import numpy as np

from mkdocs_attention.attention import Attention
from mkdocs_attention.render.figure import focus_index
from mkdocs_attention.spec import Spec


def test_the_default_focus_is_the_first_query_holding_the_largest_weight() -> None:
    rng = np.random.default_rng(7)
    spec = Spec(tokens=("a",))
    for n in (1, 2, 5, 12):
        for _ in range(300):
            # Two decimals, as a figure shows them: ties between rows are common.
            w = np.round(rng.dirichlet(np.ones(n) * 0.3, size=(1, 2, n)), 2)
            att = Attention(tokens=tuple(f"t{i}" for i in range(n)), weights=w, head_names=("h1", "h2"))
            row_max = w[0, 0].max(axis=1)
            assert focus_index(spec, att) == int(np.flatnonzero(row_max == row_max.max())[0])
