"""mkdocs-attention benchmarks (issue 7): ``make bench`` prints a table and writes RESULTS.md.

Every figure is set against a baseline measured in the same run on the same machine (medians of
several runs), so the table says something on a laptop and on CI alike. ``--quick`` runs each
measure once at a small size; ``make test`` does that (tests/test_bench.py) so the suite cannot rot.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from html import unescape
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``tests`` and the package importable
    sys.path.insert(0, str(ROOT))

from mkdocs_attention.render.payload import payload_weights  # noqa: E402
from tests.helpers import mkdocs_build, write_site  # noqa: E402

RESULTS = ROOT / "benchmarks" / "RESULTS.md"
ASSETS = ROOT / "mkdocs_attention" / "assets"
#: Material with Pygments highlighting: what most course sites use (DESIGN.md §1).
CONFIG = textwrap.dedent("""\
    site_name: Bench
    theme:
      name: material
      font: false
    markdown_extensions:
      - pymdownx.highlight
      - pymdownx.superfences
    plugins:
      - search
      - attention
    """)
#: Row 1a's hook, the same in every build-cost site.
PHASE_HOOK = ROOT / "benchmarks" / "phase_hook.py"
WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "and", "then", "sat", "on",
         "mat", "cat", "while", "it", "rained", "softly", "near", "old", "river", "bank", "today"]
HF_WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "a", "cat", "sat", "on", "mat"]


@dataclass
class Size:
    """How much work each measure does: full for RESULTS.md, tiny for the test."""

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
    #: Rounds of the in-process builds (1b, 1c), which vary less.
    split_reps: int = 21

    @property
    def render_reps(self) -> int:
        """Renders of each size in the scaling measure (7): one takes 0.5–15 ms, and a slow spell
        of the machine moved a median of five by 10×."""
        return max(3, 2 * self.reps + 1)


FULL = Size(reps=5, fences=200, files_shape=(12, 12, 20), response_ns=(16, 64, 256, 512), hovers=15,
            figures=50, hf_fences=20, scaling_ns=(16, 32, 64, 128, 256, 512))
QUICK = Size(reps=1, fences=10, files_shape=(2, 2, 20), response_ns=(16, 64), hovers=1,
             figures=5, hf_fences=2, scaling_ns=(16, 64), warmup=False, build_reps=1, split_reps=1)


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
        print(f"  {row.key:<5} {row.measure}: {row.result} (baseline {row.baseline}; {row.ratio})",
              flush=True)


def median(xs: list[float]) -> float:
    return float(statistics.median(xs))


def medians(pairs: list[tuple[float, float]]) -> tuple[float, float]:
    """The median of each side of ``pairs`` (a tap's two measures)."""
    firsts, seconds = zip(*pairs, strict=True)
    return median(list(firsts)), median(list(seconds))


def sentence(i: int, n: int = 12) -> str:
    """A different n-word sentence for each i (every fence its own figure, none rendered from the
    memo of an earlier page: tests/test_bench.py checks they differ)."""
    rng = random.Random(i)
    return " ".join(rng.choice(WORDS) for _ in range(n))


@contextmanager
def workdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="attn-bench-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def timed_build(config: Path, site: Path, env: dict[str, str] | None = None, *, cpu: bool = False) -> float:
    """Seconds of one real ``mkdocs build --strict`` (a fresh process, as an author runs it): wall
    time, or with ``cpu`` the process's user + system time, which other load on the machine
    barely disturbs (a shared CI runner, tests running beside the benchmark)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = mkdocs_build(config, site, env=env)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise RuntimeError(f"mkdocs build failed:\n{result.stderr[-3000:]}")
    if cpu:
        return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed


def rounds(builds: dict[str, Callable[[], float]], reps: int, warmup: bool) -> dict[str, list[float]]:
    """Run the builds in turn ``reps`` times (after a warm-up round); seconds of each round.

    Each round starts one build later than the one before (A B C, B C A, C A B, …): a build that
    runs slower or faster for coming after another one then weighs on every variant alike."""
    times: dict[str, list[float]] = {k: [] for k in builds}
    for f in builds.values() if warmup else ():  # disk caches, .pyc files
        f()
    keys = list(builds)
    for r in range(reps):
        for k in keys[r % len(keys):] + keys[:r % len(keys)]:
            times[k].append(builds[k]())
    return times


def resampled_ratio(a: list[float], b: list[float], *, draws: int = 2000,
                    seed: int = 0) -> tuple[float, float]:
    """5th and 95th percentiles of median(a) / median(b) over the rounds drawn again with
    replacement (paired: a round's two differences stay together): how far another run of
    as many rounds on this machine might land."""
    rng = random.Random(seed)
    n = len(a)
    ratios = []
    for _ in range(draws):
        pick = [rng.randrange(n) for _ in range(n)]
        bottom = median([b[i] for i in pick])
        if bottom > 0:
            ratios.append(median([a[i] for i in pick]) / bottom)
    if not ratios:
        return float("nan"), float("nan")
    q = statistics.quantiles(ratios, n=20)
    return q[0], q[-1]


def marginal(times: dict[str, list[float]], key: str, base: str = "none") -> list[float]:
    """``key`` − ``base`` of each round: paired, so a slow spell of the machine cancels out."""
    return [a - b for a, b in zip(times[key], times[base], strict=True)]


def pages(bodies: list[str], per_page: int = 20) -> dict[str, str]:
    out = {"index.md": "# Bench\n"}
    for p in range(0, len(bodies), per_page):
        text = "\n\n".join(bodies[p:p + per_page])
        out[f"p{p // per_page:02d}.md"] = f"# Page {p // per_page}\n\n{text}\n"
    return out


#: numpy's OpenBLAS starts a thread per core when imported (the plugin imports numpy, so every
#: variant does); idle, it spins for 0.1–0.4 s of CPU time a build, at random. Row 1 pins it to
#: one thread so that this noise, the same for every variant, does not swamp the difference.
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1"}

# 1 ─ build cost ───────────────────────────────────────────────────────────────────────────────

def bench_build(size: Size, report: Report) -> None:
    """Marginal cost of attention fences vs the same text as highlighted YAML code blocks."""
    texts = [f"text: {sentence(i)}\nheads: 2" for i in range(size.fences)]
    variants = {
        "attention": [f"Figure {i}:\n\n```attention\n{t}\n```" for i, t in enumerate(texts)],
        "code": [f"Figure {i}:\n\n```yaml\n{t}\n```" for i, t in enumerate(texts)],
        "none": [f"Figure {i}:" for i in range(len(texts))],
    }
    config = CONFIG + f"hooks:\n  - {json.dumps(str(PHASE_HOOK))}\n"
    with workdir() as tmp:
        configs = {k: write_site(tmp / k, pages(v), config) for k, v in variants.items()}
        phases: dict[str, list[float]] = {k: [] for k in configs}

        def build(k: str) -> float:
            """One build's CPU time (row 1); the hook's time of the build alone goes to row 1a."""
            out = tmp / f"{k}.phase"
            seconds = timed_build(configs[k], tmp / f"{k}-site",
                                  env={**ONE_BLAS_THREAD, "ATTN_BENCH_PHASE": str(out)}, cpu=True)
            phases[k].append(float(out.read_text(encoding="utf-8")))
            return seconds

        times = rounds({k: (lambda k=k: build(k)) for k in configs}, size.build_reps, size.warmup)
        if size.warmup:  # the warm-up build of each variant is not a round
            phases = {k: v[1:] for k, v in phases.items()}
        t = {k: median(v) for k, v in times.items()}
        pa, pc = marginal(times, "attention"), marginal(times, "code")
        attn, code = median(pa), median(pc)
        ratio = attn / code if code > 0 else float("nan")
        n = size.fences
        if len(pa) >= 4:
            qa, qc = statistics.quantiles(pa, n=4), statistics.quantiles(pc, n=4)
            lo, hi = resampled_ratio(pa, pc)
            report.notes.append(
                f"Build cost (1) is the median of {len(pa)} paired rounds, each round in turn starting "
                f"with the next variant; their quartiles: attention "
                f"{qa[0] * 1e3:.0f}–{qa[2] * 1e3:.0f} ms, code blocks {qc[0] * 1e3:.0f}–{qc[2] * 1e3:.0f} ms "
                f"(a whole build, {min(times['none']):.2f}–{max(times['none']):.2f} s with no fences, varies "
                f"about as much as the difference measured). Drawing the rounds again with replacement, "
                f"90 % of the ratios fall in {lo:.2f}–{hi:.2f}×: how far another run might land.")
            low = {k: min(v) for k, v in times.items()}
            fa, fc = low["attention"] - low["none"], low["code"] - low["none"]
            if fc > 0:
                report.notes.append(
                    f"Build cost from the fastest build of each variant (the least disturbed; not the "
                    f"judged figure): attention {fa * 1e3:.0f} ms, code blocks {fc * 1e3:.0f} ms, "
                    f"{fa / fc:.2f}×.")
        report.add(Row("1", f"Build: marginal CPU time of {n} attention fences (12 tokens, 2 heads, toy)",
                       f"{attn * 1e3:.0f} ms ({attn / n * 1e3:.2f} ms/fence)",
                       f"{n} Pygments YAML code blocks: {code * 1e3:.0f} ms; no fences: {t['none']:.2f} s",
                       f"{ratio:.2f}×" if code > 0 else "— (no code cost measured)", "≤ 0.5×",
                       ratio <= 0.5))
        phase_row(phases, n, report)
        again = {k: (lambda c=c, k=k: in_process_build(c, tmp / f"{k}-site")) for k, c in configs.items()}
        # One set of rounds serves 1b (medians: what `mkdocs serve` gives) and 1c (the least
        # disturbed round of each: it splits work).
        times = rounds({**again, **split_builds(configs, tmp)}, size.split_reps, True)
        t = {k: median(v) for k, v in times.items()}
        low = {k: min(v) for k, v in times.items()}
        split = {"carry": (low["ready"] - low["none"]) / n, "render": (low["real"] - low["ready"]) / n,
                 "code": (low["code"] - low["none"]) / n}
    attn, code = t["attention"] - t["none"], t["code"] - t["none"]
    ratio = attn / code if code > 0 else float("nan")
    report.add(Row("1b", "Build, steady state: the same sites rebuilt in one process "
                   "(as `mkdocs serve` does)",
                   f"{attn * 1e3:.0f} ms ({attn / n * 1e3:.2f} ms/fence)",
                   f"code blocks: {code * 1e3:.0f} ms ({code / n * 1e3:.2f} ms/block); "
                   f"no fences: {t['none']:.2f} s",
                   f"{ratio:.2f}×" if code > 0 else "— (no code cost measured)", "— (1 is judged)", None))
    ms = {k: v * 1e3 for k, v in split.items()}
    report.add(Row("1c", "Build, where a fence's time goes (one process, memo cleared, fastest round of "
                   "each): handling it and carrying its HTML through Markdown and MkDocs; rendering it",
                   f"{ms['carry']:.2f} + {ms['render']:.2f} = {ms['carry'] + ms['render']:.2f} ms/fence",
                   f"a code block: {ms['code']:.2f} ms",
                   f"{ms['carry'] / ms['code']:.2f}× + {ms['render'] / ms['code']:.2f}×"
                   if ms["code"] > 0 else "—", "—", None))
    instructions_row(size, variants, report)
    if ms["code"] > 0:
        report.notes.append(
            f"Build cost split (1c): before anything is rendered, handling a fence (SuperFences, "
            f"placeholders, the search index) and carrying the figure's ~16 KB of HTML through "
            f"Python-Markdown and MkDocs costs {ms['carry'] / ms['code']:.2f}× of a highlighted "
            f"code block; rendering it (YAML, toy model, SVG, payload, no-JavaScript table) another "
            f"{ms['render'] / ms['code']:.2f}×.")


def phase_row(phases: dict[str, list[float]], n: int, report: Report) -> None:
    """1a: row 1's builds timed from MkDocs' first build event to the end of its last (the hook
    ``phase_hook.py``), without the start-up that every variant shares."""
    pa, pc = marginal(phases, "attention"), marginal(phases, "code")
    attn, code = median(pa), median(pc)
    spread = ""
    if len(pa) >= 4:
        lo, hi = resampled_ratio(pa, pc)
        spread = f"; 90 % of resampled runs: {lo:.2f}–{hi:.2f}×"
    report.add(Row("1a", "Build, the same rounds timed without the start-up every variant shares: CPU time "
                   "from MkDocs' first build event to the end of its last",
                   f"{attn * 1e3:.0f} ms ({attn / n * 1e3:.2f} ms/fence)",
                   f"code blocks: {code * 1e3:.0f} ms; no fences: {median(phases['none']):.2f} s",
                   f"{attn / code:.2f}×{spread}" if code > 0 else "—", "— (1 is judged)", None))


def instructions_row(size: Size, variants: dict[str, list[str]], report: Report) -> None:
    """1d: the same three builds counted in machine instructions by valgrind: one run each, as
    the count is the same on every run (CPU time on a shared VM varies by ±30 %)."""
    n = size.fences
    measure = (f"Build: marginal machine instructions of {n} attention fences (one `mkdocs build` of each "
               "site under valgrind; deterministic)")
    valgrind = shutil.which("valgrind")
    if valgrind is None or not size.warmup:
        why = "valgrind is not installed" if valgrind is None else "full run only"
        report.add(Row("1d", measure, f"— ({why})", "—", "—", "— (1 is judged)", None))
        return
    with workdir() as tmp:
        counts = {k: count_instructions(valgrind, write_site(tmp / k, pages(v), CONFIG), tmp / f"{k}-site")
                  for k, v in variants.items()}
    attn, code = counts["attention"] - counts["none"], counts["code"] - counts["none"]
    report.add(Row("1d", measure, f"{attn / 1e6:.0f} M ({attn / n / 1e6:.2f} M/fence)",
                   f"code blocks: {code / 1e6:.0f} M ({code / n / 1e6:.2f} M/block); "
                   f"no fences: {counts['none'] / 1e9:.2f} G",
                   f"{attn / code:.2f}×" if code > 0 else "—", "— (1 is judged)", None))


def count_instructions(valgrind: str, config: Path, site: Path) -> int:
    """Instructions executed by one ``mkdocs build`` (cachegrind's ``I refs``)."""
    env = {**os.environ, **ONE_BLAS_THREAD, "PYTHONHASHSEED": "0", "NO_MKDOCS_2_WARNING": "1"}
    cmd = [valgrind, "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
           sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(site)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=900, env=env)
    found = re.search(r"I\s+refs:\s+([\d,]+)", result.stderr)
    if result.returncode != 0 or found is None:
        raise RuntimeError(f"valgrind mkdocs build failed:\n{result.stderr[-3000:]}")
    return int(found.group(1).replace(",", ""))


def split_builds(configs: dict[str, Path], tmp: Path) -> dict[str, Callable[[], float]]:
    """The attention site built in one process with its formatter returning each figure
    ready-made ("ready": handling the fence and carrying its HTML through Markdown and MkDocs),
    and with the memo cleared ("real": rendering too)."""
    from mkdocs_attention import fence, memo
    from mkdocs_attention.pipeline import PageContext, Rendered, convert

    made: dict[str, tuple[str, Rendered]] = {}

    def ready(src: str, header: object, ctx: PageContext, line: object) -> str:
        if src not in made:
            convert(src, header, ctx, line)
            made[src] = next(reversed(ctx.rendered.items()))
        else:
            ctx.figure_id(src, str(header))
            fig_id, rendered = made[src]
            ctx.rendered[fig_id] = rendered  # as convert records it for the search stand-in
        return made[src][1].html

    def carried() -> float:
        fence.convert = ready
        try:
            return in_process_build(configs["attention"], tmp / "split-site")
        finally:
            fence.convert = convert

    def real() -> float:
        memo.FIGURES.clear()
        return in_process_build(configs["attention"], tmp / "split-site")

    return {"ready": carried, "real": real}


def in_process_build(config: Path, site: Path) -> float:
    """One build through MkDocs' API in this process: imports and lexers are already loaded."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    start = time.process_time()
    build(load_config(str(config), site_dir=str(site)))
    return time.process_time() - start


# 2 ─ payload ──────────────────────────────────────────────────────────────────────────────────

def figure_payload(html: str) -> tuple[str, dict]:
    """The ``data-attn`` attribute as it stands in the page (escaped), and its parsed JSON."""
    raw = re.search(r"data-attn='([^']*)'", html).group(1)
    return raw, json.loads(unescape(raw))


def bench_payload(size: Size, report: Report) -> None:
    """Bytes per attention value in the page vs BertViz's nested JSON floats, from one .npy file."""
    layers, heads, n = size.files_shape
    rng = np.random.default_rng(0)
    logits = rng.standard_normal((layers, heads, n, n)) * 2.0
    w = np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)
    tokens = [f"tok{i}" for i in range(n)]
    with workdir() as tmp:
        cfg = write_site(tmp, {"index.md": "# Payload\n\n```attention\nfile: attn.npy\n"
                               f"tokens: {json.dumps(tokens)}\n```\n"}, CONFIG)
        np.save(tmp / "docs" / "attn.npy", w)
        timed_build(cfg, tmp / "site")
        html = (tmp / "site" / "index.html").read_text(encoding="utf-8")
    raw, payload = figure_payload(html)
    figure = re.search(r'<figure class="attn".*?</figure>', html, re.S).group(0)
    values = w.size
    ours = len(raw.encode("utf-8")) / values
    # BertViz's format: the same array as JSON nested lists of floats (produced here, not copied).
    bertviz = len(json.dumps(w.tolist()).encode("utf-8")) / values
    back = payload_weights(payload)
    shown = 0.5 * 10.0 ** -payload["precision"]
    err = float(np.max(np.abs(back - w)))
    report.add(Row("2", f"Payload: page bytes per attention value, {layers}×{heads}×{n}×{n} from .npy",
                   f"{ours:.3f} B/value ({len(raw):,} B, enc {payload['enc']})",
                   f"BertViz-style nested JSON floats: {bertviz:.1f} B/value",
                   f"{bertviz / ours:.1f}× smaller", "≤ 1.5 B/value", ours <= 1.5))
    report.add(Row("2b", "Payload: largest decoding error of a score",
                   f"{err:.4f}",
                   f"half of the last shown decimal (precision {payload['precision']}): {shown}",
                   f"{err / shown:.2f}×", "≤ 1×", err <= shown + 1e-12))
    report.notes.append(
        f"Payload: the whole figure element is {len(figure) / values:.1f} B/value; beyond the payload it is "
        f"mostly the no-JavaScript scores tables ({figure.count('<table')} of the {layers * heads} heads, "
        f"{n}×{n} each: they stop at 3,200 cells) and the static SVG.")


# 3 ─ assets ───────────────────────────────────────────────────────────────────────────────────

def bench_assets(size: Size, report: Report) -> None:
    raw = sum(len((ASSETS / f).read_bytes()) for f in ("attn.js", "attn.css"))
    gz = sum(len(gzip.compress((ASSETS / f).read_bytes(), 9, mtime=0)) for f in ("attn.js", "attn.css"))
    budget = 12 * 1024
    report.add(Row("3", "Assets: attn.js + attn.css, gzipped (raw)",
                   f"{gz:,} B ({raw:,} B raw)", f"budget {budget:,} B",
                   f"{gz / budget:.2f}× budget", "≤ 12 KB gzipped", gz <= budget))


# 4, 5 ─ in Chromium ────────────────────────────────────────────────────────────────────────────

ARM = """(sel) => {
  window.__resp = null;
  const target = document.querySelector(sel);
  const fig = target.closest('figure.attn');
  let dispatched = 0;
  const onFirst = (e) => {  // capturing on window: before any of the page's handlers run
    if (!target.contains(e.target)) return;
    window.removeEventListener('pointerover', onFirst, true);
    dispatched = performance.now();
  };
  const onOver = (e) => {
    if (!target.contains(e.target)) return;
    window.removeEventListener('pointerover', onOver);
    const t0 = e.timeStamp;
    requestAnimationFrame(() => {
      const edges = fig ? fig.querySelectorAll('.attn-edge').length : 0;
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        const now = performance.now();
        window.__resp = {ms: now - t0, handled: now - dispatched, edges: edges};
      };
      ch.port2.postMessage(0);
    });
  };
  window.addEventListener('pointerover', onFirst, true);
  window.addEventListener('pointerover', onOver);  // bubbling: after the widget's own handler
  const r = target.getBoundingClientRect();
  return [r.left + r.width / 2, r.top + r.height / 2];
}"""


#: Pauses before each hover, spread over one 60 Hz frame so the pointer lands at every point of
#: the frame; with a fixed pause Chromium's wait for the next frame stays in one phase for a
#: whole run and swings the medians by up to a frame from one run to the next.
JITTER = np.random.default_rng(7)


def hover_ms(page: object, selector: str) -> tuple[float, float, int]:
    """Pointer enters ``selector`` → the next painted frame (rAF, then a task after the frame):
    from the event's timestamp (includes Chromium's wait for the frame) and from its dispatch."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):  # the pointer may land on something drawn over the target: retry
        page.evaluate("s => document.querySelector(s).scrollIntoView({block: 'center', inline: 'center'})",
                      selector)
        page.mouse.move(2, 2)
        page.wait_for_timeout(30 + float(JITTER.uniform(0, 1000 / 60)))
        x, y = page.evaluate(ARM, selector)
        page.mouse.move(x, y)
        try:
            page.wait_for_function("window.__resp !== null", timeout=5000)
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            continue
        r = page.evaluate("window.__resp")
        return float(r["ms"]), float(r["handled"]), int(r["edges"])
    raise AssertionError("unreachable")


#: Arms the measure from an event (START: the click, or a tap's pointerdown) to the frame painted
#: after the click, and returns where to click.
ARM_CLICK = """(sel) => {
  window.__pin = null;
  let t0 = 0;
  window.addEventListener('START', () => { t0 = performance.now(); }, {capture: true, once: true});
  window.addEventListener('click', () => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => { window.__pin = performance.now() - t0; };
    ch.port2.postMessage(0);
  }), {once: true});
  const r = document.querySelector(sel).getBoundingClientRect();
  return [r.left + r.width / 2, r.top + r.height / 2];
}"""


PIN, TAP = ARM_CLICK.replace("START", "click"), ARM_CLICK.replace("START", "pointerdown")


def click_ms(page: object, selector: str, *, tap: bool = False) -> float:
    """A click on ``selector`` (or, with ``tap``, a touch tap: pointer events, then the click) →
    the frame painted after the click, from the click's (the tap's pointerdown's) dispatch."""
    page.evaluate("s => document.querySelector(s).scrollIntoView({block: 'center', inline: 'center'})",
                  selector)
    page.wait_for_timeout(30 + float(JITTER.uniform(0, 1000 / 60)))
    x, y = page.evaluate(TAP if tap else PIN, selector)
    (page.touchscreen.tap if tap else page.mouse.click)(x, y)
    page.wait_for_function("window.__pin !== null", timeout=10000)
    return float(page.evaluate("window.__pin"))


