"""Material's instant navigation (``navigation.instant`` + ``.prefetch``, as the example site
uses): pages reached without a reload mount their figures, and going back and forth never
binds a figure twice (one hover → exactly its row of edges, one click → one toggle).

Material only navigates instantly to URLs of its sitemap, which are built from ``site_url``
(it rewrites their scheme and host, not the port): so the site is built for the very address
the test serves it at, under ``/course/`` like a project site.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from playwright.sync_api import expect

from mkdocs_attention.sources.toy import toy_attention
from tests.helpers import EXAMPLE_ELSEWHERE

from .conftest import Server, built_site
from .reader import HAND

pytestmark = pytest.mark.browser

FOX = ("The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", ".")


def edge_targets(fig) -> list[tuple[int, int]]:
    pairs = fig.locator(".attn-edge").evaluate_all(
        "es => es.map(e => [+e.dataset.source, +e.dataset.target])"
    )
    return [tuple(p) for p in pairs]


def check_figures_work(page) -> None:
    """Every figure is mounted once; hover and click do exactly one thing each."""
    figs = page.locator("figure.attn")
    assert figs.count() == 4 and page.locator("figure.attn.attn-ready").count() == 4
    toy, hand = figs.nth(0), figs.nth(1)
    toy.locator(".attn-token[data-index='4']").hover()
    row = toy_attention(FOX).weights[0, 0, 4]
    assert edge_targets(toy) == [(4, j) for j in range(10) if row[j] > 0]
    fox = hand.locator(".attn-token[data-index='3']")
    fox.click()
    page.mouse.move(1, 1)
    assert fox.get_attribute("aria-pressed") == "true"  # two bound handlers would toggle twice
    assert edge_targets(hand) == [(3, j) for j in range(9) if HAND[3, j] > 0]
    assert len(hand.locator(".attn-score-value").all_text_contents()) == 9
    fox.click()
    assert fox.get_attribute("aria-pressed") == "false"
    page.mouse.move(1, 1)
    assert hand.locator(".attn-edge").count() == 0


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The example site, built for ``http://127.0.0.1:<port>/course/`` and served there."""
    with built_site(tmp_path_factory.mktemp("instant"), {}, EXAMPLE_ELSEWHERE, under="course") as s:
        yield s


def test_instant_navigation_mounts_once_back_and_forth(course, new_page) -> None:
    page = new_page(course.url, viewport={"width": 1280, "height": 900}).page
    page.goto(course.url + "/")
    assert page.evaluate("() => typeof window.document$") == "object"
    page.evaluate("() => { window.__sameDocument = true; }")
    scripts = page.evaluate(
        "() => performance.getEntriesByType('resource').filter(r => r.name.endsWith('/attn.js')).length"
    )
    assert scripts == 1

    link = page.locator("article a[href$='self-attention/']")
    link.hover()  # navigation.instant.prefetch fetches the page on hover
    link.click()
    page.wait_for_url("**/self-attention/")
    page.wait_for_selector("figure.attn.attn-ready")
    assert page.evaluate("() => window.__sameDocument"), "instant navigation reloaded the page"
    check_figures_work(page)

    for _ in range(2):
        page.go_back()
        page.wait_for_url(course.url + "/")
        page.locator("article h1", has_text="Transformers, gently").wait_for()
        assert page.locator("figure.attn").count() == 0
        page.go_forward()
        page.wait_for_url("**/self-attention/")
        page.locator("article h1", has_text="Self-attention in five minutes").wait_for()
        page.wait_for_selector("figure.attn.attn-ready")
        check_figures_work(page)
    assert page.evaluate("() => window.__sameDocument")
    # The script ran once for the whole visit: one document$ subscription, not one per page.
    assert (
        page.evaluate(
            "() => performance.getEntriesByType('resource').filter(r => r.name.endsWith('/attn.js')).length"
        )
        == 1
    )

    # A second content page in the same visit, then back to the lecture once more.
    page.locator(".md-nav a[href$='step-by-step/']").first.click()
    page.wait_for_url("**/step-by-step/")
    page.locator("article h1", has_text="Attention, step by step").wait_for()
    fig = page.locator("figure.attn.attn-ready").nth(0)
    fig.locator(".attn-token[data-index='3']").click()
    assert fig.locator(".attn-token[aria-pressed='true']").count() == 1
    expect(fig.locator(".attn-math tbody tr")).to_have_count(4)  # a frame after the pin
    page.go_back()
    page.wait_for_url("**/self-attention/")
    page.locator("article h1", has_text="Self-attention in five minutes").wait_for()
    page.wait_for_selector("figure.attn.attn-ready")
    check_figures_work(page)
    assert page.evaluate("() => window.__sameDocument")


def test_instant_preview_shows_the_static_figure(tmp_path, new_page) -> None:
    """Material's instant previews (``navigation.instant.preview``) copy a linked section into a
    tooltip. A figure there is the build-time one: its focus token's edges and scores, inside
    the tooltip, with no error and no second mount of anything on the page."""
    pages = {
        "index.md": "# Home\n\nSee [the toy figure](lecture.md#one-sentence).\n",
        "lecture.md": (
            "# Lecture\n\n## One sentence\n\nHover below.\n\n"
            "```attention\nThe quick brown fox jumps over the lazy dog.\n```\n\n## Next\n"
        ),
    }
    config = (
        "site_name: P\ntheme:\n  name: material\n  font: false\n"
        "  features:\n    - navigation.instant\n    - navigation.instant.preview\n"
        "markdown_extensions:\n  - pymdownx.superfences\nplugins:\n  - search\n  - attention\n"
    )
    with built_site(tmp_path, pages, config, under="course") as s:
        page = new_page(s.url, viewport={"width": 1280, "height": 900}).page
        page.goto(s.url + "/")
        page.locator("article a[href$='lecture/#one-sentence']").hover()
        fig = page.locator(".md-tooltip2 figure.attn")
        fig.wait_for()
        assert "attn-ready" not in fig.get_attribute("class")
        static = fig.locator(".attn-static")
        assert static.is_visible()
        row = toy_attention(FOX).weights[0, 0]
        focus = int(np.argmax(row.max(axis=1)))
        assert int(fig.locator(".attn-focus").get_attribute("data-index")) == focus
        assert fig.locator(".attn-static-edge").count() == int((row[focus] > 0.5 / 65535).sum())  # u16 > 0
        assert fig.locator(".attn-static-label").all_text_contents() == [f"{w:.2f}" for w in row[focus]]
        tip, box = page.locator(".md-tooltip2").bounding_box(), fig.bounding_box()
        assert tip["x"] <= box["x"] and box["x"] + box["width"] <= tip["x"] + tip["width"]
