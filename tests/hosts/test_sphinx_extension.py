"""The Sphinx host, built for real: ``sphinx-build`` in a child process (``-j 2``, ``-W``, other
builders, an incremental rebuild) over one small project in reStructuredText and MyST, and
``sphinx.testing``'s ``make_app`` in this process for warnings."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import markdown
import pytest

pytest.importorskip("sphinx", reason="needs the [sphinx] extra: pip install 'mkdocs-attention[sphinx]'")
pytest.importorskip("myst_parser", reason="needs the test extra: myst-parser")

import sphinx

from tests.helpers import code_cell, figures, markdown_cell, notebook, payload

#: What Sphinx adds of its own, by version: a static file's checksum (7.1), a warning's type (8.0).
STAMP = r"\?v=[0-9a-f]+" if sphinx.version_info >= (7, 1) else ""
TYPE = " [attention]" if sphinx.version_info >= (8, 0) else ""

FOX = "The quick brown fox jumps over the lazy dog."
CONF = """\
extensions = ["myst_parser", "mkdocs_attention.sphinx"]
project = "Course"
copyright = "2026, A Teacher"
version = "1"
numfig = True
myst_enable_extensions = ["colon_fence"]
exclude_patterns = ["_build"]
"""
#: The MyST page: its fences are written as a MkDocs page would write them.
MYST_FENCES = f"""\
```attention
{FOX}
```

```attention {{heads=2 title="Two heads"}}
a b c
```

```attention
tokens: [a, b]
weights: [[1, 0], [0.25, 0.75]]
```

> ```attention {{view=matrix}}
> a b c d
> ```
"""
PAGES = {
    "index.rst": f"""\
        Course
        ======

        .. toctree::

           myst
           data
           plain
           p1
           p2
           p3

        .. attention-map::
           :view: matrix

           {FOX}

        .. attention-map::
           :caption: The fox, numbered.
           :name: fox-figure

           text: The fox ran.

        See :numref:`fox-figure`.
        """,
    "myst.md": "# MyST\n\n"
    + MYST_FENCES
    + """
```{attention-map}
:view: lines
:heads: 2

The dog ran.
```

:::{attention-map}
:view: matrix

The cat sat.
:::