def pin_ms(page: object, selector: str) -> float:
    """``click_ms``, then Esc unpins."""
    ms = click_ms(page, selector)
    page.keyboard.press("Escape")
    return ms


#: Collects Chromium's Event Timing entries of taps (what INP reports: an interaction's input to
#: the next frame presented, rounded to 8 ms); entries under the 16 ms floor are not reported.
EVENT_TIMING = """() => {
  window.__events = [];
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (e.interactionId) window.__events.push(e.duration);
  }).observe({type: 'event', durationThreshold: 16});
}"""


def tap_ms(page: object, selector: str) -> tuple[float, float]:
    """``click_ms`` with a tap, and the tap's longest Event Timing duration (0: under 16 ms); then
    a second tap unpins."""
    page.evaluate("() => { window.__events = []; }")
    ms = click_ms(page, selector, tap=True)
    page.wait_for_timeout(300)  # the entries are delivered after the frame is presented
    inp = max(page.evaluate("window.__events"), default=0.0)
    page.locator(selector).first.tap()
    page.wait_for_timeout(100)
    return ms, float(inp)


#: A phone for the tap measure: its viewport, and a CPU this many times slower than the machine's.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True,
         "has_touch": True}
PHONE_SLOWDOWN = 4


def bench_phone(browser: object, url: str, size: Size, report: Report) -> None:
    """Tap → painted frame on a phone-sized page with the CPU slowed down (Chromium's throttling)."""
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_SLOWDOWN})
    got, base = [], []
    for n in sorted({size.response_ns[0], size.response_ns[1], size.response_ns[-1]}):
        page.goto(f"{url}/r{n}/")
        page.wait_for_selector("figure.attn.attn-ready")
        page.evaluate(EVENT_TIMING)
        got.append((n, *medians([tap_ms(page, f".attn-token[data-index='{(k * 131) % n}']")
                                 for k in range(size.hovers)])))
        base += [tap_ms(page, "article p, .md-content p") for _ in range(size.hovers)]
    ctx.close()
    b, b_inp = medians(base)
    report.add(Row("4t", f"Tap to pin on a phone: 390 px, touch, CPU {PHONE_SLOWDOWN}× slower; pointerdown → "
                   "painted frame with the pin; the tap's Event Timing duration, as INP reports it ("
                   + "; ".join(f"{n} tokens" for n, _, _ in got) + ")",
                   "; ".join(f"{ms:.0f} ms, INP {inp:.0f} ms" for _, ms, inp in got),
                   f"tap on a paragraph: {b:.0f} ms, INP {f'{b_inp:.0f} ms' if b_inp else 'under 16 ms'}",
                   "; ".join(f"{ms / b:.1f}×" for _, ms, _ in got) if b > 0 else "—", "—", None))
    report.notes.append(
        "Tap (4t): the first figure waits for a task queued after the frame that shows the pin; on a "
        "throttled CPU Chromium may run the next frame first, so it can include work drawn a frame "
        "later (the worked-math table). INP is Chromium's own Event Timing duration of the tap "
        "(input to the next frame presented, in 8 ms steps), what Core Web Vitals call good at "
        "≤ 200 ms." + (" A tap on a paragraph stays under its 16 ms floor." if not b_inp else ""))


