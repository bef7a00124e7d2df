"""The benchmark sites: their MkDocs config and pages, the sentences of their fences, and real builds.

Nothing here imports ``mkdocs_attention``: the sites reach the package through ``mkdocs build``.
"""

from __future__ import annotations

import random
import resource
import shutil
import tempfile
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.helpers import mkdocs_build

ROOT = Path(__file__).resolve().parent.parent

#: Material with Pygments highlighting: what most course sites use.
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
WORDS = [
    "the",
    "quick",
    "brown",
    "fox",
    "jumps",
    "over",
    "a",
    "lazy",
    "dog",
    "and",
    "then",
    "sat",
    "on",
    "mat",
    "cat",
    "while",
    "it",
    "rained",
    "softly",
    "near",
    "old",
    "river",
    "bank",
    "today",
]
HF_WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "a", "cat", "sat", "on", "mat"]

#: numpy's OpenBLAS starts a thread per core when imported (the plugin imports numpy, so every
#: variant does); idle, it spins for 0.1–0.4 s of CPU time a build, at random. The CPU-time
#: measures pin it to one thread so that this noise, the same for every variant, does not swamp
#: the difference.
ONE_BLAS_THREAD = {"OPENBLAS_NUM_THREADS": "1"}


def sentence(i: int, n: int = 12) -> str:
    """A different n-word sentence for each i (every fence its own figure, none the repeat of an
    earlier one: tests/test_bench.py checks they differ)."""
    rng = random.Random(i)
    return " ".join(rng.choice(WORDS) for _ in range(n))


def toy_texts(count: int) -> list[str]:
    """The bodies of the build-cost and conversion fences: a 12-token sentence, two heads."""
    return [f"text: {sentence(i)}\nheads: 2" for i in range(count)]


def pages(bodies: list[str], per_page: int = 20) -> dict[str, str]:
    out = {"index.md": "# Bench\n"}
    for p in range(0, len(bodies), per_page):
        text = "\n\n".join(bodies[p : p + per_page])
        out[f"p{p // per_page:02d}.md"] = f"# Page {p // per_page}\n\n{text}\n"
    return out


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
