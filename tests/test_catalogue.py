"""The catalogue of bad fences, through real ``mkdocs build``s, strict and not.

Every case must give its own message at its own ``page:line`` (the fence's opening line, or the
body line YAML names), fail ``--strict``, and in a non-strict build become one ``attn-error``
box while every paragraph around it survives. Both set-ups: plain Markdown and SuperFences.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import numpy as np
import pytest

from tests.helpers import has_hf, mkdocs_build, write_site

W2 = "[[1, 0], [0, 1]]"
# (header, body, expected message, body line of the problem or None for the fence line)
CASES: list[tuple[str, str, str | dict[str, str], int | None]] = [
    ("", "", "the fence is empty", None),
    ("", "   ", "the fence is empty", None),
    ("", "txt: The fox.", "unknown option 'txt'; did you mean 'text'?", None),
    ("", "text: a\nhaeds: 2", "unknown option 'haeds'; did you mean 'heads'?", None),
    ("", "Colour: red", "(a sentence starting with 'Word:' reads as YAML", None),
    ("", "text: a b\ntokens: [a, b]", "give either 'text' or 'tokens', not both", None),
    ("", "heads: 2", "nothing to show", None),
    ("", "text: a\nheads: two", "'heads' must be a whole number, not 'two'", None),
    ("", "text: a\nheads: 0", "'heads' must be between 1 and 64, not 0", None),
    ("", "text: a\nheads: 100", "'heads' must be between 1 and 64, not 100", None),
    ("", "text: a\ndim: 1", "'dim' must be between 2 and 1024, not 1", None),
    ("", "text: a\nheads: 3", "'dim' (32) must be a multiple of 'heads' (3)", None),
    ("", "text: a\nseed: -1", "'seed' must be between 0 and 4294967295, not -1", None),
    ("", "text: a\ncausal: maybe", "'causal' must be true or false, not 'maybe'", None),
    ("", "text: a\nview: heatmap", "'view' must be one of arcs, lines, matrix, not 'heatmap'", None),
    ("", "text: a\nview: matrx", "not 'matrx'; did you mean 'matrix'?", None),
    ("", "text: a\ndirection: sideways", "'direction' must be one of out, in, not 'sideways'", None),
    ("", "text: a\nprecision: 9", "'precision' must be between 0 and 6, not 9", None),
    ("", "text: a\nprecision: 1.5", "'precision' must be a whole number, not 1.5", None),
    ("", "tokens: [a, !!binary aGk=, b]", "token 2 reads as b'hi', not as text", None),
    ("", "tokens: a b", "'tokens' must be a non-empty list", None),
    ("", "tokens: []", "'tokens' must be a non-empty list", None),
    ("", "tokens: [a, [b]]", "token 2 reads as ['b']", None),
    ("", "text: ''", "'text' has no words or punctuation to show", None),
    ("", "text: [a, b]", "'text' must be text, not ['a', 'b']", None),
    ("", "text: a\ntitle: {x: 1}", "'title' must be text", None),
    ("", "text: a\ntitle: [unclosed", "the YAML body cannot be read", 1),
    ("", "text: a\nheads: 2\n  dim: 4", "the YAML body cannot be read", 2),
    ("", "text: a\nheads: 2\nheads: 3", "option 'heads' is given twice", 2),
    ("", f"tokens: [a, b]\nmodel: toy\nweights: {W2}", "give one source, not 'weights' and 'model'", None),
    ("", f"tokens: [a, b]\nscores: {W2}\nweights: {W2}", "give one source, not 'weights' and 'scores'", None),
    ("", "tokens: [a, b]\nqueries: [[1], [2]]", "'queries' and 'keys' go together", None),
    (
        "",
        "tokens: [a, b]\nqueries: [[1, 2], [2, 1]]\nkeys: [[1], [2]]",
        "queries have 2 numbers each but keys have 1",
        None,
    ),
    ("", "tokens: [a, b]\nscores: [[1, .inf], [0, 1]]", "row 1, column 2 is inf, not a finite number", None),
    ("", "tokens: [a, b]\ntemperature: -1", "'temperature' must be greater than 0", None),
    ("", "text: a\nfile: nothere.npy", "file 'nothere.npy' does not exist", None),
    ("", "text: a\nfile: ../../etc/passwd", "is outside the docs directory", None),
    ("", "text: a\nfile: notes.txt", "use a .npy, .npz or .json file", None),
    ("", "tokens: [a, b, c]\nfile: two.npy", "file 'two.npy' is 2×2 but there are 3 tokens", None),
    ("", "file: two.npy", "file 'two.npy' has no tokens", None),
    (
        "",
        "tokens: [a, b]\nfile: two.npy\nlayer: 3",
        "layer 3 does not exist: file 'two.npy' has 1 layers (0–0)",
        None,
    ),
    (
        "",
        "tokens: [a, b]\nfile: bad.json",
        "is 2×3: queries × keys of different lengths need the keys' tokens",
        None,
    ),
    (
        "",
        "text: a\nmodel: ./no-such-model",
        "model './no-such-model' cannot be loaded"
        if has_hf()
        else "model './no-such-model' needs torch and transformers",
        None,
    ),
    (
        "",
        "tokens: [a, b]\nweights: [[1, 0], [1]]",
        "row 2 has 1 values but row 1 has 2; every row has one value per key",
        None,
    ),
    ("", "tokens: [a, b]\nweights: [[1, 0, 0], [0, 1, 0]]", "must be square", None),
    ("", f"tokens: [a, b, c]\nweights: {W2}", "'weights' is 2×2 but there are 3 tokens (a, b, c)", None),
    ("", "tokens: [a, b]\nweights: [[.nan, 1], [0, 1]]", "row 1, column 1 is nan, not a finite number", None),
    ("", "tokens: [a, b]\nweights: [[.inf, 0], [0, 1]]", "row 1, column 1 is inf, not a finite number", None),
    ("", "tokens: [a, b]\nweights: [[1.5, -0.5], [0, 1]]", "row 1, column 2 is negative (-0.5)", None),
    ("", "tokens: [a, b]\nweights: [[0.5, 0.4], [0, 1]]", "row 1 ('a') sums to 0.9, not 1", None),
    ("", "tokens: [a, b]\nnormalize: true\nweights: [[0, 0], [0, 1]]", "row 1 ('a') is all zeros", None),
    (
        "",
        "tokens: [a, b]\ncausal: true\nweights: [[0.5, 0.5], [0, 1]]",
        "causal is true but 'a' (row 1) attends to the later token 'b' (column 2)",
        None,
    ),
    ("", f"tokens: [a, b]\nheads: 2\nweights: {W2}", "'heads' applies to the toy model only", None),
    ("", "tokens: [a, b]\nweights: 3", "'weights' must be an N×N list of rows", None),
    (
        "",
        "tokens: [a, b]\nweights: {h1: [[1, 0], [0, 1]], h2: [[1]]}",
        "all heads in 'weights' must have the same size",
        None,
    ),
    ("", "tokens: [a, b]\nweights: [[1, 0], [0, x]]", "row 2, column 2 is 'x', not a number", None),
    ("heads=2 heads=3", "a b", "fence header: 'heads' is given twice", None),
    ("{heads=2", "a b", "a '{' is never closed", None),
    (
        "heads=2",
        "text: a b\nheads: 2\ndim: 8",
        "'heads' is given both in the fence header and in the body",
        None,
    ),
    ("tokens=a", "a b", "'tokens' cannot go in the fence header", None),
    ("colour=red", "a b", "unknown option 'colour'", None),
    ("heads", "a b", "fence header: cannot read 'heads'", None),  # one header grammar in both set-ups
    ("", "text: " + "w " * 513, "513 tokens is more than the limit of 512", None),
    (
        "",
        "text: a\nthreshold: 1.5",
        "'threshold' must be a weight from 0 up to (not including) 1, not 1.5",
        None,
    ),
    ("top_k=0", "a b", "'top_k' must be between 1 and 4096, not 0", None),
    ("", "text: a\nfocus: wolf", "'focus' 'wolf' is not one of the tokens", None),
    ("", "text: a b\nfocus: 5", "'focus' 5 is out of range: there are 2 tokens (0–1)", None),
]
UNCLOSED = "this fence is never closed"

CONFIGS = {
    "plain": "site_name: Catalogue\nplugins:\n  - attention\n",
    "material": (
        "site_name: Catalogue\ntheme:\n  name: material\n  font: false\n"
        "markdown_extensions:\n  - pymdownx.superfences\nplugins:\n  - attention\n"
    ),
}


def data_files(docs: Path) -> None:
    """The files the catalogue's file cases read."""
    np.save(docs / "two.npy", np.eye(2))
    (docs / "bad.json").write_text("[[1, 0, 0], [0, 1, 0]]")
    (docs / "notes.txt").write_text("not data")


