"""The benchmark's own code, small and fast: its fences differ, and the payload rows decode a figure.

``make test`` does not run the benchmark (``make bench`` does); these only keep its code from rotting.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest


def test_every_build_cost_fence_is_its_own_figure() -> None:
    """Repeated sentences would be the same figure again: not the cost of a fence of its own."""
    from benchmarks.report import FULL
    from benchmarks.sites import sentence, toy_texts

    assert len({sentence(i) for i in range(FULL.fences)}) == FULL.fences
    assert len(set(toy_texts(FULL.conversion_fences))) == FULL.conversion_fences


def test_payload_rows_decode_a_tiny_figure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Rows 2 and 2b on a 1×2×5×5 .npy figure converted in this process: the payload round-trips
    within half of the last decimal the figure shows."""
    import markdown

    from benchmarks.payload import npy_page, payload_rows, softmax_weights
    from benchmarks.report import Report

    w = softmax_weights((1, 2, 5))
    np.save(tmp_path / "attn.npy", w)
    monkeypatch.chdir(tmp_path)  # bare Python-Markdown reads a fence's files from the current folder
    html = markdown.Markdown(extensions=["attention"]).convert(npy_page(5))
    report = Report()
    got = payload_rows(w, html, report)
    assert [r.key for r in report.rows] == ["2", "2b"]
    assert got.exact_enough and report.rows[1].met
    assert 0 < got.error <= got.shown
    assert 0 < got.per_value < got.bertviz


def test_the_notebook_row_measures_the_output() -> None:
    """Row 8 runs without BertViz too (then with no verdict); with it, it compares."""
    from benchmarks.notebook import bench_notebook
    from benchmarks.report import QUICK, Report

    report = Report()
    bench_notebook(QUICK, report)
    (row,) = report.rows
    assert row.key == "8" and int(row.result.split()[0].replace(",", "")) > 100_000
