"""The widget against itself before issue 28 split it (rows w.*): the same built site served
twice, once with today's core and parts, once with the single-file ``attn.js`` and ``attn.css`` of
commit ``BEFORE`` (read from git), measured in alternating rounds of one run. Each row gives
today's median, the one before, their ratio and today's spread over the rounds (how much the
machine alone moves a median)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import numpy as np

from benchmarks.browser import (
    EVENT_TIMING,
    PHONE,
    PHONE_SLOWDOWN,
    browser_pages,
    hover_ms,
    overview_weights,
    script_ms,
    tap_ms,
)
from benchmarks.report import Report, Row, Size, median
from benchmarks.sites import CONFIG, ROOT, timed_build, workdir
from tests.helpers import write_site

#: The last commit with the single-file widget (1,263 lines), before issue 28.
BEFORE = "d2ff0c5"
#: A page's own listing of the widget's parts, which the single file does not have.
PART_TAG = re.compile(
    r"<(?:script|link)\b[^>]*assets/mkdocs-attention/attn-[\w-]+\.(?:js|css)[^>]*>"
    r"(?:</script>)?\n?"
)
#: A figure's payload version. The single file reads up to version 3; version 4 only added
#: ``parts``, which it does not need, so its copy of the site says 3.
PAYLOAD_VERSION = re.compile(r"""(data-attn='[^']*"v":)4(?=[,}])""")
#: Rounds of each variant, alternating: the spread of today's round medians is the run's noise.
ROUNDS = 3


def old_file(name: str) -> bytes | None:
    """``mkdocs_attention/assets/NAME`` at ``BEFORE``, or None where git or the commit is missing."""
    try:
        return subprocess.run(
            ["git", "show", f"{BEFORE}:mkdocs_attention/assets/{name}"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def site_before(site: Path, out: Path) -> bool:
    """A copy of ``site`` with the widget of ``BEFORE``; False where it cannot be had."""
    js, css = old_file("attn.js"), old_file("attn.css")
    if js is None or css is None:
        return False
    shutil.copytree(site, out)
    (out / "assets" / "mkdocs-attention" / "attn.js").write_bytes(js)
    (out / "assets" / "mkdocs-attention" / "attn.css").write_bytes(css)
    for page in out.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(PAYLOAD_VERSION.sub(r"\g<1>3", PART_TAG.sub("", text)), encoding="utf-8")
    return True


def bench_widget_ab(size: Size, report: Report) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, serve

    with workdir() as tmp:
        cfg = write_site(tmp, browser_pages(size), CONFIG)
        np.save(tmp / "docs" / "overview.npy", overview_weights())
        timed_build(cfg, tmp / "site")
        if not site_before(tmp / "site", tmp / "before"):
            report.notes.append(f"Widget A/B (w.*): skipped, commit {BEFORE} is not in this clone.")
            return
        servers = [serve(tmp / "site"), serve(tmp / "before")]
        urls = [url for _, url in servers]
        n_small, n_big = 64, max(size.response_ns)
        sizes = [n for n in (n_small, n_big) if n in size.response_ns]
        # measure name → its function of (browser, url) → one median for the round
        measures: dict[str, Callable[[object, str], float]] = {
            f"hover {n_big}": lambda b, u: hover_round(b, u, n_big, size.hovers),
            **{f"tap {n}": (lambda b, u, n=n: tap_round(b, u, n, 2 * size.hovers)) for n in sizes},
            "many": lambda b, u: load_round(b, f"{u}/many/", max(3, size.reps)),
            "overview": lambda b, u: load_round(b, f"{u}/overview/", max(3, size.reps)),
        }
        got: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in measures}
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                for r in range(ROUNDS):
                    for name, fn in measures.items():
                        for v in (r % 2, 1 - r % 2):  # each variant first in alternate rounds
                            got[name][v].append(fn(browser, urls[v]))
                browser.close()
        finally:
            for httpd, _ in servers:
                httpd.shutdown()
    labels = {
        f"hover {n_big}": (f"Hover, {n_big} tokens: pointer-enter → painted frame with edges", "ms", 16.0),
        f"tap {n_small}": (f"Tap to pin on the phone of 4t, {n_small} tokens: INP", "ms INP", 80.0),
        f"tap {n_big}": (f"Tap to pin on the phone of 4t, {n_big} tokens: INP", "ms INP", 100.0),
        "many": (f"{size.figures} figures mount: main-thread time in the widget's scripts", "ms", 50.0),
        "overview": ("Overview mount (5o's figure): main-thread time in the widget's scripts", "ms", 50.0),
    }
    for name, (now, before) in got.items():
        what, unit, target = labels[name]
        a, b = median(now), median(before)
        spread = max(now) - min(now)
        report.add(
            Row(
                f"w.{name.replace(' ', '')}",
                f"{what}; today's widget against {BEFORE}'s single file, {ROUNDS} alternating rounds",
                f"{a:.1f} {unit} (spread {spread:.1f})",
                f"{BEFORE}: {b:.1f} {unit}",
                f"{a / b:.2f}×" if b > 0 else "—",
                f"≤ {target:.0f} ms; no worse than the spread",
                a <= target and a - b <= spread,
            )
        )


def hover_round(browser: object, url: str, n: int, hovers: int) -> float:
    """The median hover → painted frame (from the event's timestamp) on the page of ``n`` tokens."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.goto(f"{url}/r{n}/")
    page.wait_for_selector("figure.attn.attn-ready")
    ms = median([hover_ms(page, f".attn-token[data-index='{(k * 7919) % n}']")[0] for k in range(hovers)])
    ctx.close()
    return ms


def tap_round(browser: object, url: str, n: int, taps: int) -> float:
    """The median INP of taps on the phone of row 4t (0 for a tap under Chromium's 16 ms floor)."""
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_SLOWDOWN})
    page.goto(f"{url}/r{n}/")
    page.wait_for_selector("figure.attn.attn-ready")
    page.evaluate(EVENT_TIMING)
    inp = median([tap_ms(page, f".attn-token[data-index='{(k * 131) % n}']")[1] for k in range(taps)])
    ctx.close()
    return inp


def load_round(browser: object, url: str, loads: int) -> float:
    """The median main-thread time in the widget's scripts until every figure of ``url`` is mounted."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ms = median([script_ms(ctx, url)[0] for _ in range(loads)])
    ctx.close()
    return ms
