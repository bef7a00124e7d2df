"""Colours a reader actually sees: Material's palette toggle (live, custom schemes too), the
default ``mkdocs`` and ``readthedocs`` themes under ``prefers-color-scheme``, print, reduced
motion. Contrast is computed from computed styles (see ``reader.py``), never assumed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack

import pytest

from .conftest import Server, built_site
from .reader import ARTIFACTS, assert_legible, contrast, luminance, run_axe, screenshot

pytestmark = pytest.mark.browser

HAND_PAGE = """
# Hand

```attention
title: What "fox" should look at
caption: Hand-written weights.
tokens: [The, quick, brown, fox]
weights:
  - [1.0, 0.0, 0.0, 0.0]
  - [0.2, 0.6, 0.0, 0.2]
  - [0.2, 0.0, 0.6, 0.2]
  - [0.1, 0.45, 0.4, 0.05]
```
"""
#: An author's own schemes: Material only switches ``data-md-color-scheme``; the colours are
#: the author's CSS variables, which the figure must pick up like Material's own.
CUSTOM_SCHEMES_CSS = """
[data-md-color-scheme="paper"] {
  --md-default-fg-color: #2b2118; --md-default-fg-color--light: #5a4a3a;
  --md-default-fg-color--lighter: #9c8a76; --md-default-bg-color: #f4ecd8;
  --md-code-bg-color: #ebe0c6; --md-typeset-a-color: #7a3b00; --md-accent-fg-color: #8e1f4f;
}
[data-md-color-scheme="night"] {
  color-scheme: dark;
  --md-default-fg-color: #e6e1f5; --md-default-fg-color--light: #b9b2d0;
  --md-default-fg-color--lighter: #6c6588; --md-default-bg-color: #12101c;
  --md-code-bg-color: #221e33; --md-typeset-a-color: #9fc2ff; --md-accent-fg-color: #ff8fc0;
}
"""
CUSTOM_CONFIG = """
site_name: Custom schemes
theme:
  name: material
  font: false
  palette:
    - scheme: paper
      toggle: {icon: material/weather-night, name: Night}
    - scheme: night
      toggle: {icon: material/weather-sunny, name: Paper}
extra_css: [schemes.css]
markdown_extensions: [pymdownx.superfences]
plugins: [attention]
"""
BOOTSTRAP_CONFIG = """
site_name: Plain
theme: {name: mkdocs, highlightjs: false, color_mode: auto, custom_dir: overrides}
plugins: [search, attention]
"""
#: The mkdocs theme's darkmode.js sets ``disabled`` on its highlight.js stylesheets, which do
#: not exist with ``highlightjs: false`` (the offline set-up): a theme bug, not ours. Two inert
#: stand-ins keep the page free of that error.
BOOTSTRAP_OVERRIDE = """{% extends "base.html" %}
{% block libs %}<link id="hljs-light" disabled><link id="hljs-dark" disabled>{% endblock %}
"""
RTD_CONFIG = """
site_name: RTD
theme: {name: readthedocs, highlightjs: false}
plugins: [search, attention]
"""

#: Every measured contrast lands here (and in artifacts/contrast.json) for the issue's report.
MEASURED: dict[str, dict] = {}


def record(name: str, m: dict) -> None:
    low = {}
    for p in m["pairs"]:
        low[p["kind"]] = min(low.get(p["kind"], 99.0), p["ratio"])
    MEASURED[name] = {"background": m["base"], "lowest": low}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "contrast.json"
    old = json.loads(path.read_text()) if path.exists() else {}
    path.write_text(json.dumps({**old, **MEASURED}, indent=1, sort_keys=True))


@pytest.fixture(scope="module")
def theme_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Server]]:
    """One small site per theme set-up, built once for the module."""
    setups = (
        ("custom", CUSTOM_CONFIG, {"schemes.css": CUSTOM_SCHEMES_CSS}, {}),
        ("mkdocs", BOOTSTRAP_CONFIG, {}, {"overrides/main.html": BOOTSTRAP_OVERRIDE}),
        ("readthedocs", RTD_CONFIG, {}, {}),
    )
    with ExitStack() as stack:
        yield {
            name: stack.enter_context(
                built_site(
                    tmp_path_factory.mktemp(name), {"index.md": HAND_PAGE, **extra}, config, files=files
                )
            )
            for name, config, extra, files in setups
        }


def pin(page, fig, index: int = 3) -> None:
    fig.locator(f".attn-token[data-index='{index}']").click()
    page.mouse.move(1, 1)
    assert fig.locator(".attn-pinned").count() == 1


def figure_colours(fig) -> dict:
    return fig.evaluate("""f => { const t = f.querySelector('.attn-token-text'), e = f.querySelector('.attn-edge');
        return {text: getComputedStyle(t).fill, edge: e && getComputedStyle(e).stroke}; }""")


def test_material_palette_toggle_is_followed_live(example_server, new_page) -> None:
    """Light → dark → light by Material's own toggle, on one page load: no reload, pin kept."""
    page = new_page(example_server.url, viewport={"width": 1280, "height": 900}, color_scheme="light").page
    page.goto(example_server.url + "/self-attention/")
    page.evaluate("() => { window.__sameLoad = true; }")
    fig = page.locator("figure.attn").nth(1)
    pin(page, fig)
    light = assert_legible(fig)
    record("material default (light)", light)
    light_colours = figure_colours(fig)
    assert luminance(light["base"]) > 0.9
    screenshot(fig, "reader-light.png")

    page.locator('label[title="Switch to dark mode"]').click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    dark = assert_legible(fig)
    record("material slate (dark)", dark)
    assert luminance(dark["base"]) < 0.05
    assert figure_colours(fig) != light_colours
    assert fig.locator(".attn-pinned").count() == 1 and page.evaluate("() => window.__sameLoad")
    screenshot(fig, "reader-dark.png")

    page.locator('label[title="Switch to light mode"]').click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'default'")
    assert figure_colours(fig) == light_colours


