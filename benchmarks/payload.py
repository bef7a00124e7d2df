"""What a figure weighs: its payload from a .npy file and how exactly it decodes (rows 2, 2b), the
widget's assets (row 3), and render time and payload as the token count grows (row 7)."""

from __future__ import annotations

import gzip
import json
import re
import time
from dataclasses import dataclass
from html import unescape
from typing import Any

import numpy as np

from benchmarks.report import Report, Row, Size, median
from benchmarks.sites import CONFIG, ROOT, timed_build, workdir
from mkdocs_attention import Place, convert_fence, load, parse_fence, render_figure
from mkdocs_attention.render.payload import payload_weights  # the decoder of a page's payload
from mkdocs_attention.widget_files import CSS, FILES, JS, page_files
from tests.helpers import EXAMPLE_SITE, mkdocs_build, write_site

ASSETS = ROOT / "mkdocs_attention" / "assets"


def figure_payload(html: str) -> tuple[str, dict[str, Any]]:
    """The ``data-attn`` attribute as it stands in the page (escaped), and its parsed JSON."""
    found = re.search(r"data-attn='([^']*)'", html)
    if found is None:
        raise RuntimeError("no figure with a data-attn payload in the page")
    raw = found.group(1)
    return raw, json.loads(unescape(raw))


# 2 ─ payload ──────────────────────────────────────────────────────────────────────────────────


def softmax_weights(shape: tuple[int, int, int], seed: int = 0) -> np.ndarray:
    """``[layers, heads, n, n]`` attention weights (softmax of random logits) of ``(layers, heads, n)``."""
    layers, heads, n = shape
    logits = np.random.default_rng(seed).standard_normal((layers, heads, n, n)) * 2.0
    return np.exp(logits) / np.exp(logits).sum(-1, keepdims=True)


def npy_page(n: int, name: str = "attn.npy") -> str:
    """A page with one fence that reads its weights from ``name`` (tokens ``tok0`` …)."""
    tokens = [f"tok{i}" for i in range(n)]
    return f"# Payload\n\n```attention\nfile: {name}\ntokens: {json.dumps(tokens)}\n```\n"


def built_page(w: np.ndarray) -> str:
    """The HTML of ``npy_page`` after a real ``mkdocs build`` with ``w`` saved as its .npy file."""
    with workdir() as tmp:
        cfg = write_site(tmp, {"index.md": npy_page(w.shape[-1])}, CONFIG)
        np.save(tmp / "docs" / "attn.npy", w)
        timed_build(cfg, tmp / "site")
        return (tmp / "site" / "index.html").read_text(encoding="utf-8")


@dataclass
class Payload:
    """A figure's payload set against the weights it was made from."""

    raw: str  # the data-attn attribute as the page carries it
    payload: dict[str, Any]
    figure: str  # the whole <figure> element
    per_value: float  # page bytes of the payload per attention value
    bertviz: float  # the same, as BertViz's nested JSON floats
    error: float  # largest decoding error of a weight
    shown: float  # half of the last decimal the figure shows

    @property
    def exact_enough(self) -> bool:
        return self.error <= self.shown + 1e-12


def measure_payload(w: np.ndarray, html: str) -> Payload:
    """Decode the payload in ``html`` and compare it with ``w``, the weights it was made from."""
    raw, payload = figure_payload(html)
    found = re.search(r'<figure class="attn".*?</figure>', html, re.S)
    if found is None:
        raise RuntimeError("no attention figure in the page")
    values = w.size
    # BertViz's format: the same array as JSON nested lists of floats (produced here, not copied).
    bertviz = len(json.dumps(w.tolist()).encode("utf-8")) / values
    back = payload_weights(payload)
    if back.shape != w.shape:
        raise RuntimeError(f"the payload decodes to {back.shape}, not the {w.shape} it was made from")
    return Payload(
        raw=raw,
        payload=payload,
        figure=found.group(0),
        per_value=len(raw.encode("utf-8")) / values,
        bertviz=bertviz,
        error=float(np.max(np.abs(back - w))),
        shown=0.5 * 10.0 ** -payload["precision"],
    )


def payload_rows(w: np.ndarray, html: str, report: Report) -> Payload:
    """Rows 2 and 2b (and a note) of the figure in ``html``, made from the weights ``w``."""
    layers, heads, n, _ = w.shape
    p = measure_payload(w, html)
    report.add(
        Row(
            "2",
            f"Payload: page bytes per attention value, {layers}×{heads}×{n}×{n} from .npy",
            f"{p.per_value:.3f} B/value ({len(p.raw):,} B, enc {p.payload['enc']})",
            f"BertViz-style nested JSON floats: {p.bertviz:.1f} B/value",
            f"{p.bertviz / p.per_value:.1f}× smaller",
            "≤ 1.5 B/value",
            p.per_value <= 1.5,
        )
    )
    report.add(
        Row(
            "2b",
            "Payload: largest decoding error of a score",
            f"{p.error:.4f}",
            f"half of the last shown decimal (precision {p.payload['precision']}): {p.shown}",
            f"{p.error / p.shown:.2f}×",
            "≤ 1×",
            p.exact_enough,
        )
    )
    report.notes.append(
        f"Payload: the whole figure element is {len(p.figure) / w.size:.1f} B/value; beyond the payload it "
        f"is mostly the no-JavaScript scores tables ({p.figure.count('<table')} of the {layers * heads} "
        f"heads, {n}×{n} each: they stop at 3,200 cells) and the static SVG."
    )
    return p


