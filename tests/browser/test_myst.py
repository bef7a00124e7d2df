"""A Jupyter Book 2 site's figures in Chromium: the anywidget nodes ``jupyter-book build --site``
wrote, mounted the way MyST's theme mounts them (``myst_theme.html``: the module's default
export rendered into a shadow root), respond as MkDocs' do — hover → the row's edges, click →
pinned, keyboard, the head buttons — follow the theme's dark class, are axe-clean and legible,
and nothing is fetched from elsewhere."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from mkdocs_attention.sources.toy import toy_attention
from mkdocs_attention.tokens import tokenize
from tests.hosts.test_myst import build, write_book

from .conftest import Server, serving
from .reader import assert_legible, luminance, run_axe, screenshot
from .test_widget import assert_edges_equal_row

pytestmark = pytest.mark.browser

THEME = Path(__file__).with_name("myst_theme.html")
CAT = tokenize("The cat sat on the mat.")


@pytest.fixture(scope="module")
def book_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = write_book(tmp_path_factory.mktemp("book"))
    result = build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    www = root / "_build" / "site" / "public"
    shutil.copytree(root / "_build" / "site" / "content", www / "content")
    shutil.copyfile(THEME, www / "index.html")
    (www / "favicon.ico").write_bytes(b"")
    with serving({"book": www}) as servers:
        yield servers["book"]


def opened(book_site, new_page, scheme: str = "light"):
    page = new_page(book_site.url, viewport={"width": 1100, "height": 900}, color_scheme=scheme).page
    page.goto(book_site.url + "/")
    page.wait_for_function("() => document.body.dataset.mounted === '3'")
    page.wait_for_function(
        "() => [...document.querySelectorAll('.myst-anywidget')]"
        ".filter(h => h.shadowRoot.querySelector('figure.attn.attn-ready')).length === 2"
    )
    return page


def test_the_figures_respond_inside_the_shadow_root(book_site, new_page) -> None:
    page = opened(book_site, new_page)
    fig = page.locator("figure.attn").nth(0)
    fig.locator(".attn-token[data-index='1']").hover()
    assert_edges_equal_row(fig, 1, toy_attention(CAT, heads=2).weights[0, 0, 1])
    fig.locator(".attn-head[data-head='1']").click()
    fig.locator(".attn-token[data-index='1']").hover()
    assert_edges_equal_row(fig, 1, toy_attention(CAT, heads=2).weights[0, 1, 1])
    fig.locator(".attn-token[data-index='1']").click()
    page.mouse.move(1, 1)
    assert fig.locator(".attn-token[data-index='1']").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Escape")
    assert fig.locator(".attn-token[aria-pressed='true']").count() == 0
    fig.locator(".attn-token[data-index='0']").focus()
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    sat = fig.locator(".attn-token[data-index='2']")
    assert sat.evaluate("e => e.getRootNode().activeElement === e")  # focus moved in the shadow root
    page.keyboard.press("Enter")
    assert sat.get_attribute("aria-pressed") == "true"
    matrix = page.locator("figure.attn").nth(1)
    assert (
        matrix.get_attribute("data-attn-view") == "matrix"
        and matrix.locator("canvas, .attn-cell").count() > 0
    )
    assert "attn-error" in page.locator(".myst-anywidget").nth(2).evaluate("h => h.shadowRoot.innerHTML")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_theme_s_dark_class_is_followed_live(book_site, new_page, scheme) -> None:
    page = opened(book_site, new_page)
    if scheme == "dark":  # the theme's toggle: the class on <html>, after the figures are up
        page.evaluate("() => { document.documentElement.className = 'dark'; }")
    fig = page.locator("figure.attn").nth(0)
    fig.locator(".attn-token[data-index='1']").click()
    measured = assert_legible(fig)
    assert (luminance(measured["base"]) < 0.05) == (scheme == "dark")
    assert (
        run_axe(page, {"include": [[".myst-anywidget", "figure.attn"], [".myst-anywidget", ".attn-error"]]})
        == []
    )
    error = page.locator(".attn-error")
    text, box = error.evaluate(ERROR_COLOURS)
    assert contrast_ratio(text, box) >= 4.5, (text, box)
    screenshot(page, f"myst-{scheme}.png")


#: The error box's text colour and its background over the page's, as "#rrggbb".
ERROR_COLOURS = """e => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const hex = c => '#' + c.slice(0, 3).map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
  const page = rgb(getComputedStyle(document.body).backgroundColor), box = rgb(getComputedStyle(e).backgroundColor);
  const a = box.length > 3 ? box[3] : 1;
  return [hex(rgb(getComputedStyle(e).color)), hex([0, 1, 2].map(i => box[i] * a + page[i] * (1 - a)))];
}"""


def contrast_ratio(a: str, b: str) -> float:
    x, y = sorted((luminance(a), luminance(b)))
    return (y + 0.05) / (x + 0.05)


def test_synced_figures_in_two_widgets_move_together(book_site, new_page) -> None:
    """Each figure sits in its own shadow root; `sync` still reaches the other."""
    page = new_page(book_site.url, viewport={"width": 1100, "height": 900}).page
    page.goto(book_site.url + "/?page=synced")
    page.wait_for_function("() => document.body.dataset.mounted === '2'")
    left, right = page.locator("figure.attn").nth(0), page.locator("figure.attn").nth(1)
    page.wait_for_function(
        "() => [...document.querySelectorAll('.myst-anywidget')]"
        ".every(h => h.shadowRoot.querySelector('figure.attn.attn-ready'))"
    )
    left.locator(".attn-token[data-index='2']").click()
    assert right.locator(".attn-token[data-index='2']").get_attribute("aria-pressed") == "true"


def test_a_link_to_a_view_opens_it_at_load_and_later(book_site, new_page) -> None:
    """``#left?pin=sat``: the figure in the shadow root shows the view at load, and another
    link followed on the page (the fragment changing) reaches it too."""
    page = new_page(book_site.url, viewport={"width": 1100, "height": 900}).page
    page.goto(book_site.url + "/?page=synced#left?pin=sat")
    page.wait_for_function("() => document.body.dataset.mounted === '2'")
    left = page.locator("figure.attn#left")
    page.wait_for_function(
        "() => document.querySelector('.myst-anywidget').shadowRoot"
        '.querySelector(\'figure.attn .attn-token[data-index="2"][aria-pressed="true"]\')'
    )
    assert left.locator(".attn-token[data-index='2']").get_attribute("aria-pressed") == "true"
    page.evaluate("() => { location.hash = 'left?pin=mat'; }")  # a link followed on the page
    page.wait_for_function(
        "() => document.querySelector('.myst-anywidget').shadowRoot"
        '.querySelector(\'figure.attn .attn-token[data-index="5"][aria-pressed="true"]\')'
    )
