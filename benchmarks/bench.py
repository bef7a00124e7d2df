"""mkdocs-attention benchmarks (issue 7): ``make bench`` prints a table and writes RESULTS.md.

Every figure is set against a baseline measured in the same run on the same machine (medians of
several runs), so the table says something on a laptop and on CI alike. ``--quick`` runs each
measure once at a small size (no RESULTS.md). The measures live beside this script, one module
per concern (benchmarks/README.md): ``build`` (rows 1, 1a, 1d, 6), ``conversion`` (1e),
``payload`` (2, 2b, 3, 7), ``browser`` (3b, 4, 5), ``notebook`` (8), ``widget_ab`` (w.*, today's
widget against the single file before issue 28) and ``steps`` (9a–9c, a model writing); ``report``
writes the table.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``benchmarks``, ``tests`` and the package importable
    sys.path.insert(0, str(ROOT))

from benchmarks.browser import bench_browser  # noqa: E402
from benchmarks.build import bench_build, bench_rebuild  # noqa: E402
from benchmarks.conversion import bench_conversion  # noqa: E402
from benchmarks.notebook import bench_notebook  # noqa: E402
from benchmarks.payload import bench_assets, bench_payload, bench_scaling  # noqa: E402
from benchmarks.report import FULL, QUICK, Report, Size, markdown, table  # noqa: E402
from benchmarks.steps import bench_steps  # noqa: E402
from benchmarks.widget_ab import bench_widget_ab  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"

MEASURES: dict[str, Callable[[Size, Report], None]] = {
    "build": bench_build,
    "conversion": bench_conversion,
    "payload": bench_payload,
    "assets": bench_assets,
    "browser": bench_browser,
    "rebuild": bench_rebuild,
    "scaling": bench_scaling,
    "notebook": bench_notebook,
    "widget": bench_widget_ab,
    "steps": bench_steps,
}


def run(size: Size, only: list[str] | None = None, out: Path | None = None) -> Report:
    report = Report()
    report.notes.append(
        "Build cost (1) is the CPU time (user + system) of real `mkdocs build --strict` "
        "processes (Material theme, pymdownx.highlight), so it includes MkDocs' own "
        "per-page work for the figures' HTML and each variant's one-off costs (loading "
        "Pygments' lexer): every figure is rendered. numpy's BLAS is held to one "
        "thread in all three variants (an idle BLAS thread spins for 0.1–0.4 s of CPU "
        "time per build, at random). 1a times the same builds from inside, by a MkDocs "
        "hook every variant has, leaving out the start of Python and the imports (the same "
        "work in every variant, about half of a build). Rebuilds (6) are wall time: what "
        "an author waits for."
    )
    report.notes.append(
        "Response: the pointer event's timestamp (or the moment it is dispatched to the "
        "page, before any handler) to a task queued from the next animation frame (after "
        "it is painted). Chromium holds pointer moves until the next frame, so the first "
        "figure includes 0–16.7 ms of waiting that any hover pays; the pauses between "
        "hovers are spread over a frame so that wait is sampled evenly. The baseline is the "
        "same measure on a paragraph. The target is judged on the first figure."
    )
    start = time.perf_counter()
    for name, fn in MEASURES.items():
        if only is None or name in only:
            print(f"{name} …", flush=True)
            fn(size, report)
    if out is not None:
        out.write_text(markdown(report, size, time.perf_counter() - start), encoding="utf-8")
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one small run of each measure (no RESULTS.md)")
    ap.add_argument("--only", nargs="*", choices=sorted(MEASURES), help="run only these measures")
    ap.add_argument("--out", type=Path, help=f"write the table here (default {RESULTS.relative_to(ROOT)})")
    ap.add_argument(
        "--build-rounds",
        type=int,
        metavar="N",
        help=f"rounds of build cost, rows 1 and 1a (default {FULL.build_reps}; a multiple of 3 "
        "builds each variant first, second and third alike; ~3.5 s a round)",
    )
    args = ap.parse_args(argv)
    size = QUICK if args.quick else FULL
    if args.build_rounds is not None:
        if args.build_rounds < 1:
            ap.error("--build-rounds must be at least 1")
        size = replace(size, build_reps=args.build_rounds)
    out = args.out or (None if args.quick or args.only else RESULTS)
    report = run(size, args.only, out)
    print()
    print(table(report))
    print("\n".join(f"- {n}" for n in report.notes))
    if out is not None:
        print(f"\nwritten to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
