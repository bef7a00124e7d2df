"""``mkdocs-attention quarto DIR``: the Pandoc filter as a Quarto extension. Quarto itself cannot
be installed here (its PyPI package downloads the binary from elsewhere), so what is checked is
what Quarto would read: the extension's manifest, the filter it names (run by a real Pandoc, the
engine Quarto runs filters in), and the files the filter's Quarto branch would add as an HTML
dependency."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mkdocs_attention import __version__
from mkdocs_attention.cli import main as command
from mkdocs_attention.hosts.pandoc_filter import answer
from mkdocs_attention.hosts.quarto_extension import FILTER
from mkdocs_attention.widget_files import ASSETS, inlined

NOTES = "# Notes\n\n```{.attention heads=2}\nThe cat sat.\n```\n"


def test_the_command_writes_the_extension_and_says_how_to_list_it(tmp_path: Path, capsys) -> None:
    assert command(["quarto", str(tmp_path)]) == 0
    out = capsys.readouterr()
    folder = tmp_path / "_extensions" / "attention"
    manifest = yaml.safe_load((folder / "_extension.yml").read_text(encoding="utf-8"))
    assert manifest["contributes"] == {"filters": ["attention.lua"]}
    assert manifest["version"] == __version__ and manifest["quarto-required"] == ">=1.4.0"
    assert (folder / "attention.lua").read_text(encoding="utf-8") == FILTER.read_text(encoding="utf-8")
    assert out.out == "# _quarto.yml\nfilters:\n  - attention\n"
    assert f"wrote {folder / 'attention.lua'}" in out.err
    (folder / "attention.lua").write_text("-- old", encoding="utf-8")
    assert command(["quarto", str(tmp_path)]) == 0  # written again: it follows the package
    assert (folder / "attention.lua").read_text(encoding="utf-8") == FILTER.read_text(encoding="utf-8")


def test_a_missing_project_folder_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs_attention", "quarto", str(tmp_path / "nope")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2 and "is not a folder" in result.stderr and "Traceback" not in result.stderr


def test_the_extensions_filter_runs_in_pandoc(tmp_path: Path) -> None:
    pypandoc = pytest.importorskip("pypandoc", reason="needs the test extra: pypandoc-binary")
    assert command(["quarto", str(tmp_path)]) == 0
    (tmp_path / "notes.qmd").write_text(NOTES, encoding="utf-8")
    lua = tmp_path / "_extensions" / "attention" / "attention.lua"
    env = {**os.environ, "MKDOCS_ATTENTION_PYTHON": sys.executable}
    cmd = [pypandoc.get_pandoc_path(), "notes.qmd", "-f", "markdown", "-s", "-o", "notes.html"]
    result = subprocess.run(
        [*cmd, "--metadata", "title=N", "--lua-filter", str(lua)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert result.returncode == 0 and result.stderr == "", result.stderr
    html = (tmp_path / "notes.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<figure class="attn" id=', html)) == 1
    assert inlined(["arcs", "controls", "math"])[0] in html


def test_under_quarto_the_widget_is_a_dependency_of_files_not_inlined() -> None:
    request = {
        "format": "html",
        "inputs": [],
        "quarto": True,
        "blocks": [{"body": "a b c", "attributes": {"heads": "2"}}],
    }
    reply = answer(request)
    assert reply["assets"] is None and '<figure class="attn"' in reply["blocks"][0]["html"]
    files = reply["files"]
    assert files["version"] == __version__
    assert [Path(p).name for p in files["scripts"]] == [
        "attn.js",
        "attn-arcs.js",
        "attn-controls.js",
        "attn-math.js",
    ]
    assert [Path(p).name for p in files["stylesheets"]] == ["attn.css", "attn-heads.css", "attn-math.css"]
    assert [r["name"] for r in files["resources"]] == ["attn-links.js", "attn-export.js"]
    for path in [*files["scripts"], *files["stylesheets"], *(r["path"] for r in files["resources"])]:
        assert Path(path).is_absolute() and Path(path).parent == ASSETS and Path(path).is_file()
    assert answer({**request, "format": "latex"})["files"] is None  # no widget where no script runs