def head_switch_ms(page: object, n: int, hovers: int) -> tuple[float, float]:
    """Median of clicks on the head buttons (Head 2, All heads, Head 1 in turn) of a two-head
    figure of ``n`` tokens: with nothing pinned, then with a token pinned."""
    heads = [".attn-head[data-head='1']", ".attn-head[data-head='all']", ".attn-head[data-head='0']"]
    idle = [click_ms(page, heads[k % 3]) for k in range(hovers)]
    click_ms(page, f".attn-token[data-index='{n // 2}']")
    pinned = [click_ms(page, heads[k % 3]) for k in range(hovers)]
    page.keyboard.press("Escape")
    return median(idle), median(pinned)


def browser_pages(size: Size) -> dict[str, str]:
    out = {"index.md": "# Bench\n"}
    for n in size.response_ns:
        toks = json.dumps([f"t{i}" for i in range(n)])
        out[f"r{n}.md"] = (f"# Response {n}\n\nA plain paragraph to hover.\n\n"
                           f"```attention\ntokens: {toks}\n```\n")
    n = max(size.response_ns)
    toks = json.dumps([f"t{i}" for i in range(n)])
    out[f"h{n}.md"] = f"# Heads {n}\n\n```attention\ntokens: {toks}\nheads: 2\n```\n"
    figures = [f"Figure {i}:\n\n```attention\ntext: {sentence(i)}\nheads: 2\n```"
               for i in range(size.figures)]
    out["many.md"] = "# Many\n\n" + "\n\n".join(figures) + "\n"
    return out


