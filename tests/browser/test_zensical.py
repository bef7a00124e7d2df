"""The example course built by Zensical (``example_site/zensical.toml``, the assets copied by
``mkdocs-attention assets``) in Chromium: the figures respond as on the MkDocs build, follow the
palette toggle live, log nothing and fetch nothing from elsewhere."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest

from mkdocs_attention.assets_command import copy_assets
from mkdocs_attention.sources.toy import toy_attention
from tests.helpers import EXAMPLE_SITE

from .conftest import Server, serving
from .reader import HAND, assert_legible, luminance, run_axe
from .test_themes import figure_colours, pin
from .test_widget import FOX, FOX9, assert_edges_equal_row, edges, shown_scores

pytest.importorskip("zensical", reason="needs the test extra: zensical")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("zensical")
    shutil.copytree(EXAMPLE_SITE / "docs", root / "docs")
    shutil.copy(EXAMPLE_SITE / "zensical.toml", root)
    shutil.copytree(EXAMPLE_SITE / ".attention-cache", root / ".attention-cache")  # the real model's
    copy_assets(root / "docs")
    cmd = [sys.executable, "-m", "zensical", "build", "-f", str(root / "zensical.toml"), "--clean"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=root)
    assert result.returncode == 0 and "attention" not in result.stdout + result.stderr, result.stderr
    with serving({"zensical": root / "site"}) as servers:
        yield servers["zensical"]


@pytest.fixture
def lecture(zensical_site, new_page):
    page = new_page(zensical_site.url, viewport={"width": 1280, "height": 900}, color_scheme="light").page
    page.goto(zensical_site.url + "/self-attention/")
    page.wait_for_selector("figure.attn.attn-ready")
    return page


def test_hover_pin_and_keyboard(lecture) -> None:
    toy, hand = lecture.locator("figure.attn").nth(0), lecture.locator("figure.attn").nth(1)
    assert lecture.locator("figure.attn.attn-ready").count() == 4
    toy.locator(".attn-token[data-index='3']").hover()
    assert_edges_equal_row(toy, 3, toy_attention(FOX).weights[0, 0, 3])
    lecture.mouse.move(5, 5)
    assert toy.locator(".attn-edge").count() == 0
    hand.locator(".attn-token[data-index='3']").click()
    lecture.mouse.move(5, 5)
    assert_edges_equal_row(hand, 3, HAND[3])
    assert [e["dst"] for e in edges(hand)] == [0, 1, 2, 3]
    assert shown_scores(hand) == [[t, f"{w:.2f}"] for t, w in zip(FOX9, HAND[3], strict=True)]
    toy.locator(".attn-token[data-index='0']").focus()
    lecture.keyboard.press("ArrowRight")
    lecture.keyboard.press("Enter")
    assert toy.locator(".attn-token[data-index='1']").get_attribute("aria-pressed") == "true"


def test_the_palette_toggle_is_followed_live(lecture) -> None:
    fig = lecture.locator("figure.attn").nth(1)
    pin(lecture, fig)
    light = assert_legible(fig)
    assert luminance(light["base"]) > 0.9
    colours = figure_colours(fig)
    assert run_axe(lecture) == []
    lecture.locator('label[title="Switch to dark mode"]').click()
    lecture.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    dark = assert_legible(fig)
    assert luminance(dark["base"]) < 0.05
    assert figure_colours(fig) != colours and fig.locator(".attn-pinned").count() == 1
    assert run_axe(lecture) == []


def test_a_model_writing_is_mkdocs_figure_and_steps(zensical_site, example_server, new_page) -> None:
    """The lecture "Writing one token at a time" from the committed cache: the same figure bytes
    as MkDocs' (less the search markers Zensical removes once its search has read the page), and
    its steps part (not listed by Zensical's page) loads and steps."""
    figure = re.compile(r'<figure class="attn".*?</figure>', re.S)
    by_zensical = figure.findall((zensical_site.root / "writing" / "index.html").read_text(encoding="utf-8"))
    by_mkdocs = figure.findall(
        (example_server.root / "writing" / "index.html")
        .read_text(encoding="utf-8")
        .replace(" data-search-exclude", "")
    )
    assert by_zensical == by_mkdocs and len(by_zensical) == 2
    page = new_page(zensical_site.url).page
    page.goto(zensical_site.url + "/writing/")
    fig = page.locator("#writing.attn-ready")
    fig.locator(".attn-step-prev").click()
    assert fig.locator(".attn-step-range").input_value() == "5"
    assert fig.locator(".attn-token.attn-pinned").get_attribute("data-index") == "15"


@pytest.fixture(scope="module")
def inline_course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The example course by Zensical with ``inline_assets`` and no copy step: its config with
    the two ``extra_`` lines dropped and the option set, built for the address it is served at
    (instant navigation goes only to the sitemap's URLs)."""
    from .conftest import serve

    root = tmp_path_factory.mktemp("zensical-inline")
    shutil.copytree(EXAMPLE_SITE / "docs", root / "docs")
    shutil.copytree(EXAMPLE_SITE / ".attention-cache", root / ".attention-cache")
    www = root / "www"
    www.mkdir()
    httpd, origin = serve(www)
    config = (EXAMPLE_SITE / "zensical.toml").read_text(encoding="utf-8")
    config = re.sub(r"^extra_(javascript|css) = .*\n", "", config, flags=re.M)
    config = config.replace('site_url = "https://example.org/course/"', f'site_url = "{origin}/course/"')
    config = config.replace(
        "[project.markdown_extensions.attention]",
        "[project.markdown_extensions.attention]\ninline_assets = true",
    )
    assert (
        "inline_assets = true" in config
        and f"{origin}/course/" in config
        and "extra_javascript" not in config
    )
    (root / "zensical.toml").write_text(config, encoding="utf-8")
    cmd = [sys.executable, "-m", "zensical", "build", "-f", str(root / "zensical.toml"), "--clean"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=root)
    assert result.returncode == 0 and "attention" not in result.stdout + result.stderr, result.stderr
    shutil.copytree(root / "site", www / "course")
    try:
        yield Server(f"{origin}/course", www / "course")
    finally:
        httpd.shutdown()


def test_inline_assets_survive_instant_navigation(inline_course, new_page) -> None:
    """Pages carry the widget themselves: nothing is fetched for it, and going from page to page
    and back without a reload mounts each figure once (one click → one toggle)."""
    page = new_page(inline_course.url, viewport={"width": 1280, "height": 900}, color_scheme="light").page
    page.goto(inline_course.url + "/")
    page.evaluate("() => { window.__sameDocument = true; }")

    def lecture_works() -> None:
        page.wait_for_url("**/self-attention/")
        page.locator("article h1", has_text="Self-attention in five minutes").wait_for()
        page.wait_for_selector("figure.attn.attn-ready")
        hand = page.locator("figure.attn").nth(1)
        fox = hand.locator(".attn-token[data-index='3']")
        fox.click()
        page.mouse.move(5, 5)
        assert fox.get_attribute("aria-pressed") == "true"  # two bound handlers would toggle twice
        assert_edges_equal_row(hand, 3, HAND[3])
        fox.click()
        assert fox.get_attribute("aria-pressed") == "false"

    page.locator("article a[href$='self-attention/']").click()
    lecture_works()
    for _ in range(2):
        page.go_back()
        page.locator("article h1", has_text="Transformers, gently").wait_for()
        page.go_forward()
        lecture_works()
    page.locator(".md-nav a[href$='heads/']").first.click()
    page.wait_for_url("**/heads/")
    page.wait_for_selector("figure.attn .attn-thumb")  # the overview part came with this page
    page.go_back()
    lecture_works()
    assert page.evaluate("() => window.__sameDocument"), "instant navigation reloaded the page"
    fetched = page.evaluate("() => performance.getEntriesByType('resource').map(r => r.name)")
    assert not [url for url in fetched if "attn" in url.rsplit("/", 1)[-1]]
