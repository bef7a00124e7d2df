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
    tokens = [escape(t) for t in attention.tokens]
    head = "".join(f'<th scope="col">{t}</th>' for t in tokens)
    # One format string per row: str.format does the float formatting in C, far faster than
    # an f-string per cell (the tables are most of a small figure's build time).
    row_format = '<tr><th scope="row">{}</th>' + f"<td>{{:.{precision}f}}</td>" * n + "</tr>"
    out = []
    multi_layer = len(attention.layer_names) > 1
    for li, layer in enumerate(attention.layer_names):
        for hi, name in enumerate(attention.head_names):
            where = f"{layer}, {name}" if multi_layer else name
            rows = "".join(row_format.format(tok, *row)
                           for tok, row in zip(tokens, attention.weights[li, hi].tolist(), strict=True))
            out.append(
                f'<table class="attn-table"><caption>{escape(where)}: how much each row '
                f"(query) attends to each column (key)</caption>"
                f'<thead><tr><td></td>{head}</tr></thead><tbody>{rows}</tbody></table>'
            )
    return "".join(out)
