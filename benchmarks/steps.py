"""A model writing (issue 31), rows 9a–9c: a 32-token prompt and 32 written tokens of a
12 layers × 12 heads GPT-2 (built here, seeded): the payload's bytes per attention value shown
(against the same weights as a square figure), a step's response on a desktop (→ on the slider,
against → on a plain slider) and a tap on "Next" on a throttled phone (against a tap on a
paragraph)."""

from __future__ import annotations

import json

import numpy as np

from benchmarks.browser import EVENT_TIMING, PHONE, PHONE_SLOWDOWN
from benchmarks.payload import figure_payload
from benchmarks.report import Report, Row, Size, median
from benchmarks.sites import CONFIG, timed_build, workdir
from tests.helpers import write_site
from tests.tiny_models import make_gpt2

LAYERS, HEADS, PROMPT, WRITTEN = 12, 12, 32, 32
#: 32 tokens for the tiny GPT-2's byte-level BPE: its words, each one token.
PROMPT_TEXT = " ".join((["The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"] * 4)[:PROMPT])

#: Key → the next frame painted after its handlers, as the hover measure times a pointer.
KEY = """(sel) => {
  window.__key = null;
  const el = document.querySelector(sel);
  el.focus();
  el.addEventListener('keydown', (e) => {
    const t0 = e.timeStamp;
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => { window.__key = performance.now() - t0; };
      ch.port2.postMessage(0);
    });
  }, {once: true});
}"""


def page(tokens: int) -> str:
    return (
        "# Writing\n\nA paragraph to tap.\n\n"
        '<input type="range" id="plain" min="0" max="64" value="0">\n\n'
        f"```attention\nid: w\nmodel: ./gpt2\ntext: {PROMPT_TEXT}\ngenerate: {WRITTEN}\n```\n\n"
        f"```attention\nid: square\nfile: square.npy\n"
        f"tokens: {json.dumps([f't{i}' for i in range(tokens)])}\n```\n"
    )


def key_ms(pg: object, selector: str, key: str) -> float:
    """``key`` pressed in ``selector`` → the next frame painted, in ms."""
    pg.evaluate(KEY, selector)
    pg.keyboard.press(key)
    pg.wait_for_function("window.__key !== null", timeout=10000)
    return float(pg.evaluate("window.__key"))


def bench_steps(size: Size, report: Report) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, serve

    with workdir() as tmp:
        make_gpt2(tmp / "gpt2", writes=True, layers=LAYERS, heads=HEADS, width=48)
        cfg = write_site(tmp, {"index.md": "# Bench\n"}, CONFIG)
        (tmp / "docs" / "index.md").write_text(page(PROMPT + WRITTEN), encoding="utf-8")
        # The baseline: a square figure of the same weights (causal zeros carried as values).
        square = np.tril(np.ones((PROMPT + WRITTEN,) * 2))
        rows = np.broadcast_to(square / square.sum(-1, keepdims=True), (LAYERS, HEADS, *square.shape))
        np.save(tmp / "docs" / "square.npy", rows)
        timed_build(cfg, tmp / "site")
        html = (tmp / "site" / "index.html").read_text(encoding="utf-8")
        figures = html.split('<figure class="attn"')[1:]
        written = next(f for f in figures if 'id="w"' in f)
        square_fig = next(f for f in figures if 'id="square"' in f)
        (w_attr, p), (s_attr, _) = figure_payload(written), figure_payload(square_fig)
        n = len(p["tokens"])
        shown = LAYERS * HEADS * n * (n + 1) // 2
        per, square_per = len(w_attr) / shown, len(s_attr) / shown
        report.add(
            Row(
                "9a",
                f"Payload of a model writing: {PROMPT} + {WRITTEN} tokens, {LAYERS} × {HEADS} heads "
                "(bytes of the data-attn attribute per attention value shown, the causal rows)",
                f"{per:.2f} B a value ({len(w_attr):,} B)",
                f"the same figure square: {square_per:.2f} B a value",
                f"{per / square_per:.2f}×",
                "≤ 1.5 B a value",
                per <= 1.5,
            )
        )
        httpd, url = serve(tmp / "site")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                pg = ctx.new_page()
                pg.goto(url + "/")
                pg.wait_for_selector("#w.attn-ready")
                pg.locator("#w .attn-step-range").focus()
                pg.keyboard.press("Home")
                steps, plain = [], []
                for k in range(2 * size.hovers):
                    key = "ArrowRight" if (k // WRITTEN) % 2 == 0 else "ArrowLeft"
                    steps.append(key_ms(pg, "#w .attn-step-range", key))
                    plain.append(key_ms(pg, "#plain", key))
                ms, base = median(steps), median(plain)
                report.add(
                    Row(
                        "9b",
                        "A step of a model writing, desktop: → on the step slider to the next frame "
                        f"painted (median of {len(steps)})",
                        f"{ms:.1f} ms",
                        f"→ on a plain slider: {base:.1f} ms",
                        f"{ms / base:.2f}×",
                        "≤ 16 ms",
                        ms <= 16,
                    )
                )
                ctx.close()
                ctx = browser.new_context(**PHONE)
                pg = ctx.new_page()
                ctx.new_cdp_session(pg).send("Emulation.setCPUThrottlingRate", {"rate": PHONE_SLOWDOWN})
                pg.goto(url + "/")
                pg.wait_for_selector("#w.attn-ready")
                pg.evaluate(EVENT_TIMING)
                taps, paragraph = [], []
                for k in range(size.hovers):
                    button = "#w .attn-step-prev" if (k // 8) % 2 == 0 else "#w .attn-step-next"
                    for target, out in ((button, taps), ("article p", paragraph)):
                        pg.evaluate("() => { window.__events = []; }")
                        pg.locator(target).first.tap()
                        pg.wait_for_timeout(300)
                        out.append(max(pg.evaluate("window.__events"), default=0.0))
                inp, base_inp = median(taps), median(paragraph)
                report.add(
                    Row(
                        "9c",
                        f"A step on a phone ({PHONE_SLOWDOWN}× slower CPU): a tap on Back/Next, its "
                        f"Event Timing duration as INP reports it (median of {len(taps)}; 0: under 16 ms)",
                        f"INP {inp:.0f} ms",
                        f"tap on a paragraph: INP {base_inp:.0f} ms",
                        f"{inp / base_inp:.2f}×" if base_inp else "—",
                        "INP ≤ 100 ms",
                        inp <= 100,
                    )
                )
                ctx.close()
                browser.close()
        finally:
            httpd.shutdown()
