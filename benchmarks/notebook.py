"""What a notebook output weighs (row 8): ``show(attentions=…)`` of a 12-layer × 12-head ×
20-token model against BertViz's ``head_view`` of the same attentions, both as the HTML a
notebook stores (ours with its script and style inlined; BertViz's with its JSON and script)."""

from __future__ import annotations

import numpy as np

from benchmarks.report import Report, Row, Size
from mkdocs_attention import show

SHAPE = (12, 12, 20)  # layers, heads, tokens


def model_attentions(seed: int = 0) -> np.ndarray:
    """Softmax rows over random logits, as (layers, 1, heads, N, N): Hugging Face's batch of one."""
    layers, heads, n = SHAPE
    logits = np.random.default_rng(seed).normal(0, 2, (layers, 1, heads, n, n))
    w = np.exp(logits - logits.max(-1, keepdims=True))
    return (w / w.sum(-1, keepdims=True)).astype(np.float32)


def bench_notebook(size: Size, report: Report) -> None:
    w = model_attentions()
    tokens = [f"tok{i}" for i in range(SHAPE[2])]
    ours = len(show(attentions=tuple(w), tokens=tokens)._repr_html_().encode())
    try:
        import torch
        from bertviz import head_view
    except ImportError as exc:
        report.add(
            Row(
                "8",
                "Notebook output, 12×12×20 attentions",
                f"{ours:,} B",
                f"BertViz not installed ({exc.name})",
                "–",
                "≤ 1/10 of BertViz",
                None,
            )
        )
        return
    theirs = len(
        head_view(tuple(torch.from_numpy(layer) for layer in w), tokens, html_action="return").data.encode()
    )
    report.add(
        Row(
            "8",
            "Notebook output: show(attentions=…) of 12×12×20, script and style inlined",
            f"{ours:,} B",
            f"BertViz 1.4 head_view of the same: {theirs:,} B",
            f"{theirs / ours:.1f}× smaller",
            "≤ 1/10 of BertViz",
            ours * 10 <= theirs,
        )
    )
