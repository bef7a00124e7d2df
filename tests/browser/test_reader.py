"""Every reader of the example course: keyboard, screen reader (names, live region, table,
axe-core), touch on a 375-px phone, and no JavaScript at all."""

from __future__ import annotations

import json

import numpy as np
import pytest
from playwright.sync_api import expect

from .reader import (
    ARTIFACTS,
    HAND,
    HAND_TOKENS,
    assert_legible,
    changes,
    frames,
    nav_paths,
    run_axe,
    screenshot,
    watch_frames,
)
from .test_widget import assert_edges_equal_row

pytestmark = pytest.mark.browser

PAGES = nav_paths()
#: Material's own footer line ("Made with Material for MkDocs") is 4.47:1 in the light scheme,
#: just under 4.5: the theme's, not ours, so that one element is left out of the axe context.
#: Everything else on the page, figures included, is checked.
AXE_CONTEXT = {"exclude": [[".md-copyright"]]}


@pytest.fixture
def lecture(example_server, new_page):
    page = new_page(example_server.url, viewport={"width": 1280, "height": 900}).page
    page.goto(example_server.url + "/self-attention/")
    page.wait_for_selector("figure.attn.attn-ready")
    return page


def active(page) -> dict:
    """Where keyboard focus is: figure number, token index, or the element's tag."""
    return page.evaluate("""() => { const a = document.activeElement;
        const f = a.closest && a.closest('figure.attn');
        return {figure: f ? Array.from(document.querySelectorAll('figure.attn')).indexOf(f) : -1,
                token: a.classList && a.classList.contains('attn-token') ? +a.dataset.index : -1,
                tag: a.tagName}; }""")


def test_tab_reaches_every_figure_with_a_visible_focus_ring(lecture) -> None:
    reached, seen_first = set(), False
    for _ in range(200):
        lecture.keyboard.press("Tab")
        where = active(lecture)
        if where["token"] >= 0:
            assert where["token"] == 0  # the roving stop of an untouched figure is its first token
            reached.add(where["figure"])
            if not seen_first:
                seen_first = True
                fig = lecture.locator("figure.attn").nth(where["figure"])
                box = fig.locator(".attn-token[data-index='0'] .attn-token-box")
                ring = box.evaluate(
                    "b => { const s = getComputedStyle(b); return [s.strokeWidth, s.strokeDasharray]; }"
                )
                assert ring[0] == "3px" and ring[1] != "none"
                m = assert_legible(fig)  # focus shows the token's edges; the ring is ≥ 3:1
                assert any(p["what"].startswith("outline of") for p in m["pairs"])
        if len(reached) == 3:
            break
    assert reached == {0, 1, 2}


def test_roving_tabindex_arrows_enter_space_escape(lecture) -> None:
    fig = lecture.locator("figure.attn").nth(1)
    fig.locator(".attn-token[data-index='0']").focus()
    for key, expected in (
        ("ArrowRight", 1),
        ("ArrowDown", 2),
        ("End", 8),
        ("ArrowRight", 8),
        ("Home", 0),
        ("ArrowLeft", 0),
        ("ArrowRight", 1),
        ("ArrowRight", 2),
        ("ArrowRight", 3),
    ):
        lecture.keyboard.press(key)
        assert active(lecture) == {"figure": 1, "token": expected, "tag": "g"}
        tabbable = fig.locator(".attn-token").evaluate_all("ts => ts.map(t => t.getAttribute('tabindex'))")
        assert tabbable == ["0" if i == expected else "-1" for i in range(9)]
    # Leaving with Tab and coming back with Shift+Tab lands on the token the reader left.
    lecture.keyboard.press("Tab")
    assert active(lecture)["token"] == -1
    lecture.keyboard.press("Shift+Tab")
    assert active(lecture) == {"figure": 1, "token": 3, "tag": "g"}
    fox = fig.locator(".attn-token[data-index='3']")
    status = fig.locator(".attn-status")
    lecture.keyboard.press("Enter")
    assert fox.get_attribute("aria-pressed") == "true"
    assert status.text_content() == "fox attends most to quick 0.45, brown 0.40, fox 0.10."
    lecture.keyboard.press("Space")
    assert fox.get_attribute("aria-pressed") == "false" and status.text_content() == ""
    lecture.keyboard.press(" ")
    assert fox.get_attribute("aria-pressed") == "true"
    lecture.keyboard.press("Escape")
    assert fig.locator(".attn-token[aria-pressed='true']").count() == 0
    assert status.text_content() == ""


