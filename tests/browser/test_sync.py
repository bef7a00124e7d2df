"""Synced figures in Chromium: hover, pin, head, layer and direction in one figure happen in the
others with the same ``sync`` name (two and three figures), where the token or control exists;
figures without the name, or with another, are left alone."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import numpy as np
import pytest

from tests.helpers import MATERIAL_CONFIG, ROOT

from .conftest import Server, built_site, npy
from .reader import ARTIFACTS
from .test_widget import edges

pytestmark = pytest.mark.browser

SENTENCE = "The cat sat on the mat because it was tired ."
SHORT = "The cat sat ."


def fence(text: str, extra: str) -> str:
    return f"```attention\ntext: {text}\nheads: 2\n{extra}```\n"


PAGE = "\n\n".join(
    [
        "# Synced",
        fence(SENTENCE, "id: a\nsync: masks\n"),
        fence(SENTENCE, "id: b\ncausal: true\nsync: masks\n"),
        fence(SHORT, "id: c\nsync: masks\nview: lines\n"),
        fence(SENTENCE, "id: alone\n"),
        fence(SENTENCE, "id: other\nsync: pair\n"),
    ]
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with built_site(tmp_path_factory.mktemp("sync"), {"index.md": PAGE}, MATERIAL_CONFIG) as s:
        yield s


def view(page, fig_id: str) -> dict:
    return page.evaluate(
        """id => { const f = document.getElementById(id);
        const on = s => { const e = f.querySelector(s); return e ? +e.dataset.index : null; };
        const pressed = k => { const e = f.querySelector(`.attn-${k}[aria-pressed="true"]`);
                                return e ? e.getAttribute('data-' + k) : null; };
        return {active: on('.attn-token.attn-active'), pinned: on('.attn-token.attn-pinned'),
                head: pressed('head'), dir: pressed('dir'), edges: f.querySelectorAll('.attn-edge').length}; }""",
        fig_id,
    )


def test_hover_pin_head_and_direction_follow_in_synced_figures_only(site, new_page) -> None:
    page = new_page(site.url, viewport={"width": 1200, "height": 2400}).page
    page.goto(site.url + "/")
    page.wait_for_function("() => document.querySelectorAll('figure.attn.attn-ready').length === 5")
    page.locator("#a .attn-token[data-index='7']").hover()  # "it"
    assert view(page, "a")["active"] == 7 and view(page, "b")["active"] == 7
    assert view(page, "c")["active"] is None  # four tokens: no "it" there
    assert view(page, "alone")["active"] is None and view(page, "other")["active"] is None
    # each figure draws its own row: the causal one only to "it" and before
    targets = {f: [e["dst"] for e in edges(page.locator(f"#{f}"))] for f in ("a", "b")}
    assert max(targets["b"]) <= 7 < max(targets["a"])
    b = np.array([e["weight"] for e in edges(page.locator("#b"))], dtype=float)
    assert b.sum() == pytest.approx(1, abs=0.02)
    page.locator("#b .attn-token[data-index='2']").click()  # pin "sat" in the causal figure
    page.mouse.move(1, 1)
    top, bottom = (page.locator(f"#{f}").bounding_box() for f in ("a", "b"))
    page.screenshot(
        path=str(ARTIFACTS / "sync.png"),
        clip={  # the two synced sentences
            "x": top["x"],
            "y": top["y"],
            "width": top["width"],
            "height": bottom["y"] + bottom["height"] - top["y"],
        },
    )
    if os.environ.get("UPDATE_SCREENSHOTS"):
        shutil.copy(ARTIFACTS / "sync.png", ROOT / "docs" / "assets" / "sync.png")
    assert [view(page, f)["pinned"] for f in ("a", "b", "c", "alone", "other")] == [2, 2, 2, None, None]
    page.locator("#c .attn-head[data-head='1']").click()
    assert [view(page, f)["head"] for f in ("a", "b", "c", "alone", "other")] == ["1", "1", "1", "0", "0"]
    page.locator("#a .attn-dir[data-dir='in']").click()
    assert [view(page, f)["dir"] for f in ("a", "b", "c", "alone")] == ["in", "in", "in", "out"]
    page.locator("#a .attn-token[data-index='2']").focus()
    page.keyboard.press("Escape")
    assert [view(page, f)["pinned"] for f in ("a", "b", "c")] == [None, None, None]


def test_an_unsynced_figure_does_not_drive_the_others(site, new_page) -> None:
    page = new_page(site.url, viewport={"width": 1200, "height": 2400}).page
    page.goto(site.url + "/")
    page.wait_for_function("() => document.querySelectorAll('figure.attn.attn-ready').length === 5")
    page.locator("#alone .attn-token[data-index='3']").click()
    page.locator("#other .attn-head[data-head='1']").click()
    assert [view(page, f)["pinned"] for f in ("a", "b", "c", "alone", "other")] == [None, None, None, 3, None]
    assert [view(page, f)["head"] for f in ("a", "b", "c", "alone", "other")] == ["0", "0", "0", "0", "1"]


def test_a_thumbnail_switches_the_synced_figures(tmp_path, new_page) -> None:
    """An overview thumbnail (layer and head at once) moves the figures of its group that have
    that layer and head; one with fewer layers follows as far as it can (the head), one layer
    with no layer buttons included."""
    rng = np.random.default_rng(8)
    data = {}
    for name, shape in (("big", (3, 2, 4, 4)), ("small", (1, 2, 4, 4))):
        w = rng.random(shape)
        data[f"docs/{name}.npy"] = npy(w / w.sum(-1, keepdims=True))
    page_text = "# Thumbs\n\n" + "\n".join(
        f"```attention\nid: {name}\nfile: {name}.npy\ntokens: [a, b, c, d]\nsync: models\n```\n"
        for name in ("big", "small")
    )
    with built_site(tmp_path, {"index.md": page_text}, MATERIAL_CONFIG, files=data) as s:
        url = s.url
        page = new_page(url, viewport={"width": 1200, "height": 1600}).page
        page.goto(url + "/")
        page.wait_for_function("() => document.querySelectorAll('figure.attn.attn-ready').length === 2")
        page.locator("#big .attn-thumb[data-layer='2'][data-head='1']").click()
        pressed = page.evaluate("""() => ['big', 'small'].map(id => ['layer', 'head'].map(k => {
            const e = document.querySelector(`#${id} .attn-${k}[aria-pressed="true"]`);
            return e ? e.getAttribute('data-' + k) : null; }))""")
        assert pressed == [["2", "1"], [None, "1"]]  # "small" has no layer 2: its head follows
        page.locator("#big .attn-thumb[data-layer='0'][data-head='0']").click()
        pressed = page.evaluate("""() => ['big', 'small'].map(id =>
            document.querySelector(`#${id} .attn-head[aria-pressed="true"]`).getAttribute('data-head'))""")
        assert pressed == ["0", "0"]
        page.locator("#small .attn-head[data-head='1']").click()  # and back, from the one-layer figure
        assert page.locator("#big .attn-head[aria-pressed='true']").get_attribute("data-head") == "1"
