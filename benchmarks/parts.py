"""What a figure's no-JavaScript parts cost: conversion of one page of fences, each part left out.

The same page as row 1e's (distinct 12-token, 2-head toy fences, with SuperFences) is converted
in this one process, warm, the best of five rounds; then again with the head-summary table, the
scores tables, the static edges and labels, and all three left out. The code-block page is the
baseline. Leaving a part out is done here by replacing the function that draws it: a
measurement of what each costs, not an option of the package::

    python benchmarks/parts.py [--fences F]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script
    sys.path.insert(0, str(ROOT))

import markdown  # noqa: E402

import mkdocs_attention.render.figure as figure  # noqa: E402
from benchmarks.conversion import SETUPS, page  # noqa: E402
from benchmarks.sites import toy_texts  # noqa: E402

#: The parts that can be left out, by the name of the function in render/figure.py that draws them.
PARTS = {
    "head-summary table": "head_stats_table",
    "scores tables": "tables",
    "static edges and labels": "static_edges",
}


def best_ms(variant: str, fences: int, rounds: int = 5) -> float:
    """Milliseconds per fence (per block) of the fastest of ``rounds`` warm conversions."""
    md = markdown.Markdown(extensions=[*SETUPS["superfences"], "attention"])
    texts = toy_texts(fences * (rounds + 1))
    md.convert(page(variant, texts[-fences:]))  # first use of everything
    best = float("inf")
    for r in range(rounds):
        md.reset()
        text = page(variant, texts[r * fences : (r + 1) * fences])
        start = time.process_time()
        md.convert(text)
        best = min(best, time.process_time() - start)
    return best / fences * 1e3


def without(names: list[str], fences: int) -> float:
    """``best_ms`` of the fences with the functions ``names`` drawing nothing."""
    kept: dict[str, Callable[..., str]] = {n: getattr(figure, n) for n in names}
    try:
        for n in names:
            setattr(figure, n, lambda *args, **kwargs: "")
        return best_ms("fences", fences)
    finally:
        for n, fn in kept.items():
            setattr(figure, n, fn)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fences", type=int, default=200)
    args = ap.parse_args(argv)
    code = best_ms("code", args.fences)
    rows = [("whole", without([], args.fences))]
    rows += [(f"without the {name}", without([fn], args.fences)) for name, fn in PARTS.items()]
    rows.append(("without all three", without(list(PARTS.values()), args.fences)))
    print(f"YAML code blocks: {code:.2f} ms a block")
    print("| the figure | ms a fence | × a code block |\n|---|---|---|")
    for name, ms in rows:
        print(f"| {name} | {ms:.2f} | {ms / code:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
