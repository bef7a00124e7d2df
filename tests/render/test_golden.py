"""Golden HTML: any change to the rendered figure shows up as a diff to review.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/render``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from mkdocs_attention import load, parse_fence, render_figure
from mkdocs_attention.render import render_error

GOLDEN = Path(__file__).parent / "golden"

CASES = {
    "fox": ("The quick brown fox jumps over the lazy dog.", ""),
    "weights": (
        "title: Hand-picked\ncaption: fox looks at its adjectives\n"
        "tokens: [quick, brown, fox]\nweights: [[1, 0, 0], [0, 1, 0], [0.5, 0.4, 0.1]]",
        "",
    ),
    "causal_heads": ("text: a b c d\ncausal: true", "{heads=2 dim=8 precision=3}"),
    "lines_in": (
        "tokens: [a, supercalifragilisticexpialidocious, c]\nweights: [[1, 0, 0], [0.5, 0.5, 0], "
        "[0.2, 0.3, 0.5]]\ndirection: in\ntop_k: 2",
        "{view=lines}",
    ),
    "matrix": ("tokens: [a, b, c]\nweights: [[1, 0, 0], [0.5, 0.5, 0], [0.2, 0.3, 0.5]]", "{view=matrix}"),
}


def check(name: str, html: str) -> None:
    path = GOLDEN / f"{name}.html"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(html + "\n", encoding="utf-8")
    assert path.exists(), f"missing golden file {path}; run UPDATE_GOLDEN=1 pytest {__file__}"
    assert html + "\n" == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CASES))
def test_figure_golden(name: str) -> None:
    body, header = CASES[name]
    spec = parse_fence(body, header)
    check(name, render_figure(spec, load(spec), f"attn-{name}"))


def test_error_golden() -> None:
    check("error", render_error("unknown option 'txt'; did you mean 'text'?"))