def test_accessible_names_live_region_and_table(lecture) -> None:
    """What a screen reader gets: named figures, token buttons, an announcement, a table."""
    hand = lecture.get_by_role("figure", name='What "fox" should look at')
    assert hand.count() == 1
    assert hand.get_attribute("aria-describedby") == hand.locator(".attn-caption").get_attribute("id")
    toy = lecture.get_by_role("figure", name="Attention over: The quick brown fox jumps over the lazy dog .")
    assert toy.count() == 1
    assert lecture.get_by_role("figure", name="A causal layer with two heads").count() == 1
    buttons = hand.locator("svg").get_by_role("button")
    assert buttons.all_text_contents() == HAND_TOKENS
    fox = hand.get_by_role("button", name="fox", exact=True)
    assert fox.get_attribute("aria-pressed") == "false"
    fox.focus()
    lecture.keyboard.press("Enter")
    live = hand.get_by_role("status")
    assert live.get_attribute("aria-live") == "polite"
    assert live.text_content() == "fox attends most to quick 0.45, brown 0.40, fox 0.10."
    hand.get_by_text("Scores as a table").click()
    table = hand.get_by_role("table")
    assert table.is_visible()
    cols = table.locator("thead th[scope='col']").all_text_contents()
    rows = table.locator("tbody tr").evaluate_all(
        "rs => rs.map(r => [r.querySelector('th[scope=row]').textContent,"
        " Array.from(r.querySelectorAll('td')).map(td => +td.textContent)])"
    )
    assert cols == HAND_TOKENS and [r[0] for r in rows] == HAND_TOKENS
    np.testing.assert_allclose([r[1] for r in rows], HAND, atol=1e-9)


AXE_RESULTS: dict[str, int] = {}


def record_axe(name: str, violations: list[dict]) -> None:
    AXE_RESULTS[name] = len(violations)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "axe.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**old, **AXE_RESULTS}, indent=1, sort_keys=True))


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_axe_wcag21_aa_before_and_after_pinning(example_server, new_page, path: str, scheme: str) -> None:
    page = new_page(example_server.url, viewport={"width": 1280, "height": 900}, color_scheme=scheme).page
    page.goto(example_server.url + path)
    expected = "slate" if scheme == "dark" else "default"
    assert page.evaluate("() => document.body.dataset.mdColorScheme") == expected
    before = run_axe(page, AXE_CONTEXT)
    record_axe(f"{path} {scheme} before", before)
    assert before == []
    figs = page.locator("figure.attn")
    if figs.count() == 0:
        return  # nothing to pin on this page
    for i in range(figs.count()):
        fig = figs.nth(i)
        token = fig.locator(".attn-token[data-index='1']")
        if token.get_attribute("aria-pressed") != "true":  # a synced figure pinned it already
            token.click()
        fig.locator("details.attn-data > summary").click()
    page.mouse.move(1, 1)
    assert page.locator("[aria-pressed='true'].attn-token").count() == figs.count()
    after = run_axe(page)  # only the figures changed: check them again, not the whole page
    record_axe(f"{path} {scheme} pinned", after)
    assert after == []


def test_phone_tap_pins_and_only_the_figure_scrolls(example_server, new_page) -> None:
    """375 px wide, touch: a tap pins, the page never scrolls sideways, wide figures scroll
    inside themselves."""
    page = new_page(
        example_server.url,
        viewport={"width": 375, "height": 740},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
    ).page
    page.goto(example_server.url + "/self-attention/")
    figs = page.locator("figure.attn.attn-ready")
    assert figs.count() == 4
    fig = figs.nth(1)
    fox = fig.locator(".attn-token[data-index='3']")
    fox.scroll_into_view_if_needed()
    fox.tap()
    assert fox.get_attribute("aria-pressed") == "true"
    assert fig.locator(".attn-edge").count() == 4
    # a tap's score list follows its first frame, as a hover's does
    expect(fig.locator(".attn-scores li").last).to_be_visible()
    assert fig.locator(".attn-score-value").all_text_contents() == [f"{w:.2f}" for w in HAND[3]]
    fig.locator(".attn-token[data-index='1']").tap()
    assert fox.get_attribute("aria-pressed") == "false"
    fig.locator(".attn-token[data-index='1']").tap()
    assert fig.locator(".attn-token[aria-pressed='true']").count() == 0
    fox.tap()
    sizes = page.evaluate("""() => ({page: document.scrollingElement.scrollWidth, inner: innerWidth,
        figs: Array.from(document.querySelectorAll('.attn-scroll')).map(s =>
          ({scroll: s.scrollWidth, client: s.clientWidth, overflow: getComputedStyle(s).overflowX,
            right: s.getBoundingClientRect().right}))})""")
    assert sizes["page"] <= sizes["inner"] == 375, sizes
    assert all(f["right"] <= 375 for f in sizes["figs"]), sizes
    wide = [i for i, f in enumerate(sizes["figs"]) if f["scroll"] > f["client"]]
    assert wide, "no figure is wider than the phone: the test would prove nothing"
    scroller = page.locator(".attn-scroll").nth(wide[0])
    assert sizes["figs"][wide[0]]["overflow"] == "auto"
    scroller.evaluate("s => { s.scrollLeft = 80; }")
    assert scroller.evaluate("s => s.scrollLeft") > 0
    assert page.evaluate("() => document.scrollingElement.scrollLeft") == 0
    scroller.evaluate("s => { s.scrollLeft = 0; }")
    fig.scroll_into_view_if_needed()
    screenshot(page, "reader-phone.png")


