"""The overview grid in Chromium: one thumbnail per layer and head, drawn from the payload's
weights; a click or the keyboard switches the main figure; sorted by a head summary on request;
legible and axe-clean in light and dark; no overlap at 12 × 12 heads, on a desktop or a phone."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator

import numpy as np
import pytest

from mkdocs_attention.numerics import softmax
from mkdocs_attention.render.payload import payload_weights
from tests.helpers import MATERIAL_PALETTE_CONFIG

from .conftest import Server, built_site, npy
from .reader import luminance, run_axe, screenshot
from .test_widget import assert_edges_equal_row

pytestmark = pytest.mark.browser

TOKENS = ["the", "cat", "sat", "on", "a", "mat"]
#: Heads of clearly different sharpness (so their entropies are far apart), shuffled per layer.
TEMPERATURES = np.array([[0.3, 6.0, 1.0, 2.5], [2.5, 0.3, 6.0, 1.0], [1.0, 2.5, 0.3, 6.0]])
GRID = softmax(np.random.default_rng(5).normal(0, 1, (3, 4, 6, 6)) * TEMPERATURES[:, :, None, None])
BIG = softmax(np.random.default_rng(6).normal(0, 2, (12, 12, 20, 20)))
POOLED = softmax(np.random.default_rng(7).normal(0, 3, (2, 2, 48, 48)))

PAGES = {
    "grid.md": "# Grid\n\n```attention\nfile: grid.npy\ntokens: [the, cat, sat, on, a, mat]\nrollout: true\n```\n",
    "sorted.md": (
        "# Sorted\n\n```attention\nfile: grid.npy\ntokens: [the, cat, sat, on, a, mat]\n"
        "sort_heads: entropy\nview: matrix\n```\n"
    ),
    "big.md": "# Big\n\n```attention\nfile: big.npy\ntokens: ["
    + ", ".join(f"t{i}" for i in range(20))
    + "]\ntitle: Twelve layers of twelve heads\n```\n",
    "pooled.md": "# Pooled\n\n```attention\nfile: pooled.npy\ntokens: ["
    + ", ".join(f"w{i}" for i in range(48))
    + "]\nview: lines\n```\n",
    "off.md": "# Off\n\n```attention\nfile: grid.npy\ntokens: [the, cat, sat, on, a, mat]\noverview: false\n```\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = {f"docs/{name}.npy": npy(w) for name, w in (("grid", GRID), ("big", BIG), ("pooled", POOLED))}
    with built_site(tmp_path_factory.mktemp("overview"), PAGES, MATERIAL_PALETTE_CONFIG, files=data) as s:
        yield s


def open_page(site: Server, new_page, path: str, width: int = 1200, height: int = 900):
    page = new_page(site.url, viewport={"width": width, "height": height}).page
    page.goto(f"{site.url}/{path}/")
    return page, page.locator("figure.attn.attn-ready")


def thumbs(fig) -> list[dict]:
    return fig.evaluate("""f => [...f.querySelectorAll('.attn-thumb')].map(b => ({
        layer: +b.dataset.layer, head: +b.dataset.head, pressed: b.getAttribute('aria-pressed'),
        name: b.getAttribute('aria-label'), tab: b.tabIndex}))""")


def pictures(fig) -> tuple[np.ndarray, dict[tuple[int, int], tuple[int, int]]]:
    """The overview canvas's alpha channel as painted (read once: repeated reads of a canvas
    make Chromium warn), and each thumbnail's (row, column) in the grid."""
    width, data, cells = fig.evaluate("""f => {
        const c = f.querySelector('canvas.attn-overview-heat');
        const cells = [...f.querySelectorAll('.attn-thumb')].map(b => [+b.dataset.layer, +b.dataset.head,
            +b.style.gridRowStart - 1, +b.style.gridColumnStart - 2]);
        return [c.width, [...c.getContext('2d').getImageData(0, 0, c.width, c.height).data], cells]; }""")
    return np.array(data[3::4]).reshape(-1, width), {(a, b): (r, c) for a, b, r, c in cells}


def alphas(painted: tuple[np.ndarray, dict], layer: int, head: int, side: int) -> np.ndarray:
    """One thumbnail's picture: its cell of the canvas, ``side`` pixels and a clear pixel each
    side, one column per head and one row per layer."""
    alpha, cells = painted
    row, col = cells[(layer, head)]
    cell = side + 2
    assert not alpha[row * cell, col * cell : (col + 1) * cell].any()  # the clear border
    return alpha[row * cell + 1 : row * cell + 1 + side, col * cell + 1 : col * cell + 1 + side]


def shown_weights(fig) -> np.ndarray:
    """The weights the page carries (what the script paints from)."""
    return payload_weights(json.loads(fig.get_attribute("data-attn")))


