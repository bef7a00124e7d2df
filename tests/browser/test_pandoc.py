"""A page Pandoc made with the Lua filter, in Chromium: the figures respond as MkDocs' do (hover →
the row's edges, click → pinned, keyboard), the page fetches nothing (the widget is in it), and the
figure is axe-clean."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from mkdocs_attention.sources.toy import toy_attention
from tests.hosts.test_pandoc import pandoc, render_course

from .conftest import Server, serving
from .reader import assert_legible, luminance, run_axe, screenshot
from .test_widget import FOX, assert_edges_equal_row

pytest.importorskip("pypandoc", reason="needs the test extra: pypandoc-binary")

pytestmark = pytest.mark.browser

NOTES = "# Notes\n\n```attention\nThe quick brown fox jumps over the lazy dog.\n```\n\n```{.attention heads=2}\na b c\n```\n"


@pytest.fixture(scope="module")
def pandoc_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("pandoc-page")
    (root / "notes.md").write_text(NOTES, encoding="utf-8")
    (root / "www").mkdir()
    result = pandoc(root, "notes.md", "-s", "-o", "www/index.html", "--metadata", "title=Notes")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    (root / "www" / "favicon.ico").write_bytes(b"")  # the browser asks for one
    with serving({"pandoc": root / "www"}) as servers:
        yield servers["pandoc"]


def test_the_figures_respond_and_nothing_is_fetched(pandoc_site, new_page) -> None:
    page = new_page(pandoc_site.url, viewport={"width": 1100, "height": 900}).page
    page.goto(pandoc_site.url + "/")
    page.wait_for_function("() => document.querySelectorAll('figure.attn.attn-ready').length === 2")
    fig = page.locator("figure.attn").nth(0)
    fig.locator(".attn-token[data-index='3']").hover()
    assert_edges_equal_row(fig, 3, toy_attention(FOX).weights[0, 0, 3])
    fig.locator(".attn-token[data-index='3']").click()
    page.mouse.move(1, 1)
    assert fig.locator(".attn-token[data-index='3']").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Escape")
    fig.locator(".attn-token[data-index='0']").focus()
    page.keyboard.press("ArrowRight")
    quick = fig.locator(".attn-token[data-index='1']")
    assert quick.evaluate("e => document.activeElement === e")
    page.keyboard.press("Enter")
    assert quick.get_attribute("aria-pressed") == "true"
    two = page.locator("figure.attn").nth(1)
    two.locator(".attn-head[data-head='1']").click()
    assert two.locator(".attn-head[data-head='1']").get_attribute("aria-pressed") == "true"
    fetched = page.evaluate("() => performance.getEntriesByType('resource').map(r => r.name)")
    assert not [url for url in fetched if "attn" in url]  # the page carries the widget
    assert run_axe(page) == []


@pytest.fixture(scope="module")
def course_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The example course as ``make demo-pandoc`` renders it."""
    www = tmp_path_factory.mktemp("pandoc-course")
    render_course(www)
    (www / "favicon.ico").write_bytes(b"")
    with serving({"course": www}) as servers:
        yield servers["course"]


def test_every_page_of_the_course_comes_alive(course_site, new_page) -> None:
    page = new_page(course_site.url, viewport={"width": 1100, "height": 900}).page
    for name, expected in (("self-attention", 4), ("heads", 6), ("beyond-weights", 3), ("translation", 4)):
        page.goto(f"{course_site.url}/{name}.html")
        page.wait_for_function(
            f"() => document.querySelectorAll('figure.attn.attn-ready').length === {expected}"
        )
        assert page.locator("figure.attn").count() == expected, name
        fetched = page.evaluate("() => performance.getEntriesByType('resource').map(r => r.name)")
        assert f"{course_site.url}/assets/mkdocs-attention/attn.js" in fetched  # the shared copy
    page.locator(".course-nav a", has_text="Three ways to look").click()
    page.wait_for_url("**/views.html")
    page.wait_for_function("() => document.querySelectorAll('figure.attn.attn-ready').length === 4")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_course_reads_in_light_and_dark(course_site, new_page, scheme) -> None:
    """The course's page style follows the system's scheme, and the figures follow the page:
    legible (text 4.5:1, edges 3:1), axe-clean, the hovered row's edges as built."""
    page = new_page(course_site.url, viewport={"width": 1100, "height": 900}, color_scheme=scheme).page
    page.goto(f"{course_site.url}/self-attention.html")
    page.wait_for_function("() => document.querySelectorAll('figure.attn.attn-ready').length === 4")
    fig = page.locator("figure.attn").nth(0)
    fig.locator(".attn-token[data-index='3']").hover()
    assert_edges_equal_row(fig, 3, toy_attention(FOX).weights[0, 0, 3])
    measured = assert_legible(fig)
    assert (luminance(measured["base"]) < 0.05) == (scheme == "dark")
    fig.locator(".attn-token[data-index='3']").click()
    assert run_axe(page) == []
    screenshot(page, f"pandoc-course-{scheme}.png")
