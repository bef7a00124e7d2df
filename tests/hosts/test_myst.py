"""Jupyter Book 2 (mystmd) with the MyST plugin (``mkdocs-attention myst DIR``), run for real:
``jupyter-book build --site`` on a two-page book, offline. The figures are anywidget nodes with
MkDocs' figure bytes, one widget module per set of parts, copied into the site; bad blocks are
MyST errors at their lines that fail ``--strict``, with the rest of the page kept; one Python
process per page with figures.

What cannot run here: ``--html`` (the book theme's server-side app comes from the network or a
GitHub release, neither reachable), so a local stub template stands in for ``--site``'s theme
lookup; the browser test mounts the built nodes the way the theme's anywidget renderer does."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml

from mkdocs_attention.cli import main as command
from mkdocs_attention.hosts.myst_plugin import PLUGIN, TAIL
from mkdocs_attention.widget_files import ASSETS
from tests.helpers import figures, markdown_cell, notebook

pytest.importorskip("jupyter_book", reason="needs the test extra: jupyter-book")
if shutil.which("node") is None:
    pytest.skip("Jupyter Book 2 runs on Node.js, which is not installed", allow_module_level=True)

JUPYTER_BOOK = Path(sys.executable).parent / "jupyter-book"
MYST_YML = """\
version: 1
project:
  title: Course
  plugins:
    - attention.mjs
  toc:
    - file: index.md
    - file: notes/two.md
    - file: plain.md
    - file: lab.ipynb
    - file: synced.md
site:
  template: ./template
"""
INDEX = """\
# Attention

Text before.

```attention {heads=2}
The cat sat on the mat.
```

:::{attention-map}
:heads: 2
:view: matrix
a b c
:::

```attention
txt: bad
```

Text after.
"""
TWO = """\
# Two

- In a list:

  ```attention
  file: data/w.json
  ```
"""
#: Two synced figures, one with an id a link can name.
SYNCED = """\
# Synced

```attention {sync=pair id=left}
The cat sat on the mat.
```