def entropy_order(w: np.ndarray) -> list[list[int]]:
    """Each layer's heads from the lowest to the highest mean row entropy, in plain Python."""
    out = []
    for layer in w:
        bits = [
            sum(-sum(x * math.log2(x) for x in row if x > 0) for row in head) / len(head)
            for head in layer.tolist()
        ]
        out.append(sorted(range(len(bits)), key=lambda h: (bits[h], h)))
    return out


def test_a_thumbnail_per_layer_and_head_switches_the_figure(site, new_page) -> None:
    page, fig = open_page(site, new_page, "grid")
    got = thumbs(fig)
    # 3 layers × 4 heads, then the rollout: one matrix, one thumbnail
    assert [(t["layer"], t["head"]) for t in got] == [(layer, h) for layer in range(3) for h in range(4)] + [
        (3, 0)
    ]
    assert [t["pressed"] for t in got] == ["true"] + ["false"] * 12
    assert got[6]["name"].startswith("Layer 1, Head 2: entropy (bits) ")  # a file's are 0-based
    assert got[-1]["name"].startswith("Rollout: entropy (bits) ")
    fig.locator(".attn-thumb[data-layer='1'][data-head='2']").click()
    assert fig.locator(".attn-layer[aria-pressed='true']").get_attribute("data-layer") == "1"
    assert fig.locator(".attn-head[aria-pressed='true']").get_attribute("data-head") == "2"
    assert [t["pressed"] for t in thumbs(fig)].count("true") == 1
    assert fig.locator(".attn-thumb[aria-pressed='true']").get_attribute("data-head") == "2"
    fig.locator(".attn-token[data-index='3']").click()
    page.mouse.move(1, 1)
    assert_edges_equal_row(fig, 3, GRID[1, 2, 3])
    # the toolbar drives the grid too; "All heads" presses no thumbnail
    fig.locator(".attn-head[data-head='0']").click()
    assert fig.locator(".attn-thumb[aria-pressed='true']").get_attribute("data-head") == "0"
    fig.locator(".attn-head[data-head='all']").click()
    assert fig.locator(".attn-thumb[aria-pressed='true']").count() == 0
    fig.locator(".attn-thumb[data-layer='3']").click()
    assert fig.get_attribute("data-attn-rollout") == ""


def test_thumbnails_are_the_weights(site, new_page) -> None:
    """Each canvas is its head: alpha = √(weight / the figure's strongest) (a 48-token head
    drawn on 32 pixels keeps each block's strongest weight)."""
    for path, side, heads in (("grid", 6, ((0, 0), (2, 3), (3, 0))), ("pooled", 32, ((0, 1), (1, 0)))):
        _, fig = open_page(site, new_page, path)
        w = shown_weights(fig)
        n = w.shape[-1]
        painted = pictures(fig)
        for layer, head in heads:
            block = np.zeros((side, side))
            for q in range(n):
                for k in range(n):
                    r, c = q * side // n, k * side // n
                    block[r, c] = max(block[r, c], w[layer, head, q, k])
            expected = np.rint(np.sqrt(block / w.max()) * 255)
            assert np.abs(alphas(painted, layer, head, side) - expected).max() <= 1, (path, layer, head)


def test_sort_heads_orders_each_layer_by_entropy(site, new_page) -> None:
    _, fig = open_page(site, new_page, "sorted")
    order = entropy_order(shown_weights(fig))
    assert order != [[0, 1, 2, 3]] * 3  # the heads are shuffled: sorting moves them
    got = thumbs(fig)
    assert [[t["head"] for t in got if t["layer"] == layer] for layer in range(3)] == order
    # the matrix follows a thumbnail: its heat map is that head
    w = shown_weights(fig)
    fig.locator(f".attn-thumb[data-layer='2'][data-head='{order[2][0]}']").click()
    assert fig.locator(".attn-head[aria-pressed='true']").get_attribute("data-head") == str(order[2][0])
    heat = fig.evaluate("""f => { const c = f.querySelector('.attn-heat-canvas canvas');
        return [...c.getContext('2d').getImageData(0, 0, c.width, c.height).data].filter((_, i) => i % 4 == 3); }""")
    expected = np.rint(w[2, order[2][0]] / w.max() * 255).reshape(-1)
    assert np.abs(np.array(heat) - expected).max() <= 1