```{attention}
An admonition, left alone.
```
""",
    "data.md": "# Data\n\n```attention\nfile: data/two.json\n```\n",
    "plain.rst": "Plain\n=====\n\nNo figure here.\n",
    **{f"p{i}.rst": f"Page {i}\n======\n\n.. attention-map::\n\n   Page number {i}.\n" for i in (1, 2)},
    "p3.rst": "Page 3\n======\n\n.. attention-map::\n   :class: wide\n   :align: center\n\n   Page number 3.\n",
}
TWO = {"tokens": ["a", "b"], "attention": [[1, 0], [0.5, 0.5]]}


def write_project(root: Path, pages: dict[str, str] = PAGES, conf: str = CONF) -> Path:
    src = root / "src"
    for name, text in pages.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_text(textwrap.dedent(text), encoding="utf-8")
    (src / "conf.py").write_text(conf, encoding="utf-8")
    (src / "data").mkdir(exist_ok=True)
    (src / "data" / "two.json").write_text(json.dumps(TWO), encoding="utf-8")
    return src


def sphinx_build(src: Path, out: Path, *args: str) -> subprocess.CompletedProcess:
    """The real ``sphinx-build``, as an author runs it (without colours, which it writes when
    it thinks it is on a terminal, as under CI)."""
    cmd = [sys.executable, "-m", "sphinx", "--no-color", *args, str(src), str(out)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess]:
    root = tmp_path_factory.mktemp("sphinx")
    src = write_project(root)
    out = root / "html"
    result = sphinx_build(src, out, "-W", "-j", "2", "-b", "html")
    assert result.returncode == 0, result.stderr
    return src, out, result


def test_the_directive_and_every_myst_form_become_figures(project) -> None:
    _, out, _ = project
    assert len(figures((out / "index.html").read_text(encoding="utf-8"))) == 2
    myst = (out / "myst.html").read_text(encoding="utf-8")
    found = figures(myst)
    assert [payload(f)["tokens"] for f in found] == [
        ["The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog", "."],
        ["a", "b", "c"],
        ["a", "b"],
        ["a", "b", "c", "d"],
        ["The", "dog", "ran", "."],
        ["The", "cat", "sat", "."],
    ]
    assert [len(payload(f)["heads"]) for f in found] == [1, 2, 1, 1, 2, 1]
    assert [payload(f)["view"] for f in found] == ["arcs", "arcs", "arcs", "matrix", "lines", "matrix"]
    assert "An admonition, left alone." in myst and 'class="admonition attention"' in myst
    assert "highlight-attention" not in myst


def test_a_fence_gives_the_same_figure_bytes_as_in_mkdocs(project) -> None:
    """Parity: the MyST page's fences and the rST directive, converted by Python-Markdown as
    MkDocs does, give byte-identical figures (ids, SVG, payload, table)."""
    _, out, _ = project
    md = markdown.Markdown(extensions=["pymdownx.superfences", "attention"])
    expected = figures(md.convert(MYST_FENCES))
    assert len(expected) == 4
    assert figures((out / "myst.html").read_text(encoding="utf-8"))[:4] == expected
    directive = figures((out / "index.html").read_text(encoding="utf-8"))[0]
    assert directive == figures(md.reset().convert(f"```attention {{view=matrix}}\n{FOX}\n```\n"))[0]


def test_assets_are_static_files_on_the_pages_with_figures_only(project) -> None:
    _, out, _ = project
    assert (out / "_static" / "attn.js").read_bytes() == (
        Path(__file__).parents[2] / "mkdocs_attention" / "assets" / "attn.js"
    ).read_bytes()
    for page in ("index.html", "myst.html", "p1.html"):
        html = (out / page).read_text(encoding="utf-8")
        assert re.search(rf'<script src="_static/attn\.js{STAMP}"></script>', html), page
        assert re.search(rf'href="_static/attn\.css{STAMP}"', html), page
    assert "attn.js" not in (out / "plain.html").read_text(encoding="utf-8")


def test_caption_and_name_make_a_numbered_figure(project) -> None:
    _, out, _ = project
    html = (out / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<figure class="align-default" id="fox-figure">\s*<figure class="attn"', html)
    assert "Fig. 1" in html and 'href="#fox-figure"' in html
    assert "The fox, numbered." in html


def test_class_and_align_wrap_the_figure(project) -> None:
    _, out, _ = project
    html = (out / "p3.html").read_text(encoding="utf-8")
    assert '<div class="wide align-center"><figure class="attn"' in html


def test_the_build_was_parallel_and_warned_about_nothing(project) -> None:
    _, _, result = project
    assert "WARNING" not in result.stderr
    # Sphinx reads in chunks of documents ("p1 .. p3") only when it reads in parallel.
    assert re.search(r"reading sources\.\.\. \[\s*\d+%\] \S+ \.\. \S+", result.stdout), result.stdout


BAD = {
    "index.rst": """\
        Bad
        ===

        .. toctree::

           bad

        Before.

        .. attention-map::
           :view: sideways

           a b

        After.
        """,
    "bad.md": "# Bad\n\nBefore.\n\n```attention\ntokens: [a, b]\nweights: [[1, 0], [0.5\n```\n\nAfter.\n\n"
    "```{attention-map}\n:view: matrix\n\nview: lines\ntext: a b\n```\n",
}


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess]:
    root = tmp_path_factory.mktemp("bad")
    src = write_project(root, BAD)
    return src, sphinx_build(src, root / "html", "-W", "--keep-going", "-b", "html")


def test_a_bad_fence_is_a_located_warning_and_fails_w(bad_build) -> None:
    src, result = bad_build
    assert result.returncode != 0
    # By file and line (a directive warns while its page is parsed, a MyST fence after).
    lines = sorted(
        (line for line in result.stderr.splitlines() if "attention:" in line),
        key=lambda line: (line.split(":")[0], int(line.split(":")[1])),
    )
    assert len(lines) == 3, result.stderr
    assert lines[0].startswith(f"{src / 'bad.md'}:7: WARNING: attention: ") and lines[0].endswith(TYPE)
    assert lines[1] == (
        f"{src / 'bad.md'}:12: WARNING: attention: 'view' is given both in the fence header "
        f"and in the body{TYPE}"
    )
    assert lines[2].startswith(f"{src / 'index.rst'}:10: WARNING: attention: ") and "sideways" in lines[2]
    assert "Traceback" not in result.stderr


def test_a_bad_fence_keeps_the_rest_of_its_page(bad_build) -> None:
    src, _ = bad_build
    html = (src.parent / "html" / "bad.html").read_text(encoding="utf-8")
    assert "Before." in html and "After." in html and 'class="attn-error"' in html


def test_suppress_warnings_silences_attention_warnings(tmp_path: Path) -> None:
    src = write_project(tmp_path, BAD)
    result = sphinx_build(src, tmp_path / "html", "-W", "-D", "suppress_warnings=attention", "-b", "html")
    assert result.returncode == 0, result.stderr


def test_an_edited_data_file_rebuilds_only_its_page(tmp_path: Path) -> None:
    src = write_project(tmp_path)
    out = tmp_path / "html"
    assert sphinx_build(src, out, "-b", "html").returncode == 0
    before = payload(figures((out / "data.html").read_text(encoding="utf-8"))[0])
    (src / "data" / "two.json").write_text(json.dumps({**TWO, "attention": [[0, 1], [1, 0]]}))
    again = sphinx_build(src, out, "-b", "html")
    assert again.returncode == 0, again.stderr
    read = re.search(r"(\d+) changed", again.stdout)
    assert read and read.group(1) == "1", again.stdout
    after = payload(figures((out / "data.html").read_text(encoding="utf-8"))[0])
    assert after["w"] != before["w"]
    # An edited page: it alone is read again, and its figure follows.
    (src / "p1.rst").write_text("Page 1\n======\n\n.. attention-map::\n\n   Page one, edited.\n")
    edited = sphinx_build(src, out, "-b", "html")
    read = re.search(r"(\d+) changed", edited.stdout)
    assert read and read.group(1) == "1", edited.stdout
    assert payload(figures((out / "p1.html").read_text(encoding="utf-8"))[0])["tokens"][-2] == "edited"


@pytest.mark.parametrize("builder", ["text", "latex", "epub", "dirhtml", "singlehtml", "man"])
def test_every_builder_builds(project, tmp_path: Path, builder: str) -> None:
    src, _, _ = project
    copy = tmp_path / "src"
    shutil.copytree(src, copy)
    out = tmp_path / builder
    result = sphinx_build(copy, out, "-W", "-b", builder, "-d", str(tmp_path / "doctrees"))
    assert result.returncode == 0, result.stderr
    if builder == "text":
        text = (out / "myst.txt").read_text(encoding="utf-8")
        # The focus token of [[1, 0], [0.25, 0.75]] is "a" (its row holds the largest weight).
        assert "**Attention over: a b**" in text
        assert re.search(r"Layer 1, Head 1: what .a. attends to\s+\+-+\+-+\+\s+\| token\s+\| weight", text)
        assert re.search(r"\| a\s+\| 1\.00\s+\|", text) and re.search(r"\| b\s+\| 0\.00\s+\|", text)
    elif builder == "latex":
        tex = next(out.glob("*.tex")).read_text(encoding="utf-8")
        assert r"\begin{tabulary}" in tex or r"\begin{tabular" in tex
        assert "Attention over: a b" in tex and "1.00" in tex and "figure class" not in tex
    elif builder == "man":
        man = next(out.rglob("*.1")).read_text(encoding="utf-8")
        assert "Attention over: The quick brown fox" in man and re.search(r"^[01]\.\d\d$", man, re.M)
    elif builder in ("epub", "dirhtml", "singlehtml"):
        pages = list(out.rglob("*.html")) + list(out.rglob("*.xhtml"))
        html = "".join(p.read_text(encoding="utf-8") for p in pages)
        assert len(figures(html)) >= 10
        assert (out / "_static" / "attn.js").exists() or (out / "OEBPS" / "_static" / "attn.js").exists()


def test_make_app_reports_through_sphinx_logging(tmp_path: Path, make_app) -> None:
    """In-process, with ``sphinx.testing``: the warning goes to Sphinx's warning stream."""
    src = write_project(tmp_path, BAD)
    if sphinx.version_info < (7, 2):  # sphinx.testing took its own path type
        from sphinx.testing.path import path

        src = path(str(src))
    app = make_app("html", srcdir=src)
    app.build()
    warnings = app._warning.getvalue()
    assert "bad.md:7: WARNING: attention: " in warnings
    assert TYPE in warnings


