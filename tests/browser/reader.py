"""Helpers of the reader-experience browser tests: contrast from computed styles, axe-core,
the example site's pages and its hand-written figure, screenshots.

Contrast is measured the way a reader sees it: every colour is resolved by the browser (a 1×1
canvas turns any CSS colour, ``oklch`` or ``color-mix`` included, into sRGB), translucent
colours and ``opacity`` are composited over what is actually behind the element (its ancestors'
backgrounds, down to the white canvas), and the WCAG 2.1 ratio is taken of the results.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from tests.helpers import EXAMPLE_SITE, ROOT

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "tests" / "browser" / "artifacts"

#: The example lecture's second figure ("What "fox" should look at"), as written in its fence.
HAND_TOKENS = ["The", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"]
HAND = np.array(
    [
        [0.60, 0.10, 0.10, 0.20, 0, 0, 0, 0, 0],
        [0.10, 0.50, 0.10, 0.30, 0, 0, 0, 0, 0],
        [0.10, 0.10, 0.50, 0.30, 0, 0, 0, 0, 0],
        [0.05, 0.45, 0.40, 0.10, 0, 0, 0, 0, 0],
        [0, 0, 0, 0.60, 0.20, 0.10, 0, 0, 0.10],
        [0, 0, 0, 0, 0.30, 0.30, 0, 0, 0.40],
        [0, 0, 0, 0, 0, 0, 0.40, 0.10, 0.50],
        [0, 0, 0, 0, 0, 0, 0.10, 0.30, 0.60],
        [0, 0, 0, 0.10, 0.30, 0.10, 0.10, 0.30, 0.10],
    ]
)


def nav_paths() -> list[str]:
    """The example site's pages, from its nav (directory URLs): every page gets axe-core."""

    def walk(items: list) -> list[str]:
        out = []
        for item in items:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            out += walk(value) if isinstance(value, list) else [value]
        return out

    nav = yaml.safe_load((EXAMPLE_SITE / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    return ["/" if md == "index.md" else "/" + md.removesuffix(".md") + "/" for md in walk(nav)]


def screenshot(fig_or_page, name: str) -> None:
    """Write artifacts/<name>; ``UPDATE_SCREENSHOTS=1`` also refreshes docs/assets/<name>."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    fig_or_page.screenshot(path=str(ARTIFACTS / name), animations="disabled")
    assert (ARTIFACTS / name).stat().st_size > 5000
    if os.environ.get("UPDATE_SCREENSHOTS"):
        shutil.copy(ARTIFACTS / name, ROOT / "docs" / "assets" / name)


#: ``(fig) => {base, pairs: [{what, kind: "text"|"edge"|"ui", ratio, fg, bg}]}`` for everything visible in
#: the figure: token words on their boxes, score labels, list, caption, buttons, table cells,
#: edges and the pinned/focused token's outline.
CONTRAST_JS = r"""
(fig) => {
  const cv = document.createElement('canvas'); cv.width = cv.height = 1;
  const cx = cv.getContext('2d', {willReadFrequently: true});
  const rgba = (c) => {  // any CSS colour → [r, g, b, a] (0–255, a 0–1)
    if (!c || c === 'none' || c === 'transparent') return [0, 0, 0, 0];
    cx.clearRect(0, 0, 1, 1); cx.fillStyle = '#000'; cx.fillStyle = c; cx.fillRect(0, 0, 1, 1);
    const d = cx.getImageData(0, 0, 1, 1).data; return [d[0], d[1], d[2], d[3] / 255];
  };
  const over = (top, bottom, alpha) => {  // composite top (with extra alpha) over opaque bottom
    const a = top[3] * (alpha === undefined ? 1 : alpha);
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const lum = (c) => {
    const l = c.slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  // up the tree, out of a shadow root to its host (MyST's anywidget renders figures in one)
  const up = (e) => e.parentElement || (e.parentNode instanceof ShadowRoot ? e.parentNode.host : null);
  const opacity = (el) => { let o = 1; for (let e = el; e && e.nodeType === 1; e = up(e)) o *= +getComputedStyle(e).opacity; return o; };
  const backdrop = (el) => {  // what is behind el: ancestors' backgrounds over the white canvas
    const chain = [];
    for (let e = el; e && e.nodeType === 1; e = up(e)) chain.push(getComputedStyle(e).backgroundColor);
    let c = [255, 255, 255, 1];
    for (let i = chain.length - 1; i >= 0; i--) c = over(rgba(chain[i]), c);
    return c;
  };
  const shown = (el) => { const r = el.getBoundingClientRect();  // (closed <details> content too)
    return r.width > 0 && r.height > 0 && el.checkVisibility({visibilityProperty: true}); };
  const hex = (c) => '#' + c.slice(0, 3).map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
  const out = [];
  const add = (what, kind, fg, bg) => out.push({what, kind, ratio: Math.round(ratio(fg, bg) * 100) / 100, fg: hex(fg), bg: hex(bg)});
  const base = backdrop(fig);
  for (const t of fig.querySelectorAll('.attn-token')) {
    const box = t.querySelector('.attn-token-box'), text = t.querySelector('.attn-token-text');
    if (!box || !text || !shown(text)) continue;
    const s = getComputedStyle(box);
    const boxBg = over(rgba(s.fill), base, +s.fillOpacity * opacity(box));
    add('token ' + text.textContent + (t.classList.contains('attn-active') ? ' (active)' : ''), 'text',
        over(rgba(getComputedStyle(text).fill), boxBg, +getComputedStyle(text).fillOpacity * opacity(text)), boxBg);
    if (t.classList.contains('attn-pinned') || t.matches(':focus-visible'))
      add('outline of ' + text.textContent, 'ui', over(rgba(s.stroke), base, +s.strokeOpacity * opacity(box)), base);
  }
  for (const l of fig.querySelectorAll('.attn-label, .attn-static-label')) {
    if (!shown(l)) continue;
    const s = getComputedStyle(l);
    add('label ' + l.textContent, 'text', over(rgba(s.fill), base, +s.fillOpacity * opacity(l)), base);
  }
  const texts = '.attn-title, .attn-caption, .attn-note, .attn-scores li span, .attn-data summary, ' +
    '.attn-head, .attn-layer, .attn-link, .attn-table th, .attn-table td, .attn-table caption, .attn-math th, .attn-math td, .attn-math caption';
  for (const el of fig.querySelectorAll(texts)) {
    if (!shown(el) || !el.textContent.trim()) continue;
    const bg = backdrop(el);
    add(el.className + ' ' + el.textContent.trim().slice(0, 20), 'text', over(rgba(getComputedStyle(el).color), bg, opacity(el)), bg);
  }
  for (const e of fig.querySelectorAll('.attn-edge, .attn-static-edge')) {
    if (!shown(e)) continue;
    const s = getComputedStyle(e);
    add('edge', 'edge', over(rgba(s.stroke), base, +s.strokeOpacity * opacity(e)), base);
  }
  return {base: hex(base), pairs: out};
}
"""


def contrast(fig) -> dict:
    """``{base: the figure's effective background "#rrggbb", pairs: [...]}`` (see CONTRAST_JS).

    Colour transitions are awaited first (an event, not a delay): mid-way colours are not
    what the reader settles on.
    """
    fig.evaluate("f => Promise.all(f.getAnimations({subtree: true}).map(a => a.finished))")
    return fig.evaluate(CONTRAST_JS)


def assert_legible(fig) -> dict:
    """Text ≥ 4.5:1, edges and outlines ≥ 3:1 (WCAG 2.1 1.4.3 and 1.4.11); returns the measure."""
    m = contrast(fig)
    kinds = {p["kind"] for p in m["pairs"]}
    assert {"text", "edge"} <= kinds, f"nothing to measure: is a token active? {m}"
    low = [p for p in m["pairs"] if p["ratio"] < (4.5 if p["kind"] == "text" else 3.0)]
    assert not low, (m["base"], low)
    return m


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb`` (0 black … 1 white)."""

    def lin(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def run_axe(page, context: str | dict = "figure.attn") -> list[dict]:
    """axe-core's WCAG 2.0/2.1 A and AA violations inside ``context`` (our figures).

    The context is limited to the figures: Material's own chrome is not ours to fix, and a
    theme violation would otherwise hide or excuse one of ours.
    """
    if not AXE.exists():
        pytest.fail(f"axe-core is missing ({AXE}): run `make test-deps` (npm ci in tests/browser)")
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """ctx => axe.run(ctx, {runOnly: {type: 'tag', values:
             ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
           .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
             nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary)})))""",
        context,
    )
    return result


#: What a figure shows, read in the page: its edges [source, target, weight], the tokens
#: highlighted and pressed, the values of the score list's visible items, and the visible score
#: labels (index → text).
SHOWN_JS = """f => ({
  edges: [...f.querySelectorAll('.attn-edge')].map(e => [+e.dataset.source, +e.dataset.target, e.dataset.weight]),
  active: [...f.querySelectorAll('.attn-token.attn-active')].map(t => +t.dataset.index),
  pressed: [...f.querySelectorAll('.attn-token[aria-pressed="true"]')].map(t => +t.dataset.index),
  scores: [...f.querySelectorAll('.attn-scores li')].filter(li => li.checkVisibility())
    .map(li => li.querySelector('.attn-score-value').textContent),
  labels: Object.fromEntries([...f.querySelectorAll('.attn-label')]
    .filter(l => l.checkVisibility({opacityProperty: true})).map(l => [l.dataset.index, l.textContent])),
})"""


def watch_frames(fig) -> None:
    """From the next animation frame on, read what ``fig`` shows at every frame (``frames``)."""
    fig.evaluate(f"""f => new Promise(started => {{
        const shown = {SHOWN_JS};
        const rec = window.__attnFrames = {{frames: [], on: true}};
        const tick = () => {{
          if (!rec.on) return;
          rec.frames.push(shown(f));
          if (rec.frames.length === 1) started();
          requestAnimationFrame(tick);
        }};
        requestAnimationFrame(tick); }})""")


def frames(page) -> list[dict]:
    """Stop reading; what the figure showed, one entry per frame since ``watch_frames``."""
    return page.evaluate("() => { const rec = window.__attnFrames; rec.on = false; return rec.frames; }")


def changes(values: list) -> list:
    """The successive values over the frames, each once while it lasts."""
    out: list = []
    for value in values:
        if not out or value != out[-1]:
            out.append(value)
    return out


def in_sight(fig) -> list[int]:
    """The tokens of ``fig`` a reader can see: inside its scroll box and the window."""
    return fig.evaluate("""f => { const r = f.querySelector('.attn-scroll').getBoundingClientRect();
        return [...f.querySelectorAll('.attn-token')].filter(t => { const b = t.getBoundingClientRect();
          return b.right > Math.max(r.left, 0) && b.left < Math.min(r.right, innerWidth)
            && b.bottom > 0 && b.top < innerHeight; }).map(t => +t.dataset.index); }""")
