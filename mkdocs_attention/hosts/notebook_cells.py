"""Fences in notebooks' Markdown cells, which mkdocs-jupyter converts with nbconvert, not
Python-Markdown: they reach the page as ``<pre><code class="language-attention">`` blocks with
their header lost. The fences are read again from the notebook itself, cell by cell, and each
block is replaced by its fence's figure, in order (when the two counts agree)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

from ..convert import Outcome, Place, convert_fence
from .fence_scan import Fence, scan

#: A code block of an ``attention`` fence as nbconvert writes it.
CODE_BLOCK = re.compile(r'<pre><code class="language-attention">.*?</code></pre>', re.S)


def cell_fences(notebook: Path) -> list[tuple[int, Fence]] | None:
    """Each ``attention`` fence of the notebook's Markdown cells, with its cell's number (from 1);
    None when the notebook cannot be read."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    found = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        found += [(number, fence) for fence in scan(text.split("\n"), max_indent=None)]
    return found


def next_fence(fences: list[tuple[int, Fence]], body: str) -> tuple[int | None, str]:
    """The cell number and header of the next notebook fence with this body, taken from
    ``fences`` (``cell_fences``' list); ``(None, "")`` when there is none. For hosts that hand a
    cell's fence over with its language only and its lines counted within the cell (MyST-NB,
    mystmd)."""
    for i, (cell, fence) in enumerate(fences):
        if fence.body == body:
            del fences[: i + 1]
            return cell, fence.header
    return None, ""


def in_cell(cell: int | None, message: str) -> str:
    """A problem's message naming the notebook cell its line is counted in."""
    return message if cell is None else f"in cell {cell}: {message}"


def render_cells(
    html: str, notebook: Path, place_of: Callable[[int, int], Place], ids: set[str]
) -> tuple[str, list[Outcome]] | None:
    """``html`` with each left code block replaced by its fence's figure (``place_of(cell, line)``
    says where a fence is), and the outcomes; None when the blocks and fences do not pair up."""
    fences = cell_fences(notebook)
    blocks = list(CODE_BLOCK.finditer(html))
    if fences is None or len(fences) != len(blocks) or not blocks:
        return None
    parts, outcomes, pos = [], [], 0
    for block, (cell, fence) in zip(blocks, fences, strict=True):
        outcome = convert_fence(fence.body, fence.header, place_of(cell, fence.start + 1), ids)
        parts += [html[pos : block.start()], outcome.html]
        outcomes.append(outcome)
        pos = block.end()
    return "".join([*parts, html[pos:]]), outcomes
