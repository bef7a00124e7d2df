"""The three views, heads, direction and pruning in a real Chromium, on a Material site.

Weights are hand-written or seeded so each edge can be checked against the matrix; labels are
checked for overlap by their bounding boxes at 9, 40 and 120 tokens with long tokens.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator

import numpy as np
import pytest
from playwright.sync_api import expect

from mkdocs_attention.render.payload import payload_weights
from tests.helpers import MATERIAL_CONFIG, ROOT

from .conftest import Server, built_site
from .reader import changes, frames, in_sight, watch_frames
from .test_widget import assert_edges_equal_row, edges, shown_scores

pytestmark = pytest.mark.browser


WORDS = ("The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog")
LONG = "Pneumonoultramicroscopicsilicovolcanoconiosis-and-then-some"
RNG = np.random.default_rng(2026)
TWO = RNG.dirichlet(np.ones(9) * 0.6, size=(2, 9))  # 2 heads × 9 × 9


def fence(header: str, **options: object) -> str:
    return (
        f"```attention {header}\n"
        + "\n".join(f"{k}: {json.dumps(v)}" for k, v in options.items())
        + "\n```\n\n"
    )


def sentence(n: int) -> list[str]:
    """n tokens with a long one every 13 and some short ones."""
    return [LONG if i % 13 == 5 else f"{WORDS[i % 9]}{i}" for i in range(n)]


def pages() -> dict[str, str]:
    two = [np.round(h, 6).tolist() for h in TWO]
    views = "".join(
        fence(f"{{view={v}}}", tokens=list(WORDS), weights=two, precision=3)
        for v in ("arcs", "lines", "matrix")
    )
    views += fence("{heads=16 dim=64}", text="The quick brown fox jumps over the lazy dog.")
    views += fence("{top_k=2 threshold=0.15}", tokens=list(WORDS), weights=two[0])
    long = ""
    for n in (9, 40, 120):
        for v in ("arcs", "lines", "matrix"):
            long += fence(f"{{view={v}}}", tokens=sentence(n), title=f"{v} {n}")
    big = fence("{view=matrix}", tokens=[f"t{i}" for i in range(512)])
    big += fence("{view=arcs}", tokens=[f"t{i}" for i in range(512)])
    return {"index.md": "# Views\n\n" + views, "long.md": "# Long\n\n" + long, "big.md": "# Big\n\n" + big}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with built_site(tmp_path_factory.mktemp("views"), pages(), MATERIAL_CONFIG) as s:
        yield s


def open_page(site: Server, new_page, path: str = "", **options: object):
    w = new_page(site.url, **{"viewport": {"width": 1280, "height": 900}, **options})
    w.page.goto(f"{site.url}/{path}")
    w.page.wait_for_selector("figure.attn.attn-ready")
    return w.page


def decoded(fig) -> np.ndarray:
    return payload_weights(json.loads(fig.get_attribute("data-attn")))


@pytest.mark.parametrize("n", [0, 1, 2])
def test_each_view_draws_the_row_and_switches_head(site, new_page, n: int) -> None:
    page = open_page(site, new_page)
    fig = page.locator("figure.attn").nth(n)
    assert fig.get_attribute("data-attn-view") == ("arcs", "lines", "matrix")[n]
    fig.locator(".attn-token[data-index='3']").hover()
    assert_edges_equal_row(fig, 3, TWO[0, 3])
    fig.locator(".attn-token[data-index='3']").click()
    fig.locator(".attn-head[data-head='1']").click()
    assert_edges_equal_row(fig, 3, TWO[1, 3])
    values = [float(v) for v in fig.locator(".attn-score-value").all_text_contents()]
    np.testing.assert_allclose(values, TWO[1, 3], atol=0.0005 + 1e-9)
    page.keyboard.press("Escape")
    assert fig.locator(".attn-edge").count() == 0


def test_arrowheads_are_in_their_edges_colour(site, new_page) -> None:
    # A page of one-head figures (no head colours on it): the theme's edge colour.
    page = open_page(site, new_page, "long/")
    fig = page.locator("figure.attn").first
    colours = """(fig) => [...fig.querySelectorAll('.attn-static-edge, .attn-edge')].map(e => {
        const id = e.getAttribute('marker-end').slice(5, -1);
        const head = fig.querySelector('#' + CSS.escape(id) + ' path');
        return [getComputedStyle(e).stroke, getComputedStyle(head).fill];
    })"""
    static = fig.evaluate(colours)  # the build-time edges (shown without the script, in print)
    fig.locator(".attn-token[data-index='3']").hover()
    live = fig.evaluate(colours)
    assert static and live
    assert all(stroke == fill for stroke, fill in static + live), static + live


def test_lines_key_side_shows_who_attends_to_it(site, new_page) -> None:
    fig = open_page(site, new_page).locator("figure.attn").nth(1)
    fig.locator(".attn-key[data-index='2']").hover()
    got = edges(fig)
    assert all(e["dst"] == 2 for e in got)
    assert [e["src"] for e in got] == [j for j in range(9) if round(TWO[0, j, 2], 3) > 0]
    for e in got:
        assert float(e["weight"]) == pytest.approx(TWO[0, e["src"], 2], abs=0.0005)
    assert "attn-active" in fig.locator(".attn-key[data-index='2']").get_attribute("class")


def test_matrix_labels_highlight_rows_and_columns_and_cells_tell_their_weight(site, new_page) -> None:
    page = open_page(site, new_page)
    fig = page.locator("figure.attn").nth(2)
    fig.locator(".attn-key[data-index='4']").hover()
    assert [(e["src"], e["dst"]) for e in edges(fig)] == [
        (j, 4) for j in range(9) if round(TWO[0, j, 4], 3) > 0
    ]
    assert fig.locator(".attn-band").count() == 1
    # Keyboard users reach columns through the direction control: focus a row label, "Attended by".
    fig.locator(".attn-dir[data-dir='in']").click()
    fig.locator(".attn-token[data-index='4']").focus()
    assert [(e["src"], e["dst"]) for e in edges(fig)] == [
        (j, 4) for j in range(9) if round(TWO[0, j, 4], 3) > 0
    ]
    fig.locator(".attn-dir[data-dir='out']").click()
    # The cell (query 6, key 2) under the pointer: its tooltip names both and the weight.
    fig.locator(".attn-heat").scroll_into_view_if_needed()
    box = fig.locator(".attn-heat").bounding_box()
    geo = json.loads(fig.get_attribute("data-attn"))["geo"]
    k = box["width"] / (geo["cell"] * 9)  # CSS px per SVG unit
    page.mouse.move(box["x"] + (2.5 * geo["cell"]) * k, box["y"] + (6.5 * geo["cell"]) * k)
    tip = fig.locator(".attn-tip text")
    assert tip.is_visible()
    assert tip.text_content() == f"the \u2192 brown: {TWO[0, 6, 2]:.3f}"
    page.mouse.click(box["x"] + (2.5 * geo["cell"]) * k, box["y"] + (6.5 * geo["cell"]) * k)
    page.mouse.move(5, 5)
    assert fig.locator(".attn-token[data-index='6']").get_attribute("aria-pressed") == "true"
    assert_edges_equal_row(fig, 6, TWO[0, 6])
    # The heat map canvas holds the current head: opaque where the weight is the figure's largest.
    shade = fig.evaluate("""f => { const c = f.querySelector('.attn-heat-canvas canvas');
        return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data)
          .filter((_, i) => i % 4 === 3); }""")
    w = decoded(fig)  # one scale for the whole figure: white is its strongest weight in any head
    np.testing.assert_allclose(np.array(shade).reshape(9, 9) / 255, w[0, 0] / w.max(), atol=0.5 / 255 + 1e-9)


def test_all_heads_draws_every_head_in_its_own_colour(site, new_page) -> None:
    fig = open_page(site, new_page).locator("figure.attn").nth(3)
    fig.locator(".attn-head[data-head='all']").click()
    fig.locator(".attn-token[data-index='3']").click()
    got = fig.locator(".attn-edge").evaluate_all(
        "els => els.map(e => [+e.dataset.head, +e.dataset.target, e.dataset.weight, getComputedStyle(e).stroke])"
    )
    w = decoded(fig)[0]
    for h in range(16):
        mine = [g for g in got if g[0] == h]
        assert [g[1] for g in mine] == [j for j in range(10) if w[h, 3, j] > 0]
        for g in mine:
            assert float(g[2]) == pytest.approx(w[h, 3, g[1]], abs=1e-5)
    colours = {h: {g[3] for g in got if g[0] == h} for h in range(16)}
    assert all(len(c) == 1 for c in colours.values())
    assert len({c.pop() for c in colours.values()}) == 16
    legend = fig.locator(".attn-head .attn-swatch").evaluate_all(
        "els => els.map(e => getComputedStyle(e).backgroundColor)"
    )
    assert len(set(legend)) == 16
    assert fig.locator(".attn-scores li").first.locator(".attn-score-value").count() == 16


def test_direction_toggle_and_pruning(site, new_page) -> None:
    page = open_page(site, new_page)
    fig = page.locator("figure.attn").nth(4)  # top_k=2 threshold=0.15
    row = np.round(TWO[0, 3], 2)
    fig.locator(".attn-token[data-index='3']").hover()
    strongest = [j for j in np.argsort(-row, kind="stable")[:2] if row[j] >= 0.15]
    assert [e["dst"] for e in edges(fig)] == sorted(strongest)
    # Every score is still listed (a frame after the edges).
    expect(fig.locator(".attn-scores li:visible")).to_have_count(9)
    fig.locator(".attn-dir[data-dir='in']").click()
    assert fig.locator(".attn-dir[data-dir='in']").get_attribute("aria-pressed") == "true"
    fig.locator(".attn-token[data-index='3']").hover()
    col = np.round(TWO[0, :, 3], 2)
    strongest = [j for j in np.argsort(-col, kind="stable")[:2] if col[j] >= 0.15]
    assert [(e["src"], e["dst"]) for e in edges(fig)] == [(j, 3) for j in sorted(strongest)]


def boxes(fig, selector: str) -> list[list[float]]:
    return fig.locator(selector).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })"
    )


def overlaps(a: list[float], b: list[float]) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


@pytest.mark.parametrize("n", [9, 40, 120])
def test_labels_never_overlap_and_the_figure_fits_the_column(site, new_page, n: int) -> None:
    page = open_page(site, new_page, "long/")
    column = page.locator("article").bounding_box()
    assert page.evaluate("document.scrollingElement.scrollWidth <= innerWidth")
    for v in ("arcs", "lines", "matrix"):
        fig = page.locator("figure.attn", has=page.locator(f"figcaption:text-is('{v} {n}')"))
        fb = fig.bounding_box()
        assert fb["x"] >= column["x"] - 1 and fb["x"] + fb["width"] <= column["x"] + column["width"] + 1
        if n == 120 and v != "matrix":  # too long for the column: arcs scroll sideways, lines down
            sw, cw, sh, ch = fig.locator(".attn-scroll").evaluate(
                "s => [s.scrollWidth, s.clientWidth, s.scrollHeight, s.clientHeight]"
            )
            assert sw > cw if v == "arcs" else sh > ch, (v, sw, cw, sh, ch)
        for i in sorted({0, 5, n // 2, n - 1}):
            tok = fig.locator(f".attn-token[data-index='{i}']")
            tok.focus()  # pin by keyboard: clicks are tested elsewhere, geometry is tested here
            page.keyboard.press("Enter")
            assert tok.get_attribute("aria-pressed") == "true"
            labels = boxes(fig, ".attn-label")
            if v != "matrix":
                assert len(labels) == n
            tokens = boxes(fig, ".attn-token-box")
            for a, la in enumerate(labels):
                assert not any(overlaps(la, lb) for lb in labels[a + 1 :]), (v, n, i, la)
                assert not any(overlaps(la, t) for t in tokens), (v, n, i, la)
            page.keyboard.press("Enter")  # unpin
        long = fig.locator(".attn-token.attn-long").first
        assert long.text_content() == LONG  # the element's text is the whole token
        long.focus()
        assert fig.locator(".attn-tip text").text_content() == LONG
        # The text is cut by its nested <svg> viewport, which lies inside the token's box.
        box, clip = (
            long.locator(sel).evaluate("e => ['x', 'y', 'width', 'height'].map(a => +e.getAttribute(a))")
            for sel in (".attn-token-box", ".attn-clip")
        )
        assert box[0] - 0.01 <= clip[0] and clip[0] + clip[2] <= box[0] + box[2] + 0.01
        assert box[1] - 0.01 <= clip[1] and clip[1] + clip[3] <= box[1] + box[3] + 0.01


def test_a_clicked_long_tokens_tip_leaves_with_the_pointer(site, new_page) -> None:
    """With a mouse the whole text shows while the pointer is on the token; pinned, it does not
    stay over the next tokens once the pointer has left."""
    page = open_page(site, new_page, "long/")
    fig = page.locator("figure.attn").nth(0)
    tip = fig.locator(".attn-tip")
    long = fig.locator(".attn-token.attn-long").first
    box = long.locator(".attn-token-box")  # the element's own box also holds its clipped text
    box.hover()
    assert tip.is_visible() and tip.locator("text").text_content() == LONG
    box.click()
    assert long.get_attribute("aria-pressed") == "true" and tip.is_visible()
    page.mouse.move(1, 1)
    assert long.get_attribute("aria-pressed") == "true" and not tip.is_visible()
    box.hover()
    assert tip.is_visible()


def test_a_tapped_long_token_shows_its_whole_text(site, new_page) -> None:
    """Touch has no hover: the tip with a long token's whole text follows the pin instead."""
    page = open_page(
        site, new_page, "long/", viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    fig = page.locator("figure.attn").nth(0)
    tip = fig.locator(".attn-tip")
    long = fig.locator(".attn-token.attn-long").first
    box = long.locator(".attn-token-box")  # the element's own box also holds its clipped text
    box.scroll_into_view_if_needed()
    box.tap()
    assert long.get_attribute("aria-pressed") == "true"
    assert tip.is_visible() and tip.locator("text").text_content() == LONG
    box.tap()
    assert long.get_attribute("aria-pressed") == "false"
    assert not tip.is_visible()


def test_a_512_token_matrix_renders_and_responds(site, new_page) -> None:
    page = open_page(site, new_page, "big/")
    fig = page.locator("figure.attn").nth(0)
    assert fig.locator(".attn-heat-canvas canvas").evaluate("c => [c.width, c.height]") == [512, 512]
    assert fig.locator(".attn-static-heat").count() == 0  # too big to draw at build time
    # Render time: mount a fresh copy of the figure and wait for the frame after it.
    ms = page.evaluate("""() => new Promise(done => {
        const copy = document.querySelector('figure.attn').cloneNode(true);
        copy.id = 'attn-copy'; document.querySelector('article').appendChild(copy);
        const t0 = performance.now(); window.mkdocsAttention.mount(copy.parentNode);
        requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0)); })""")
    print(f"\n512-token matrix: mount + first frame {ms:.1f} ms")
    fig.locator(".attn-token[data-index='300']").click()
    assert_edges_equal_row(fig, 300, decoded(fig)[0, 0, 300])
    assert fig.locator(".attn-scores li").count() == 512
    arcs = page.locator("figure.attn").nth(1)
    start = time.perf_counter()
    arcs.locator(".attn-token[data-index='256']").hover()
    assert arcs.locator(".attn-edge").count() == int((decoded(arcs)[0, 0, 256] > 0).sum())
    assert all(e["src"] == 256 for e in edges(arcs))
    print(f"512-token arcs: hover to edges via Playwright {1000 * (time.perf_counter() - start):.0f} ms")


def test_moving_between_tokens_at_512_shows_one_whole_row_in_every_frame(site, new_page) -> None:
    """Moving from one token to another at 512 tokens: every frame shows one token highlighted
    with all of its edges, and the whole score list, never emptied between nor a mix of the two
    rows; the list catches up with the edges a frame or two later, and nothing goes back."""
    page = open_page(site, new_page, "big/")
    arcs = page.locator("figure.attn").nth(1)
    w = decoded(arcs)[0, 0]
    rows = {i: [[i, j] for j in range(512) if w[i, j] > 0] for i in (256, 300)}
    scores = {i: [f"{v:.2f}" for v in w[i]] for i in (256, 300)}
    arcs.locator(".attn-token[data-index='256']").hover()
    expect(arcs.locator(".attn-scores li:visible")).to_have_count(512)
    watch_frames(arcs)
    arcs.locator(".attn-token[data-index='300']").hover()
    expect(arcs.locator(".attn-scores li[data-index='300'] .attn-score-value")).to_have_text(scores[300][300])
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    seen = frames(page)
    for shown in seen:
        assert shown["active"] in ([256], [300]), shown["active"]
        assert [e[:2] for e in shown["edges"]] == rows[shown["active"][0]]
        assert shown["scores"] in (scores[256], scores[300])
    assert changes([s["active"] for s in seen]) == [[256], [300]]
    assert changes([s["scores"] for s in seen]) == [scores[256], scores[300]]
    assert [v for _, v in shown_scores(arcs)] == scores[300]
    assert_edges_equal_row(arcs, 300, w[300])


def test_a_pin_at_512_tokens_shows_its_own_score_labels(site, new_page) -> None:
    """A pin shows its row's score labels; unpinned, none shows and they are out of the
    accessibility tree; the next pin shows its own values where the reader looks from its first
    frame on, never the last pin's, and every label by the time the list is written."""
    page = open_page(site, new_page, "big/")
    arcs = page.locator("figure.attn").nth(1)
    w = decoded(arcs)[0, 0]
    shown = "els => els.filter(e => e.checkVisibility({opacityProperty: true})).map(e => e.textContent)"
    assert arcs.locator(".attn-labels").get_attribute("aria-hidden") == "true"
    arcs.locator(".attn-token[data-index='256']").click()
    assert arcs.locator(".attn-label").evaluate_all(shown) == [f"{v:.2f}" for v in w[256]]
    arcs.locator(".attn-token[data-index='256']").click()  # unpin: no label shows
    assert arcs.locator(".attn-label").evaluate_all(shown) == []
    assert arcs.locator(".attn-labels").get_attribute("aria-hidden") == "true"
    token = arcs.locator(".attn-token[data-index='300']")
    token.scroll_into_view_if_needed()
    sight = in_sight(arcs)
    assert len(sight) >= 4 and 300 in sight
    watch_frames(arcs)
    token.click()
    expect(token).to_have_attribute("aria-pressed", "true")
    expect(arcs.locator(".attn-scores li").last).to_be_visible()
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    seen = frames(page)
    assert seen[0]["pressed"] == [] and seen[0]["labels"] == {}
    pinned = [s for s in seen if s["pressed"] == [300]]
    assert pinned and seen[-1] is pinned[-1]
    for s in seen:
        assert s["pressed"] in ([], [300])
        if s["pressed"]:
            assert all(s["labels"].get(str(j)) == f"{w[300, j]:.2f}" for j in sight), s["labels"]
            assert [e[:2] for e in s["edges"]] == [[300, j] for j in range(512) if w[300, j] > 0]
        else:
            assert s["labels"] == {}
    assert arcs.locator(".attn-label").evaluate_all(shown) == [f"{v:.2f}" for v in w[300]]
    assert [e["dst"] for e in edges(arcs)] == [j for j in range(512) if w[300, j] > 0]


def test_a_tap_at_512_tokens_writes_the_labels_in_sight_first(site, new_page) -> None:
    """On a phone a tap's first frame writes only the score labels in sight (with half a screen
    to spare); the others, scrolled out of view, follow with the score list, and then every
    label is right."""
    page = open_page(
        site, new_page, "big/", viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    arcs = page.locator("figure.attn").nth(1)
    w = decoded(arcs)[0, 0]
    token = arcs.locator(".attn-token[data-index='300']")
    token.scroll_into_view_if_needed()
    # after the widget's own click handler: what the first frame will show
    arcs.evaluate("""f => window.addEventListener('click', () => {
        const right = [...f.querySelectorAll('.attn-label')].map(l => [+l.dataset.index, l.textContent]);
        const r = f.querySelector('.attn-scroll').getBoundingClientRect();
        const seen = [...f.querySelectorAll('.attn-token')].filter(t => {
          const b = t.getBoundingClientRect(); return b.right > r.left && b.left < r.right; })
          .map(t => +t.dataset.index);
        window.__first = {labels: right, seen: seen};
    }, {once: true})""")
    token.tap()
    first = page.evaluate("window.__first")
    written = dict(first["labels"])
    assert len(first["seen"]) >= 4 and 300 in first["seen"]
    assert all(written.get(j) == f"{w[300, j]:.2f}" for j in first["seen"]), first
    assert len(written) < 100  # the rest wait for the list
    expect(arcs.locator(".attn-scores li").last).to_be_visible()
    # (the labels made later come later in the document: read them by index)
    shown = """els => els.filter(e => e.checkVisibility({opacityProperty: true}))
        .sort((a, b) => a.dataset.index - b.dataset.index).map(e => e.textContent)"""
    assert arcs.locator(".attn-label").evaluate_all(shown) == [f"{v:.2f}" for v in w[300]]
    # a second tap elsewhere rewrites the labels in sight at once, and all of them by the list
    arcs.evaluate("""f => window.addEventListener('click', () => {
        window.__second = Object.fromEntries([...f.querySelectorAll('.attn-label')]
          .map(l => [l.dataset.index, l.textContent])); }, {once: true})""")
    other = arcs.locator(".attn-token[data-index='302']")
    other.tap()
    second = page.evaluate("window.__second")
    assert all(second[str(j)] == f"{w[302, j]:.2f}" for j in first["seen"]), second
    expect(arcs.locator(".attn-scores li").last).to_be_visible()
    first_label = arcs.locator(".attn-label[data-index='0']")
    expect(first_label).to_have_text(f"{w[302, 0]:.2f}")
    assert arcs.locator(".attn-label").evaluate_all(shown) == [f"{v:.2f}" for v in w[302]]


def test_a_head_switch_shows_the_legend_without_a_class_change_on_the_figure(site, new_page) -> None:
    """ "All heads" shows each head's colour on its button; the figure's class stays as it is (a class
    change would restyle the whole figure)."""
    fig = open_page(site, new_page).locator("figure.attn").nth(3)
    swatches = fig.locator(".attn-head .attn-swatch")

    def legend() -> list[bool]:
        return swatches.evaluate_all("els => els.map(e => e.checkVisibility())")

    cls = fig.get_attribute("class")
    assert legend() == [False] * 16
    fig.locator(".attn-head[data-head='all']").click()
    assert legend() == [True] * 16 and fig.get_attribute("class") == cls
    fig.locator(".attn-head[data-head='2']").click()
    assert legend() == [False] * 16 and fig.get_attribute("class") == cls


@pytest.mark.parametrize("view", ["arcs", "lines", "matrix"])
def test_views_screenshots(example_server, new_page, view: str) -> None:
    """docs/assets/view-*.png come from the example site; UPDATE_SCREENSHOTS=1 refreshes them."""
    w = new_page(example_server.url, viewport={"width": 1100, "height": 900})
    w.page.goto(example_server.url + "/views/")
    fig = w.page.locator(f"figure.attn.attn-ready[data-attn-view='{view}']").first
    fig.locator(".attn-token[data-index='7']").click()  # "it"
    w.page.mouse.move(1, 1)
    assert fig.locator(".attn-edge").count() > 0
    fig.evaluate("f => f.scrollIntoView({block: 'center'})")
    out = ROOT / "tests" / "browser" / "artifacts"
    out.mkdir(parents=True, exist_ok=True)
    fig.screenshot(path=str(out / f"view-{view}.png"), animations="disabled")
    assert (out / f"view-{view}.png").stat().st_size > 5000
    if os.environ.get("UPDATE_SCREENSHOTS"):
        shutil.copy(out / f"view-{view}.png", ROOT / "docs" / "assets" / f"view-{view}.png")


def test_without_javascript_lines_and_matrix_still_show_the_weights(site, new_page) -> None:
    w = new_page(site.url, viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    w.page.goto(site.url + "/")
    lines, matrix = w.page.locator("figure.attn").nth(1), w.page.locator("figure.attn").nth(2)
    assert "attn-ready" not in lines.get_attribute("class")
    focus = int(lines.locator(".attn-token.attn-focus").get_attribute("data-index"))
    shown = lines.locator(".attn-static-edge").evaluate_all(
        "els => els.filter(e => e.getBoundingClientRect().width > 0).length"
    )
    assert shown == int((np.round(TWO[0, focus], 3) > 0).sum())
    assert lines.locator(".attn-static-label").all_text_contents() == [f"{v:.3f}" for v in TWO[0, focus]]
    # The matrix: one path per shade, every visible cell accounted for, darker = heavier.
    cells = matrix.locator(".attn-static-heat path").evaluate_all(
        "els => els.map(e => [+e.getAttribute('fill-opacity'), (e.getAttribute('d').match(/M/g) || []).length,"
        " e.getBoundingClientRect().width > 0])"
    )
    w = np.round(TWO, 3)  # one scale for the figure, as with the script's heat map
    assert sum(c[1] for c in cells) == int((np.rint(w[0] / w.max() * 20) > 0).sum())
    assert all(c[2] for c in cells)