NOTEBOOK = notebook(
    markdown_cell("c1", "# Notebook\n\n```attention\nThe cat sat.\n```\n"),
    code_cell("c2", "print(1)"),
    markdown_cell("c3", "Bad:\n\n```attention\ntxt: x\n```\n"),
)


def test_myst_nb_renders_a_fence_in_a_notebook_markdown_cell(tmp_path: Path) -> None:
    pytest.importorskip("myst_nb", reason="needs the test extra: myst-nb")
    conf = 'extensions = ["myst_nb", "mkdocs_attention.sphinx"]\nproject = "NB"\nnb_execution_mode = "off"\n'
    src = write_project(tmp_path, {"index.rst": "NB\n==\n\n.. toctree::\n\n   nb\n"}, conf)
    (src / "nb.ipynb").write_text(json.dumps(NOTEBOOK), encoding="utf-8")
    result = sphinx_build(src, tmp_path / "html", "-b", "html")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "html" / "nb.html").read_text(encoding="utf-8")
    md = markdown.Markdown(extensions=["attention"])
    assert figures(html) == figures(md.convert("```attention\nThe cat sat.\n```\n"))
    assert 'class="attn-error"' in html and "_static/attn.js" in html
    # MyST-NB numbers a notebook's lines by cell: the third cell's lines are 30000 and up.
    (warning,) = [line for line in result.stderr.splitlines() if "attention:" in line]
    assert warning.startswith(
        f"{src / 'nb.ipynb'}:30004: WARNING: attention: in cell 3: unknown option 'txt'"
    )


