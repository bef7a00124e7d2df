"""Pandoc with the Lua filter (``mkdocs-attention pandoc``), run for real (Pandoc 3 from
``pypandoc-binary``) on a two-page set of course notes: the same figures as MkDocs gives the same
fences, one Python process per document, the widget once per HTML document with figures, located
messages found in the source, a failing render when asked, and words and numbers in LaTeX."""

from __future__ import annotations

import importlib.util
import os
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import markdown
import pytest

from mkdocs_attention.cli import main as command
from mkdocs_attention.hosts.quarto_extension import FILTER
from mkdocs_attention.settings import ASSET_DIR
from mkdocs_attention.widget_files import ASSETS, FILES
from tests.helpers import EXAMPLE_SITE, figures, mkdocs_build

pypandoc = pytest.importorskip("pypandoc", reason="needs the test extra: pypandoc-binary")

VIEWS = (EXAMPLE_SITE / "docs" / "views.md").read_text(encoding="utf-8")
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
    assert figures(html) == figures(mkdocs_like)
    assert len(figures(html)) == 2 and "Text before." in html and "Text after." in html
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
    assert 'class="attn-error"' in html and "And the next item." in html and len(figures(html)) == 2
    failing = pandoc(
        notes, "notes/two.md", "-s", "-o", str(tmp_path / "x.html"), "--metadata", "title=T",
        "--metadata", "attention-fail-on-error=true",
    )  # fmt: skip
    assert failing.returncode != 0
    assert failing.stderr.splitlines() == [
        "notes/two.md:5: attention: unknown option 'txt'; did you mean 'text'?",
        "attention: 1 bad block(s), and attention-fail-on-error is set",
    ]


def test_linked_assets_and_embedded_resources(notes: Path, tmp_path: Path) -> None:
    """``attention-assets`` links the widget's files (the core, then the figures' parts) instead
    of writing them in; with ``--embed-resources`` Pandoc then inlines those files itself."""
    assert command(["assets", str(notes)]) == 0
    linked = tmp_path / "linked.html"
    meta = ["--metadata", "title=One", "--metadata", "attention-assets=assets/mkdocs-attention/"]
    assert pandoc(notes, "notes/one.md", "-s", "-o", str(linked), *meta).returncode == 0
    html = linked.read_text(encoding="utf-8")
    scripts = re.findall(r'<script src="([^"]+)"></script>', html)
    assert scripts == [
        f"assets/mkdocs-attention/{n}"
        for n in ("attn.js", "attn-arcs.js", "attn-math.js", "attn-controls.js")
    ]
    assert (ASSETS / "attn.js").read_text(encoding="utf-8") not in html and len(figures(html)) == 2
    embedded = tmp_path / "embedded.html"
    result = pandoc(notes, "notes/one.md", "-s", "--embed-resources", "-o", str(embedded), *meta)
    assert result.returncode == 0, result.stderr
    html = embedded.read_text(encoding="utf-8")
    assert "assets/mkdocs-attention/" not in html and len(figures(html)) == 2
    assert "mkdocsAttention" in html  # the core, now inside the page


def test_a_python_without_the_package_is_a_message_not_a_traceback(notes: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "python"  # a Python that has no mkdocs-attention
    elsewhere.write_text(
        "#!/bin/sh\necho \"$0: No module named 'mkdocs_attention'\" >&2\nexit 1\n", encoding="utf-8"
    )
    elsewhere.chmod(elsewhere.stat().st_mode | stat.S_IEXEC)
    result = pandoc(notes, "notes/one.md", "-o", str(tmp_path / "x.html"), python=str(elsewhere))
    assert result.returncode != 0 and "traceback" not in result.stderr.lower()
    assert f"attention: {elsewhere} -m mkdocs_attention.hosts.pandoc_filter failed" in result.stderr
    assert "No module named 'mkdocs_attention'" in result.stderr


def test_latex_gets_the_figure_as_words_and_numbers(notes: Path, tmp_path: Path) -> None:
    out = tmp_path / "one.tex"
    result = pandoc(notes, "notes/one.md", "-s", "-o", str(out))
    assert result.returncode == 0, result.stderr
    tex = out.read_text(encoding="utf-8")
    assert "\\textbf{Two heads}" in tex and "token & weight" in tex and "<figure" not in tex
    assert "mkdocsAttention" not in tex and re.search(r"cat & 0\.\d\d", tex)


def render_course(out: Path, to: str = "html") -> list[tuple[str, float]]:
    """``make demo-pandoc``'s render: ``example_site/pandoc/render.py``, run as that target runs it."""
    spec = importlib.util.spec_from_file_location("course_render", EXAMPLE_SITE / "pandoc" / "render.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.render(out, to)


def test_the_example_course_gives_the_same_figures_in_pandoc_as_in_mkdocs(tmp_path: Path) -> None:
    """Every page of the course, rendered by Pandoc with the filter (the build fails on a bad
    block: `attention-fail-on-error`), has MkDocs' figures byte for byte, the widget once, and
    the course's navigation; the index, which has no figure, has no widget."""
    times = render_course(tmp_path / "pandoc")
    assert times[0][0] == "index.md" and len(times) == 8
    assert mkdocs_build(EXAMPLE_SITE / "mkdocs.yml", tmp_path / "mkdocs").returncode == 0
    total = 0
    for page, _ in times[1:]:
        stem = Path(page).stem
        html = (tmp_path / "pandoc" / f"{stem}.html").read_text(encoding="utf-8")
        by_mkdocs = (tmp_path / "mkdocs" / stem / "index.html").read_text(encoding="utf-8")
        found = figures(html)
        assert found == figures(by_mkdocs) and found, page
        # the widget's files linked from the one copy the pages share, the core's first
        assert html.count('<script src="assets/mkdocs-attention/attn.js"></script>') == 1
        assert '<link rel="stylesheet" href="assets/mkdocs-attention/attn.css">' in html
        assert (ASSETS / "attn.js").read_text(encoding="utf-8") not in html
        assert f'<a href="{stem}.html" aria-current="page">' in html
        source = (EXAMPLE_SITE / "docs" / page).read_text(encoding="utf-8")
        assert html.count('<div class="admonition') == source.count("\n!!! ")
        total += len(found)
    assert total == 25
    assert "mkdocs-attention/attn" not in (tmp_path / "pandoc" / "index.html").read_text(encoding="utf-8")
    for name in FILES:
        assert (tmp_path / "pandoc" / ASSET_DIR / name).read_bytes() == (ASSETS / name).read_bytes()


def test_docx_gets_each_figure_as_words_and_numbers(tmp_path: Path) -> None:
    """The course's "Three ways to look" page as a Word document: each figure its name, the
    heading of its focus token's weights and a table of them, no HTML or script."""
    render_course(tmp_path, "docx")
    with zipfile.ZipFile(tmp_path / "views.docx") as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    words = re.sub(r"<[^>]+>", " ", xml)
    assert xml.count("<w:tbl>") == len(re.findall("^```attention", VIEWS, re.M)) == 4
    assert "token" in words and "weight" in words and re.search(r"\b0\.\d\d\b", words)
    assert "mkdocsAttention" not in xml and "&lt;svg" not in xml and "<figure" not in words
