"""Pandoc with the Lua filter (``mkdocs-attention pandoc``), run for real (Pandoc 3 from
``pypandoc-binary``) on a two-page set of course notes: the same figures as MkDocs gives the same
fences, one Python process per document, the widget once per HTML document with figures, located
messages found in the source, a failing render when asked, and words and numbers in LaTeX."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

from mkdocs_attention.cli import main as command
from mkdocs_attention.hosts.quarto_extension import FILTER
from mkdocs_attention.widget_files import ASSETS

pypandoc = pytest.importorskip("pypandoc", reason="needs the test extra: pypandoc-binary")

FIGURE = re.compile(r'<figure class="attn" id="([^"]+)".*?</figure>', re.S)
ONE = """\
# One

Text before.

```attention
The cat sat on the mat.
```

```{.attention heads=2 title="Two heads"}
a b c
```

Text after.
"""
TWO = """\
# Two

- A list item with a bad block:

    ```attention
    txt: bad
    ```

- And the next item.
"""


def pandoc(cwd: Path, *args: str, python: str = sys.executable) -> subprocess.CompletedProcess:
    """The real ``pandoc`` with the filter, as a teacher runs it (the filter's Python named)."""
    env = {**os.environ, "MKDOCS_ATTENTION_PYTHON": python}
    cmd = [pypandoc.get_pandoc_path(), *args, "--lua-filter", str(FILTER)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pandoc")
    (root / "notes").mkdir()
    (root / "notes" / "one.md").write_text(ONE, encoding="utf-8")
    (root / "notes" / "two.md").write_text(TWO, encoding="utf-8")
    (root / "notes" / "plain.md").write_text("# Plain\n\nNo figure.\n", encoding="utf-8")
    return root


def test_the_command_names_the_filter(capsys) -> None:
    assert command(["pandoc"]) == 0
    assert Path(capsys.readouterr().out.strip()) == FILTER and FILTER.is_file()


def test_html_has_the_figures_mkdocs_gives_and_the_widget_once(notes: Path, tmp_path: Path) -> None:
    calls = tmp_path / "calls"
    counting = tmp_path / "python"  # a Python that counts its runs
    counting.write_text(f'#!/bin/sh\necho run >> "{calls}"\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    counting.chmod(counting.stat().st_mode | stat.S_IEXEC)
    out = tmp_path / "one.html"
    result = pandoc(
        notes, "notes/one.md", "-s", "-o", str(out), "--metadata", "title=One", python=str(counting)
    )
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert calls.read_text().count("run") == 1  # one process for the document's two blocks
    html = out.read_text(encoding="utf-8")
    md = markdown.Markdown(extensions=["pymdownx.superfences", "attention"])
    mkdocs_like = md.convert(ONE.replace("```{.attention heads=2", "```attention {heads=2"))
    assert [m.group(0) for m in FIGURE.finditer(html)] == [m.group(0) for m in FIGURE.finditer(mkdocs_like)]
    assert len(FIGURE.findall(html)) == 2 and "Text before." in html and "Text after." in html
    scripts = [s for s in re.findall(r"<script>(.*?)</script>", html, re.S) if "mkdocsAttention" in s]
    assert len(scripts) == 1 and scripts[0].startswith((ASSETS / "attn.js").read_text(encoding="utf-8"))
    assert (ASSETS / "attn-controls.js").read_text(encoding="utf-8") in scripts[0]  # two heads
    plain = tmp_path / "plain.html"
    assert pandoc(notes, "notes/plain.md", "-s", "-o", str(plain), "--metadata", "title=P").returncode == 0
    assert "mkdocsAttention" not in plain.read_text(encoding="utf-8")


def test_a_bad_block_is_located_in_its_file_and_the_rest_is_kept(notes: Path, tmp_path: Path) -> None:
    out = tmp_path / "both.html"
    result = pandoc(notes, "notes/one.md", "notes/two.md", "-s", "-o", str(out), "--metadata", "title=Both")
    assert result.returncode == 0
    assert result.stderr == "notes/two.md:5: attention: unknown option 'txt'; did you mean 'text'?\n"
    html = out.read_text(encoding="utf-8")
    assert 'class="attn-error"' in html and "And the next item." in html and len(FIGURE.findall(html)) == 2
    failing = pandoc(
        notes, "notes/two.md", "-s", "-o", str(tmp_path / "x.html"), "--metadata", "title=T",
        "--metadata", "attention-fail-on-error=true",
    )  # fmt: skip
    assert failing.returncode != 0
    assert failing.stderr.splitlines() == [
        "notes/two.md:5: attention: unknown option 'txt'; did you mean 'text'?",
        "attention: 1 bad block(s), and attention-fail-on-error is set",
    ]


def test_latex_gets_the_figure_as_words_and_numbers(notes: Path, tmp_path: Path) -> None:
    out = tmp_path / "one.tex"
    result = pandoc(notes, "notes/one.md", "-s", "-o", str(out))
    assert result.returncode == 0, result.stderr
    tex = out.read_text(encoding="utf-8")
    assert "\\textbf{Two heads}" in tex and "token & weight" in tex and "<figure" not in tex
    assert "mkdocsAttention" not in tex and re.search(r"cat & 0\.\d\d", tex)
