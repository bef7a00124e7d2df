"""A Material course site beside the plugins teachers combine with it, built for real once:
Material's blog (excerpts rendered on its views), mkdocstrings (docstrings rendered into a page),
pymdownx.snippets (Markdown included before us), minify and Material's privacy plugin (HTML
rewriters; privacy only reports external assets here, it never fetches) and mkdocs-jupyter
(notebook cells converted without Python-Markdown)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers import mkdocs_build, payloads, write_site

pytest.importorskip("mkdocstrings", reason="needs the test extra: mkdocstrings[python]")
pytest.importorskip("mkdocs_minify_plugin", reason="needs the test extra: mkdocs-minify-plugin")
pytest.importorskip("mkdocs_jupyter", reason="needs the test extra: mkdocs-jupyter")

CONFIG = """\
site_name: Course
theme:
  name: material
  font: false
markdown_extensions:
  - admonition
  - pymdownx.superfences
  - pymdownx.snippets:
      base_path: [docs/snippets]
plugins:
  - search
  - blog
  - minify:
      minify_html: true
  - privacy:
      assets_fetch: false
  - mkdocs-jupyter
  - attention
  - mkdocstrings:
      handlers:
        python:
          paths: [src]
exclude_docs: |
  snippets/
"""
HOSTILE_TOKENS = ["&amp;", "&lt;", "&copy 2024", "<img src=//host/p.png>"]
NOTEBOOK = {
    "cells": [
        {
            "cell_type": "markdown",
            "id": "c1",
            "metadata": {},
            "source": ["# Notebook\n", "\n", "```attention {view=matrix}\n", "The cat sat.\n", "```\n"],
        },
        {
            "cell_type": "markdown",
            "id": "c2",
            "metadata": {},
            "source": ["Bad:\n", "\n", "```attention\n", "txt: x\n", "```\n"],
        },
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}
PAGES = {
    "index.md": "# Home\n",
    "blog/index.md": "# Blog\n",
    "blog/posts/first.md": "---\ndate: 2024-01-02\n---\n# First post\n\n```attention\nfile: ../../data/two.json\n"
    "```\n\n<!-- more -->\n\nMore text.\n",
    "blog/posts/second.md": "---\ndate: 2024-01-03\n---\n# Second post\n\nA short post.\n\n```attention\ntext: "
    + " ".join(f"word{i}" for i in range(40))
    + "\n```\n",
    "api.md": "# API\n\n```attention\nThe quick brown fox.\n```\n\n::: mod.f\n",
    "snippets/part.md": "Included text.\n\n```attention\ntxt: in the snippet\n```\n",
    "snip.md": '# Snippets\n\n--8<-- "part.md"\n\nBetween.\n\n```attention\ntxt: after the snippet\n```\n',
    "minify.md": f"# Minify\n\n```attention\ntokens: {json.dumps(HOSTILE_TOKENS)}\n"
    "weights: [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]\n```\n",
}
DOCSTRING = 'def f():\n    """Doc.\n\n    ```attention\n    The quick brown fox.\n    ```\n    """\n'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess, Path]:
    root = tmp_path_factory.mktemp("course")
    config = write_site(root, PAGES, CONFIG)
    (root / "docs" / "data").mkdir()
    (root / "docs" / "data" / "two.json").write_text(
        '{"tokens": ["a", "b"], "attention": [[1, 0], [0.5, 0.5]]}'
    )
    (root / "docs" / "nb.ipynb").write_text(json.dumps(NOTEBOOK))
    (root / "src").mkdir()
    (root / "src" / "mod.py").write_text(DOCSTRING)
    result = mkdocs_build(config, root / "site", strict=False)
    assert result.returncode == 0, result.stderr
    return result, root / "site"


def warnings(result: subprocess.CompletedProcess) -> list[str]:
    return re.findall(r"WARNING\s+-\s+(.*attention:.*)", result.stderr)


def test_blog_excerpts_know_their_post(site) -> None:
    # The excerpt of a post is converted again on the blog's index and archive: its file: path is
    # the post's, and nothing is reported under a view's name.
    result, out = site
    for view in ("blog/index.html", "blog/archive/2024/index.html", "blog/2024/01/02/first-post/index.html"):
        html = (out / view).read_text(encoding="utf-8")
        assert 'class="attn-error"' not in html and ["a", "b"] in [p["tokens"] for p in payloads(html)], view
    assert not [w for w in warnings(result) if "blog" in w]


def test_a_figure_does_not_count_towards_a_posts_read_time(site) -> None:
    # Its no-JavaScript table of 40 × 40 scores read as seven minutes of text.
    html = (site[1] / "blog" / "2024" / "01" / "03" / "second-post" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "1 min read" in html and "<figure" in html


def test_a_docstring_fence_and_a_page_fence_get_distinct_ids(site) -> None:
    html = (site[1] / "api" / "index.html").read_text(encoding="utf-8")
    ids = re.findall(r'<figure class="?attn"? id="?([\w-]+)', html)  # the minifier drops quotes
    assert len(ids) == 2 and len(set(ids)) == 2


def test_snippets_keep_the_authors_lines(site) -> None:
    # A fence after an included snippet keeps its line in the page; one inside the snippet is said
    # to be in included content, never given another line's number.
    found = [w for w in warnings(site[0]) if w.startswith("docs/snip.md")]
    assert found == [
        "docs/snip.md (in content another extension added to the page):?: attention: unknown "
        "option 'txt'; did you mean 'text'?",
        "docs/snip.md:7: attention: unknown option 'txt'; did you mean 'text'?",
    ]


def test_an_html_minifier_leaves_the_payload_as_written(site) -> None:
    html = (site[1] / "minify" / "index.html").read_text(encoding="utf-8")
    (payload,) = payloads(html)
    assert payload["tokens"] == HOSTILE_TOKENS
    # The privacy plugin scans the minified page for external assets: a token is not one.
    assert "<img" not in html.split("data-attn=", 1)[1].split(">", 1)[0]
    assert not [w for w in site[0].stderr.splitlines() if "host/p.png" in w]


def test_notebook_markdown_cell_fences_become_figures(site) -> None:
    """mkdocs-jupyter converts Markdown cells with nbconvert: their fences are read again from
    the notebook (header included) and rendered; a bad one is located by cell and line."""
    html = (site[1] / "nb" / "index.html").read_text(encoding="utf-8")
    assert "language-attention" not in html
    (figure,) = payloads(html)
    assert figure["view"] == "matrix" and figure["tokens"] == ["The", "cat", "sat", "."]
    assert "attn-error" in html
    assert [w for w in warnings(site[0]) if w.startswith("docs/nb.ipynb")] == [
        "docs/nb.ipynb cell 2:3: attention: unknown option 'txt'; did you mean 'text'?"
    ]
