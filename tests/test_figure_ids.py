"""Figure ids: the fence's ``id`` (validated, unique on the page) or a hash of the fence."""

from __future__ import annotations

import re

import pytest

from mkdocs_attention import AttentionError, Place, convert_fence, parse_fence


def figure_ids(html: str) -> list[str]:
    return re.findall(r'<figure class="attn" id="([^"]+)"', html)


def test_the_id_option_names_the_figure_and_its_parts() -> None:
    ids: set[str] = set()
    outcome = convert_fence("id: fox-example\ntext: The quick brown fox.", "", Place(), ids)
    assert outcome.error is None
    assert figure_ids(outcome.html) == ["fox-example"] and ids == {"fox-example"}
    assert 'aria-labelledby="fox-example.name"' in outcome.html
    assert convert_fence("The quick brown fox.", "{id=fox_2}", Place(), ids).error is None
    assert ids == {"fox-example", "fox_2"}


def test_a_second_figure_with_the_same_id_is_a_located_error() -> None:
    ids: set[str] = set()
    place = Place("docs/page.md", 10)
    assert convert_fence("id: fox\ntext: a b", "", place, ids).error is None
    outcome = convert_fence("id: fox\ntext: c d", "", place, ids)
    assert str(outcome.error) == (
        "docs/page.md:10: attention: 'id' 'fox' is already the id of a figure "
        "on this page; each figure needs its own"
    )
    assert 'class="attn-error"' in outcome.html and ids == {"fox"}


def test_without_an_id_the_hash_and_its_suffix() -> None:
    ids: set[str] = set()
    first = figure_ids(convert_fence("a b", "", Place(), ids).html)[0]
    second = figure_ids(convert_fence("a b", "", Place(), ids).html)[0]
    assert re.fullmatch(r"attn-[0-9a-f]{8}", first) and second == f"{first}-2"


@pytest.mark.parametrize("value", ["2fox", "fox example", "fox#1", "fox?pin=1", "", "é", "a" * 65])
def test_an_id_a_link_could_not_hold_is_refused(value: str) -> None:
    with pytest.raises(AttentionError, match="is not a usable figure id"):
        parse_fence(f"id: '{value}'\ntext: a b")


def test_every_id_on_a_page_of_figures_named_like_each_others_parts_is_unique() -> None:
    """Figures named ``fox`` and ``fox-arrow``, ``cat`` and ``cat-name``, ``grid`` and
    ``grid-tint``: each part (name, caption, arrowhead, heat-map filter) is its own figure's,
    and every reference points at an element of its own figure."""
    page, ids = [], set()
    for fig_id in ("fox", "fox-arrow", "cat", "cat-name", "cat-caption", "grid", "grid-tint"):
        view = "matrix" if fig_id.startswith("grid") else "arcs"
        body = f"id: {fig_id}\ntext: The quick brown fox.\nview: {view}\ncaption: Its own caption."
        outcome = convert_fence(body, "", Place(), ids)
        assert outcome.error is None, outcome.error
        page.append(outcome.html)
    html = "\n".join(page)
    every = re.findall(r'\bid="([^"]+)"', html)
    assert len(every) == len(set(every)), sorted(i for i in every if every.count(i) > 1)
    for figure in page:
        own = set(re.findall(r'\bid="([^"]+)"', figure))
        refs = re.findall(r'url\(#([^)]+)\)|aria-(?:labelledby|describedby)="([^"]+)"', figure)
        assert refs and all((a or b) in own for a, b in refs)
