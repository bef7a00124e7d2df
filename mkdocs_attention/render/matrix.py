"""The matrix view: a heat map, queries as rows, keys as columns, labels on both axes.

Without JavaScript (and in print) the heat map is drawn at build time for up to
``STATIC_CELLS_MAX`` tokens: one ``<path>`` per shade (cells quantised to ``SHADES`` levels of the
theme's edge colour), so its size grows with the cells but stays small. The script paints the
current head as the alpha of a canvas (one pixel per cell) that an SVG filter floods with the
theme's edge colour: it follows light/dark live with no redraw, needs no image URL (so a strict
``img-src`` CSP is fine), and draws 512×512 cells at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .layout import LABEL_SIZE, MARGIN, text_width
from .svg import num, part_id, shown, token_g

CELL_MAX = 30.0
CELL_MIN = 4.0
#: Target side of the cell grid (px) when that keeps cells between CELL_MIN and CELL_MAX.
GRID = 420.0
#: Below this cell size token labels are hidden (the tooltip names query and key).
DENSE = 9.0
STATIC_CELLS_MAX = 64
SHADES = 20
LABEL_PAD = 6.0


@dataclass(frozen=True)
class MatrixView:
    tokens: tuple[str, ...]  # the rows (queries)
    keys: tuple[str, ...]  # the columns
    cell: float
    x0: float  # left of the grid
    y0: float  # top of the grid
    font: float
    width: float
    height: float

    @property
    def dense(self) -> bool:
        return self.cell < DENSE

    @property
    def max_stroke(self) -> float:
        return round(self.cell * 0.4, 2)

    def body(self, fig_id: str, first: np.ndarray | None, focus: int | None, on_keys: bool = False) -> str:
        n, c = max(len(self.tokens), len(self.keys)), self.cell
        box = (
            f'x="{num(self.x0)}" y="{num(self.y0)}" width="{num(c * len(self.keys))}" '
            f'height="{num(c * len(self.tokens))}"'
        )
        # The filter's region is the grid in user units: as a fraction of the foreignObject's
        # box (objectBoundingBox) Chromium cut off the last rows and columns.
        tint = part_id(fig_id, "tint")
        parts = [
            f'<defs><filter id="{tint}" filterUnits="userSpaceOnUse" {box} '
            f'color-interpolation-filters="sRGB"><feFlood class="attn-tint"></feFlood>'
            f'<feComposite in2="SourceAlpha" operator="in"></feComposite></filter></defs>',
            f'<rect class="attn-grid" {box}></rect>',
        ]
        if first is not None and n <= STATIC_CELLS_MAX:  # the first head's shades
            parts.append(self.static_heat(first))
        parts.append(
            f'<foreignObject class="attn-heat-canvas" {box} filter="url(#{tint})">'
            f'</foreignObject><rect class="attn-heat" {box}></rect>'
        )
        extra = "attn-dense" if self.dense else ""
        limit = self.x0 - MARGIN - LABEL_PAD
        parts.append('<g class="attn-tokens">')

        def marked(i: int, keys: bool) -> str:
            return " ".join(x for x in (extra, "attn-focus" if i == focus and keys == on_keys else "") if x)

        for i, tok in enumerate(self.tokens):
            y = self.y0 + c * i
            parts.append(
                token_g(
                    "attn-token",
                    i,
                    tok,
                    (MARGIN, y, self.x0 - MARGIN, c),
                    (self.x0 - LABEL_PAD, y + c / 2),
                    "end",
                    size=self.font,
                    limit=limit,
                    extra=marked(i, False),
                )
            )
        parts.append('</g><g class="attn-keys">')
        limit = self.y0 - MARGIN - LABEL_PAD
        for j, tok in enumerate(self.keys):
            x = self.x0 + c * j
            parts.append(self._key(j, tok, x, limit, marked(j, True)))
        parts.append("</g>")
        return "".join(parts)

    def _key(self, j: int, tok: str, x: float, limit: float, extra: str) -> str:
        """A column label: its text turned to read upwards, ending just above the grid."""
        return token_g(
            "attn-key",
            j,
            tok,
            (x, MARGIN, self.cell, self.y0 - MARGIN),
            (x + self.cell / 2, self.y0 - LABEL_PAD),
            "start",
            size=self.font,
            limit=limit,
            extra=extra,
            upright=False,
        )

    def static_heat(self, w: np.ndarray) -> str:
        """``w`` (M×N, fractions of the figure's strongest weight) as one path per shade; the
        lightest shade (near zero) is left out. A difference (negative fractions too) gets a
        path per shade and sign, classed ``attn-up`` or ``attn-down``."""
        level = np.rint(w * SHADES).astype(int)
        c = self.cell
        signed = bool((level < 0).any())
        out = ['<g class="attn-static-heat" aria-hidden="true">']
        for sign in (1, -1) if signed else (1,):
            for k in range(1, SHADES + 1):
                rows, cols = np.nonzero(level == sign * k)
                if not len(rows):
                    continue
                xs = np.char.mod("M%.6g ", np.round(self.x0 + c * cols, 2))
                ys = np.char.mod("%.6g", np.round(self.y0 + c * rows, 2))
                d = "".join(np.char.add(np.char.add(xs, ys), f"h{num(c)}v{num(c)}h-{num(c)}z").tolist())
                cls = "" if not signed else ' class="attn-up"' if sign > 0 else ' class="attn-down"'
                out.append(f'<path{cls} fill-opacity="{num(k / SHADES)}" d="{d}"></path>')
        out.append("</g>")
        return "".join(out)

    def geo(self) -> dict:
        return {"x0": self.x0, "y0": self.y0, "cell": self.cell}


def matrix_view(tokens: tuple[str, ...], keys: tuple[str, ...] | None, precision: int) -> MatrixView:
    """Rows = ``tokens``, columns = ``keys`` (the same tokens when None); cells sized by the
    longer side."""
    columns = tokens if keys is None else keys
    cell = round(min(CELL_MAX, max(CELL_MIN, GRID / max(len(tokens), len(columns)))), 2)
    font = LABEL_SIZE if cell >= 14 else round(max(cell - 2.0, 1.0), 2)

    def room(labels: tuple[str, ...]) -> float:
        """Where the grid starts after a side's labels."""
        if cell < DENSE:
            return round(MARGIN + 16.0, 2)
        return round(MARGIN + max(text_width(shown(t, size=font), font) for t in labels) + LABEL_PAD + 2, 2)

    x0 = room(tokens)
    y0 = x0 if keys is None else room(columns)
    return MatrixView(
        tokens,
        columns,
        cell,
        x0,
        y0,
        font,
        round(x0 + cell * len(columns) + MARGIN, 2),
        round(y0 + cell * len(tokens) + MARGIN, 2),
    )
