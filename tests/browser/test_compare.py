"""Differences (``compare``) in Chromium: the edges of a token are its row of B − A (signed, one
style per sign), the score list gives A → B (B − A), the matrix paints each sign in its colour;
legible and axe-clean in light and dark."""

from __future__ import annotations

import json
from collections.abc import Iterator

import numpy as np
import pytest

from mkdocs_attention.render.payload import payload_weights
from tests.helpers import MATERIAL_PALETTE_CONFIG

from .conftest import Server, built_site
from .reader import assert_legible, run_axe, screenshot
from .test_widget import edges, shown_scores

pytestmark = pytest.mark.browser

SCORES = np.random.default_rng(21).normal(0, 2, (2, 7, 7)).round(2)
TOKENS = ["The", "cat", "sat", "on", "the", "mat", "."]


def fence(view: str) -> str:
    return (
        f"```attention\nid: {view}\ntokens: {json.dumps(TOKENS)}\nscores: {json.dumps(SCORES.tolist())}\n"
        f"compare: causal\nview: {view}\ntitle: With the mask, minus without\n```\n"
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    page = "# Compare\n\n" + "\n".join(fence(v) for v in ("arcs", "lines", "matrix"))
    with built_site(tmp_path_factory.mktemp("compare"), {"index.md": page}, MATERIAL_PALETTE_CONFIG) as s:
        yield s


def sides(fig) -> tuple[np.ndarray, np.ndarray]:
    """A and B as the page carries them."""
    p = json.loads(fig.get_attribute("data-attn"))
    return payload_weights(p), payload_weights({**p, "w": p["compare"]["w"]})


def signed(x: float) -> str:
    text = f"{abs(x):.2f}"
    return text if float(text) == 0 else ("+" if x > 0 else "\u2212") + text


@pytest.mark.parametrize("view", ["arcs", "lines"])
def test_edges_and_scores_are_the_difference(site, new_page, view) -> None:
    page = new_page(site.url, viewport={"width": 1200, "height": 1600}).page
    page.goto(site.url + "/")
    fig = page.locator(f"#{view}.attn-ready")
    a, b = sides(fig)
    for head in (0, 1):
        fig.locator(f".attn-head[data-head='{head}']").click()
        fig.locator(".attn-token[data-index='3']").click()
        page.mouse.move(1, 1)
        d = b[0, head, 3] - a[0, head, 3]
        got = edges(fig)
        assert [e["dst"] for e in got] == [j for j in range(7) if abs(d[j]) > 1e-9]
        assert [float(e["weight"]) for e in got] == pytest.approx(d[np.abs(d) > 1e-9].tolist(), abs=1e-5)
        styles = fig.locator(".attn-edge").evaluate_all(
            "es => es.map(e => [e.classList.contains('attn-up'), getComputedStyle(e).strokeDasharray])"
        )
        for e, (up, dash) in zip(got, styles, strict=True):
            assert up == (float(e["weight"]) > 0) and (dash == "none") == up  # two styles by sign
        expected = [[t, f"{x:.2f}"] for t, x in zip(TOKENS, a[0, head, 3], strict=True)]
        # each item reads "token A → B (B − A)": its values and the separators the stylesheet adds
        items = fig.locator(
            ".attn-scores li"
        ).evaluate_all("""ls => ls.filter(l => l.checkVisibility({opacityProperty: true})).map(l =>
            [...l.children].map(s => s.textContent + getComputedStyle(s, '::after').content.replace(/^none$|"/g, '')).join(''))""")
        assert items == [
            f"{t}{x:.2f} \u2192 {y:.2f} ({signed(y - x)})"
            for t, x, y in zip(TOKENS, a[0, head, 3], b[0, head, 3], strict=True)
        ]
        assert [s[0] for s in shown_scores(fig)] == [t for t, _ in expected]
        labels = fig.locator(".attn-label").evaluate_all(
            "ls => ls.filter(l => l.checkVisibility()).map(l => l.textContent)"
        )
        assert labels == [signed(x) for x in d]
        fig.locator(".attn-token[data-index='3']").click()


def test_the_matrix_paints_each_sign_in_its_colour(site, new_page) -> None:
    page = new_page(site.url, viewport={"width": 1200, "height": 1600}).page
    page.goto(site.url + "/")
    fig = page.locator("#matrix.attn-ready")
    a, b = sides(fig)
    d = (b - a)[0, 0]
    pixels = np.array(
        fig.evaluate("""f => { const c = f.querySelector('.attn-heat-canvas canvas');
        return [...c.getContext('2d').getImageData(0, 0, c.width, c.height).data]; }""")
    ).reshape(7, 7, 4)
    peak = np.abs(b - a).max()
    np.testing.assert_allclose(pixels[..., 3], np.rint(np.abs(d) / peak * 255), atol=1)
    blue = pixels[..., 2] > pixels[..., 0]  # --attn-up is blue, --attn-down orange
    assert (blue[d > 0.01]).all() and (~blue[d < -0.01]).all()


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_legible_and_axe_clean(site, new_page, scheme) -> None:
    page = new_page(site.url, viewport={"width": 1200, "height": 1600}).page
    page.goto(site.url + "/")
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    fig = page.locator("#arcs.attn-ready")
    fig.locator(".attn-token[data-index='4']").click()
    page.mouse.move(1, 1)
    assert_legible(fig)
    assert run_axe(page) == []
    if scheme == "default":
        screenshot(fig, "compare.png")
