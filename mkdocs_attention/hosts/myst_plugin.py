"""Jupyter Book 2 / mystmd glue: the other half of ``attention.mjs``, the MyST plugin beside
this file (``mkdocs-attention myst DIR`` writes it into a project).

mystmd drops raw HTML, so a figure reaches the page as an ``anywidget`` node: the figure's HTML
in its model, and an ES module (the widget, inlined: the core and the parts the page's figures
use) that the theme imports and renders into the node's element inside a shadow root. The plugin
gathers a page's ```` ```attention ```` fences and ``{attention-map}`` directives and runs this
module once per page with them as JSON on standard input::

    {"page": "/project/notes/one.md", "blocks": [{"line": 12, "body": …, "options": {…} | null}, …]}

``line`` is the block's opening line; ``options`` are a directive's options (a fence's header is
read back from the page, which MyST keeps no more of than the language; in a notebook, from its
Markdown cells, the fences in order). The reply, on standard
output, is the nodes that take each block's place and one message per bad block::

    {"nodes": [[{"type": "anywidget", "esm": "../_build/attention/attention-….mjs", …}], …],
     "errors": [{"line": 13, "message": "attention: unknown option 'txt'; …"}]}

A request with ``"static": true`` is for an export that runs no script (Word, PDF, LaTeX, Typst,
Markdown, JATS): each figure is then words and numbers, as Pandoc's non-HTML outputs get it (its
name, what the focus token attends to, a table of token and weight, its caption and note), in
nodes every MyST exporter renders; no widget module is written.

The plugin reports the messages as MyST errors at their lines (``--strict`` fails on them) and
keeps the rest of the page; a bad block shows its error box. ``--options`` prints the header
options, which the directive declares.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

from ..cache import shared_cache
from ..convert import Outcome, Place, convert_fence
from ..settings import CACHE_DIR
from ..sources import LoadEnv
from ..spec import OPTIONS
from ..widget_files import inlined
from .fence_scan import scan
from .notebook_cells import cell_fences, in_cell, next_fence

#: The plugin MyST loads (``mkdocs-attention myst DIR`` copies it into a project).
PLUGIN = Path(__file__).resolve().parent / "attention.mjs"
#: Where the widget's modules are written, in the project (MyST copies each into the site).
MODULE_DIR = Path("_build") / "attention"
#: The module's end, beside this file: the ``render`` the theme calls, and the dark palette.
TAIL = Path(__file__).resolve().parent / "myst_widget.mjs"
DARK = Path(__file__).resolve().parent / "myst_widget.css"
#: A directive's option line (``:heads: 2``), between its opening and its body.
OPTION_LINE = re.compile(r"^[ \t>]*:[\w-]+:")


def header_options() -> list[str]:
    """The options a fence header may hold: what ``{attention-map}`` declares."""
    return [name for name, option in OPTIONS.items() if option.header]


def module_text(parts: list[str]) -> str:
    """The widget as one ES module: the core and ``parts`` (classic scripts, run once in the
    module's scope), their style, and the ``render`` the theme calls."""
    js, css = inlined(parts)
    style = css + "\n" + DARK.read_text(encoding="utf-8")
    return f"{js}\nconst STYLE = {json.dumps(style)};\n{TAIL.read_text(encoding='utf-8')}"


def write_module(text: str, project: Path) -> Path:
    """``text`` written once under its content's hash (pages using the same parts share it, and a
    browser caches it across them)."""
    folder = project / MODULE_DIR
    path = folder / f"attention-{hashlib.sha256(text.encode()).hexdigest()[:12]}.mjs"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return path


def answer(request: dict[str, Any], project: Path) -> dict[str, Any]:
    """The reply to one page's request; ``project`` is the folder MyST runs in."""
    page = Path(str(request.get("page", "<myst>")))
    static = request.get("static") is True
    try:
        lines = page.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        lines = []
    notebook = page.suffix == ".ipynb"  # lines are a cell's: headers are found by body, in order
    in_cells = (cell_fences(page) or []) if notebook else []
    headers = {} if notebook else {fence.start + 1: fence.header for fence in scan(lines, max_indent=None)}
    shown = os.path.relpath(page, project) if page.is_absolute() else str(page)
    env = LoadEnv(
        base_dir=page.parent.resolve(), docs_dir=project, project_dir=project,
        cache=shared_cache(project / CACHE_DIR),
    )  # fmt: skip
    ids: set[str] = set()
    #: Each block's outcome, with the notebook cell its lines are counted in (None in a page).
    outcomes: list[tuple[int | None, Outcome]] = []
    for block in request.get("blocks") or []:
        line = int(block.get("line") or 0) or None
        body, options = str(block.get("body", "")), block.get("options")
        cell = None
        if isinstance(options, dict):  # a directive: its body starts after its option lines
            header: str | dict[str, str] = {str(k): str(v) for k, v in options.items()}
            before_body = line
            while before_body and before_body < len(lines) and OPTION_LINE.match(lines[before_body]):
                before_body += 1
        elif notebook:
            cell, header = next_fence(in_cells, body)
            before_body = line
        else:
            header, before_body = headers.get(line or 0, ""), line
        place = Place(shown, before_body, env)
        outcomes.append((cell, convert_fence(body, header, place, ids, summary=static)))
    if static:
        nodes = [static_nodes(o) for _, o in outcomes]
    else:
        parts = [part for _, outcome in outcomes for part in outcome.parts]
        esm = None
        if outcomes:
            module = write_module(module_text(parts), project)
            esm = Path(os.path.relpath(module, page.parent.resolve())).as_posix()
        nodes = [
            [{"type": "anywidget", "esm": esm, "model": {"html": o.html}, "class": "attention-widget"}]
            for _, o in outcomes
        ]
    errors = [
        {"line": o.error.line, "message": f"attention: {in_cell(cell, o.error.message)}"}
        for cell, o in outcomes
        if o.error is not None
    ]
    return {"nodes": nodes, "errors": errors}


def _text(value: str) -> dict[str, Any]:
    return {"type": "text", "value": value}


def _paragraph(*children: dict[str, Any]) -> dict[str, Any]:
    return {"type": "paragraph", "children": list(children)}


def _row(cells: tuple[str, str], header: bool = False) -> dict[str, Any]:
    return {
        "type": "tableRow",
        "children": [{"type": "tableCell", "header": header, "children": [_text(c)]} for c in cells],
    }


def static_nodes(outcome: Outcome) -> list[dict[str, Any]]:
    """A figure for an export that runs no script: its name, what its focus token attends to and
    a table of each token's weight, then its caption and note; a bad block, its message."""
    if outcome.error is not None:
        label = {"type": "strong", "children": [_text("attention:")]}
        return [_paragraph(label, _text(f" {outcome.error.message}"))]
    summary = outcome.summary
    assert summary is not None  # asked for
    table = {
        "type": "table",
        "children": [_row(("token", "weight"), header=True)]
        + [_row((score.token, score.text)) for score in summary.scores],
    }
    about = [_paragraph(_text(t)) for t in (summary.caption, summary.note) if t]
    return [
        _paragraph({"type": "strong", "children": [_text(summary.name)]}),
        _paragraph(_text(summary.heading)),
        table,
        *about,
    ]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args == ["--options"]:
        json.dump(header_options(), sys.stdout)
        return 0
    try:
        request = json.load(sys.stdin)
    except ValueError as exc:
        print(f"attention: the MyST plugin sent no JSON ({exc})", file=sys.stderr)
        return 2
    json.dump(answer(request, Path.cwd()), sys.stdout, ensure_ascii=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