```attention {sync=pair causal=true}
The cat sat on the mat.
```
"""
#: ``TWO``'s figure as MkDocs reads its file (relative to the page).
WEIGHTS = {"tokens": ["x", "y"], "weights": [[0.25, 0.75], [0.5, 0.5]]}
#: A notebook with a fence in a Markdown cell (its header read back from the cell).
NOTEBOOK = notebook(
    markdown_cell("c1", "# Lab\n\nSome text.\n"),
    markdown_cell("c2", "Look:\n\n```attention {view=matrix}\nThe cat sat.\n```\n"),
    markdown_cell("c3", "Bad:\n\n```attention\ntxt: x\n```\n"),
)
#: The same blocks as MkDocs fences.
AS_FENCES = [
    "```attention {heads=2}\nThe cat sat on the mat.\n```\n",
    "```attention {heads=2 view=matrix}\na b c\n```\n",
    "```attention\ntxt: bad\n```\n",
]


def jupyter_book(
    project: Path, *args: str, python: str = sys.executable, **env: str
) -> subprocess.CompletedProcess:
    """``jupyter-book build ARGS`` as a teacher runs it, the plugin's Python named (and ``env``
    added to the environment)."""
    env = {**os.environ, "MKDOCS_ATTENTION_PYTHON": python, "NO_COLOR": "1", **env}
    return subprocess.run(
        [str(JUPYTER_BOOK), "build", *args],
        capture_output=True, text=True, timeout=300, cwd=project, env=env,
    )  # fmt: skip


def build(project: Path, *args: str, python: str = sys.executable) -> subprocess.CompletedProcess:
    """``jupyter-book build --site``."""
    return jupyter_book(project, "--site", *args, python=python)


def write_book(root: Path) -> Path:
    (root / "notes" / "data").mkdir(parents=True)
    (root / "template").mkdir()
    (root / "template" / "template.yml").write_text("myst: v1\ntitle: Offline stub\nkind: site\n")
    (root / "myst.yml").write_text(MYST_YML, encoding="utf-8")
    (root / "index.md").write_text(INDEX, encoding="utf-8")
    (root / "notes" / "two.md").write_text(TWO, encoding="utf-8")
    (root / "notes" / "data" / "w.json").write_text(json.dumps(WEIGHTS), encoding="utf-8")
    (root / "plain.md").write_text("# Plain\n\nNo figure.\n", encoding="utf-8")
    (root / "synced.md").write_text(SYNCED, encoding="utf-8")
    (root / "lab.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    assert command(["myst", str(root)]) == 0
    return root


def widgets(page: Path) -> list[dict[str, Any]]:
    """The anywidget nodes of a built page, in order."""
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == "anywidget":
                found.append(node)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(page.read_text(encoding="utf-8"))["mdast"])
    return found


def text_of(page: Path) -> str:
    return json.dumps(json.loads(page.read_text(encoding="utf-8"))["mdast"])


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess, int]:
    root = write_book(tmp_path_factory.mktemp("book"))
    calls = root.parent / "calls"
    counting = root.parent / "python"  # a Python that counts its runs
    counting.write_text(f'#!/bin/sh\necho run >> "{calls}"\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    counting.chmod(counting.stat().st_mode | stat.S_IEXEC)
    result = build(root, python=str(counting))
    return root, result, calls.read_text().count("run")


def test_the_command_writes_the_plugin_and_says_how_to_list_it(tmp_path: Path, capsys) -> None:
    assert command(["myst", str(tmp_path)]) == 0
    out = capsys.readouterr()
    assert (tmp_path / "attention.mjs").read_bytes() == PLUGIN.read_bytes()
    assert out.out == "# myst.yml\nproject:\n  plugins:\n    - attention.mjs\n"


def test_figures_are_anywidget_nodes_with_the_figures_mkdocs_gives(book) -> None:
    root, result, _ = book
    assert result.returncode == 0, result.stdout + result.stderr
    nodes = widgets(root / "_build" / "site" / "content" / "index.json")
    md = markdown.Markdown(extensions=["pymdownx.superfences", "attention"])
    mkdocs = [md.reset().convert(fence) for fence in AS_FENCES]
    assert [n["model"]["html"] for n in nodes] == [
        re.search(r'<figure class="attn.*</figure>|<div class="attn-error".*</div>', h, re.S).group(0)
        for h in mkdocs
    ]
    assert {n["class"] for n in nodes} == {"attention-widget"}
    page = text_of(root / "_build" / "site" / "content" / "index.json")
    assert "Text before." in page and "Text after." in page


def test_file_sources_are_read_beside_their_page(book) -> None:
    root, _, _ = book
    (node,) = widgets(root / "_build" / "site" / "content" / "two.json")
    html = node["model"]["html"]
    assert html.startswith('<figure class="attn"') and "attn-error" not in html
    payload = json.loads(re.search(r"data-attn='([^']*)'", html).group(1).replace("&quot;", '"'))
    assert payload["tokens"] == ["x", "y"]


def test_a_notebook_s_fence_keeps_its_header_and_an_error_names_its_cell(book) -> None:
    """mystmd counts a notebook's lines within each cell: the message says which cell."""
    root, result, _ = book
    node, bad = widgets(root / "_build" / "site" / "content" / "lab.json")
    said = result.stdout + result.stderr
    assert re.search(r"lab\.ipynb:3 +attention: in cell 3: unknown option 'txt'", said), said
    assert 'class="attn-error"' in bad["model"]["html"]
    md = markdown.Markdown(extensions=["pymdownx.superfences", "attention"])
    expected = md.convert("```attention {view=matrix}\nThe cat sat.\n```\n")
    assert [node["model"]["html"]] == figures(expected)
    assert 'data-attn-view="matrix"' in node["model"]["html"]


def test_one_module_per_set_of_parts_copied_into_the_site(book) -> None:
    root, _, runs = book
    assert runs == 1 + 4  # the directive's options once, then each page with figures once
    index = widgets(root / "_build" / "site" / "content" / "index.json")
    (two,) = widgets(root / "_build" / "site" / "content" / "two.json")
    assert len({n["esm"] for n in index}) == 1 and index[0]["esm"] != two["esm"]
    public = root / "_build" / "site" / "public"
    core, matrix, tail = (
        path.read_text(encoding="utf-8") for path in (ASSETS / "attn.js", ASSETS / "attn-matrix.js", TAIL)
    )
    for node, has_matrix in ((index[0], True), (two, False)):
        assert re.fullmatch(r"/attention-[0-9a-f]{10}-[0-9a-f]{32}\.mjs", node["esm"])
        module = (public / node["esm"].lstrip("/")).read_text(encoding="utf-8")
        assert module.startswith(core) and module.endswith(tail) and module.count(core) == 1
        assert (matrix in module) == has_matrix  # the directive's view, only where it is used
    assert widgets(root / "_build" / "site" / "content" / "plain.json") == []


def test_a_bad_block_is_a_located_error_that_fails_strict(book, tmp_path: Path) -> None:
    root, result, _ = book
    said = result.stdout + result.stderr
    assert re.search(r"index\.md:15 +attention: unknown option 'txt'; did you mean 'text'\?", said), said
    assert "Traceback" not in said
    nodes = widgets(root / "_build" / "site" / "content" / "index.json")
    assert 'class="attn-error"' in nodes[2]["model"]["html"]
    strict = build(write_book(tmp_path), "--strict")
    assert strict.returncode != 0 and "unknown option 'txt'" in strict.stdout + strict.stderr