def bench_browser(size: Size, report: Report) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, serve

    with workdir() as tmp:
        cfg = write_site(tmp, browser_pages(size), CONFIG)
        timed_build(cfg, tmp / "site")
        httpd, url = serve(tmp / "site")
        foreign: list[str] = []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                ctx.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(
                    (url, "data:", "blob:", "about:")) else None)
                page = ctx.new_page()
                for n in size.response_ns:
                    page.goto(f"{url}/r{n}/")
                    page.wait_for_selector("figure.attn.attn-ready")
                    ours, base, ours_d, base_d = [], [], [], []
                    for k in range(size.hovers):
                        idx = (k * 7919) % n
                        ms, handled, edges = hover_ms(page, f".attn-token[data-index='{idx}']")
                        if edges == 0:
                            raise RuntimeError(f"hovering token {idx} of {n} drew no edges")
                        ours.append(ms)
                        ours_d.append(handled)
                        ms, handled, _ = hover_ms(page, "article p, .md-content p")
                        base.append(ms)
                        base_d.append(handled)
                    o, b, od, bd = median(ours), median(base), median(ours_d), median(base_d)
                    target = n == max(FULL.response_ns)
                    report.add(Row(f"4.{n}", f"Response: pointer-enter → painted frame with edges, "
                                   f"{n} tokens (from the event's timestamp; from its dispatch)",
                                   f"{o:.1f} ms; {od:.1f} ms",
                                   f"hover on a paragraph, same page: {b:.1f} ms; {bd:.1f} ms",
                                   f"{o / b:.2f}×; {od / bd:.2f}×" if b > 0 and bd > 0 else "—",
                                   "≤ 16 ms" if target else "—", o <= 16 if target else None))
                    if n == max(size.response_ns):
                        costs = hover_costs(ctx, page, n)
                        report.notes.append(f"Response at {n} tokens, where a hover's main-thread time "
                                            f"goes (Chromium's counters, median of 3): {costs}.")
                        pins = [pin_ms(page, f".attn-token[data-index='{(k * 131) % n}']")
                                for k in range(size.hovers)]
                        report.add(Row(f"4p.{n}", f"Pin: click → painted frame with the {n} score labels "
                                       "and the score list (from the click's dispatch)",
                                       f"{median(pins):.1f} ms", "—", "—", "—", None))
                        page.goto(f"{url}/h{n}/")
                        page.wait_for_selector("figure.attn.attn-ready")
                        idle, pinned = head_switch_ms(page, n, size.hovers)
                        report.add(Row(f"4h.{n}", f"Head switch: click on a head button → painted frame, "
                                       f"{n} tokens, two heads (from the click's dispatch; nothing pinned; "
                                       "a token pinned)", f"{idle:.1f} ms; {pinned:.1f} ms",
                                       "—", "—", "—", None))
                bench_phone(browser, url, size, report)
                ours, whole = [], []
                for _ in range(max(3, size.reps)):
                    o, w = script_ms(ctx, f"{url}/many/")
                    ours.append(o)
                    whole.append(w)
                o, w = median(ours), median(whole)
                report.add(Row("5", f"Many figures: main-thread time in attn.js until all {size.figures} "
                               "figures are interactive",
                               f"{o:.1f} ms", f"all script on the page (Material's included): {w:.0f} ms",
                               f"{o / w:.2f}× of it" if w > 0 else "—", "≤ 50 ms", o <= 50))
                browser.close()
        finally:
            httpd.shutdown()
    report.add(Row("3b", "Network: requests leaving the local server in all browser runs",
                   str(len(foreign)), "0", "—", "0", not foreign))