def page() -> tuple[str, list[tuple[int, str]]]:
    """The page text and, per case, (expected 1-based line, message); markers between fences."""
    lines = ["# Bad fences", ""]
    expected = []
    for k, (header, body, message, body_line) in enumerate(CASES):
        lines += [f"Marker {k}.", ""]
        fence_line = len(lines) + 1
        lines.append(f"```attention {header}".rstrip())
        lines += body.split("\n") if body else []
        lines += ["```", ""]
        expected.append((fence_line + (body_line + 1 if body_line is not None else 0), message))
    lines += ["Marker end.", "", "```attention", "never closed"]
    expected.append((len(lines) - 1, UNCLOSED))
    return "\n".join(lines) + "\n", expected


def test_catalogue_is_large_enough() -> None:
    assert len(CASES) + 1 >= 40


@pytest.mark.parametrize("setup", sorted(CONFIGS))
def test_strict_build_names_every_problem(tmp_path: Path, setup: str) -> None:
    text, expected = page()
    cfg = write_site(tmp_path, {"bad.md": text}, CONFIGS[setup])
    data_files(tmp_path / "docs")
    result = mkdocs_build(cfg, tmp_path / "site", strict=True)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    warnings = re.findall(r"WARNING\s+-\s+(docs/bad\.md:\d+: attention: .*)", result.stderr)
    assert len(warnings) == len(expected), "\n".join(warnings)
    # SuperFences' rescued fences are reported first: compare in page order.
    warnings.sort(key=lambda w: int(w.split(":")[1]))
    for got, (line, message) in zip(warnings, expected, strict=True):
        msg = message[setup] if isinstance(message, dict) else message
        assert got.startswith(f"docs/bad.md:{line}: attention: "), (got, line, msg)
        assert msg in got, (got, msg)


@pytest.mark.parametrize("setup", sorted(CONFIGS))
def test_non_strict_build_keeps_the_page(tmp_path: Path, setup: str) -> None:
    text, expected = page()
    cfg = write_site(tmp_path, {"bad.md": text}, CONFIGS[setup])
    data_files(tmp_path / "docs")
    result = mkdocs_build(cfg, tmp_path / "site", strict=False)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / "bad" / "index.html").read_text(encoding="utf-8")
    boxes = re.findall(r'<div class="attn-error" role="alert"><strong>attention:</strong> (.*?)</div>', html)
    assert len(boxes) == len(expected)
    for box, (_, message) in zip(boxes, expected, strict=True):
        msg = message[setup] if isinstance(message, dict) else message
        assert msg in unescape(box)
    for k in range(len(CASES)):
        assert f"<p>Marker {k}.</p>" in html
    assert "<p>Marker end.</p>" in html
    assert '<figure class="attn"' not in html
