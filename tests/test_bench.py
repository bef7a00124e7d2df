"""``make bench`` once, tiny: every measure still runs and fills its row (no timings are judged).

It runs as its own process, as ``make bench`` does (and so beside the browser tests' Playwright).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

pytest.importorskip("playwright.sync_api")
pytest.importorskip("transformers")

pytestmark = pytest.mark.browser


def test_quick_benchmark_produces_every_row(tmp_path: Path) -> None:
    from benchmarks.bench import QUICK

    out = tmp_path / "RESULTS.md"
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--quick", "--out", str(out)],
                            capture_output=True, text=True, timeout=600, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results") and "Machine: " in text
    rows = [line.split(" | ") for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    keys = [r[0].removeprefix("| ") for r in rows[1:]]
    expected = ["1", "1a", "1b", "1c", "1d", "2", "2b", "3", *(f"4.{n}" for n in QUICK.response_ns),
                f"4p.{max(QUICK.response_ns)}", f"4h.{max(QUICK.response_ns)}", "4t", "5", "3b", "6",
                *(f"7.{n}" for n in QUICK.scaling_ns)]
    assert keys == expected
    for r in rows[1:]:
        assert len(r) == 7 and all(cell.strip() for cell in r)
    assert "Response at 64 tokens, where a hover's main-thread time goes" in text


def test_every_build_cost_fence_is_its_own_figure() -> None:
    """Repeated sentences would be rendered once and then come from the memo: not a fence's cost."""
    from benchmarks.bench import FULL, sentence

    assert len({sentence(i) for i in range(FULL.fences)}) == FULL.fences