def hover_costs(ctx: object, page: object, n: int) -> str:
    """Script, style and layout time of one hover, from Chromium's Performance counters."""
    cdp = ctx.new_cdp_session(page)
    cdp.send("Performance.enable")
    names = {"ScriptDuration": "script", "RecalcStyleDuration": "style", "LayoutDuration": "layout",
             "TaskDuration": "all tasks"}
    got: dict[str, list[float]] = {k: [] for k in names}
    for k in range(3):
        page.mouse.move(2, 2)
        page.wait_for_timeout(200)
        before = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        hover_ms(page, f".attn-token[data-index='{(k * 131) % n}']")
        page.wait_for_timeout(200)
        after = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        for key in names:
            got[key].append((after[key] - before[key]) * 1e3)
    cdp.detach()
    return ", ".join(f"{label} {median(got[key]):.1f} ms" for key, label in names.items())


def script_ms(ctx: object, url: str) -> tuple[float, float]:
    """Main-thread time in attn.js (sampled, inclusive of the DOM calls it makes) from navigation
    until every figure is mounted, and the page's whole script time (Chromium's ScriptDuration)."""
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Performance.enable")
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 50})  # µs
    cdp.send("Profiler.start")
    page.goto(url, wait_until="load")
    page.wait_for_function("document.querySelectorAll('figure.attn:not(.attn-ready)').length === 0")
    profile = cdp.send("Profiler.stop")["profile"]
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    page.close()
    return attributed_ms(profile, "/attn.js"), metrics["ScriptDuration"] * 1e3


