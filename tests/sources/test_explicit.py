from __future__ import annotations

import numpy as np
import pytest

from mkdocs_attention.errors import AttentionError
from mkdocs_attention.sources import load
from mkdocs_attention.spec import parse_fence


def spec(weights: str, causal: bool = False):
    return parse_fence(f"tokens: [a, b, c]\ncausal: {str(causal).lower()}\nweights: {weights}")


def test_weights_pass_through_exactly() -> None:
    att = load(spec("[[1, 0, 0], [0.25, 0.75, 0], [0.2, 0.3, 0.5]]", causal=True))
    assert att.weights.shape == (1, 1, 3, 3)
    np.testing.assert_array_equal(att.weights[0, 0], [[1, 0, 0], [0.25, 0.75, 0], [0.2, 0.3, 0.5]])


def test_rows_within_tolerance_are_accepted() -> None:
    att = load(spec("[[0.3333, 0.3333, 0.3333], [0, 1, 0], [0, 0, 1]]"))
    assert att.weights[0, 0, 0].tolist() == [0.3333, 0.3333, 0.3333]  # kept as written


@pytest.mark.parametrize(
    ("weights", "causal", "message"),
    [
        ("[[.nan, 0.5, 0.5], [0, 1, 0], [0, 0, 1]]", False, "row 1, column 1 is nan"),
        ("[[.inf, 0, 0], [0, 1, 0], [0, 0, 1]]", False, "not a finite number"),
        ("[[1.5, -0.5, 0], [0, 1, 0], [0, 0, 1]]", False, "row 1, column 2 is negative"),
        ("[[0.5, 0.4, 0], [0, 1, 0], [0, 0, 1]]", False, "row 1 ('a') sums to 0.9, not 1"),
        ("[[0.5, 0.5, 0], [0, 1, 0], [0, 0, 1]]", True, "'a' (row 1) attends to the later token 'b'"),
    ],
)
def test_bad_weights(weights: str, causal: bool, message: str) -> None:
    with pytest.raises(AttentionError) as err:
        load(spec(weights, causal))
    assert message in str(err.value)
