"""Markdown-cell fences read again from a notebook and paired with the code blocks nbconvert made."""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs_attention.convert import Place
from mkdocs_attention.hosts.notebook_cells import cell_fences, render_cells

BLOCK = '<pre><code class="language-attention">attention\nThe cat sat.\n</code></pre>'


def notebook(tmp_path: Path, *sources: str) -> Path:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": s} for s in sources]
    cells.insert(
        1,
        {
            "cell_type": "code",
            "metadata": {},
            "source": "```attention\nnot markdown\n```",
            "outputs": [],
            "execution_count": None,
        },
    )
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    return path


def test_fences_are_found_by_cell_with_their_headers(tmp_path: Path) -> None:
    path = notebook(
        tmp_path, "# A\n\n```attention {view=matrix}\nThe cat sat.\n```\n", "~~~attention\na b\n~~~"
    )
    found = [(cell, f.header, f.body, f.start) for cell, f in cell_fences(path)]
    assert found == [(1, "{view=matrix}", "The cat sat.", 2), (3, "", "a b", 0)]


def test_blocks_pair_with_fences_in_order_or_not_at_all(tmp_path: Path) -> None:
    path = notebook(tmp_path, "```attention\nThe cat sat.\n```\n")
    where = []
    done = render_cells(
        f"<p>x</p>{BLOCK}<p>y</p>",
        path,
        lambda cell, line: where.append((cell, line)) or Place("nb", line),
        set(),
    )
    assert done is not None
    html, outcomes = done
    assert html.startswith('<p>x</p><figure class="attn"') and html.endswith("</figure><p>y</p>")
    assert where == [(1, 1)] and outcomes[0].error is None
    assert render_cells(BLOCK * 2, path, lambda cell, line: Place("nb", line), set()) is None
    assert (
        render_cells(BLOCK, tmp_path / "missing.ipynb", lambda cell, line: Place("nb", line), set()) is None
    )