def test_keyboard_path_through_the_grid(site, new_page) -> None:
    page, fig = open_page(site, new_page, "grid")
    assert [t["tab"] for t in thumbs(fig)].count(0) == 1  # one stop in the Tab order
    fig.locator(".attn-thumb[aria-pressed='true']").focus()
    info = fig.locator(".attn-overview-info")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate(
        "() => [document.activeElement.dataset.layer, document.activeElement.dataset.head]"
    )
    assert focused == ["2", "1"]
    assert info.inner_text().startswith("Layer 2, Head 1 — entropy (bits) ")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    assert fig.locator(".attn-thumb[aria-pressed='true']").get_attribute("data-head") == "3"
    assert fig.locator(".attn-layer[aria-pressed='true']").get_attribute("data-layer") == "2"
    page.keyboard.press("ArrowDown")  # onto the rollout's single thumbnail
    assert page.evaluate("() => document.activeElement.dataset.layer") == "3"
    page.keyboard.press(" ")
    assert fig.get_attribute("data-attn-rollout") == ""
    # the thumbnail pressed is the grid's one stop in the Tab order
    assert [t["tab"] for t in thumbs(fig)].index(0) == 12


def test_hover_tells_the_heads_summary(site, new_page) -> None:
    page, fig = open_page(site, new_page, "grid")
    info = fig.locator(".attn-overview-info")
    assert info.inner_text().startswith("Layer 0, Head 0 — ")
    fig.locator(".attn-thumb[data-layer='2'][data-head='0']").hover()
    text = info.inner_text()
    assert text.startswith("Layer 2, Head 0 — entropy (bits) ") and "mean distance" in text
    page.mouse.move(1, 1)
    assert info.inner_text().startswith("Layer 0, Head 0 — ")


def test_no_grid_when_off_or_single(site, new_page) -> None:
    _, fig = open_page(site, new_page, "off")
    assert fig.locator(".attn-overview").count() == 0
    assert "overview" not in json.loads(fig.get_attribute("data-attn"))


def boxes(fig) -> list[dict]:
    return fig.evaluate("""f => [...f.querySelectorAll('.attn-thumb, .attn-overview-layer')].map(e => {
        const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height};})""")


def overlaps(rects: list[dict]) -> list[tuple[int, int]]:
    bad = []
    for i, a in enumerate(rects):
        for j, b in enumerate(rects[:i]):
            if (
                a["x"] < b["x"] + b["w"] - 0.5
                and b["x"] < a["x"] + a["w"] - 0.5
                and a["y"] < b["y"] + b["h"] - 0.5
                and b["y"] < a["y"] + a["h"] - 0.5
            ):
                bad.append((j, i))
    return bad


@pytest.mark.parametrize("width", [1200, 390])
def test_twelve_by_twelve_fits_without_overlap(site, new_page, width) -> None:
    page, fig = open_page(site, new_page, "big", width, height=1600)
    rects = boxes(fig)
    assert len(rects) == 12 * 12 + 12
    assert not overlaps(rects)
    sizes = [r["w"] for r in rects[1:13]]
    assert min(sizes) >= 24  # a touch target
    grid = fig.locator(".attn-overview")
    if width == 1200:  # the whole grid in the column, no scrolling
        assert grid.evaluate("g => g.scrollWidth <= g.clientWidth")
    else:  # a phone scrolls the grid, not the page
        assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_axe_clean_and_visible_in_light_and_dark(site, new_page, scheme) -> None:
    page, fig = open_page(site, new_page, "grid")
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    fig.locator(".attn-thumb[data-layer='1'][data-head='1']").focus()
    assert run_axe(page) == []
    # the heat shows in the theme's edge colour, at 3:1 or more against the thumbnail's ground
    ground, flood = (
        fig.evaluate("""f => [getComputedStyle(f.querySelector('.attn-overview-grid')).backgroundColor,
        getComputedStyle(f.querySelector('.attn-overview-defs .attn-tint')).floodColor]""")
    )
    lum = [luminance(rgb_hex(c)) for c in (ground, flood)]
    assert (max(lum) + 0.05) / (min(lum) + 0.05) >= 3, (ground, flood)
    assert (lum[0] < 0.2) == (scheme == "slate"), ground  # the ground follows the scheme


def rgb_hex(css: str) -> str:
    r, g, b = (int(float(v)) for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def test_the_lectures_overview_screenshot(example_server, new_page) -> None:
    """docs/assets/overview.png: the example lecture "What the heads do", a head chosen from the
    grid and a token pinned (UPDATE_SCREENSHOTS=1 refreshes it)."""
    page = new_page(example_server.url, viewport={"width": 1100, "height": 1300}).page
    page.goto(example_server.url + "/heads/")
    fig = page.locator("figure.attn.attn-ready").first
    assert fig.locator(".attn-thumb").count() == 24
    fig.locator(".attn-thumb[data-layer='2'][data-head='1']").click()
    fig.locator(".attn-token[data-index='8']").click()  # "was"
    page.mouse.move(1, 1)
    assert fig.locator(".attn-edge").count() > 0
    fig.evaluate("f => f.scrollIntoView({block: 'start'})")
    screenshot(fig, "overview.png")