def test_a_tap_shows_the_pins_edges_in_every_frame_until_the_next_tap(example_server, new_page) -> None:
    """Touch has no hover: from a tap on, every frame shows the tapped token pressed with its
    edges, never an empty or another token's figure between (as a hover cleared when the
    finger lifts and hovered again by the focus would show); a second tap clears them for good."""
    page = new_page(
        example_server.url,
        viewport={"width": 375, "height": 740},
        has_touch=True,
        is_mobile=True,
        device_scale_factor=2,
    ).page
    page.goto(example_server.url + "/self-attention/")
    fig = page.locator("figure.attn.attn-ready").nth(1)
    fox = fig.locator(".attn-token[data-index='3']")
    fox.scroll_into_view_if_needed()
    row = [[3, j] for j in range(len(HAND_TOKENS)) if HAND[3, j] > 0]

    def drawn(seen: list[dict]) -> list[list[list[int]]]:
        return changes([[e[:2] for e in s["edges"]] for s in seen])

    watch_frames(fig)
    fox.tap()
    expect(fox).to_have_attribute("aria-pressed", "true")
    page.wait_for_timeout(300)  # the mouse events a tap fires after it, and the focus
    seen = frames(page)
    assert drawn(seen) == [[], row]
    assert changes([s["pressed"] for s in seen]) == [[], [3]]
    assert len(row) == 4
    assert_edges_equal_row(fig, 3, HAND[3])
    watch_frames(fig)
    fox.tap()  # unpins and clears
    expect(fox).to_have_attribute("aria-pressed", "false")
    page.wait_for_timeout(300)
    seen = frames(page)
    assert drawn(seen) == [row, []]
    assert changes([s["pressed"] for s in seen]) == [[3], []]
    # the keys still move the focus and draw, once the tap is a second old
    page.wait_for_timeout(1100)
    page.keyboard.press("ArrowRight")
    assert fig.locator(".attn-token[data-index='4']").evaluate("t => t === document.activeElement")
    assert fig.locator(".attn-edge").count() == int((HAND[4] > 0).sum())
    page.keyboard.press("Escape")
    # a mouse still hovers
    fox.hover()
    assert fig.locator(".attn-edge").count() == 4
    page.mouse.move(1, 1)
    assert fig.locator(".attn-edge").count() == 0


def test_the_highlight_fades_only_where_a_pointer_hovers(example_server, new_page) -> None:
    """The token highlight's fade repaints the page on each of its frames: kept for a mouse,
    left out on touch screens (a slow phone spent ~150 ms of main thread per tap on it)."""
    durations = {}
    for name, options in (("mouse", {}), ("touch", {"has_touch": True, "is_mobile": True})):
        page = new_page(example_server.url, viewport={"width": 390, "height": 800}, **options).page
        page.goto(example_server.url + "/self-attention/")
        box = page.locator("figure.attn.attn-ready .attn-token-box").first
        durations[name] = (
            page.evaluate("matchMedia('(hover: hover)').matches"),
            box.evaluate("b => getComputedStyle(b).transitionDuration"),
        )
    assert durations == {"mouse": (True, "0.15s, 0.15s"), "touch": (False, "0s")}


def test_without_javascript_the_focus_edges_and_table_remain(example_server, new_page) -> None:
    page = new_page(example_server.url, java_script_enabled=False).page
    page.goto(example_server.url + "/self-attention/")
    fig = page.locator("figure.attn").nth(1)
    assert "attn-ready" not in fig.get_attribute("class")
    focus = int(fig.locator(".attn-focus").get_attribute("data-index"))
    row = HAND[focus]
    assert fig.locator(".attn-static").is_visible()
    widths = fig.locator(".attn-static-edge").evaluate_all(
        "es => es.map(e => +e.getAttribute('stroke-width'))"
    )
    assert len(widths) == int((row > 0).sum())
    np.testing.assert_allclose(np.array(widths) / max(widths), row[row > 0] / row.max(), atol=0.02)
    assert fig.locator(".attn-static-label").all_text_contents() == [f"{w:.2f}" for w in row]
    ring = fig.locator(".attn-focus .attn-token-box").evaluate("b => getComputedStyle(b).strokeWidth")
    assert ring == "2.5px"
    assert_legible(fig)
    assert page.locator("figure.attn").nth(2).locator(".attn-controls").is_hidden()
    fig.get_by_text("Scores as a table").click()  # <details> needs no script
    table = fig.locator("table.attn-table")
    assert table.is_visible()
    cells = table.locator("tbody td").all_text_contents()
    assert cells == [f"{w:.2f}" for w in HAND.ravel()]
