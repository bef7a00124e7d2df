"""The widget in a real Chromium, on the real example site (Material, SuperFences)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
from playwright.sync_api import expect

from mkdocs_attention.sources.toy import toy_attention
from tests.helpers import PLAIN_THEME_CONFIG, ROOT

from .conftest import built_site, npz
from .reader import HAND

pytestmark = pytest.mark.browser

FOX = ("The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ".")
FOX9 = FOX[:-1]


def scale(fig) -> int:
    """Weights travel as integers / scale (payload "scale"): half a step is the tolerance."""
    return fig.evaluate("f => JSON.parse(f.dataset.attn).scale")


@pytest.fixture
def lecture(example_server, new_page):
    w = new_page(example_server.url, viewport={"width": 1280, "height": 900})
    w.page.goto(example_server.url + "/self-attention/")
    w.page.wait_for_selector("figure.attn.attn-ready")
    return w.page


def edges(fig) -> list[dict]:
    return fig.locator(".attn-edge").evaluate_all(
        """els => els.map(e => ({src: +e.dataset.source, dst: +e.dataset.target,
              weight: e.dataset.weight, width: +e.getAttribute('stroke-width'),
              visible: e.getBoundingClientRect().width > 0}))"""
    )


def stroke_factor(fig) -> float:
    return fig.evaluate("f => JSON.parse(f.dataset.attn).stroke")


def shown_scores(fig) -> list[list[str]]:
    """The score list as a reader sees it: [token, value] of each displayed item. The items stay
    in the page between hovers (hidden), so the list is read through checkVisibility()."""
    return fig.locator(".attn-scores li").evaluate_all(
        "els => els.filter(li => li.checkVisibility()).map(li => [li.querySelector('.attn-score-token').textContent,"
        " li.querySelector('.attn-score-value').textContent])"
    )


def assert_no_scores_shown(fig) -> None:
    """Nothing listed: no item displayed, none in the accessibility tree."""
    assert shown_scores(fig) == []
    assert fig.get_by_role("listitem").count() == 0


def assert_edges_equal_row(fig, source: int, row: np.ndarray) -> None:
    got = edges(fig)
    expected_targets = [j for j in range(len(row)) if np.rint(row[j] * scale(fig)) > 0]  # > 0 once decoded
    assert [e["dst"] for e in got] == expected_targets
    assert all(e["src"] == source and e["visible"] for e in got)
    k = stroke_factor(fig)
    for e in got:
        assert len(e["weight"].split(".")[1]) >= 3
        assert float(e["weight"]) == pytest.approx(row[e["dst"]], abs=0.5 / scale(fig) + 5e-6)
        # stroke-width ∝ weight with one factor for the whole figure
        assert e["width"] == pytest.approx(float(e["weight"]) * k, abs=1e-4 + 5e-6 * k)


def test_hover_draws_exactly_the_row_and_leaving_clears(lecture) -> None:
    fig = lecture.locator("figure.attn").nth(0)
    expected = toy_attention(FOX).weights[0, 0]
    assert fig.locator(".attn-edge").count() == 0
    fig.locator(".attn-token[data-index='3']").hover()
    assert_edges_equal_row(fig, 3, expected[3])
    assert len(edges(fig)) == 10
    ratios = [e["width"] / float(e["weight"]) for e in edges(fig) if float(e["weight"]) > 0.02]
    assert max(ratios) / min(ratios) < 1.001
    fig.locator(".attn-token[data-index='7']").hover()
    assert_edges_equal_row(fig, 7, expected[7])
    # The score list follows the edges a frame later (a hover's first frame draws only the edges).
    expect(fig.locator(".attn-scores li").last).to_be_visible()
    assert shown_scores(fig) == [[t, f"{w:.2f}"] for t, w in zip(FOX, expected[7], strict=True)]
    assert fig.get_by_role("listitem").count() == len(FOX)
    lecture.mouse.move(5, 5)
    assert fig.locator(".attn-edge").count() == 0
    assert_no_scores_shown(fig)


def test_click_pins_and_lists_scores_without_overlap(lecture) -> None:
    fig = lecture.locator("figure.attn").nth(1)  # hand-written weights
    fox = fig.locator(".attn-token[data-index='3']")
    fox.click()
    lecture.mouse.move(5, 5)
    assert "attn-pinned" in fox.get_attribute("class")
    assert fox.get_attribute("aria-pressed") == "true"
    assert_edges_equal_row(fig, 3, HAND[3])
    assert [e["dst"] for e in edges(fig)] == [0, 1, 2, 3]
    items = fig.locator(".attn-scores li").evaluate_all(
        "els => els.map(li => [li.querySelector('.attn-score-token').textContent,"
        " li.querySelector('.attn-score-value').textContent])"
    )
    assert items == [[t, f"{w:.2f}"] for t, w in zip(FOX9, HAND[3], strict=True)]
    labels = fig.locator(".attn-label").all_text_contents()
    assert labels == [f"{w:.2f}" for w in HAND[3]]
    boxes = fig.locator(".attn-label, .attn-token-box").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; })"
    )
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap = min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5
            assert not overlap, (a, b)
    assert (
        fig.locator(".attn-status").text_content() == "fox attends most to quick 0.45, brown 0.40, fox 0.10."
    )
    # Click again unpins.
    fox.click()
    lecture.mouse.move(5, 5)
    assert fox.get_attribute("aria-pressed") == "false"
    assert fig.locator(".attn-edge").count() == 0


def test_escape_clears_a_pin(lecture) -> None:
    fig = lecture.locator("figure.attn").nth(1)
    fig.locator(".attn-token[data-index='1']").click()
    lecture.mouse.move(5, 5)
    assert fig.locator(".attn-edge").count() == 4
    lecture.keyboard.press("Escape")
    assert fig.locator(".attn-edge").count() == 0
    assert fig.locator(".attn-pinned").count() == 0
    assert_no_scores_shown(fig)


def test_two_figures_are_independent(lecture) -> None:
    hand, toy = lecture.locator("figure.attn").nth(1), lecture.locator("figure.attn").nth(0)
    hand.locator(".attn-token[data-index='0']").click()
    toy.locator(".attn-token[data-index='5']").hover()
    assert_edges_equal_row(hand, 0, HAND[0])
    assert_edges_equal_row(toy, 5, toy_attention(FOX).weights[0, 0, 5])
    assert hand.locator(".attn-pinned").count() == 1 and toy.locator(".attn-pinned").count() == 0
    lecture.mouse.move(5, 5)
    assert toy.locator(".attn-edge").count() == 0
    assert len(edges(hand)) == 4


def test_causal_figure_and_head_switch(lecture) -> None:
    fig = lecture.locator("figure.attn").nth(2)
    w = toy_attention(FOX, heads=2, causal=True).weights[0]
    fig.locator(".attn-token[data-index='4']").click()
    assert_edges_equal_row(fig, 4, w[0, 4])
    assert [e["dst"] for e in edges(fig)] == [0, 1, 2, 3, 4]
    fig.locator(".attn-head[data-head='1']").click()
    assert fig.locator(".attn-head[data-head='1']").get_attribute("aria-pressed") == "true"
    assert fig.locator(".attn-head[data-head='0']").get_attribute("aria-pressed") == "false"
    assert_edges_equal_row(fig, 4, w[1, 4])


def test_keyboard_path(lecture) -> None:
    fig = lecture.locator("figure.attn").nth(0)
    fig.locator(".attn-token[data-index='0']").focus()
    assert_edges_equal_row(fig, 0, toy_attention(FOX).weights[0, 0, 0])
    for _ in range(3):
        lecture.keyboard.press("ArrowRight")
    fox = fig.locator(".attn-token[data-index='3']")
    assert fox.evaluate("e => document.activeElement === e")
    assert fig.locator(".attn-token[tabindex='0']").count() == 1 and fox.get_attribute("tabindex") == "0"
    lecture.keyboard.press("Enter")
    assert fox.get_attribute("aria-pressed") == "true"
    lecture.keyboard.press("Escape")
    assert fox.get_attribute("aria-pressed") == "false"
    lecture.keyboard.press("Space")
    assert fox.get_attribute("aria-pressed") == "true"


def test_mount_is_idempotent(lecture) -> None:
    fig = lecture.locator("figure.attn").nth(1)
    lecture.evaluate(
        "() => { window.mkdocsAttention.mount(document); window.mkdocsAttention.mount(document); }"
    )
    fig.locator(".attn-token[data-index='3']").click()
    assert len(edges(fig)) == 4  # one handler set: one toggle, one set of edges


def test_readme_screenshot(lecture) -> None:
    """The README's picture comes from here; UPDATE_SCREENSHOTS=1 refreshes the committed PNG."""
    fig = lecture.locator("figure.attn").nth(1)
    fig.locator(".attn-token[data-index='3']").click()
    lecture.mouse.move(5, 5)
    out = ROOT / "tests" / "browser" / "artifacts"
    out.mkdir(parents=True, exist_ok=True)
    fig.screenshot(path=str(out / "widget.png"), animations="disabled")
    assert (out / "widget.png").stat().st_size > 5000
    if os.environ.get("UPDATE_SCREENSHOTS"):
        shutil.copy(out / "widget.png", ROOT / "docs" / "assets" / "widget.png")


