"""The matrix view's heat map as Chromium paints it: every cell shows, up to the last row and
column (the tint filter's region once cut the last ones off), square and M×N."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import numpy as np
import pytest

from tests.helpers import MATERIAL_CONFIG

from .conftest import Server, built_site

pytestmark = pytest.mark.browser


def diagonal(m: int, n: int) -> list[list[float]]:
    """Each query puts 0.9 on one key (a diagonal, wrapping) and spreads the rest."""
    rows = []
    for i in range(m):
        row = [round(0.1 / (n - 1), 4)] * n
        row[i % n] = round(1 - 0.1 / (n - 1) * (n - 1), 4)
        rows.append(row)
    return rows


def page(m: int, n: int) -> str:
    keys = "" if m == n else f"key_tokens: {json.dumps([f'k{j}' for j in range(n)])}\n"
    return (
        f"# M{m}\n\n```attention\ntokens: {json.dumps([f'long-token-{i}' for i in range(m)])}\n{keys}"
        f"weights: {json.dumps(diagonal(m, n))}\nnormalize: true\nview: matrix\n```\n"
    )


SHAPES = [(12, 12), (8, 7), (5, 14)]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    pages = {f"m{m}x{n}.md": page(m, n) for m, n in SHAPES}
    with built_site(tmp_path_factory.mktemp("heat"), pages, MATERIAL_CONFIG) as s:
        yield s


@pytest.mark.parametrize(("m", "n"), SHAPES)
def test_every_cell_is_painted(site, new_page, m, n) -> None:
    p = new_page(site.url, viewport={"width": 1200, "height": 1200}).page
    p.goto(f"{site.url}/m{m}x{n}/")
    fig = p.locator("figure.attn.attn-ready")
    heat = fig.locator(".attn-heat")
    box = heat.bounding_box()
    png = base64.b64encode(heat.screenshot()).decode()
    # The screenshot's pixels, read back by the browser itself (no image library needed).
    width, pixels = p.evaluate(
        """src => new Promise(done => { const img = new Image();
        img.onload = () => { const c = document.createElement('canvas'); c.width = img.width;
          c.height = img.height; const x = c.getContext('2d'); x.drawImage(img, 0, 0);
          done([img.width, [...x.getImageData(0, 0, img.width, img.height).data]]); };
        img.src = 'data:image/png;base64,' + src; })""",
        png,
    )
    image = np.array(pixels, dtype=float).reshape(-1, width, 4)[:, :, :3]
    scale = width / box["width"]
    cell = box["width"] / n

    def colour(i: int, j: int) -> np.ndarray:
        return image[int((i + 0.5) * cell * scale), int((j + 0.5) * cell * scale)]

    background = colour(0, 1)  # a weak cell (1 % of the peak): the ground, nearly

    def shade(i: int, j: int) -> float:
        """How far the centre of cell (i, j) is from the ground colour."""
        return float(np.abs(colour(i, j) - background).sum())

    strong = [shade(i, i % n) for i in range(m)]
    weak = [shade(i, (i + 2) % n) for i in range(m)]
    assert min(strong) > 100, strong  # every strong cell is painted, the last row's too
    assert max(weak) < min(strong) / 3, (weak, strong)