def attributed_ms(profile: dict, url_suffix: str) -> float:
    """Time of the samples whose stack holds a frame of ``url_suffix``."""
    parent: dict[int, int] = {}
    mine: dict[int, bool] = {}
    nodes = {n["id"]: n for n in profile["nodes"]}
    for n in profile["nodes"]:
        for c in n.get("children", []):
            parent[c] = n["id"]

    def ours(i: int) -> bool:
        if i not in mine:
            own = nodes[i]["callFrame"]["url"].endswith(url_suffix)
            mine[i] = own or (i in parent and ours(parent[i]))
        return mine[i]

    samples, deltas = profile.get("samples", []), profile.get("timeDeltas", [])
    total = sum(deltas[k + 1] for k in range(len(samples) - 1) if ours(samples[k]))
    return total / 1e3


# 6 ─ rebuilds with a Hugging Face model ────────────────────────────────────────────────────────

def bench_rebuild(size: Size, report: Report) -> None:
    """Cold build (runs the model, fills the cache) vs warm build (reads the cache), marginal."""
    from tests.tiny_models import make_bert

    with workdir() as tmp:
        make_bert(tmp / "models" / "tiny-bert")
        texts = [" ".join(HF_WORDS[(i + k * 3) % len(HF_WORDS)] for k in range(8)) + "."
                 for i in range(size.hf_fences)]
        body = [f"```attention\nmodel: ./models/tiny-bert\ntext: {t}\n```" for t in texts]
        cfg = write_site(tmp / "hf", pages(body), CONFIG.replace("attention\n", "attention\n"))
        shutil.copytree(tmp / "models", tmp / "hf" / "models")
        none = write_site(tmp / "none", pages([f"Text: {t}" for t in texts]), CONFIG)
        env = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        cold, warm, bare = [], [], []
        if size.warmup:
            timed_build(none, tmp / "none-site")
        for _ in range(size.reps):
            shutil.rmtree(tmp / "hf" / ".attention-cache", ignore_errors=True)
            cold.append(timed_build(cfg, tmp / "cold-site", env))
            warm.append(timed_build(cfg, tmp / "warm-site", env))
            bare.append(timed_build(none, tmp / "none-site", env))
    c, w, b = median(cold), median(warm), median(bare)
    ratio = (w - b) / (c - b) if c > b else float("nan")
    report.add(Row("6", f"Rebuilds: {size.hf_fences} fences from a tiny local BERT, warm-cache build",
                   f"{(w - b) * 1e3:.0f} ms marginal ({w:.2f} s)",
                   f"cold first build: {(c - b) * 1e3:.0f} ms marginal ({c:.2f} s); no fences: {b:.2f} s",
                   f"{ratio:.2f}×" if c > b else "— (no cold cost measured)", "≤ 0.3×", ratio <= 0.3))


