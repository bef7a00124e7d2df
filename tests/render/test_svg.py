"""SVG numbers: the same bytes everywhere."""

from __future__ import annotations

import random

from mkdocs_attention.render.svg import num


def test_num_writes_two_decimals_without_trailing_zeros() -> None:
    rng = random.Random(0)
    for x in [rng.uniform(-1000, 1000) for _ in range(5000)] + [0.0, 1.0, 150.0, 0.005, 0.015, 2.675]:
        expected = f"{x:.2f}".rstrip("0").rstrip(".")
        assert num(x) == ("0" if expected == "-0" else expected)
    assert num(-0.0) == num(-0.001) == "0"
