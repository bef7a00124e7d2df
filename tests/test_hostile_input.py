"""The hostile-input corpus (``tests/hostile_corpus.py``) through real ``mkdocs build`` runs.

One shared site per set-up (plain, and Material with SuperFences), one page per class, built
once ``--strict`` and once not, each build under a timeout and an address-space limit. For every
case: the strict build fails without a traceback; the case's warning names its page and its
fence's line and says what is wrong; the non-strict page keeps every marker paragraph, has one
``attn-error`` box per bad case and a figure per good one. Run with ``-s`` to see each build's
wall time and peak memory.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np
import pytest

from mkdocs_attention.render.payload import payload_weights
from tests import helpers
from tests.helpers import has_hf, requires_hf, write_site
from tests.hostile_corpus import (
    CACHE_CASES,
    CONFIG_CASES,
    CONFIGS,
    CORPUS,
    WARM_PAGE,
    Case,
    edit_cache,
    page,
    write_custom_code_model,
    write_data,
)

TIMEOUT_S = 120
ADDRESS_SPACE = 3 * 2**30
#: What the worst build may take.
MAX_BUILD_S, MAX_RSS_BYTES = 60, 2 * 2**30
#: A model folder asking for its own code is refused at once: no prompt, no wait.
AUTO_MAP_BUDGET_S = 60

HF = has_hf()
CLASSES: dict[str, list[Case]] = {**CORPUS, **({"cache": CACHE_CASES} if HF else {})}
#: Cases per class (the cache class counts where it runs; config is one site-wide case).
CORPUS_SIZE: dict[str, int] = {
    **{cls: len(cases) for cls, cases in CORPUS.items()},
    "cache": len(CACHE_CASES),
    "config": len(CONFIG_CASES),
}
#: Each build's wall time and memory, by label: filled by the fixture, checked by one test.
BUILD_STATS: dict[str, dict[str, float]] = {}

WARNING = re.compile(r"WARNING\s+-\s+(docs/([\w-]+)\.md:(\d+): attention: .*)")
BOX = re.compile(r'<div class="attn-error" role="alert"><strong>attention:</strong> (.*?)</div>', re.S)
FIGURE = re.compile(r'<figure class="attn".*?</figure>', re.S)
PAYLOAD = re.compile(r"data-attn='([^']*)'")


def _limit_address_space() -> None:  # runs in the child, before mkdocs starts
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def _run_limited(
    cmd: list[str], *, cwd: Path, env: dict[str, str], **_: object
) -> subprocess.CompletedProcess[str]:
    """``subprocess.run`` as ``helpers.mkdocs_build`` calls it, under limits: ``TIMEOUT_S``, an
    address-space cap, no terminal to ask questions on. Reaped with ``os.wait4`` for the child's
    own peak RSS, kept in ``_LAST_PEAK_KB``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            cwd=cwd,
            env=env,
            preexec_fn=_limit_address_space,
        )
        deadline = time.monotonic() + TIMEOUT_S
        while not (reaped := os.wait4(proc.pid, os.WNOHANG))[0]:
            if time.monotonic() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise subprocess.TimeoutExpired(cmd, TIMEOUT_S)
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(reaped[1])
        _LAST_PEAK_KB.append(reaped[2].ru_maxrss)
        out.seek(0)
        err.seek(0)
        return subprocess.CompletedProcess(
            cmd, proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
        )


_LAST_PEAK_KB: list[int] = []


def build(label: str, config: Path, site: Path, *, strict: bool) -> subprocess.CompletedProcess[str]:
    """``helpers.mkdocs_build`` (its command and environment) run by ``_run_limited``; records the
    wall time and peak RSS in ``BUILD_STATS``."""
    _LAST_PEAK_KB.clear()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    with mock.patch.object(helpers.subprocess, "run", _run_limited):
        result = helpers.mkdocs_build(config, site, strict=strict)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert len(_LAST_PEAK_KB) == 1, "helpers.mkdocs_build no longer calls subprocess.run: no limits applied"
    # ru_maxrss is in kB: this build's own peak (wait4), and the largest child so far (getrusage).
    BUILD_STATS[label] = {
        "wall_s": wall,
        "peak_rss_mb": _LAST_PEAK_KB[0] / 1024,
        "children_peak_before_mb": before / 1024,
        "children_peak_after_mb": after / 1024,
    }
    print(
        f"\n[build {label}] {wall:.1f} s, peak RSS {_LAST_PEAK_KB[0] / 1024:.0f} MB (children's "
        f"peak {before / 1024:.0f} → {after / 1024:.0f} MB), exit {result.returncode}"
    )
    return result


@dataclass
class Built:
    """One set-up's two builds, read once."""

    strict: subprocess.CompletedProcess[str]
    relaxed: subprocess.CompletedProcess[str]
    #: (page, line) → the warning lines there.
    warnings: dict[tuple[str, int], list[str]]
    #: page → the non-strict build's HTML.
    html: dict[str, str]


