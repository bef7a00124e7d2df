"""Export in Chromium: "Save SVG" downloads the figure as shown (edges and labels of the pinned
token, the theme's colours inlined, a background) as a standalone SVG; "Save PNG" the same at 2×
scale; in light and dark, and under a strict Content-Security-Policy (the PNG needs
``img-src blob:``)."""

from __future__ import annotations

import base64
import os
import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import MATERIAL_PALETTE_CONFIG, ROOT

from .conftest import Server, built_site
from .reader import ARTIFACTS, luminance
from .test_hostile import CSP, CSP_THEME

pytestmark = pytest.mark.browser

SVG = "{http://www.w3.org/2000/svg}"
PAGE = (
    "# Export\n\n```attention\nid: arcs\ntext: The cat sat on the mat because it was tired .\nheads: 2\n```\n\n"
    "```attention\nid: grid\ntext: The cat sat on the mat .\nview: matrix\n```\n"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with built_site(tmp_path_factory.mktemp("export"), {"index.md": PAGE}, MATERIAL_PALETTE_CONFIG) as s:
        yield s


def save(page, fig, fmt: str, tmp: Path) -> bytes:
    with page.expect_download() as info:
        fig.locator(f".attn-export[data-format='{fmt}']").click()
    download = info.value
    assert download.suggested_filename == f"{fig.get_attribute('id')}.{fmt}"
    path = tmp / download.suggested_filename
    download.save_as(path)
    return path.read_bytes()


def shown(fig) -> dict:
    """What the page shows: each edge (source, target, weight) and each visible score label."""
    return fig.evaluate("""f => ({
        edges: [...f.querySelectorAll('.attn-edge')].map(e => [e.dataset.source, e.dataset.target, e.dataset.weight]),
        labels: [...f.querySelectorAll('.attn-label')].filter(l => l.checkVisibility({opacityProperty: true}) && l.textContent)
                  .map(l => l.textContent),
        width: +f.querySelector('svg.attn-svg').getAttribute('width'),
        height: +f.querySelector('svg.attn-svg').getAttribute('height')})""")


def keep(data: bytes, name: str) -> None:
    """An exported file among the test artifacts (and, with UPDATE_SCREENSHOTS=1, docs/assets)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / name).write_bytes(data)
    if os.environ.get("UPDATE_SCREENSHOTS"):
        (ROOT / "docs" / "assets" / name).write_bytes(data)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def png_pixels(page, data: bytes) -> dict:
    """Distinct colours and the top-left pixel of a PNG, decoded by the browser."""
    return page.evaluate(
        """src => new Promise(done => { const img = new Image();
        img.onload = () => { const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
          const x = c.getContext('2d'); x.drawImage(img, 0, 0);
          const d = x.getImageData(0, 0, img.width, img.height).data, seen = new Set();
          for (let i = 0; i < d.length; i += 4) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
          done({colours: seen.size, corner: [d[0], d[1], d[2]]}); };
        img.src = 'data:image/png;base64,' + src; })""",
        base64.b64encode(data).decode(),
    )


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_save_svg_and_png_as_shown(site, new_page, tmp_path, scheme) -> None:
    page = new_page(site.url, viewport={"width": 1200, "height": 900}, accept_downloads=True).page
    page.goto(site.url + "/")
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    fig = page.locator("#arcs.attn-ready")
    fig.locator(".attn-head[data-head='1']").click()
    fig.locator(".attn-token[data-index='7']").click()  # "it"
    page.mouse.move(1, 1)
    now = shown(fig)
    assert now["edges"] and len(now["labels"]) >= 10
    text = save(page, fig, "svg", tmp_path).decode("utf-8")
    assert "var(" not in text and "<script" not in text and "<foreignObject" not in text
    root = ET.fromstring(text)
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == f"0 0 {now['width']:g} {now['height']:g}"
    edges = [
        (e.get("data-source"), e.get("data-target"), e.get("data-weight"))
        for e in root.iter(f"{SVG}path")
        if "attn-edge" in (e.get("class") or "")
    ]
    assert [list(e) for e in edges] == now["edges"]
    labels = [t.text for t in root.iter(f"{SVG}text") if "attn-label" in (t.get("class") or "") and t.text]
    assert labels == now["labels"]
    assert not [e for e in root.iter() if "attn-static" in (e.get("class") or "")]  # hidden: left out
    ground = next(root.iter(f"{SVG}rect")).get("fill")
    edge = next(e for e in root.iter(f"{SVG}path") if "attn-edge" in (e.get("class") or "")).get("stroke")
    assert re.fullmatch(r"#[0-9a-f]{6}", ground), ground
    assert (luminance(ground) < 0.2) == (scheme == "slate")
    assert edge.startswith("rgb")  # a colour, not the theme's variable
    png = save(page, fig, "png", tmp_path)
    keep(png, f"export-{scheme}.png")
    assert png_size(png) == (round(now["width"] * 2), round(now["height"] * 2))
    pixels = png_pixels(page, png)
    assert pixels["colours"] > 20  # not blank: text, edges, boxes
    r, g, b = pixels["corner"]
    assert (luminance(f"#{r:02x}{g:02x}{b:02x}") < 0.2) == (scheme == "slate")


def test_the_matrix_heat_map_travels_as_an_image(site, new_page, tmp_path) -> None:
    page = new_page(site.url, viewport={"width": 1200, "height": 900}, accept_downloads=True).page
    page.goto(site.url + "/")
    fig = page.locator("#grid.attn-ready")
    fig.locator(".attn-token[data-index='2']").click()
    root = ET.fromstring(save(page, fig, "svg", tmp_path))
    (image,) = root.iter(f"{SVG}image")
    assert image.get("href").startswith("data:image/png;base64,") and image.get("filter") == "url(#grid.tint)"
    assert next(root.iter(f"{SVG}feFlood")).get("flood-color").startswith("rgb")


def test_under_a_strict_csp(tmp_path: Path, new_page) -> None:
    """SVG needs nothing of the policy; PNG needs ``img-src blob:``."""
    config = f"site_name: CSP\ntheme:\n  name: null\n  custom_dir: {CSP_THEME}\nplugins:\n  - attention\n"
    policy = CSP + "; img-src 'self' blob:"
    with built_site(tmp_path, {"index.md": PAGE}, config, headers={"Content-Security-Policy": policy}) as s:
        url = s.url
        page = new_page(url, accept_downloads=True).page
        assert page.goto(url + "/").headers["content-security-policy"] == policy
        fig = page.locator("#arcs.attn-ready")
        fig.locator(".attn-token[data-index='3']").click()
        assert ET.fromstring(save(page, fig, "svg", tmp_path)).tag == f"{SVG}svg"
        assert png_size(save(page, fig, "png", tmp_path))[0] > 100
        # The matrix's heat map travels as a data: image, made where nothing loads it.
        grid = page.locator("#grid.attn-ready")
        grid.locator(".attn-token[data-index='2']").click()
        (image,) = ET.fromstring(save(page, grid, "svg", tmp_path)).iter(f"{SVG}image")
        assert image.get("href").startswith("data:image/png;base64,")
    # Any CSP violation is a console error, which fails the test at teardown.


WIDE = " ".join(f"w{i}" for i in range(512))


def test_a_figure_wider_than_a_canvas_saves_a_png_that_fits_one(tmp_path: Path, new_page) -> None:
    """A 512-token arcs figure is some 45,000 px wide: its PNG is drawn as large as every
    browser's canvas allows (16,384 px a side), not lost to an error; a title of text XML cannot
    hold (U+FFFF) still saves a well-formed SVG."""
    pages = {
        "index.md": f'# Wide\n\n```attention\nid: wide-figure\ntitle: "Wide \\uFFFF"\ntext: {WIDE}\n```\n'
    }
    with built_site(tmp_path, pages, MATERIAL_PALETTE_CONFIG) as s:
        page = new_page(s.url, accept_downloads=True).page
        page.goto(s.url + "/")
        fig = page.locator("#wide-figure.attn-ready")
        width = float(fig.locator("svg.attn-svg").get_attribute("width"))
        assert width > 16384
        fig.locator(".attn-token[data-index='3']").click()
        root = ET.fromstring(save(page, fig, "svg", tmp_path))
        assert next(root.iter(f"{SVG}title")).text == "Wide \ufffd"
        w, h = png_size(save(page, fig, "png", tmp_path))
        assert w == 16384 and abs(h - w * float(root.get("height")) / width) <= 1
        assert "could not" not in (fig.locator(".attn-status").text_content() or "")


def test_a_png_the_policy_refuses_says_why(tmp_path: Path, new_page) -> None:
    """Without ``img-src blob:`` the PNG cannot be drawn: the figure says so, and says the SVG works."""
    config = f"site_name: CSP\ntheme:\n  name: null\n  custom_dir: {CSP_THEME}\nplugins:\n  - attention\n"
    with built_site(tmp_path, {"index.md": PAGE}, config, headers={"Content-Security-Policy": CSP}) as s:
        watched = new_page(s.url, accept_downloads=True)
        page = watched.page
        page.goto(s.url + "/")
        fig = page.locator("#arcs.attn-ready")
        fig.locator(".attn-export[data-format='png']").click()
        status = fig.locator(".attn-status")
        page.wait_for_function("s => s.textContent.includes('PNG')", arg=status.element_handle())
        assert status.text_content() == (
            "The PNG could not be made here (the page's Content-Security-Policy must allow "
            "img-src blob:); Save SVG works."
        )
        # The browser reports the refused image itself: that, and only that, went wrong.
        assert watched.errors and all("blob:" in e and "img-src" in e for e in watched.errors), watched.errors
        watched.errors.clear()
