"""Conversion cost (row 1e): Markdown → HTML of attention fences vs the same text as code blocks.

One page of F distinct toy fences (12 tokens, 2 heads; default 50) is converted by
``markdown.Markdown(...).convert``, and so is the same page with each fence a ```` ```yaml ````
code block that Pygments highlights; both variants use the same Markdown configuration. Each
conversion runs in a fresh Python process (this module with ``--child``) that first imports
Markdown, pymdownx, Pygments' YAML lexer, numpy and the extension and builds the Markdown object,
then times ``md.convert`` alone (CPU time and wall time). Rounds alternate which variant runs
first; the figures are the median of each variant and the ratio median(fences) / median(code).

Two set-ups: with SuperFences, as Material sites have it, and with Python-Markdown's own
``fenced_code`` and ``codehilite``::

    python benchmarks/conversion.py [--rounds N] [--fences F] [--extension NAME]

``--extension`` names the extension as Python-Markdown takes it (default ``attention``, the
entry point); a ``module:Class`` path names a class itself, which with ``PYTHONPATH`` pointing at
another checkout measures that checkout's package (the children report which
``mkdocs_attention`` they imported, and the script prints it).

The child imports nothing from this repository but the extension under test, so only the
standard library is imported at the top of this module; the parent's helpers come from the other
benchmark modules, imported where they are used.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarks.report import Report, Size

ROOT = Path(__file__).resolve().parent.parent
#: The Python-Markdown entry point of the extension.
EXTENSION = "attention"
#: Markdown set-ups by name; the extension under test is added last.
SETUPS = {
    "superfences": ["pymdownx.highlight", "pymdownx.superfences"],
    "fenced_code": ["fenced_code", "codehilite"],
}
VARIANTS = ("fences", "code")
#: What the child imports before it starts the clock (the extension comes with the Markdown object).
PRELOAD = (
    "markdown",
    "numpy",
    "yaml",
    "pymdownx.highlight",
    "pymdownx.superfences",
    "pygments.lexers.data",
    "pygments.formatters.html",
    "markdown.extensions.fenced_code",
    "markdown.extensions.codehilite",
)
#: What the checks look for: a rendered figure, a figure's error box, a YAML key Pygments lexed.
FIGURE, ERROR, HIGHLIGHTED = '<figure class="attn"', 'class="attn-error"', '<span class="nt">text</span>'


@dataclass
class Conversion:
    """What a child reports: seconds of ``md.convert`` and what the page became."""

    cpu: float
    wall: float
    figures: int
    errors: int
    highlighted: int
    package: str  # where mkdocs_attention was imported from


# The child: one conversion in a fresh process ─────────────────────────────────────────────────


def convert_page(page_file: Path, extensions: list[str]) -> Conversion:
    """Import everything and build the Markdown object, then time the conversion of the page."""
    for name in PRELOAD:
        importlib.import_module(name)
    import markdown

    import mkdocs_attention

    md = markdown.Markdown(extensions=extensions)
    text = page_file.read_text(encoding="utf-8")
    cpu, wall = time.process_time(), time.perf_counter()
    html = md.convert(text)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return Conversion(
        cpu=cpu,
        wall=wall,
        figures=html.count(FIGURE),
        errors=html.count(ERROR),
        highlighted=html.count(HIGHLIGHTED),
        package=mkdocs_attention.__file__ or "?",
    )


# The parent: pages, rounds of fresh processes, medians ────────────────────────────────────────


def page(variant: str, bodies: list[str]) -> str:
    """The bodies as attention fences, or as YAML code blocks."""
    lang = "attention" if variant == "fences" else "yaml"
    return "# Conversion\n\n" + "\n\n".join(f"```{lang}\n{body}\n```" for body in bodies) + "\n"


def run_child(page_file: Path, extensions: list[str], env: dict[str, str]) -> Conversion:
    """``convert_page`` in a fresh Python process (``env`` added to this one's environment)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(page_file), ",".join(extensions)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300, env={**os.environ, **env})
    if result.returncode != 0:
        raise RuntimeError(f"conversion child failed:\n{result.stderr[-3000:]}")
    return Conversion(**json.loads(result.stdout.splitlines()[-1]))


def check(got: Conversion, variant: str, fences: int) -> None:
    """Each fence became a figure (no error box), or each code block was highlighted."""
    want = {"figures": fences, "errors": 0} if variant == "fences" else {"figures": 0, "highlighted": fences}
    wrong = {k: getattr(got, k) for k, v in want.items() if getattr(got, k) != v}
    if wrong:
        raise RuntimeError(f"{variant}: expected {want}, the page converted to {wrong}")


@dataclass
class Setup:
    """One set-up's conversions: seconds per process by variant, in rounds."""

    name: str
    extensions: list[str]
    fences: int
    cpu: dict[str, list[float]] = field(default_factory=dict)
    wall: dict[str, list[float]] = field(default_factory=dict)
    packages: set[str] = field(default_factory=set)

    @property
    def rounds(self) -> int:
        return len(self.cpu["fences"])

    def ms_each(self, variant: str, clock: str = "cpu") -> float:
        """Median milliseconds per fence (per code block) of a variant, CPU or wall time."""
        times = self.cpu if clock == "cpu" else self.wall
        return statistics.median(times[variant]) / self.fences * 1e3

    def ratio(self, clock: str = "cpu") -> float:
        """median(fences) / median(code blocks)."""
        return self.ms_each("fences", clock) / self.ms_each("code", clock)

    def fastest_ms_each(self, variant: str) -> float:
        """Milliseconds per fence (per block) of the least disturbed process of a variant (CPU time)."""
        return min(self.cpu[variant]) / self.fences * 1e3

    def spread(self) -> tuple[float, float]:
        """Where 90 % of the CPU ratios fall with the rounds drawn again (paired) with replacement."""
        from benchmarks.build import resampled_ratio

        return resampled_ratio(self.cpu["fences"], self.cpu["code"])


def measure(name: str, extension: str, fences: int, rounds_n: int, tmp: Path, warmup: bool = True) -> Setup:
    """Rounds of one fresh process per variant, each round starting with the other variant."""
    from benchmarks.build import rounds
    from benchmarks.sites import ONE_BLAS_THREAD, toy_texts

    setup = Setup(name, [*SETUPS[name], extension], fences)
    files = {v: tmp / f"{v}.md" for v in VARIANTS}
    for v, path in files.items():
        path.write_text(page(v, toy_texts(fences)), encoding="utf-8")
    wall: dict[str, list[float]] = {v: [] for v in VARIANTS}

    def once(v: str) -> float:
        got = run_child(files[v], setup.extensions, ONE_BLAS_THREAD)
        check(got, v, fences)
        setup.packages.add(got.package)
        wall[v].append(got.wall)
        return got.cpu

    setup.cpu = rounds({v: (lambda v=v: once(v)) for v in VARIANTS}, rounds_n, warmup)
    setup.wall = {v: t[1:] if warmup else t for v, t in wall.items()}  # the warm-up is not a round
    return setup


def measure_all(extension: str, fences: int, rounds_n: int, warmup: bool = True) -> list[Setup]:
    """Both set-ups, one after the other."""
    with tempfile.TemporaryDirectory(prefix="attn-conversion-") as tmp:
        return [measure(name, extension, fences, rounds_n, Path(tmp), warmup) for name in SETUPS]


def summary(s: Setup) -> str:
    """What the script prints for a set-up: the medians per fence and per block, and the ratio."""
    spread = ""
    if s.rounds >= 4:
        lo, hi = s.spread()
        spread = f"; 90 % of resampled rounds: {lo:.2f}–{hi:.2f}×"
    return "\n".join(
        [
            f"{s.name}: extensions={s.extensions}, {s.rounds} rounds, {s.fences} fences a page",
            f"  attention fences: {s.ms_each('fences'):.3f} ms/fence "
            f"(wall {s.ms_each('fences', 'wall'):.3f})",
            f"  YAML code blocks: {s.ms_each('code'):.3f} ms/block (wall {s.ms_each('code', 'wall'):.3f})",
            f"  ratio median(fences) / median(code blocks): {s.ratio():.2f}× "
            f"(wall {s.ratio('wall'):.2f}×){spread}",
            f"  fastest process of each (the least disturbed; not the judged figure): "
            f"{s.fastest_ms_each('fences'):.3f} ms/fence, {s.fastest_ms_each('code'):.3f} ms/block, "
            f"{s.fastest_ms_each('fences') / s.fastest_ms_each('code'):.2f}×",
            f"  mkdocs_attention imported from: {', '.join(sorted(s.packages))}",
        ]
    )


# Row 1e of ``make bench`` ───────────────────────────────────────────────────────────────────


def bench_conversion(size: Size, report: Report) -> None:
    """Row 1e: both set-ups, ``size.conversion_rounds`` rounds of ``size.conversion_fences`` fences."""
    from benchmarks.build import GUARD
    from benchmarks.report import Row

    n = size.conversion_fences
    a, b = measure_all(EXTENSION, n, size.conversion_rounds, size.warmup)
    report.add(
        Row(
            "1e",
            f"Conversion: CPU time of Markdown → HTML of a page of {n} distinct attention "
            "fences (12 tokens, 2 heads, toy), a fresh process each, imports excluded "
            "(with SuperFences; with fenced_code and codehilite)",
            f"{a.ms_each('fences'):.2f} ms/fence; {b.ms_each('fences'):.2f} ms/fence",
            f"the same text as Pygments YAML code blocks: {a.ms_each('code'):.2f} ms/block; "
            f"{b.ms_each('code'):.2f} ms/block",
            f"{a.ratio():.2f}×; {b.ratio():.2f}×",
            f"≤ {GUARD}× each",
            max(a.ratio(), b.ratio()) <= GUARD,
        )
    )
    note = (
        f"Conversion cost (1e) times `markdown.Markdown(...).convert` alone on one page of {n} fences "
        f"(or code blocks), each in a fresh Python process that has already imported Markdown, "
        f"pymdownx, Pygments' YAML lexer, numpy and the extension and built the Markdown object; the "
        f"first use of each (Pygments compiling its YAML rules, say) is in the time. Medians of "
        f"{a.rounds} rounds, each round starting with the other variant. Set-ups: "
        f"{', '.join(a.extensions)}; {', '.join(b.extensions)}."
    )
    if a.rounds >= 4:
        spreads = "; ".join(f"{lo:.2f}–{hi:.2f}×" for lo, hi in (a.spread(), b.spread()))
        note += f" Drawing the rounds again with replacement, 90 % of the ratios fall in {spreads}."
    report.notes.append(note)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--rounds", type=int, default=15, metavar="N", help="rounds per set-up (default 15; use at least 9)"
    )
    ap.add_argument("--fences", type=int, default=50, metavar="F", help="fences on the page (default 50)")
    ap.add_argument(
        "--extension",
        default=EXTENSION,
        metavar="NAME",
        help=f"the attention extension as Python-Markdown names it (default {EXTENSION})",
    )
    ap.add_argument("--child", nargs=2, metavar=("PAGE", "EXTENSIONS"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:  # before anything else is imported
        page_file, extensions = args.child
        print(json.dumps(asdict(convert_page(Path(page_file), extensions.split(",")))))
        return 0
    if args.rounds < 1 or args.fences < 1:
        ap.error("--rounds and --fences must be at least 1")
    # The other benchmark modules from this checkout, ahead of any other on PYTHONPATH (the
    # children still import the package under test from there).
    sys.path.insert(0, str(ROOT))
    for setup in measure_all(args.extension, args.fences, args.rounds):
        print(summary(setup), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