def test_the_example_course_gives_the_same_figures_in_jupyter_book_as_in_mkdocs(tmp_path: Path) -> None:
    """``example_site/myst.yml``: the course's own pages (its toc is MkDocs' nav), built by
    Jupyter Book with every figure byte for byte what ``mkdocs build`` writes."""
    from tests.helpers import EXAMPLE_SITE, mkdocs_build

    course = tmp_path / "course"
    course.mkdir()
    shutil.copytree(EXAMPLE_SITE / "docs", course / "docs")
    shutil.copytree(EXAMPLE_SITE / ".attention-cache", course / ".attention-cache")
    config = (EXAMPLE_SITE / "myst.yml").read_text(encoding="utf-8")
    nav = yaml.safe_load((EXAMPLE_SITE / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    toc = yaml.safe_load(config)["project"]["toc"]
    assert [entry["file"] for entry in toc] == ["docs/" + next(iter(page.values())) for page in nav]
    (course / "myst.yml").write_text(config.replace("template: book-theme", "template: ./template"))
    (course / "template").mkdir()
    (course / "template" / "template.yml").write_text("myst: v1\ntitle: Offline stub\nkind: site\n")
    (course / "models").symlink_to(EXAMPLE_SITE / "models")
    assert command(["myst", str(course)]) == 0
    result = build(course, "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert mkdocs_build(EXAMPLE_SITE / "mkdocs.yml", tmp_path / "mkdocs").returncode == 0
    total = 0
    for entry in toc[1:]:
        stem = Path(entry["file"]).stem
        by_myst = [
            n["model"]["html"] for n in widgets(course / "_build" / "site" / "content" / f"{stem}.json")
        ]
        by_mkdocs = figures((tmp_path / "mkdocs" / stem / "index.html").read_text(encoding="utf-8"))
        assert by_myst == by_mkdocs and by_myst, stem
        total += len(by_myst)
    assert total == 25


#: A page that asks for every export MyST can make offline (Typst and PDF need their programs).
EXPORTED = """\
---
exports:
  - format: md
  - format: jats
  - format: tex
    template: null
  - format: docx
    template: ./docx-template
---
# Attention

Text before.

```attention {heads=2}
The cat sat on the mat.
```

```attention
txt: bad
```

Text after.
"""


def test_exports_get_each_figure_as_words_and_numbers(tmp_path: Path) -> None:
    """``jupyter-book build --md --xml --tex --docx``: no export can run the widget, so each gets
    the figure's name, what its focus token attends to and a table of the weights (the numbers
    the figure's own table prints), and a bad block's message at its place; the text around
    stays, and no widget module is written. With MKDOCS_ATTENTION_MYST=widget the same build
    gets widgets, which MyST's exporters leave out with an error."""
    import zipfile

    from mkdocs_attention.convert import Place, convert_fence

    root = tmp_path / "book"
    (root / "docx-template").mkdir(parents=True)
    (root / "docx-template" / "template.yml").write_text("myst: v1\nkind: docx\n")
    (root / "myst.yml").write_text(MYST_YML.replace("  toc:\n", "  toc:\n    - file: index.md\n#", 1))
    (root / "index.md").write_text(EXPORTED, encoding="utf-8")
    assert command(["myst", str(root)]) == 0
    run = jupyter_book(root, "--md", "--xml", "--tex", "--docx")
    said = run.stdout + run.stderr
    assert "anywidget" not in said and "Traceback" not in said, said
    assert re.search(r"index\.md:18 +attention: unknown option 'txt'", said), said
    summary = convert_fence("The cat sat on the mat.", "{heads=2}", Place(), set(), summary=True).summary
    assert summary is not None
    exports = root / "_build" / "exports"
    md = (exports / "index.md").read_text(encoding="utf-8")
    assert f"**{summary.name}**" in md and summary.heading in md
    for score in summary.scores:
        assert re.search(rf"\| {re.escape(score.token)} +\| {score.text} +\|", md), md
    assert md.index("Text before.") < md.index(summary.name) < md.index("**attention:** unknown option 'txt'")
    assert "Text after." in md
    tex = (exports / "index_tex" / "index.tex").read_text(encoding="utf-8")
    assert "\\begin{tabular}" in tex and summary.name in tex
    for score in summary.scores:
        assert f"{score.token} & {score.text}" in tex
    jats = (exports / "index.xml").read_text(encoding="utf-8")
    assert summary.name in jats
    for score in summary.scores:
        assert f"<tr><td>{score.token}</td><td>{score.text}</td></tr>" in jats
    document = zipfile.ZipFile(exports / "index.doc").read("word/document.xml").decode()
    words = re.findall(r"<w:t[^>]*>([^<]*)</w:t>", document)
    assert document.count("<w:tbl>") == 1
    for score in summary.scores:
        assert score.token in words and score.text in words
    assert not (root / "_build" / "attention").exists()  # no widget for an export
    widget = jupyter_book(root, "--md", MKDOCS_ATTENTION_MYST="widget")
    assert "Unsupported node type: anywidget" in widget.stdout + widget.stderr
