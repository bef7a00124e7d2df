"""The scores as plain HTML tables: readable without JavaScript, by screen readers, in print."""

from __future__ import annotations

from html import escape

from ..attention import Attention

#: Above this many cells per head a table stops being readable; the figure still works.
MAX_TABLE_TOKENS = 40
#: Most cells the tables of one figure hold together (two heads of 40 tokens). A model figure has
#: many heads (BERT-base: 144); tables for all of them would be most of the page's weight.
MAX_TABLE_CELLS = 2 * MAX_TABLE_TOKENS**2


def scores_tables(attention: Attention, precision: int) -> str:
    """One table per layer and head (rows = queries, columns = keys), in order, while they fit
    in ``MAX_TABLE_CELLS``; a note says how many were left out."""
    n = attention.n
    if n > MAX_TABLE_TOKENS:
        return (f'<p class="attn-table-note">The table is left out: {n} tokens is more than '
                f"{MAX_TABLE_TOKENS}.</p>")
    tokens = [escape(t) for t in attention.tokens]
    head = "".join(f'<th scope="col">{t}</th>' for t in tokens)
    # One format string per row: str.format does the float formatting in C, far faster than
    # an f-string per cell (the tables are most of a small figure's build time).
    row_format = '<tr><th scope="row">{}</th>' + f"<td>{{:.{precision}f}}</td>" * n + "</tr>"
    pairs = [(li, hi) for li in range(len(attention.layer_names))
             for hi in range(len(attention.head_names))]
    fit = max(1, MAX_TABLE_CELLS // (n * n))
    out = []
    multi_layer = len(attention.layer_names) > 1
    for li, hi in pairs[:fit]:
        name = attention.head_names[hi]
        where = f"{attention.layer_names[li]}, {name}" if multi_layer else name
        rows = "".join(row_format.format(tok, *row)
                       for tok, row in zip(tokens, attention.weights[li, hi].tolist(), strict=True))
        out.append(
            f'<table class="attn-table"><caption>{escape(where)}: how much each row '
            f"(query) attends to each column (key)</caption>"
            f'<thead><tr><td></td>{head}</tr></thead><tbody>{rows}</tbody></table>'
        )
    if len(pairs) > fit:
        left = len(pairs) - fit
        out.append(f'<p class="attn-table-note">{left} more {"table is" if left == 1 else "tables are"} '
                   f"left out to keep the page light: {len(pairs)} heads of {n} tokens. "
                   "The figure above shows every head.</p>")
    return "".join(out)
