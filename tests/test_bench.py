"""``make bench`` once, tiny: every measure still runs and fills its row (no timings are judged)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("playwright.sync_api")
pytest.importorskip("transformers")

from benchmarks.bench import QUICK, run

pytestmark = pytest.mark.browser


def test_quick_benchmark_produces_every_row(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    report = run(QUICK, out=out)
    keys = [r.key for r in report.rows]
    expected = ["1", "1b", "2", "2b", "3", *(f"4.{n}" for n in QUICK.response_ns), "5", "3b", "6",
                *(f"7.{n}" for n in QUICK.scaling_ns)]
    assert keys == expected
    for r in report.rows:
        assert r.result and r.baseline and r.ratio and r.target
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results") and "Machine: " in text
    assert text.count("\n| ") == len(expected) + 1  # header + one line per row