def test_default_mkdocs_theme_without_document_observable(tmp_path: Path, new_page) -> None:
    with built_site(
        tmp_path, {"index.md": "# Hi\n\n```attention\nThe quick brown fox.\n```\n"}, PLAIN_THEME_CONFIG
    ) as s:
        url = s.url
        w = new_page(url)
        w.page.goto(url + "/")
        fig = w.page.locator("figure.attn.attn-ready")
        fig.locator(".attn-token[data-index='3']").hover()
        expected = toy_attention(("The", "quick", "brown", "fox", ".")).weights[0, 0, 3]
        assert_edges_equal_row(fig, 3, expected)


Q = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 1.0], [0.5, 2.0]])
K = np.array([[1.0, 0.0], [0.2, 1.5], [0.1, 1.2], [0.3, 0.3]])


def math_rows(fig) -> list[list[str]]:
    """The worked-math table's cells, once it is drawn (a frame after the pin)."""
    fig.locator(".attn-math tbody tr").first.wait_for()
    return fig.locator(".attn-math tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.children).map(c => c.textContent))"
    )


def test_worked_math_panel_for_queries_and_keys(example_server, new_page) -> None:
    w = new_page(example_server.url)
    w.page.goto(example_server.url + "/step-by-step/")
    fig = w.page.locator("figure.attn").nth(0)
    assert fig.locator(".attn-math *").count() == 0
    fig.locator(".attn-token[data-index='3']").click()
    dots = Q[3] @ K.T
    scaled = dots / np.sqrt(2)
    soft = np.exp(scaled - scaled.max()) / np.exp(scaled - scaled.max()).sum()
    rows = math_rows(fig)
    assert [r[0] for r in rows] == ["The", "quick", "brown", "fox"]
    for r, d, s, p in zip(rows, dots, scaled, soft, strict=True):
        assert float(r[1]) == pytest.approx(d, abs=5e-4)
        assert float(r[2]) == pytest.approx(s, abs=5e-4)
        assert float(r[3]) == pytest.approx(p, abs=5e-4 + 0.5 / scale(fig))
    caption = fig.locator(".attn-math caption").text_content()
    assert caption == "How \u201cfox\u201d attends: softmax(q\u00b7k \u00f7 \u221a2)"
    assert_edges_equal_row(fig, 3, soft)
    w.page.keyboard.press("Escape")
    assert fig.locator(".attn-math *").count() == 0