@dataclass
class Project:
    root: Path
    fence_lines: dict[str, list[int]]
    built: dict[str, Built]


def _prepare_cache(root: Path) -> None:
    """A tiny local BERT, a model folder asking for its own code, and a build cache filled by a
    warm-up build of its own (``warm-docs/``) and then spoilt by hand."""
    from tests.tiny_models import make_bert

    make_bert(root / "models" / "tiny-bert")
    write_custom_code_model(root / "models" / "custom-code")
    (root / "warm-docs").mkdir()
    (root / "warm-docs" / "index.md").write_text(WARM_PAGE, encoding="utf-8")
    warm_cfg = root / "warm.yml"
    warm_cfg.write_text("site_name: Warm\ndocs_dir: warm-docs\nplugins:\n  - attention\n", encoding="utf-8")
    warm = build("warm-up (fills the cache)", warm_cfg, root / "site-warm", strict=True)
    assert warm.returncode == 0, warm.stderr
    assert set(edit_cache(root / ".attention-cache")) == {"rows_off", "600_tokens"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("hostile-input")
    pages, fence_lines = {}, {}
    for cls, cases in CLASSES.items():
        pages[f"{cls}.md"], fence_lines[cls] = page(cls, cases)
    write_site(root, pages, CONFIGS["plain"])
    (root / "material.yml").write_text(CONFIGS["material"], encoding="utf-8")
    write_data(root / "docs")
    if HF:
        _prepare_cache(root)
    built = {}
    for setup, cfg in (("plain", root / "mkdocs.yml"), ("material", root / "material.yml")):
        strict = build(f"{setup} --strict", cfg, root / f"site-{setup}-strict", strict=True)
        relaxed = build(f"{setup}", cfg, root / f"site-{setup}", strict=False)
        warnings: dict[tuple[str, int], list[str]] = {}
        for m in WARNING.finditer(strict.stderr):
            warnings.setdefault((m.group(2), int(m.group(3))), []).append(m.group(1))
        html = {
            cls: (root / f"site-{setup}" / cls / "index.html").read_text(encoding="utf-8")
            for cls in CLASSES
            if (root / f"site-{setup}" / cls / "index.html").exists()
        }
        built[setup] = Built(strict, relaxed, warnings, html)
    return Project(root, fence_lines, built)


def _case_params(*, bad: bool, known_bugs_fail: bool = True) -> list[Any]:
    """(set-up, class, index) for every bad (or every good) case; where a bug is known and the check
    shows it (``known_bugs_fail``), the case is a strict xfail."""
    params = []
    for setup in CONFIGS:
        for cls, cases in {**CORPUS, "cache": CACHE_CASES}.items():
            for k, case in enumerate(cases):
                if (case.expect is not None) != bad:
                    continue
                marks = [requires_hf] if cls == "cache" else []
                if case.xfail and known_bugs_fail:
                    marks.append(pytest.mark.xfail(strict=True, reason=case.xfail))
                params.append(pytest.param(setup, cls, k, marks=marks, id=f"{setup}-{cls}-{case.name}"))
    return params


BAD = _case_params(bad=True)
#: The location checks hold for every bad case, known bugs (in the message) or not.
LOCATED = _case_params(bad=True, known_bugs_fail=False)
GOOD = _case_params(bad=False)


def _cases(cls: str) -> list[Case]:
    return CACHE_CASES if cls == "cache" else CORPUS[cls]


def _warning(project: Project, setup: str, cls: str, k: int) -> str:
    case, line = _cases(cls)[k], project.fence_lines[cls][k]
    line += case.body_line + 1 if case.body_line is not None else 0
    found = project.built[setup].warnings.get((cls, line), [])
    assert len(found) == 1, (
        f"expected one warning at docs/{cls}.md:{line}, got {found}; all: "
        f"{sorted(project.built[setup].warnings)}"
    )
    return found[0]


def _box(project: Project, setup: str, cls: str, k: int) -> str:
    """The error box of bad case ``k``: bad cases and boxes come in page order."""
    bad = [i for i, c in enumerate(_cases(cls)) if c.expect is not None]
    boxes = BOX.findall(project.built[setup].html[cls])
    assert len(boxes) == len(bad)
    return unescape(boxes[bad.index(k)])


def _figure(project: Project, setup: str, cls: str, k: int) -> str:
    good = [i for i, c in enumerate(_cases(cls)) if c.expect is None]
    figures = FIGURE.findall(project.built[setup].html[cls])
    assert len(figures) == len(good)
    return figures[good.index(k)]


# --- the builds -------------------------------------------------------------------------------


@pytest.mark.parametrize("setup", CONFIGS)
def test_strict_build_fails_without_a_traceback(project: Project, setup: str) -> None:
    result = project.built[setup].strict
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "warnings in strict mode" in result.stdout + result.stderr, result.stderr[-2000:]


@pytest.mark.parametrize("setup", CONFIGS)
def test_no_stray_warnings_and_each_is_short_and_printable(project: Project, setup: str) -> None:
    """Exactly one warning per bad case, none elsewhere; every line short, no raw control character."""
    bad = Counter(cls for cls, cases in CLASSES.items() for c in cases if c.expect is not None)
    got = Counter(cls for (cls, _), lines in project.built[setup].warnings.items() for _ in lines)
    assert got == bad
    stderr = project.built[setup].strict.stderr
    for line in stderr.splitlines():
        if ": attention: " in line:
            assert len(line) < 1100, line[:300]
    assert "\x1b" not in stderr and "\x00" not in stderr


@pytest.mark.parametrize("setup", CONFIGS)
def test_non_strict_build_succeeds(project: Project, setup: str) -> None:
    result = project.built[setup].relaxed
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert set(project.built[setup].html) == set(CLASSES)


def test_worst_build_is_within_time_and_memory(project: Project) -> None:
    """Runs after the fixture's builds (module order): the worst of them stays well inside the limits."""
    assert BUILD_STATS, "no build recorded"
    worst_s = max(s["wall_s"] for s in BUILD_STATS.values())
    peak_mb = max(s["peak_rss_mb"] for s in BUILD_STATS.values())
    print(
        f"\n[builds] {len(BUILD_STATS)} builds; worst {worst_s:.1f} s; children's peak RSS {peak_mb:.0f} MB"
    )
    for label, s in BUILD_STATS.items():
        print(f"  {label:28} {s['wall_s']:5.1f} s  {s['peak_rss_mb']:6.0f} MB")
    assert worst_s < MAX_BUILD_S
    assert peak_mb * 2**20 < MAX_RSS_BYTES


# --- every case -------------------------------------------------------------------------------


@pytest.mark.parametrize(("setup", "cls", "k"), LOCATED)
def test_warning_names_the_page_and_the_fence_line(project: Project, setup: str, cls: str, k: int) -> None:
    assert _warning(project, setup, cls, k).startswith(f"docs/{cls}.md:")


@pytest.mark.parametrize(("setup", "cls", "k"), BAD)
def test_warning_and_box_say_what_is_wrong(project: Project, setup: str, cls: str, k: int) -> None:
    warning, box = _warning(project, setup, cls, k), _box(project, setup, cls, k)
    for fragment in _cases(cls)[k].fragments:
        assert fragment in warning, (warning, fragment)
        assert fragment in box, (box, fragment)


@pytest.mark.parametrize(("setup", "cls", "k"), GOOD)
def test_good_fence_renders(project: Project, setup: str, cls: str, k: int) -> None:
    figure = _figure(project, setup, cls, k)
    expected = _cases(cls)[k].tokens
    payload = json.loads(unescape(PAYLOAD.search(figure).group(1)))  # type: ignore[union-attr]
    assert payload["tokens"] == (list(expected) if expected is not None else payload["tokens"] or None)
    w = payload_weights(payload)
    assert w.shape[-2:] == (len(payload["tokens"]), len(payload.get("key_tokens", payload["tokens"])))
    assert np.isfinite(w).all() and "attn-error" not in figure


@pytest.mark.parametrize("setup", CONFIGS)
@pytest.mark.parametrize("cls", CLASSES)
def test_page_keeps_every_marker_and_one_box_per_bad_case(project: Project, setup: str, cls: str) -> None:
    html, cases = project.built[setup].html[cls], _cases(cls)
    for k in range(len(cases)):
        assert f"<p>Marker {cls} {k}.</p>" in html
    assert f"<p>Marker {cls} end.</p>" in html
    assert len(BOX.findall(html)) == sum(c.expect is not None for c in cases)
    assert len(FIGURE.findall(html)) == sum(c.expect is None for c in cases)


# --- classes with checks of their own ---------------------------------------------------------


@requires_hf
def test_model_code_never_runs_and_nothing_waits_for_a_prompt(project: Project) -> None:
    assert not (project.root / "models" / "custom-code" / "RAN").exists()
    for setup in CONFIGS:
        for label in (f"{setup} --strict", setup):
            assert BUILD_STATS[label]["wall_s"] < AUTO_MAP_BUDGET_S


@pytest.mark.parametrize("setup", CONFIGS)
def test_config_takes_max_file_mb_as_a_whole_number(project: Project, setup: str) -> None:
    """``max_file_mb: 100`` (an int) passes config validation and sets the file limit."""
    stderr = project.built[setup].relaxed.stderr
    assert "Config value" not in stderr and "configuration error" not in stderr.lower()
    assert "more than the limit of 100 MB" in stderr


def test_corpus_is_large_enough() -> None:
    print(f"\n[corpus] CORPUS_SIZE = {CORPUS_SIZE}; {sum(CORPUS_SIZE.values())} cases")
    assert sum(CORPUS_SIZE.values()) >= 30
    assert all(CORPUS_SIZE[cls] >= 1 for cls in ("hang", "bombs", "internal", "rewrites", "cache", "config"))
    names = [c.name for cases in (*CORPUS.values(), CACHE_CASES) for c in cases if c.name != "good_sentence"]
    assert len(names) == len(set(names))