def test_material_custom_scheme_names(theme_sites, new_page) -> None:
    """An author's own ``paper``/``night`` schemes: the figure takes their variables."""
    site = theme_sites["custom"]
    page = new_page(site.url).page
    page.goto(site.url + "/")
    fig = page.locator("figure.attn.attn-ready")
    pin(page, fig)
    paper = assert_legible(fig)
    record("material custom 'paper'", paper)
    assert paper["base"] == "#f4ecd8"
    assert figure_colours(fig) == {"text": "rgb(43, 33, 24)", "edge": "rgb(122, 59, 0)"}
    page.locator('label[title="Night"]').click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'night'")
    fig.locator("details.attn-data > summary").click()
    assert fig.locator("table.attn-table td").first.is_visible()
    night = assert_legible(fig)
    record("material custom 'night'", night)
    assert night["base"] == "#12101c"
    assert figure_colours(fig) == {"text": "rgb(230, 225, 245)", "edge": "rgb(159, 194, 255)"}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("theme", ["mkdocs", "readthedocs"])
def test_other_themes_under_prefers_color_scheme(theme_sites, new_page, theme: str, scheme: str) -> None:
    """The mkdocs theme (color_mode: auto) turns dark with the system; readthedocs has no dark
    mode, so its page stays light and the figure must be legible on that light page."""
    site = theme_sites[theme]
    page = new_page(site.url, color_scheme=scheme).page
    page.goto(site.url + "/")
    assert page.evaluate("() => typeof window.document$") == "undefined"  # mounted on load
    fig = page.locator("figure.attn.attn-ready")
    pin(page, fig)
    m = assert_legible(fig)
    record(f"{theme} ({scheme})", m)
    # Only our figure: both themes fail axe elsewhere (faint link and footer colours).
    assert run_axe(page) == []
    dark_page = theme == "mkdocs" and scheme == "dark"
    assert (luminance(m["base"]) < 0.05) if dark_page else (luminance(m["base"]) > 0.9)
    page_bg = page.evaluate("""() => { const b = getComputedStyle(document.body).backgroundColor;
        return b === 'rgba(0, 0, 0, 0)' ? getComputedStyle(document.documentElement).backgroundColor : b; }""")
    assert page_bg in (("rgb(33, 37, 41)",) if dark_page else ("rgb(255, 255, 255)", "rgb(252, 252, 252)"))


def test_print_is_light_and_shows_the_focus_edges(example_server, new_page) -> None:
    """Printing from the dark scheme: a white figure with black text; an untouched figure
    prints its build-time focus edges, a pinned one what the reader pinned."""
    page = new_page(example_server.url, viewport={"width": 1000, "height": 900}, color_scheme="dark").page
    page.goto(example_server.url + "/self-attention/")
    assert page.evaluate("() => document.body.dataset.mdColorScheme") == "slate"
    untouched, pinned = page.locator("figure.attn").nth(2), page.locator("figure.attn").nth(1)
    pin(page, pinned)
    page.emulate_media(media="print")
    for fig in (untouched, pinned):
        m = assert_legible(fig)
        assert m["base"] == "#ffffff"
        assert (
            fig.evaluate("f => getComputedStyle(f.querySelector('.attn-token-text')).fill") == "rgb(0, 0, 0)"
        )
    record("print (from slate)", contrast(pinned))
    assert untouched.locator(".attn-static-edge").count() > 0
    assert untouched.locator(".attn-static").evaluate("g => getComputedStyle(g).display") != "none"
    assert untouched.locator(".attn-controls").evaluate("c => getComputedStyle(c).display") == "none"
    assert pinned.locator(".attn-static").evaluate("g => getComputedStyle(g).display") == "none"
    assert pinned.locator(".attn-edge").count() == 4
    screenshot(pinned, "reader-print.png")
    page.emulate_media(media="screen")
    assert untouched.locator(".attn-static").evaluate("g => getComputedStyle(g).display") == "none"


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_reduced_motion(example_server, new_page, motion: str) -> None:
    """Token highlights fade in 0.15 s, unless the reader asked for reduced motion."""
    page = new_page(example_server.url, reduced_motion=motion).page
    page.goto(example_server.url + "/self-attention/")
    fig = page.locator("figure.attn").nth(0)
    fig.locator(".attn-token[data-index='2']").hover()
    styles = fig.evaluate("""f => Array.from(f.querySelectorAll('*')).map(e => getComputedStyle(e))
        .map(s => [s.transitionDuration, s.animationName])""")
    durations = {d for d, _ in styles}
    if motion == "reduce":
        assert durations == {"0s"} and {a for _, a in styles} == {"none"}
    else:
        assert "0.15s, 0.15s" in durations


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_forced_colors(theme_sites, new_page, scheme: str) -> None:
    """Windows High Contrast: the browser forces page colours (a black page for a dark system
    palette) but not SVG fills, so the figure must use the system colours itself, even on a
    site whose own scheme is light."""
    site = theme_sites["custom"]
    page = new_page(site.url, color_scheme=scheme, forced_colors="active").page
    page.goto(site.url + "/")
    assert page.evaluate("() => document.body.dataset.mdColorScheme") == "paper"
    fig = page.locator("figure.attn.attn-ready")
    pin(page, fig)
    m = assert_legible(fig)
    record(f"forced colours ({scheme})", m)
    assert (luminance(m["base"]) < 0.05) if scheme == "dark" else (luminance(m["base"]) > 0.9)
