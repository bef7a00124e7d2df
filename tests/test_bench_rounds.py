"""The build-cost protocol of ``make bench``: rotated rounds and the resampled spread of the ratio."""

from __future__ import annotations

import statistics

from benchmarks.build import resampled_ratio, rounds


def test_each_round_starts_with_the_next_variant() -> None:
    order: list[str] = []
    builds = {k: (lambda k=k: order.append(k) or 0.0) for k in "abc"}
    times = rounds(builds, 6, warmup=True)
    warm, timed = order[:3], order[3:]
    assert warm == ["a", "b", "c"]
    assert ["".join(timed[i : i + 3]) for i in range(0, 18, 3)] == ["abc", "bca", "cab"] * 2
    assert {k: len(v) for k, v in times.items()} == {"a": 6, "b": 6, "c": 6}
    for k in "abc":  # first, second and third equally often
        assert sorted(["".join(timed[i : i + 3]).index(k) for i in range(0, 18, 3)]) == [0, 0, 1, 1, 2, 2]


def test_resampled_ratio_brackets_the_ratio_and_narrows_with_more_rounds() -> None:
    import random

    rng = random.Random(1)

    def draw(n: int) -> tuple[list[float], list[float]]:
        a = [0.1 + rng.gauss(0, 0.14) for _ in range(n)]
        b = [0.25 + rng.gauss(0, 0.15) for _ in range(n)]
        return a, b

    a, b = draw(45)
    lo, hi = resampled_ratio(a, b)
    assert lo < statistics.median(a) / statistics.median(b) < hi
    wide = hi - lo
    a, b = draw(900)
    lo, hi = resampled_ratio(a, b, draws=500)
    assert lo < 0.4 < hi and hi - lo < wide / 2
    assert resampled_ratio([1.0] * 5, [2.0] * 5) == (0.5, 0.5)