def bench_payload(size: Size, report: Report) -> None:
    """Bytes per attention value in the page vs BertViz's nested JSON floats, from one .npy file."""
    w = softmax_weights(size.files_shape)
    payload_rows(w, built_page(w), report)


# 3 ─ assets ───────────────────────────────────────────────────────────────────────────────────


def gzipped(name: str) -> int:
    """Bytes of one of the widget's files as a server sends it, gzipped."""
    return len(gzip.compress((ASSETS / name).read_bytes(), 9, mtime=0))


def bench_assets(size: Size, report: Report) -> None:
    """What a page downloads of the widget: a page of one plain figure (the core and the parts
    it uses), and each page of the example course as the MkDocs plugin lists it."""
    budget = 12 * 1024
    tokens = [f"t{i}" for i in range(12)]
    rows = [[round(1 / (i + 1), 4) if j <= i else 0.0 for j in range(12)] for i in range(12)]
    rows = [[round(w / sum(r), 4) for w in r] for r in rows]
    body = f"tokens: {json.dumps(tokens)}\nweights: {json.dumps(rows)}\n"
    outcome = convert_fence(body, "", Place(), set())
    scripts, styles = page_files(outcome.parts)
    names = [JS, CSS, *scripts, *styles]
    gz = sum(gzipped(n) for n in names)
    report.add(
        Row(
            "3",
            f"Assets: a page of one plain arcs figure (12 tokens, 1 head): {' + '.join(names)}, gzipped",
            f"{gz:,} B",
            f"budget {budget:,} B",
            f"{gz / budget:.2f}× budget",
            "≤ 12 KB gzipped",
            gz <= budget,
        )
    )
    every = sum(gzipped(n) for n in FILES)
    report.add(
        Row(
            "3a",
            "Assets: every file of the widget (what a page would load in one bundle), gzipped",
            f"{every:,} B",
            f"budget {budget:,} B",
            f"{every / budget:.2f}× budget",
            "—",
        )
    )
    with workdir() as tmp:
        site = tmp / "site"
        mkdocs_build(EXAMPLE_SITE / "mkdocs.yml", site)
        weights = {}
        listing = re.compile(r"assets/mkdocs-attention/(attn[\w.-]*\.(?:js|css))")
        for page in sorted(site.rglob("index.html")):
            listed = list(dict.fromkeys(listing.findall(page.read_text(encoding="utf-8"))))
            name = page.parent.relative_to(site).as_posix()
            weights[name if name != "." else "home"] = (sum(gzipped(n) for n in listed), listed)
    heaviest = max(weights, key=lambda k: weights[k][0])
    report.add(
        Row(
            "3c",
            f"Assets: the example course's heaviest page ({heaviest}: "
            f"{', '.join(weights[heaviest][1])}), gzipped",
            f"{weights[heaviest][0]:,} B",
            f"every file {every:,} B",
            f"{weights[heaviest][0] / every:.2f}× every file",
            "—",
        )
    )
    report.notes.append(
        "Assets per page of the example course (gzipped, the files the page lists): "
        + "; ".join(f"{k} {v[0]:,} B" for k, v in weights.items())
        + "."
    )


# 7 ─ scaling ──────────────────────────────────────────────────────────────────────────────────


def render(body: str, fig_id: str) -> str:
    """One figure through the package's scripting API: parse the fence, compute, render."""
    spec = parse_fence(body)
    return render_figure(spec, load(spec), fig_id)


def bench_scaling(size: Size, report: Report) -> None:
    """Render time and payload per figure as N grows: payload ∝ N², time no worse."""
    first: tuple[float, int] | None = None
    for n in size.scaling_ns:
        body = "tokens: " + json.dumps([f"w{i}" for i in range(n)])
        times = []
        for _ in range(size.render_reps):
            start = time.perf_counter()
            html = render(body, f"attn-scaling-{n}")
            times.append(time.perf_counter() - start)
        raw, payload = figure_payload(html)
        t = median(times)
        base = first or (t, len(raw))
        first = base
        growth = (n / size.scaling_ns[0]) ** 2
        if n == size.scaling_ns[0]:
            report.notes.append(
                "Scaling: up to 64 tokens a toy figure also carries its worked-math "
                "logits (float32, 5⅓ B each) and 16-bit weights (the panel shows three "
                "decimals) and its no-JavaScript table (up to 40 tokens); above 64, one "
                "byte per weight."
            )
        report.add(
            Row(
                f"7.{n}",
                f"Scaling: one figure of {n} tokens (toy), render time and payload",
                f"{t * 1e3:.1f} ms, {len(raw):,} B ({len(raw) / n**2:.2f} B/N², enc {payload['enc']})",
                f"N = {size.scaling_ns[0]}: {base[0] * 1e3:.1f} ms, {base[1]:,} B",
                f"time {t / base[0]:.0f}×, bytes {len(raw) / base[1]:.0f}× (N² {growth:.0f}×)",
                "—",
                None,
            )
        )
