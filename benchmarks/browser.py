"""In Chromium, through Playwright: a hover's response (rows 4.N, with where its time goes), a pin,
a head switch, a tap on a throttled phone (4p, 4h, 4t), a page of many figures (5), a whole-model
figure with its overview (5o), and no request leaving the local server (3b)."""

from __future__ import annotations

import json
import re

import numpy as np

from benchmarks.report import FULL, Report, Row, Size, median, medians
from benchmarks.sites import CONFIG, sentence, timed_build, workdir
from tests.helpers import write_site

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
        page.evaluate(
            "s => document.querySelector(s).scrollIntoView({block: 'center', inline: 'center'})", selector
        )
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
    page.evaluate(
        "s => document.querySelector(s).scrollIntoView({block: 'center', inline: 'center'})", selector
    )
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
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
PHONE_SLOWDOWN = 4
#: Issue 28's targets for a tap's INP on that phone, by figure size (tokens).
TAP_TARGETS_MS = {64: 80, 512: 100}


def bench_phone(browser: object, url: str, size: Size, report: Report) -> None:
    """Tap → painted frame on a phone-sized page with the CPU slowed down (Chromium's throttling).
    Twice as many taps as hovers: a tap's Event Timing comes in 8 ms steps and spreads over
    several frames on the slowed CPU."""
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": PHONE_SLOWDOWN})
    got, base = [], []
    taps = 2 * size.hovers
    for n in sorted({size.response_ns[0], size.response_ns[1], size.response_ns[-1]}):
        page.goto(f"{url}/r{n}/")
        page.wait_for_selector("figure.attn.attn-ready")
        page.evaluate(EVENT_TIMING)
        got.append(
            (n, *medians([tap_ms(page, f".attn-token[data-index='{(k * 131) % n}']") for k in range(taps)]))
        )
        base += [tap_ms(page, "article p, .md-content p") for _ in range(size.hovers)]
    ctx.close()
    b, b_inp = medians(base)
    paragraph = f"tap on a paragraph: {b:.0f} ms, INP {f'{b_inp:.0f} ms' if b_inp else 'under 16 ms'}"
    for n, ms, inp in got:
        target = TAP_TARGETS_MS.get(n)
        report.add(
            Row(
                f"4t.{n}",
                f"Tap to pin on a phone, {n} tokens: 390 px, touch, CPU {PHONE_SLOWDOWN}× "
                "slower; the tap's Event Timing duration, as INP reports it; pointerdown → painted "
                "frame with the pin",
                f"INP {inp:.0f} ms; {ms:.0f} ms",
                paragraph,
                f"{ms / b:.1f}× (pointerdown → frame)" if b > 0 else "—",
                f"INP ≤ {target} ms" if target else "—",
                inp <= target if target else None,
            )
        )
    report.notes.append(
        f"Tap (4t): medians of {taps} taps per size. INP is Chromium's own Event Timing duration of the "
        "tap (input to the next frame presented, in 8 ms steps), what Core Web Vitals call good at "
        "≤ 200 ms; issue 28 asks for ≤ 80 ms at 64 tokens and ≤ 100 ms at 512. The other figure waits "
        "for a task queued after the frame that shows the pin; on the slowed CPU Chromium may run the "
        "next frame first, so it can include work drawn a frame later (the worked-math table, the "
        "score list and the labels out of sight)."
        + (" A tap on a paragraph stays under its 16 ms floor." if not b_inp else "")
    )


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
        out[f"r{n}.md"] = (
            f"# Response {n}\n\nA plain paragraph to hover.\n\n```attention\ntokens: {toks}\n```\n"
        )
    n = max(size.response_ns)
    toks = json.dumps([f"t{i}" for i in range(n)])
    out[f"h{n}.md"] = f"# Heads {n}\n\n```attention\ntokens: {toks}\nheads: 2\n```\n"
    figures = [
        f"Figure {i}:\n\n```attention\ntext: {sentence(i)}\nheads: 2\n```" for i in range(size.figures)
    ]
    out["many.md"] = "# Many\n\n" + "\n\n".join(figures) + "\n"
    toks = json.dumps([f"t{i}" for i in range(OVERVIEW_SHAPE[-1])])
    out["overview.md"] = f"# Overview\n\n```attention\nfile: overview.npy\ntokens: {toks}\n```\n"
    return out


#: The whole-model figure of row 5o: 12 layers × 12 heads of 32 tokens, with its overview grid.
OVERVIEW_SHAPE = (12, 12, 32)


