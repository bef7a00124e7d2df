"""Which of the widget's files a figure needs: its parts, from its fence."""

from __future__ import annotations

from mkdocs_attention import Place, convert_fence
from mkdocs_attention.widget_files import ASSETS, FILES, page_files

FOUR = "[[1,0,0,0],[0.5,0.5,0,0],[0.2,0.3,0.5,0],[0.1,0.2,0.3,0.4]]"


def parts(body: str) -> tuple[str, ...]:
    outcome = convert_fence(body, "", Place(), set())
    assert outcome.error is None, outcome.error
    return outcome.parts


def test_a_plain_figure_uses_its_view_only() -> None:
    """The core switches direction; a figure of one layer and head has no other control."""
    assert parts(f"tokens: [a, b, c, d]\nweights: {FOUR}") == ("arcs",)


def test_several_heads_or_layers_bring_the_controls() -> None:
    assert parts(f"tokens: [a, b, c, d]\nweights: [{FOUR}, {FOUR}]") == ("arcs", "controls", "heads.css")


def test_each_feature_brings_its_part() -> None:
    assert parts("The quick brown fox.") == ("arcs", "math", "math.css")
    assert parts(f"tokens: [a, b, c, d]\nview: matrix\nweights: [{FOUR}, {FOUR}]") == (
        "matrix",
        "tip",
        "controls",
        "tip.css",
        "matrix.css",
        "heads.css",
    )
    assert parts(f"tokens: [a, b, c, d]\nsync: s\ncompare: {{weights: {FOUR}}}\nweights: {FOUR}") == (
        "arcs",
        "sync",
        "compare",
        "compare.css",
    )


def test_a_token_drawn_cut_short_brings_the_tooltip() -> None:
    long = "a" * 80
    assert parts(f"tokens: [{long}, b, c, d]\nweights: {FOUR}") == ("arcs", "tip", "tip.css")


def test_cross_attention_arcs_are_two_rows_over_the_arcs_arrowheads() -> None:
    body = "tokens: [a, b]\nkey_tokens: [x, y, z]\nweights: [[1, 0, 0], [0.5, 0.25, 0.25]]"
    assert parts(body) == ("two-rows", "arcs")


def test_every_part_is_a_shipped_file() -> None:
    scripts, styles = page_files(
        [
            "two-rows",
            "arcs",
            "lines",
            "matrix",
            "controls",
            "overview",
            "math",
            "sync",
            "compare",
            "steps",
            "weighting",
            "links",
            "export",
            "tip",
            "tip.css",
            "matrix.css",
            "heads.css",
            "overview.css",
            "math.css",
            "compare.css",
            "steps.css",
        ]
    )
    assert set(scripts + styles) | {"attn.js", "attn.css"} == set(FILES)
    assert all((ASSETS / name).is_file() for name in FILES)