def test_worked_math_for_the_toy_model_with_mask(lecture) -> None:
    from mkdocs_attention.sources.toy import toy_projections

    fig = lecture.locator("figure.attn").nth(2)  # causal, two heads
    fig.locator(".attn-head[data-head='1']").click()
    fig.locator(".attn-token[data-index='2']").click()
    q, k = toy_projections(FOX, heads=2, dim=32, seed=0)
    dots = q[1, 2] @ k[1].T
    rows = math_rows(fig)
    weights = toy_attention(FOX, heads=2, causal=True).weights[0, 1, 2]
    for j, r in enumerate(rows):
        assert float(r[1]) == pytest.approx(dots[j], abs=5e-4)
        assert float(r[2]) == pytest.approx(dots[j] / 4.0, abs=5e-4)
        assert r[3] == ("\u2212\u221e" if j > 2 else "0")
        assert float(r[4]) == pytest.approx(weights[j], abs=5e-4 + 0.5 / scale(fig))
    assert "(Head 2)" in fig.locator(".attn-math caption").text_content()


#: Pins token ``i`` of the figure (a click, as the reader's), then reports the worked-math panel
#: at once, and again after two frames: a new pin's table waits for the pin's first frame.
PIN_THEN_MATH = """(fig, i) => new Promise(done => {
  const rows = () => fig.querySelectorAll('.attn-math tbody tr').length;
  const token = fig.querySelector(`.attn-token[data-index="${i}"]`);
  token.dispatchEvent(new MouseEvent('click', {bubbles: true}));
  const now = [token.getAttribute('aria-pressed'), rows(), fig.querySelectorAll('.attn-label').length];
  requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(() => done([now, rows()]))));
})"""