# 7 ─ scaling ──────────────────────────────────────────────────────────────────────────────────

def bench_scaling(size: Size, report: Report) -> None:
    """Render time and payload per figure as N grows: payload ∝ N², time no worse."""
    from mkdocs_attention.memo import FIGURES
    from mkdocs_attention.pipeline import PageContext, convert

    first: tuple[float, int] | None = None
    for n in size.scaling_ns:
        body = "tokens: " + json.dumps([f"w{i}" for i in range(n)])
        times = []
        for _ in range(size.render_reps):
            FIGURES.clear()  # render each time: the memo would hand back the first figure
            start = time.perf_counter()
            html = convert(body, "", PageContext(), 1)
            times.append(time.perf_counter() - start)
        raw, payload = figure_payload(html)
        t = median(times)
        base = first or (t, len(raw))
        first = base
        growth = (n / size.scaling_ns[0]) ** 2
        if n == size.scaling_ns[0]:
            report.notes.append("Scaling: up to 64 tokens a toy figure also carries its worked-math "
                                "logits (float32, 5⅓ B each) and 16-bit weights (the panel shows three "
                                "decimals) and its no-JavaScript table (up to 40 tokens); above 64, one "
                                "byte per weight.")
        report.add(Row(f"7.{n}", f"Scaling: one figure of {n} tokens (toy), render time and payload",
                       f"{t * 1e3:.1f} ms, {len(raw):,} B ({len(raw) / n**2:.2f} B/N², enc {payload['enc']})",
                       f"N = {size.scaling_ns[0]}: {base[0] * 1e3:.1f} ms, {base[1]:,} B",
                       f"time {t / base[0]:.0f}×, bytes {len(raw) / base[1]:.0f}× (N² {growth:.0f}×)",
                       "—", None))