def test_the_example_course_gives_the_same_figures_in_sphinx_as_in_mkdocs(tmp_path: Path) -> None:
    """``make demo-sphinx``'s build: the MkDocs course's own pages, through MyST and Furo, with
    every figure byte for byte what ``mkdocs build`` writes."""
    pytest.importorskip("furo", reason="needs the test extra: furo")
    from tests.helpers import EXAMPLE_SITE, mkdocs_build

    result = sphinx_build(
        EXAMPLE_SITE / "docs", tmp_path / "sphinx", "-W", "-c", str(EXAMPLE_SITE / "sphinx"), "-b", "html"
    )
    assert result.returncode == 0, result.stderr
    assert mkdocs_build(EXAMPLE_SITE / "mkdocs.yml", tmp_path / "mkdocs").returncode == 0
    total = 0
    for page in (
        "self-attention",
        "step-by-step",
        "views",
        "heads",
        "beyond-weights",
        "writing",
        "translation",
    ):
        by_sphinx = figures((tmp_path / "sphinx" / f"{page}.html").read_text(encoding="utf-8"))
        by_mkdocs = figures((tmp_path / "mkdocs" / page / "index.html").read_text(encoding="utf-8"))
        assert by_sphinx == by_mkdocs and by_sphinx, page
        total += len(by_sphinx)
    assert total == 25


def test_singlehtml_gives_each_figure_of_its_one_page_its_own_id(tmp_path: Path) -> None:
    """Two chapters with ``id: example`` and one fence in both: on singlehtml's one page each
    figure and each of its parts has its own id; the author's id given twice is a warning."""
    fence = ".. attention-map::\n   :id: example\n\n   {}\n\n.. attention-map::\n\n   The same in both.\n"
    pages = {
        "index.rst": "Book\n====\n\n.. toctree::\n\n   one\n   two\n",
        "one.rst": "One\n===\n\n" + fence.format("Chapter one."),
        "two.rst": "Two\n===\n\n" + fence.format("Chapter two."),
    }
    src = write_project(tmp_path, pages)
    result = sphinx_build(src, tmp_path / "out", "-b", "singlehtml")
    assert result.returncode == 0, result.stderr
    assert re.search(
        r"two\.rst:\d+: WARNING: attention: 'id' 'example' is also the id of another element or figure",
        result.stderr,
    )
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    every = re.findall(r'\bid="([^"]+)"', html)
    assert len(every) == len(set(every)), sorted({i for i in every if every.count(i) > 1})
    ids = [i for i in re.findall(r'<figure class="attn" id="([^"]+)"', html)]
    assert ids[:2] == ["example", ids[1]] and ids[2] == "example-2" and ids[3] == ids[1] + "-2"
    assert 'aria-labelledby="example-2.name"' in html
    assert sphinx_build(src, tmp_path / "strict", "-W", "-b", "singlehtml").returncode != 0


def test_a_figure_id_a_section_has_is_renamed_and_warned_about(tmp_path: Path) -> None:
    pages = {"index.rst": "Example\n=======\n\n.. attention-map::\n   :id: example\n\n   The cat sat.\n"}
    src = write_project(tmp_path, pages)
    result = sphinx_build(src, tmp_path / "out", "-b", "html")
    assert result.returncode == 0, result.stderr
    assert re.search(
        r"index\.rst:\d+: WARNING: attention: 'id' 'example' is also the id of another", result.stderr
    )
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert '<figure class="attn" id="example-2"' in html and 'aria-labelledby="example-2.name"' in html
