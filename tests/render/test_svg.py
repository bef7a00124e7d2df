"""SVG numbers: the same bytes everywhere, and rendering leaves nothing behind for the GC."""

from __future__ import annotations

import gc
import random

from mkdocs_attention.pipeline import PageContext, convert
from mkdocs_attention.render.svg import num, rounded


def test_num_writes_two_decimals_without_trailing_zeros() -> None:
    rng = random.Random(0)
    for x in [rng.uniform(-1000, 1000) for _ in range(5000)] + [0.0, 1.0, 150.0, 0.005, 0.015, 2.675]:
        expected = f"{x:.2f}".rstrip("0").rstrip(".")
        assert num(x) == ("0" if expected == "-0" else expected)
        assert num(x) == num(x)  # from the memo, the same
    assert num(-0.0) == num(-0.001) == "0"


def test_rendering_figures_leaves_nothing_for_the_garbage_collector() -> None:
    # Objects a figure leaves in a memo that the GC tracks (an lru_cache keeps each call's argument
    # tuple) count towards its next collection; over a site's figures, a build paid for a full one.
    words = ["the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "and", "then", "sat", "on", "mat"]
    rng = random.Random(1)
    bodies = [f"text: {' '.join(rng.choice(words) for _ in range(12))}\nheads: 2" for _ in range(220)]
    ctx = PageContext(remember=False)
    for body in bodies[:20]:  # every word's embedding and slot memoised
        convert(body, "", ctx, None)
    ctx.rendered.clear()
    gc.collect()
    start = gc.get_stats()[0]["collections"]
    for body in bodies[20:]:
        convert(body, "", ctx, None)
        ctx.rendered.clear()
    # 200 figures: none with the dict memo; 7 when ``num`` was an lru_cache.
    assert gc.get_stats()[0]["collections"] - start <= 2


def test_rounded_is_round_and_num_from_one_formatting() -> None:
    rng = random.Random(2)
    for x in [rng.uniform(-50, 5000) for _ in range(20000)] + [0.125, 0.375, 2.675, 1.005, -0.001, 8.0]:
        value, written = rounded(x)
        assert value == round(x, 2) and written == num(x) == num(value)