def overview_weights() -> np.ndarray:
    layers, heads, n = OVERVIEW_SHAPE
    x = np.random.default_rng(12).normal(0, 2, (layers, heads, n, n))
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def bench_browser(size: Size, report: Report) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS, chromium_path, serve

    with workdir() as tmp:
        cfg = write_site(tmp, browser_pages(size), CONFIG)
        np.save(tmp / "docs" / "overview.npy", overview_weights())
        timed_build(cfg, tmp / "site")
        httpd, url = serve(tmp / "site")
        foreign: list[str] = []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                ctx = browser.new_context(viewport={"width": 1280, "height": 900})
                ctx.on(
                    "request",
                    lambda r: (
                        foreign.append(r.url)
                        if not r.url.startswith((url, "data:", "blob:", "about:"))
                        else None
                    ),
                )
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
                    report.add(
                        Row(
                            f"4.{n}",
                            f"Response: pointer-enter → painted frame with edges, "
                            f"{n} tokens (from the event's timestamp; from its dispatch)",
                            f"{o:.1f} ms; {od:.1f} ms",
                            f"hover on a paragraph, same page: {b:.1f} ms; {bd:.1f} ms",
                            f"{o / b:.2f}×; {od / bd:.2f}×" if b > 0 and bd > 0 else "—",
                            "≤ 16 ms" if target else "—",
                            o <= 16 if target else None,
                        )
                    )
                    if n == max(size.response_ns):
                        costs = hover_costs(ctx, page, n)
                        report.notes.append(
                            f"Response at {n} tokens, where a hover's main-thread time "
                            f"goes (Chromium's counters, median of 3): {costs}."
                        )
                        pins = [
                            pin_ms(page, f".attn-token[data-index='{(k * 131) % n}']")
                            for k in range(size.hovers)
                        ]
                        report.add(
                            Row(
                                f"4p.{n}",
                                f"Pin: click → painted frame with the {n} score labels "
                                "and the score list (from the click's dispatch)",
                                f"{median(pins):.1f} ms",
                                "—",
                                "—",
                                "—",
                                None,
                            )
                        )
                        page.goto(f"{url}/h{n}/")
                        page.wait_for_selector("figure.attn.attn-ready")
                        idle, pinned = head_switch_ms(page, n, size.hovers)
                        report.add(
                            Row(
                                f"4h.{n}",
                                f"Head switch: click on a head button → painted frame, "
                                f"{n} tokens, two heads (from the click's dispatch; nothing pinned; "
                                "a token pinned)",
                                f"{idle:.1f} ms; {pinned:.1f} ms",
                                "—",
                                "—",
                                "—",
                                None,
                            )
                        )
                bench_phone(browser, url, size, report)
                o, w = script_medians(ctx, f"{url}/many/", max(3, size.reps))
                report.add(
                    Row(
                        "5",
                        "Many figures: main-thread time in the widget's scripts until all "
                        f"{size.figures} "
                        "figures are interactive",
                        f"{o:.1f} ms",
                        f"all script on the page (Material's included): {w:.0f} ms",
                        f"{o / w:.2f}× of it" if w > 0 else "—",
                        "≤ 50 ms",
                        o <= 50,
                    )
                )
                o, w = script_medians(ctx, f"{url}/overview/", max(3, size.reps))
                layers, heads, n = OVERVIEW_SHAPE
                report.add(
                    Row(
                        "5o",
                        "Overview: main-thread time in the widget's scripts until a "
                        f"{layers}×{heads}-head, "
                        f"{n}-token figure and its {layers * heads} thumbnails are interactive",
                        f"{o:.1f} ms",
                        f"all script on the page (Material's included): {w:.0f} ms",
                        f"{o / w:.2f}× of it" if w > 0 else "—",
                        "≤ 50 ms",
                        o <= 50,
                    )
                )
                browser.close()
        finally:
            httpd.shutdown()
    report.add(
        Row(
            "3b",
            "Network: requests leaving the local server in all browser runs",
            str(len(foreign)),
            "0",
            "—",
            "0",
            not foreign,
        )
    )


def hover_costs(ctx: object, page: object, n: int) -> str:
    """Script, style and layout time of one hover, from Chromium's Performance counters."""
    cdp = ctx.new_cdp_session(page)
    cdp.send("Performance.enable")
    names = {
        "ScriptDuration": "script",
        "RecalcStyleDuration": "style",
        "LayoutDuration": "layout",
        "TaskDuration": "all tasks",
    }
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


def script_medians(ctx: object, url: str, loads: int) -> tuple[float, float]:
    """``script_ms`` of ``loads`` loads of ``url``: the median of each of its two figures."""
    runs = [script_ms(ctx, url) for _ in range(loads)]
    return median([o for o, _ in runs]), median([w for _, w in runs])


def script_ms(ctx: object, url: str) -> tuple[float, float]:
    """Main-thread time in the widget's scripts (sampled, inclusive of their DOM calls) from navigation
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
    return attributed_ms(profile), metrics["ScriptDuration"] * 1e3


#: The widget's scripts: the core ``attn.js`` and its parts ``attn-NAME.js``.
WIDGET_SCRIPT = re.compile(r"/attn(?:-[\w-]+)?\.js(?:[?#]|$)")


def attributed_ms(profile: dict, script: re.Pattern[str] = WIDGET_SCRIPT) -> float:
    """Time of the samples whose stack holds a frame of a script whose URL ``script`` finds."""
    parent: dict[int, int] = {}
    mine: dict[int, bool] = {}
    nodes = {n["id"]: n for n in profile["nodes"]}
    for n in profile["nodes"]:
        for c in n.get("children", []):
            parent[c] = n["id"]

    def ours(i: int) -> bool:
        if i not in mine:
            own = script.search(nodes[i]["callFrame"]["url"]) is not None
            mine[i] = own or (i in parent and ours(parent[i]))
        return mine[i]

    samples, deltas = profile.get("samples", []), profile.get("timeDeltas", [])
    total = sum(deltas[k + 1] for k in range(len(samples) - 1) if ours(samples[k]))
    return total / 1e3