# ─ report ──────────────────────────────────────────────────────────────────────────────────────

def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        chromium = subprocess.run([_chromium(), "--version"], capture_output=True, text=True,
                                  timeout=30).stdout.strip()
    except Exception:
        chromium = "unknown"
    import mkdocs
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs; "
            f"Python {platform.python_version()}, numpy {np.__version__}, MkDocs {mkdocs.__version__}; "
            f"{chromium}")


def _chromium() -> str:
    from tests.browser.conftest import chromium_path

    return chromium_path()


def table(report: Report) -> str:
    lines = ["| # | measure | result | baseline (same run) | ratio | target | met |",
             "|---|---|---|---|---|---|---|"]
    for r in report.rows:
        met = "—" if r.met is None else ("yes" if r.met else "**no**")
        cells = (r.key, r.measure, r.result, r.baseline, r.ratio, r.target, met)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown(report: Report, size: Size, seconds: float) -> str:
    notes = "\n".join(f"- {n}" for n in report.notes)
    return (f"# Benchmark results\n\nWritten by `make bench` (benchmarks/bench.py); do not edit by hand.\n\n"
            f"Machine: {machine()}.\n\nMedians of {size.reps} runs ({size.build_reps} for build cost, "
            f"{size.split_reps} for 1b and 1c, {size.render_reps} for 7; builds alternate between "
            f"variants); "
            f"{size.hovers} hovers per size; whole run {seconds:.0f} s.\n\n{table(report)}\n\n"
            f"Notes:\n\n{notes}\n")


MEASURES: dict[str, Callable[[Size, Report], None]] = {
    "build": bench_build, "payload": bench_payload, "assets": bench_assets, "browser": bench_browser,
    "rebuild": bench_rebuild, "scaling": bench_scaling,
}


def run(size: Size, only: list[str] | None = None, out: Path | None = None) -> Report:
    report = Report()
    report.notes.append("Build cost (1) is the CPU time (user + system) of real `mkdocs build --strict` "
                        "processes (Material theme, pymdownx.highlight), so it includes MkDocs' own "
                        "per-page work for the figures' HTML and each variant's one-off costs (loading "
                        "Pygments' lexer): every figure is rendered. numpy's BLAS is held to one "
                        "thread in all three variants (an idle BLAS thread spins for 0.1–0.4 s of CPU "
                        "time per build, at random). 1a times the same builds from inside, by a MkDocs "
                        "hook every variant has, leaving out the start of Python and the imports (the same "
                        "work in every variant, about half of a build). 1b is CPU time of builds "
                        "repeated in one process, where unchanged figures come from the process's memo "
                        "of rendered figures (what `mkdocs serve` does on each save). Rebuilds (6) are "
                        "wall time: what an author waits for.")
    report.notes.append("Response: the pointer event's timestamp (or the moment it is dispatched to the "
                        "page, before any handler) to a task queued from the next animation frame (after "
                        "it is painted). Chromium holds pointer moves until the next frame, so the first "
                        "figure includes 0–16.7 ms of waiting that any hover pays; the pauses between "
                        "hovers are spread over a frame so that wait is sampled evenly. The baseline is the "
                        "same measure on a paragraph. The target is judged on the first figure.")
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
    ap.add_argument("--build-rounds", type=int, metavar="N",
                    help=f"rounds of build cost, rows 1 and 1a (default {FULL.build_reps}; a multiple of 3 "
                    "builds each variant first, second and third alike; ~3.5 s a round)")
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
