"""Shared test helpers: build real MkDocs sites in temporary folders."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from html import unescape
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: A figure in built HTML, whole (its id the group), as every host writes it.
FIGURE = re.compile(r'<figure class="attn" id="([^"]+)".*?</figure>', re.S)
#: A figure's payload attribute, as every host writes it.
PAYLOAD = re.compile(r"data-attn='([^']*)'")
EXAMPLE_SITE = ROOT / "example_site"
#: A mkdocs.yml elsewhere that builds the example course: its pages, its plugins, and its build
#: cache (which holds the real model's figure; a cache folder is relative to the config file).
EXAMPLE_ELSEWHERE = (
    f"INHERIT: {EXAMPLE_SITE / 'mkdocs.yml'}\ndocs_dir: {EXAMPLE_SITE / 'docs'}\n"
    f"plugins:\n  - search\n  - attention:\n      cache_dir: {EXAMPLE_SITE / '.attention-cache'}\n"
)
#: The default ``mkdocs`` theme, offline: its highlight.js comes from a CDN, and its search modal
#: script fails without the search plugin; neither is ours to fix.
PLAIN_THEME_CONFIG = (
    "site_name: Plain\ntheme:\n  name: mkdocs\n  highlightjs: false\nplugins:\n  - search\n  - attention\n"
)

#: Material with SuperFences and the plugin, offline (no Google Fonts).
MATERIAL_CONFIG = """\
site_name: Course
theme:
  name: material
  font: false
markdown_extensions:
  - pymdownx.superfences
plugins:
  - attention
"""


#: MATERIAL_CONFIG with a palette, so that Material loads its dark ("slate") scheme too.
MATERIAL_PALETTE_CONFIG = MATERIAL_CONFIG.replace(
    "  font: false\n", "  font: false\n  palette:\n    - scheme: default\n    - scheme: slate\n"
)


def figures(html: str) -> list[str]:
    """Each figure of ``html``, whole, in page order."""
    return [m.group(0) for m in FIGURE.finditer(html)]


def write_site(root: Path, pages: dict[str, str], config: str) -> Path:
    """Write ``mkdocs.yml`` and ``docs/<page>`` files; returns the config path."""
    docs = root / "docs"
    for name, text in pages.items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    cfg = root / "mkdocs.yml"
    cfg.write_text(textwrap.dedent(config).lstrip("\n"), encoding="utf-8")
    return cfg


def mkdocs_build(
    config: Path, site_dir: Path, *, strict: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run the real ``mkdocs build`` in a child process, as an author would."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site_dir)]
    if strict:
        cmd.append("--strict")
    full_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    return subprocess.run(cmd, capture_output=True, text=True, cwd=config.parent, timeout=300, env=full_env)


def has_hf() -> bool:
    """Whether the ``[hf]`` extra (torch and transformers) can be imported."""
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError:
        return False
    return True


#: For tests that run a real model: skipped, with the reason, where the ``[hf]`` extra is absent.
requires_hf = pytest.mark.skipif(
    not has_hf(), reason="needs the [hf] extra: pip install 'mkdocs-attention[hf]'"
)


def model_attentions(folder: Path, text: str | list[int]) -> Any:
    """A local model's own attentions on ``text`` (or on these token ids), in float64 with the
    eager implementation: the reference the product's weights are checked against, shape
    (layers, heads, N, N)."""
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModel.from_pretrained(folder, attn_implementation="eager", dtype=torch.float64).eval()
    with torch.no_grad():
        inputs = (
            tokenizer(text, return_tensors="pt")
            if isinstance(text, str)
            else {"input_ids": torch.tensor([text])}
        )
        out = model(**inputs, output_attentions=True)
    return torch.stack([a[0] for a in out.attentions]).numpy()


def payloads(html: str) -> list[dict]:
    """The payload of every figure in ``html``, in page order."""
    return [json.loads(unescape(m)) for m in PAYLOAD.findall(html)]


def payload(html: str) -> dict:
    """The payload of the first figure in ``html``."""
    found = PAYLOAD.search(html)
    assert found is not None, "no figure"
    return json.loads(unescape(found.group(1)))


def notebook(*cells: dict[str, Any]) -> dict[str, Any]:
    """An nbformat 4 notebook of ``cells`` with a Python 3 kernel."""
    kernel = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return {"cells": list(cells), "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 5}


def markdown_cell(cell_id: str, text: str) -> dict[str, Any]:
    """A Markdown cell whose source is ``text``, line by line as Jupyter saves it."""
    return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": text.splitlines(keepends=True)}


def code_cell(cell_id: str, source: str) -> dict[str, Any]:
    """A code cell not run yet."""
    return {
        "cell_type": "code", "id": cell_id, "metadata": {}, "execution_count": None, "outputs": [],
        "source": source.splitlines(keepends=True),
    }  # fmt: skip
