"""A real notebook: executed by nbclient on an ipykernel, exported by nbconvert, read in Chromium.
Two figures from ``show()`` (and one shown again by re-running its cell) work side by side,
offline. nbconvert's own MathJax and require.js, which it loads from a CDN, are switched off
(``mathjax_url=""``, ``require_js_url=""``): the figures need neither."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import Server, serving
from .reader import HAND
from .test_widget import FOX, FOX9, assert_edges_equal_row, edges

nbformat = pytest.importorskip("nbformat", reason="needs the test extra: nbformat")
nbclient = pytest.importorskip("nbclient", reason="needs the test extra: nbclient")
nbconvert = pytest.importorskip("nbconvert", reason="needs the test extra: nbconvert")
pytest.importorskip("ipykernel", reason="needs the test extra: ipykernel")

pytestmark = pytest.mark.browser

CELLS = [
    "from mkdocs_attention import show",
    'show("The quick brown fox jumps over the lazy dog.")',
    f"show(tokens={json.dumps(list(FOX9))}, weights={json.dumps(HAND.tolist())}, title='Hand')",
    'show("The quick brown fox jumps over the lazy dog.")',  # the first cell's figure, again
]


def executed_notebook() -> object:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code) for code in CELLS]
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3").execute()
    return nb


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("notebook")
    nb = executed_notebook()
    exporter = nbconvert.HTMLExporter(template_name="lab", mathjax_url="", require_js_url="")
    body, _ = exporter.from_notebook_node(nb)
    (root / "index.html").write_text(body, encoding="utf-8")
    (root / "favicon.ico").write_bytes(b"")  # the page names none: Chromium asks for this one
    with serving({"nb": root}) as servers:
        yield servers["nb"]


def test_the_outputs_carry_the_widget_and_no_address(exported) -> None:
    html = (Path(exported.root) / "index.html").read_text(encoding="utf-8")
    assert html.count('<figure class="attn"') == 3
    assert html.count("mkdocs-attention core:") == 3  # the core, inlined once per output


def test_figures_work_side_by_side_in_the_exported_page(exported, new_page) -> None:
    page = new_page(exported.url, viewport={"width": 1280, "height": 900}).page
    page.goto(exported.url + "/index.html")
    page.wait_for_function("document.querySelectorAll('figure.attn.attn-ready').length === 3")
    toy, hand, again = (page.locator("figure.attn").nth(i) for i in range(3))
    ids = [f.get_attribute("id") for f in (toy, hand, again)]
    assert len(set(ids)) == 3 and ids[2] == ids[0] + "-2"
    hand.locator(".attn-token[data-index='3']").click()
    page.mouse.move(1, 1)
    assert_edges_equal_row(hand, 3, HAND[3])
    toy.locator(".attn-token[data-index='2']").hover()
    assert len(edges(toy)) == len(FOX) and edges(again) == []
    assert_edges_equal_row(hand, 3, HAND[3])  # the pinned figure keeps its pin
    again.locator(".attn-token[data-index='2']").click()
    assert again.locator(".attn-pinned").count() == 1 and toy.locator(".attn-pinned").count() == 0


def test_without_scripts_the_picture_and_table_still_show(exported, browser) -> None:
    """A front-end that refuses an output's script (an untrusted notebook) keeps its HTML."""
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(exported.url + "/index.html")
        hand = page.locator("figure.attn").nth(1)
        assert hand.locator(".attn-static-edge").count() > 0 and hand.locator("svg.attn-svg").is_visible()
        assert "attn-ready" not in (hand.get_attribute("class") or "")
        hand.locator("details.attn-data > summary").click()
        assert hand.locator("table.attn-table td").first.is_visible()
    finally:
        context.close()
