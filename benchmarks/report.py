"""How much each measure does (``Size``), the rows it fills (``Row``, ``Report``) and RESULTS.md."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Size:
    """How much work each measure does: full for RESULTS.md, tiny for ``--quick``."""

    reps: int
    fences: int
    files_shape: tuple[int, int, int]
    response_ns: tuple[int, ...]
    hovers: int
    figures: int
    hf_fences: int
    scaling_ns: tuple[int, ...]
    warmup: bool = True
    #: Rounds of build cost (1): a small difference between large totals, each build of which
    #: varies by ~15 % of its CPU time on a shared VM; a multiple of 3, so that each variant is
    #: built first, second and third equally often.
    build_reps: int = 60
    #: Distinct fences on the page each process of the conversion cost (1e) converts.
    conversion_fences: int = 50
    #: Rounds of the conversion cost (1e): a fresh process per variant and round.
    conversion_rounds: int = 15

    @property
    def render_reps(self) -> int:
        """Renders of each size in the scaling measure (7): one takes 0.5–15 ms, and a slow spell
        of the machine moved a median of five by 10×."""
        return max(3, 2 * self.reps + 1)


FULL = Size(
    reps=5,
    fences=200,
    files_shape=(12, 12, 20),
    response_ns=(16, 64, 256, 512),
    hovers=15,
    figures=50,
    hf_fences=20,
    scaling_ns=(16, 32, 64, 128, 256, 512),
)
QUICK = Size(
    reps=1,
    fences=10,
    files_shape=(2, 2, 20),
    response_ns=(16, 64),
    hovers=1,
    figures=5,
    hf_fences=2,
    scaling_ns=(16, 64),
    warmup=False,
    build_reps=1,
    conversion_fences=5,
    conversion_rounds=1,
)


@dataclass
class Row:
    """One line of the table; ``met`` is None for a figure that has no target."""

    key: str
    measure: str
    result: str
    baseline: str
    ratio: str
    target: str
    met: bool | None = None


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, row: Row) -> None:
        self.rows.append(row)
        print(
            f"  {row.key:<5} {row.measure}: {row.result} (baseline {row.baseline}; {row.ratio})", flush=True
        )


def median(xs: list[float]) -> float:
    return float(statistics.median(xs))


def medians(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    """The median of each side of ``pairs`` (a tap's two measures)."""
    firsts, seconds = zip(*pairs, strict=True)
    return median(list(firsts)), median(list(seconds))


def machine() -> str:
    import mkdocs
    import numpy as np

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        chromium = subprocess.run(
            [_chromium(), "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
    except Exception:
        chromium = "unknown"
    return (
        f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs; "
        f"Python {platform.python_version()}, numpy {np.__version__}, MkDocs {mkdocs.__version__}; "
        f"{chromium}"
    )


def _chromium() -> str:
    from tests.browser.conftest import chromium_path

    return chromium_path()


def table(report: Report) -> str:
    lines = [
        "| # | measure | result | baseline (same run) | ratio | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in report.rows:
        met = "—" if r.met is None else ("yes" if r.met else "**no**")
        cells = (r.key, r.measure, r.result, r.baseline, r.ratio, r.target, met)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown(report: Report, size: Size, seconds: float) -> str:
    """RESULTS.md: the machine, how many runs, the table and its notes."""
    notes = "\n".join(f"- {n}" for n in report.notes)
    return (
        f"# Benchmark results\n\nWritten by `make bench` (benchmarks/bench.py); do not edit by hand.\n\n"
        f"Machine: {machine()}.\n\nMedians of {size.reps} runs ({size.build_reps} for build cost, "
        f"{size.conversion_rounds} for 1e, {size.render_reps} for 7; builds and conversions "
        f"alternate between variants); "
        f"{size.hovers} hovers per size; whole run {seconds:.0f} s.\n\n{table(report)}\n\n"
        f"Notes:\n\n{notes}\n"
    )
