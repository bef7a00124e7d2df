"""The widget's two files, ``assets/attn.js`` and ``assets/attn.css``, which every host ships:
as static files (MkDocs, Sphinx, the ``assets`` command) or inlined (notebooks)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
JS, CSS = "attn.js", "attn.css"
FILES = (JS, CSS)


@cache
def widget_text(name: str) -> str:
    """The text of one of ``FILES``, read once per process."""
    return (ASSETS / name).read_text(encoding="utf-8")
