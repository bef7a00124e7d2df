"""``mkdocs-attention assets DOCS_DIR``: the widget's files for a site without the MkDocs plugin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mkdocs_attention.widget_files import ASSETS


def test_the_command_copies_both_files_and_prints_the_config_lines(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs_attention", "assets", str(docs)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for name in ("attn.js", "attn.css"):
        assert (docs / "assets" / "mkdocs-attention" / name).read_bytes() == (ASSETS / name).read_bytes()
    assert "extra_javascript:\n  - assets/mkdocs-attention/attn.js\n" in result.stdout
    assert 'extra_css = ["assets/mkdocs-attention/attn.css"]' in result.stdout


def test_a_missing_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs_attention", "assets", str(tmp_path / "nope")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "is not a folder" in result.stderr and "Traceback" not in result.stderr
