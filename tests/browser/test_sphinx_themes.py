"""The Sphinx host in Chromium, on the themes Sphinx courses use: Furo and pydata-sphinx-theme
(light and dark, toggled live by the theme's own button), Read the Docs and alabaster (light).
Each site is a real ``sphinx-build`` of a MyST page with the hand-written figure."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Server, serving
from .reader import HAND, assert_legible, luminance, run_axe, screenshot
from .test_themes import figure_colours, pin
from .test_widget import assert_edges_equal_row

pytest.importorskip("sphinx", reason="needs the [sphinx] extra")
pytest.importorskip("myst_parser", reason="needs the test extra: myst-parser")

pytestmark = pytest.mark.browser

PAGE = (
    """# Hand

```attention
title: What "fox" should look at
caption: Hand-written weights.
tokens: [The, quick, brown, fox, jumps, over, the, lazy, dog]
weights:
"""
    + "".join(f"  - {[float(w) for w in row]}\n" for row in HAND)
    + "```\n"
)
FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'
THEMES = ("furo", "pydata_sphinx_theme", "sphinx_rtd_theme", "alabaster")


@pytest.fixture(scope="module")
def sphinx_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Server]]:
    sites = {}
    for theme in THEMES:
        root = tmp_path_factory.mktemp(theme)
        (root / "src").mkdir()
        (root / "src" / "index.md").write_text(PAGE, encoding="utf-8")
        # A favicon of its own: without one Chromium asks for /favicon.ico and logs the 404.
        (root / "src" / "favicon.svg").write_text(FAVICON, encoding="utf-8")
        (root / "src" / "conf.py").write_text(
            f'extensions = ["myst_parser", "mkdocs_attention.sphinx"]\nproject = "Course"\n'
            f'html_theme = "{theme}"\nhtml_favicon = "favicon.svg"\n',
            encoding="utf-8",
        )
        cmd = [sys.executable, "-m", "sphinx", "-W", "-b", "html", str(root / "src"), str(root / "html")]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        sites[theme] = root / "html"
    with serving(sites) as servers:
        yield servers


def _open(new_page, site: Server, scheme: str = "light"):
    page = new_page(site.url, viewport={"width": 1280, "height": 900}, color_scheme=scheme).page
    # A first visit as the themes expect it: Furo logs an error when it finds no mode stored.
    # Furo keeps its mode as "theme", pydata as "mode"; each logs an error when it finds none.
    page.add_init_script(
        "for (const k of ['theme', 'mode']) localStorage.getItem(k) || localStorage.setItem(k, 'auto')"
    )
    page.goto(site.url + "/index.html")
    page.evaluate("() => { window.__sameLoad = true; }")
    return page, page.locator("figure.attn.attn-ready")


def test_hover_pin_and_keyboard_on_furo(sphinx_sites, new_page) -> None:
    page, fig = _open(new_page, sphinx_sites["furo"])
    fig.locator(".attn-token[data-index='3']").hover()
    assert_edges_equal_row(fig, 3, HAND[3])
    page.mouse.move(1, 1)
    assert fig.locator(".attn-edge").count() == 0
    fig.locator(".attn-token[data-index='3']").click()
    page.mouse.move(1, 1)
    assert_edges_equal_row(fig, 3, HAND[3])
    assert fig.locator(".attn-scores li .attn-score-value").all_text_contents() == [
        f"{w:.2f}" for w in HAND[3]
    ]
    fig.locator(".attn-token[data-index='0']").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    assert fig.locator(".attn-token[data-index='1']").get_attribute("aria-pressed") == "true"


#: Where each theme writes the mode it shows.
TOGGLES = {
    "furo": "document.body.dataset.theme",
    "pydata_sphinx_theme": "document.documentElement.dataset.theme",
}


def _switch_to(page, theme: str, mode: str) -> None:
    """By the theme's own control: Furo's button cycles auto, dark and light; pydata's is a menu."""
    where = TOGGLES[theme]
    if theme == "pydata_sphinx_theme":
        page.locator(".theme-switch-button:visible").first.click()
        page.locator(f".theme-change-button[data-mode='{mode}']:visible").first.click()
    for _ in range(3):
        if page.evaluate(f"() => {where}") == mode:
            break
        page.locator("button.theme-toggle:visible").first.click()
    assert page.evaluate(f"() => {where}") == mode


@pytest.mark.parametrize("theme", list(TOGGLES))
def test_dark_mode_follows_the_theme_toggle_live(sphinx_sites, new_page, theme: str) -> None:
    page, fig = _open(new_page, sphinx_sites[theme])
    _switch_to(page, theme, "light")
    pin(page, fig)
    light = assert_legible(fig)
    assert luminance(light["base"]) > 0.9
    colours = figure_colours(fig)
    assert run_axe(page) == []
    if theme == "furo":
        screenshot(fig, "sphinx-furo-light.png")
    _switch_to(page, theme, "dark")
    dark = assert_legible(fig)
    assert luminance(dark["base"]) < 0.05
    assert figure_colours(fig) != colours
    assert run_axe(page) == []
    assert fig.locator(".attn-pinned").count() == 1 and page.evaluate("() => window.__sameLoad")
    if theme == "furo":
        screenshot(fig, "sphinx-furo-dark.png")


def test_furo_auto_follows_the_system(sphinx_sites, new_page) -> None:
    page, fig = _open(new_page, sphinx_sites["furo"], scheme="dark")
    assert page.evaluate("() => document.body.dataset.theme") in ("auto", None, "")
    pin(page, fig)
    assert luminance(assert_legible(fig)["base"]) < 0.05


@pytest.mark.parametrize("theme", ["sphinx_rtd_theme", "alabaster"])
def test_light_themes(sphinx_sites, new_page, theme: str) -> None:
    page, fig = _open(new_page, sphinx_sites[theme])
    pin(page, fig)
    assert luminance(assert_legible(fig)["base"]) > 0.9
    assert run_axe(page) == []


def test_the_static_files_are_the_sites_own(sphinx_sites) -> None:
    html = (sphinx_sites["furo"].root / "index.html").read_text(encoding="utf-8")
    assert "_static/attn.js" in html and (Path(sphinx_sites["furo"].root) / "_static" / "attn.css").exists()
