"""Notebook pages in course sites, read in Chromium: a notebook executed by nbclient (``show()``
outputs) with a Markdown cell holding a fence, built by mkdocs-jupyter (MkDocs, Material) and by
MyST-NB (Sphinx, Furo)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.helpers import mkdocs_build, write_site

from .conftest import Server, serving
from .reader import HAND
from .test_notebooks import executed_notebook, nbformat
from .test_widget import assert_edges_equal_row

pytest.importorskip("mkdocs_jupyter", reason="needs the test extra: mkdocs-jupyter")
pytest.importorskip("myst_nb", reason="needs the test extra: myst-nb")

pytestmark = pytest.mark.browser

MKDOCS = """\
site_name: Notebooks
theme:
  name: material
  font: false
plugins:
  - mkdocs-jupyter
  - attention
"""
SPHINX = (
    'extensions = ["myst_nb", "mkdocs_attention.sphinx"]\nproject = "Notebooks"\n'
    'nb_execution_mode = "off"\nhtml_theme = "furo"\nhtml_favicon = "favicon.svg"\n'
)
FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>'


@pytest.fixture(scope="module")
def notebook_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Server]]:
    nb = executed_notebook()
    nb.cells.insert(
        0, nbformat.v4.new_markdown_cell("# Notebook\n\n```attention {view=matrix}\nThe cat sat.\n```\n")
    )
    root = tmp_path_factory.mktemp("mkdocs-jupyter")
    cfg = write_site(root, {"index.md": "# Home\n"}, MKDOCS)
    nbformat.write(nb, root / "docs" / "nb.ipynb")
    result = mkdocs_build(cfg, root / "site")
    assert result.returncode == 0, result.stderr
    src = tmp_path_factory.mktemp("myst-nb") / "src"
    src.mkdir()
    (src / "conf.py").write_text(SPHINX, encoding="utf-8")
    (src / "favicon.svg").write_text(FAVICON, encoding="utf-8")
    (src / "index.md").write_text("# Home\n\n```{toctree}\nnb\n```\n", encoding="utf-8")
    nbformat.write(nb, src / "nb.ipynb")
    cmd = [
        sys.executable,
        "-m",
        "sphinx",
        "--no-color",
        "-W",
        "-b",
        "html",
        str(src),
        str(src.parent / "html"),
    ]
    built = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    with serving({"mkdocs-jupyter": root / "site", "myst-nb": src.parent / "html"}) as servers:
        yield servers


@pytest.mark.parametrize("host, path", [("mkdocs-jupyter", "/nb/"), ("myst-nb", "/nb.html")])
def test_a_notebook_page_has_working_figures(notebook_sites, new_page, host: str, path: str) -> None:
    site = notebook_sites[host]
    page = new_page(site.url, viewport={"width": 1280, "height": 900}).page
    page.goto(site.url + path)
    # The Markdown cell's fence and the three show() outputs, each mounted once.
    page.wait_for_function("document.querySelectorAll('figure.attn.attn-ready').length === 4")
    figs = page.locator("figure.attn")
    assert figs.nth(0).get_attribute("data-attn-view") == "matrix"
    hand = figs.nth(2)
    hand.locator(".attn-token[data-index='3']").click()
    page.mouse.move(1, 1)
    assert_edges_equal_row(hand, 3, HAND[3])
    assert figs.nth(1).locator(".attn-edge").count() == 0
