"""A model's writing (``generate``): the payload's ``steps`` and the no-JavaScript table of the
steps. The weights of such a figure are causal, so the payload carries only each row's keys up
to the query (the lower triangle, row by row): a little over half of the square."""

from __future__ import annotations

from html import escape
from typing import Any

import numpy as np

from ..attention import Generation


def lower_triangle(values: np.ndarray) -> np.ndarray:
    """The ``[…, N, N]`` values on and below the diagonal, row by row, flattened per matrix."""
    n = values.shape[-1]
    rows, cols = np.tril_indices(n)
    return values[..., rows, cols]


def from_lower_triangle(values: np.ndarray, n: int) -> np.ndarray:
    """``lower_triangle``'s inverse: the ``[…, N, N]`` values, zero above the diagonal."""
    out = np.zeros((*values.shape[:-1], n, n))
    rows, cols = np.tril_indices(n)
    out[..., rows, cols] = values
    return out


def steps_part(generation: Generation) -> dict[str, Any]:
    """What the script's steps part needs: where the prompt ends, each step's likely next tokens
    and the written token's probability."""
    return {
        "chosen": list(generation.chosen),
        "prompt": generation.prompt,
        "top": [[[token, p] for token, p in step] for step in generation.top],
    }


def steps_table(generation: Generation, tokens: tuple[str, ...]) -> str:
    """Each step as a row: the token it reads, the token written and its probability, and the
    model's most likely next tokens."""
    rows = []
    for s, top in enumerate(generation.top):
        q = generation.prompt - 1 + s
        written = f"{escape(tokens[q + 1])} ({generation.chosen[s]:.3f})" if s < generation.written else "—"
        likely = ", ".join(f"{escape(t)} {p:.3f}" for t, p in top)
        cells = f"<td>{escape(tokens[q])}</td><td>{written}</td><td>{likely}</td>"
        rows.append(f'<tr><th scope="row">{s}</th>{cells}</tr>')
    return (
        '<table class="attn-table attn-steps-table"><caption>Step by step: the token each step '
        "reads (step 0: the prompt's last), the one the model wrote and its probability, and the "
        "tokens it found most likely</caption>"
        '<thead><tr><th scope="col">Step</th><th scope="col">Reads</th><th scope="col">Writes</th>'
        f'<th scope="col">Most likely next</th></tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )
