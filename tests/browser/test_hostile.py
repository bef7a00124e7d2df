"""Hostile text in Chromium (nothing runs, everything shows literally) and a strict CSP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_hostile import MATERIAL, hostile_page
from tests.xss_corpus import CORPUS

from .conftest import Server, built_site

pytestmark = pytest.mark.browser
CSP = "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'"
CSP_THEME = Path(__file__).parent / "csp_theme"


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with built_site(tmp_path_factory.mktemp("hostile"), {"index.md": hostile_page()}, MATERIAL) as s:
        yield s


def test_xss_corpus_is_inert_and_literal(hostile_site: Server, new_page) -> None:
    w = new_page(hostile_site.url)
    page = w.page
    page.goto(hostile_site.url + "/")
    page.wait_for_selector("figure.attn.attn-ready")
    fig = page.locator("figure.attn").first
    shown = fig.locator(".attn-token").evaluate_all("els => els.map(e => e.textContent)")
    assert shown == CORPUS
    for i in range(len(CORPUS)):
        tok = fig.locator(f".attn-token[data-index='{i}']")
        tok.scroll_into_view_if_needed()
        tok.click()
        assert fig.locator(".attn-edge").count() > 0
    listed = fig.locator(".attn-score-token").all_text_contents()
    assert listed == CORPUS
    titles = page.locator("figure.attn .attn-title").all_text_contents()
    assert titles == CORPUS[:10]
    captions = page.locator("figure.attn .attn-caption").all_text_contents()
    assert captions == CORPUS[:10]
    for f in page.locator("figure.attn").all()[1:]:
        f.locator(".attn-token").first.click()
    for view in ("lines", "matrix"):
        fig = page.locator(f"figure.attn[data-attn-view='{view}']")
        assert fig.locator(".attn-key").evaluate_all("els => els.map(e => e.textContent)") == CORPUS
        for i in range(len(CORPUS)):
            key = fig.locator(f".attn-key[data-index='{i}']")
            key.dispatch_event("pointerover")
            assert fig.locator(".attn-edge").count() > 0
    dangerous = page.evaluate(
        "() => document.querySelectorAll('article script, article iframe, article img, article style,"
        " article object, article embed').length"
    )
    assert dangerous == 0
    assert page.evaluate("() => document.querySelectorAll('figure.attn [style]').length") == 0
    # w.check() at teardown: no dialog (alert) opened, no console error, no foreign request.


def test_widget_works_under_a_strict_csp(tmp_path: Path, new_page) -> None:
    config = f"site_name: CSP\ntheme:\n  name: null\n  custom_dir: {CSP_THEME}\nplugins:\n  - attention\n"
    views = "".join(
        f"```attention {{heads=2 view={v}}}\nThe quick brown fox.\n```\n\n" for v in ("lines", "matrix")
    )
    page = "# CSP\n\n```attention {heads=2}\nThe quick brown fox.\n```\n\n" + views
    with built_site(tmp_path, {"index.md": page}, config, headers={"Content-Security-Policy": CSP}) as s:
        url = s.url
        w = new_page(url)
        response = w.page.goto(url + "/")
        assert response.headers["content-security-policy"] == CSP
        fig = w.page.locator("figure.attn.attn-ready").first
        fig.locator(".attn-token[data-index='3']").hover()
        assert fig.locator(".attn-edge").count() == 5
        fig.locator(".attn-token[data-index='3']").click()
        fig.locator(".attn-head[data-head='1']").click()
        assert fig.locator(".attn-label").count() == 5
        assert fig.locator(".attn-scores li").count() == 5
        # CSS applied (style-src 'self' allowed the stylesheet): edges have no fill.
        assert fig.locator(".attn-edge").first.evaluate("e => getComputedStyle(e).fill") == "none"
        fig.locator(".attn-head[data-head='all']").click()  # per-head arrowhead markers
        assert fig.locator(".attn-edge").count() == 10
        # Lines and the matrix too; the heat map is a canvas (no image URL for img-src to block).
        for n, view in ((1, "lines"), (2, "matrix")):
            other = w.page.locator("figure.attn").nth(n)
            assert other.get_attribute("data-attn-view") == view
            other.locator(".attn-token[data-index='3']").click()
            assert other.locator(".attn-edge").count() == 5
        painted = (
            w.page.locator("figure.attn")
            .nth(2)
            .evaluate(
                "f => { const c = f.querySelector('.attn-heat-canvas canvas');"
                " return Array.from(c.getContext('2d').getImageData(0, 0, 5, 5).data).some(v => v > 0); }"
            )
        )
        assert painted
    # Any CSP violation is a console error, which fails the test at teardown.
