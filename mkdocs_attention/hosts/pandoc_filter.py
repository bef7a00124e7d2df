"""Pandoc (and Quarto) glue: the other half of ``attention.lua``, the Lua filter beside this file.

The filter gathers a document's ```` ```attention ```` code blocks and runs this module once per
document with them as JSON on standard input::

    {"format": "html5", "inputs": ["notes/one.md", …], "blocks": [{"body": …, "attributes": {…}}, …]}

and reads back, on standard output, one answer per block and the widget's files::

    {"blocks": [{"html": …} | {"text": …}, …], "errors": ["notes/one.md:12: attention: …"],
     "assets": "<style>…</style><script>…</script>" | null, "files": {…} | null}

``html`` for HTML outputs (the same figure bytes as MkDocs gives the fence), ``text`` (Markdown:
the figure as words and numbers) for the others, an error box or message for a bad block.
``assets`` is the widget itself, or with ``"assets_url"`` in the request (metadata
``attention-assets``) the tags that load its files from there; under Quarto (``"quarto": true``)
``files`` replaces it: the widget's files as paths for ``quarto.doc.add_html_dependency``.

Pandoc gives blocks no source lines, so each block's line is found in the input files: the n-th
attention fence there is the n-th block (when the counts differ, no line is given, not a wrong
one). A block's attributes are its header options (```` ```{.attention heads=2} ````).
"""

from __future__ import annotations

import json
import re
import sys
from html import escape as html_escape
from pathlib import Path
from typing import Any

from .. import __version__
from ..cache import shared_cache
from ..convert import Outcome, Place, convert_fence
from ..render.summary import Summary
from ..settings import CACHE_DIR
from ..sources import LoadEnv
from ..widget_files import CSS, JS, dependency_files, inlined, page_files

#: The opening of an attention fence as Pandoc reads one: ```attention or ```{.attention …}.
OPENING = re.compile(r"^[ \t>]*(`{3,}|~{3,})\s*(attention\b|\{[^}]*\.attention\b)")
#: Output formats that show HTML.
HTML_FORMATS = (
    "html",
    "html4",
    "html5",
    "revealjs",
    "slidy",
    "slideous",
    "s5",
    "dzslides",
    "epub",
    "epub2",
    "epub3",
)


def fence_lines(inputs: list[str]) -> list[tuple[str, int | None]]:
    """``(file, line)`` of each attention fence of the input files, in order."""
    found: list[tuple[str, int | None]] = []
    for name in inputs:
        try:
            lines = Path(name).read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        found += [(name, k + 1) for k, line in enumerate(lines) if OPENING.match(line)]
    return found


def answer(request: dict[str, Any]) -> dict[str, Any]:
    """The reply to one document's request."""
    blocks = request.get("blocks") or []
    inputs = [str(name) for name in request.get("inputs") or []]
    html = str(request.get("format", "html")).split("+")[0].split("-")[0] in HTML_FORMATS
    lines = fence_lines(inputs)
    if len(lines) != len(blocks):
        lines = [(inputs[0] if len(inputs) == 1 else "<pandoc>", None)] * len(blocks)
    ids: set[str] = set()
    cache = shared_cache(Path.cwd() / CACHE_DIR)
    replies: list[dict[str, str]] = []
    errors: list[str] = []
    parts: list[str] = []
    for block, (name, line) in zip(blocks, lines, strict=True):
        page = Path(name)
        env = LoadEnv(
            base_dir=page.parent.resolve(), docs_dir=Path.cwd(), project_dir=Path.cwd(), cache=cache
        )
        header = {str(k): str(v) for k, v in (block.get("attributes") or {}).items()}
        outcome = convert_fence(
            str(block.get("body", "")), header, Place(name, line, env), ids, summary=not html
        )
        if outcome.error is not None:
            errors.append(str(outcome.error))
        parts += outcome.parts
        replies.append({"html": outcome.html} if html else {"text": as_text(outcome)})
    reply: dict[str, Any] = {"blocks": replies, "errors": errors, "assets": None, "files": None}
    if html and parts and request.get("quarto"):
        reply["files"] = {"version": __version__, **dependency_files(parts)}
    elif html and parts and request.get("assets_url"):
        reply["assets"] = linked_tags(str(request["assets_url"]), parts)
    elif html and parts:
        js, css = inlined(parts)
        reply["assets"] = f"<style>{css}</style>\n<script>{js}</script>"
    return reply


def linked_tags(url: str, parts: list[str]) -> str:
    """The tags that load the core and ``parts`` from ``url`` (a folder ``mkdocs-attention
    assets`` filled; the core loads the parts used later, links and export, from beside itself)."""
    scripts, styles = page_files(parts)
    base = html_escape(url.rstrip("/"), quote=True)
    links = "".join(f'<link rel="stylesheet" href="{base}/{name}">' for name in (CSS, *styles))
    tags = "".join(f'<script src="{base}/{name}"></script>' for name in (JS, *scripts))
    return links + "\n" + tags


def as_text(outcome: Outcome) -> str:
    """A figure as Markdown words and numbers (or its error) for outputs without a script."""
    if outcome.error is not None:
        return f"**attention: {outcome.error.message}**"
    summary: Summary | None = outcome.summary
    assert summary is not None
    rows = "\n".join(f"| {markdown_text(s.token)} | {s.text} |" for s in summary.scores)
    about = "".join(f"\n\n{t}" for t in (summary.caption, summary.note) if t)
    return f"**{summary.name}**\n\n{summary.heading}\n\n| token | weight |\n|---|---|\n{rows}{about}"


def markdown_text(text: str) -> str:
    """``text`` as literal Markdown (its punctuation escaped)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~^$@:\"'])", r"\\\1", text)


def main() -> int:
    try:
        request = json.load(sys.stdin)
    except ValueError as exc:
        print(f"attention: the Pandoc filter sent no JSON ({exc})", file=sys.stderr)
        return 2
    json.dump(answer(request), sys.stdout, ensure_ascii=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