def test_worked_math_follows_the_pins_first_frame(lecture) -> None:
    fig = lecture.locator("figure.attn").nth(2)  # toy, causal, two heads: it has the panel
    n = fig.locator(".attn-token").count()
    (pressed, rows_at_once, labels), rows_later = fig.evaluate(PIN_THEN_MATH, 2)
    # The pin itself (pressed, score labels) is drawn in the click; the table comes after.
    assert (pressed, rows_at_once) == ("true", 0)
    assert labels > 0
    assert rows_later == n
    # Hovering other tokens while pinned keeps the same table: nothing about it changed.
    table = fig.locator(".attn-math table").element_handle()
    fig.locator(".attn-token[data-index='0']").hover()
    fig.locator(".attn-token[data-index='1']").hover()
    assert table.evaluate("t => t.isConnected")
    # A head switch while pinned replaces the table in the same click, with the new head's math.
    caption = fig.evaluate("""f => {
      f.querySelector('.attn-head[data-head="1"]').click();
      return f.querySelector('.attn-math caption').textContent;
    }""")
    assert "(Head 2)" in caption
    assert not table.evaluate("t => t.isConnected")
    # Unpinning (a second click) clears the panel at once; a quick pin and unpin leaves no table.
    fig.locator(".attn-token[data-index='2']").click()
    assert fig.locator(".attn-token[aria-pressed='true']").count() == 0
    assert fig.locator(".attn-math *").count() == 0
    fig.evaluate("""f => {
      const t = f.querySelector('.attn-token[data-index="1"]');
      t.dispatchEvent(new MouseEvent('click', {bubbles: true}));
      t.dispatchEvent(new MouseEvent('click', {bubbles: true}));
    }""")
    lecture.evaluate(
        "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => "
        "requestAnimationFrame(r))))"
    )
    assert fig.locator(".attn-math *").count() == 0


def test_layer_and_head_buttons_on_a_file_figure(tmp_path: Path, new_page) -> None:
    rng = np.random.default_rng(7)
    w = rng.dirichlet(np.ones(4), size=(3, 2, 4))
    with built_site(
        tmp_path,
        {"index.md": "# F\n\n```attention\nfile: att.npz\nlayer: [0, 2]\n```\n"},
        PLAIN_THEME_CONFIG,
        files={"docs/att.npz": npz(attention=w, tokens=np.array(["w", "x", "y", "z"]))},
    ) as s:
        url = s.url
        page = new_page(url).page
        page.goto(url + "/")
        fig = page.locator("figure.attn.attn-ready")
        assert fig.locator(".attn-layer").all_text_contents() == ["Layer 0", "Layer 2"]
        assert fig.locator(".attn-head").all_text_contents() == ["Head 0", "Head 1", "All heads"]
        fig.locator(".attn-token[data-index='1']").click()
        assert_edges_equal_row(fig, 1, w[0, 0, 1])
        fig.locator(".attn-layer[data-layer='1']").click()
        assert fig.locator(".attn-layer[data-layer='1']").get_attribute("aria-pressed") == "true"
        assert_edges_equal_row(fig, 1, w[2, 0, 1])
        fig.locator(".attn-head[data-head='1']").click()
        assert_edges_equal_row(fig, 1, w[2, 1, 1])
        values = [float(v) for v in fig.locator(".attn-score-value").all_text_contents()]
        np.testing.assert_allclose(values, w[2, 1, 1], atol=0.005 + 0.5 / scale(fig))
