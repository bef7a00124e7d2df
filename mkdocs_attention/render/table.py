"""The scores as plain HTML tables: readable without JavaScript, by screen readers, in print."""

from __future__ import annotations

from html import escape

from ..attention import Attention

#: Above this many cells per head a table stops being readable; the figure still works.
MAX_TABLE_TOKENS = 40


def scores_tables(attention: Attention, precision: int) -> str:
    """One table per layer and head, rows = queries, columns = keys."""
    n = attention.n
    if n > MAX_TABLE_TOKENS:
        return (f'<p class="attn-table-note">The table is left out: {n} tokens is more than '
                f"{MAX_TABLE_TOKENS}.</p>")
    head = "".join(f'<th scope="col">{escape(t)}</th>' for t in attention.tokens)
    out = []
    multi_layer = len(attention.layer_names) > 1
    for li, layer in enumerate(attention.layer_names):
        for hi, name in enumerate(attention.head_names):
            where = f"{layer}, {name}" if multi_layer else name
            rows = "".join(
                f'<tr><th scope="row">{escape(tok)}</th>'
                + "".join(f"<td>{w:.{precision}f}</td>" for w in row)
                + "</tr>"
                for tok, row in zip(attention.tokens, attention.weights[li, hi], strict=True)
            )
            out.append(
                f'<table class="attn-table"><caption>{escape(where)}: how much each row '
                f"(query) attends to each column (key)</caption>"
                f'<thead><tr><td></td>{head}</tr></thead><tbody>{rows}</tbody></table>'
            )
    return "".join(out)
