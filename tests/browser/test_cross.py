"""Cross-attention (M×N: queries and keys are two sequences) in Chromium: in the arcs view
(queries above, keys below), the lines view and the matrix, the edges, labels and scores of a
query or a key equal its row or column of the M×N matrix; nothing overlaps; axe-core is clean."""

from __future__ import annotations

import json
from collections.abc import Iterator

import numpy as np
import pytest

from mkdocs_attention.numerics import softmax
from mkdocs_attention.render.payload import payload_weights
from tests.helpers import MATERIAL_CONFIG

from .conftest import Server, built_site, npz
from .reader import ARTIFACTS, run_axe
from .test_overview import overlaps
from .test_widget import edges, shown_scores

pytestmark = pytest.mark.browser

TARGET = ["Le", "chat", "s'est", "assis", "sur", "le", "tapis", "."]  # queries (M = 8)
SOURCE = ["The", "cat", "sat", "on", "the", "mat", "."]  # keys (N = 7)
SCORES = np.random.default_rng(3).normal(0, 2.5, (2, 8, 7)).round(2)
STACK = softmax(np.random.default_rng(4).normal(0, 2.5, (2, 3, 8, 7)))


def fence(view: str) -> str:
    return (
        "```attention\n"
        f"tokens: {json.dumps(TARGET, ensure_ascii=False)}\n"
        f"key_tokens: {json.dumps(SOURCE)}\n"
        f"scores: {json.dumps(SCORES.tolist())}\n"
        f"view: {view}\n```\n"
    )


PAGES = {
    "arcs.md": "# Arcs\n\n" + fence("arcs"),
    "lines.md": "# Lines\n\n" + fence("lines"),
    "matrix.md": "# Matrix\n\n" + fence("matrix"),
    "file.md": "# File\n\n```attention\nfile: cross.npz\n```\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data = npz(attention=STACK, tokens=np.array(TARGET), key_tokens=np.array(SOURCE))
    with built_site(
        tmp_path_factory.mktemp("cross"), PAGES, MATERIAL_CONFIG, files={"docs/cross.npz": data}
    ) as s:
        yield s


def open_fig(site: Server, new_page, path: str, width: int = 1200):
    page = new_page(site.url, viewport={"width": width, "height": 900}).page
    page.goto(f"{site.url}/{path}/")
    return page, page.locator("figure.attn.attn-ready")


def shown(fig) -> np.ndarray:
    return payload_weights(json.loads(fig.get_attribute("data-attn")))


def labels(fig) -> list[tuple[int, str]]:
    return [
        tuple(x)
        for x in fig.locator(".attn-label").evaluate_all(
            "els => els.filter(e => e.checkVisibility() && e.textContent).map(e => [+e.dataset.index, e.textContent])"
        )
    ]


@pytest.mark.parametrize("view", ["arcs", "lines", "matrix"])
def test_a_query_and_a_key_show_their_row_and_column(site, new_page, view) -> None:
    page, fig = open_fig(site, new_page, view)
    w = shown(fig)
    assert w.shape == (1, 2, 8, 7)
    assert np.allclose(w[0], softmax(SCORES), atol=0.5 / 65535 + 1e-12)
    for head in (0, 1):
        fig.locator(f".attn-head[data-head='{head}']").click()
        # a query (upper row, left column, matrix row): what it attends to among the keys
        fig.locator(".attn-token[data-index='6']").click()
        page.mouse.move(1, 1)
        got = edges(fig)
        row = w[0, head, 6]
        assert [(e["src"], e["dst"]) for e in got] == [(6, j) for j in range(7) if row[j] > 0]
        assert [float(e["weight"]) for e in got] == pytest.approx(row[row > 0].tolist(), abs=1e-5)
        assert shown_scores(fig) == [[t, f"{x:.2f}"] for t, x in zip(SOURCE, row, strict=True)]
        if view != "matrix":  # the matrix labels cells only when they are large enough
            assert labels(fig) == [(j, f"{x:.2f}") for j, x in enumerate(row)]
        assert fig.locator(".attn-status").inner_text().startswith("tapis attends most to ")
        fig.locator(".attn-token[data-index='6']").click()  # unpin
        if view == "matrix":
            continue
        # a key (lower row, right column): who attends to it among the queries
        fig.locator(".attn-key[data-index='1']").click()
        page.mouse.move(1, 1)
        column = w[0, head, :, 1]
        got = edges(fig)
        assert [(e["src"], e["dst"]) for e in got] == [(i, 1) for i in range(8) if column[i] > 0]
        assert shown_scores(fig) == [[t, f"{x:.2f}"] for t, x in zip(TARGET, column, strict=True)]
        assert labels(fig) == [(i, f"{x:.2f}") for i, x in enumerate(column)]
        assert fig.locator(".attn-status").inner_text().startswith("cat is attended to most by ")
        fig.locator(".attn-key[data-index='1']").click()


@pytest.mark.parametrize("view", ["arcs", "lines"])
def test_nothing_overlaps(site, new_page, view) -> None:
    page, fig = open_fig(site, new_page, view)
    fig.locator(".attn-token[data-index='0']").click()
    page.mouse.move(1, 1)
    boxes = fig.evaluate("""f => [...f.querySelectorAll('.attn-token-box, .attn-label')]
        .filter(e => e.checkVisibility() && (e.tagName !== 'text' || e.textContent)).map(e => {
        const r = e.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height};})""")
    assert len(boxes) == 8 + 7 + 7
    assert not overlaps(boxes)
    if view == "arcs":
        fig.screenshot(path=str(ARTIFACTS / "cross-arcs.png"))


def test_matrix_is_m_by_n(site, new_page) -> None:
    _, fig = open_fig(site, new_page, "matrix")
    w = shown(fig)
    size = fig.evaluate(
        "f => { const c = f.querySelector('.attn-heat-canvas canvas'); return [c.width, c.height]; }"
    )
    assert size == [7, 8]
    heat = fig.evaluate("""f => { const c = f.querySelector('.attn-heat-canvas canvas');
        return [...c.getContext('2d').getImageData(0, 0, c.width, c.height).data].filter((_, i) => i % 4 == 3); }""")
    assert np.abs(np.array(heat) - np.rint(w[0, 0] / w.max() * 255).reshape(-1)).max() <= 1
    # the worked math lists the keys (its table follows the pin by a frame)
    fig.locator(".attn-token[data-index='2']").click()
    fig.locator(".attn-math tbody th").first.wait_for()
    rows = fig.locator(".attn-math tbody th").all_inner_texts()
    assert rows == SOURCE


def test_a_file_with_key_tokens_and_its_overview(site, new_page) -> None:
    page, fig = open_fig(site, new_page, "file")
    w = shown(fig)
    assert w.shape == STACK.shape and np.abs(w - STACK).max() <= 0.005 + 1e-9  # two decimals carried
    thumbs = fig.locator(".attn-thumb")
    assert thumbs.count() == 6
    size = fig.evaluate(
        "f => { const c = f.querySelector('canvas.attn-overview-heat'); return [c.width, c.height]; }"
    )
    assert size == [
        3 * (7 + 2),
        2 * (8 + 2),
    ]  # 3 heads of 7 keys, 2 layers of 8 queries, a clear pixel around each
    # positional summaries mean nothing across two sequences: the table has entropy and first
    headings = fig.locator("table.attn-head-stats thead th").all_text_contents()
    assert headings == ["entropy (bits)", "on first"]
    fig.locator(".attn-thumb[data-layer='1'][data-head='2']").click()
    fig.locator(".attn-token[data-index='3']").click()
    page.mouse.move(1, 1)
    row = w[1, 2, 3]
    assert [e["dst"] for e in edges(fig)] == [j for j in range(7) if row[j] > 0]


@pytest.mark.parametrize("view", ["arcs", "lines", "matrix"])
def test_axe_clean(site, new_page, view) -> None:
    page, fig = open_fig(site, new_page, view)
    fig.locator(".attn-token[data-index='1']").click()
    assert run_axe(page) == []


def test_a_query_attends_and_a_key_is_attended_to_by_keyboard_too(site, new_page) -> None:
    """No direction control: a query shows what it attends to, a key who attends to it, by
    pointer or keyboard (Tab reaches one query and one key; the arrows move along each row)."""
    page, fig = open_fig(site, new_page, "arcs")
    w = shown(fig)
    assert fig.locator(".attn-dir").count() == 0
    stops = fig.evaluate("f => [...f.querySelectorAll('[tabindex=\"0\"]')].map(e => e.getAttribute('class'))")
    assert stops == ["attn-token", "attn-key"]
    fig.locator(".attn-key[data-index='0']").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => document.activeElement.dataset.index") == "2"
    page.keyboard.press("Enter")
    column = w[0, 0, :, 2]
    assert [(e["src"], e["dst"]) for e in edges(fig)] == [(i, 2) for i in range(8) if column[i] > 0]
    assert fig.locator(".attn-key[data-index='2']").get_attribute("aria-pressed") == "true"
    assert fig.locator(".attn-status").inner_text().startswith("sat is attended to most by ")
    page.keyboard.press("Escape")
    fig.locator(".attn-token[data-index='2']").focus()  # "s'est": a query
    row = w[0, 0, 2]
    assert [(e["src"], e["dst"]) for e in edges(fig)] == [(2, j) for j in range(7) if row[j] > 0]
