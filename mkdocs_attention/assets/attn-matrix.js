/* mkdocs-attention, the matrix view: a heat map (queries down, keys across) painted into a canvas
 * from the payload, a tooltip per cell, and the active token's row (or column) outlined, with
 * its cells' scores where they fit. */
(function (A) {
  "use strict";

  /* Where a pointer event falls: {q, k}, or null outside the cells. */
  function cellAt(f, e) {
    var g = f.p.geo, m = f.svg.getScreenCTM();
    if (!m) return null;
    var pt = f.svg.createSVGPoint();
    pt.x = e.clientX;
    pt.y = e.clientY;
    pt = pt.matrixTransform(m.inverse());
    var q = Math.floor((pt.y - g.y0) / g.cell), k = Math.floor((pt.x - g.x0) / g.cell);
    return q >= 0 && k >= 0 && q < f.n && k < f.nk ? { q: q, k: k } : null;
  }

  /* The tooltip of one cell, "query → key: weight"; null hides it. */
  function showCell(f, c) {
    var m = f.part.matrix, g = f.p.geo;
    m.cellOn = !!c;
    m.cell.classList.toggle(A.cls.on, m.cellOn);
    if (!c) return A.parts.tip.show(f, null);
    var x = g.x0 + g.cell * c.k, y = g.y0 + g.cell * c.q;
    m.cell.setAttribute("x", x);
    m.cell.setAttribute("y", y);
    A.parts.tip.show(f, f.p.tokens[c.q] + " \u2192 " + f.keyNames[c.k] + ": " + f.fmt(f.weightAt(f.s.head, c.q, c.k)),
      { x: x, y: y, width: g.cell, height: g.cell });
  }

  /* The current layer and head as the canvas's alpha, one pixel per cell, opaque at the figure's
     strongest weight; an SVG filter floods it with the theme's edge colour. A difference is
     painted by the compare part. */
  function paint(f) {
    var m = f.part.matrix, cells = f.n * f.nk;
    var ctx = m.canvas.getContext("2d"), img = ctx.createImageData(f.nk, f.n), data = img.data;
    var base = (f.s.layer * f.p.heads.length + f.s.head) * cells, peak = f.peak(), w = f.weights();
    if (f.signed) A.parts.compare.paint(f, img, base, m.canvas.parentNode);
    else for (var i = 0; i < cells; i++) data[4 * i + 3] = Math.round(w[base + i] / peak * 255);
    ctx.putImageData(img, 0, 0);
  }

  A.part("matrix", {
    mount: function (f) {
      var g = f.p.geo;
      var m = f.part.matrix = {
        canvas: document.createElementNS("http://www.w3.org/1999/xhtml", "canvas"),
        cell: A.svgEl("rect", { "class": "attn-cell", "width": g.cell, "height": g.cell }),
        cellOn: false
      };
      m.canvas.width = f.nk;
      m.canvas.height = f.n;
      f.svg.querySelector(".attn-heat-canvas").appendChild(m.canvas);
      f.svg.appendChild(m.cell);
      paint(f);
      var heat = f.svg.querySelector(".attn-heat");
      heat.addEventListener("pointermove", function (e) { showCell(f, cellAt(f, e)); });
      heat.addEventListener("pointerleave", function () { showCell(f, null); });
      heat.addEventListener("click", function (e) {
        var c = cellAt(f, e);
        if (c) f.togglePin({ i: c.q, key: false });
      });
    },
    shown: function (f, was) {
      if (was.layer || was.head || was.weighting) paint(f);
    },
    tipBusy: function (f) {
      return f.part.matrix.cellOn || undefined;
    },
    /* The active row (or column) as a band under its cells' outlines. */
    under: function (f, act, inbound) {
      var g = f.p.geo, at = g.cell * act.i;
      return A.svgEl("rect", {
        "class": "attn-band",
        "x": inbound ? g.x0 + at : g.x0, "y": inbound ? g.y0 : g.y0 + at,
        "width": inbound ? g.cell : g.cell * f.nk, "height": inbound ? g.cell * f.n : g.cell
      });
    },
    /* A cell's outline, as wide as its weight. */
    edge: function (f, src, dst, attrs, w) {
      var g = f.p.geo, inset = Math.abs(w) * f.p.stroke / 2;
      attrs.x = g.x0 + g.cell * dst + inset;
      attrs.y = g.y0 + g.cell * src + inset;
      attrs.width = attrs.height = Math.max(0, g.cell - 2 * inset);
      return A.svgEl("rect", attrs);
    },
    /* A score in its cell, where the cell is wide enough for it. */
    label: function (f, act, j, inbound) {
      var g = f.p.geo;
      if (g.cell < 7 * (f.p.precision + 2) + 2) return null;
      var q = inbound ? j : act.i, k = inbound ? act.i : j;
      return { x: g.x0 + g.cell * (k + 0.5), y: g.y0 + g.cell * (q + 0.5), anchor: "middle" };
    },
    /* For export: the heat map's pixels. */
    canvas: function (f) {
      return f.part.matrix.canvas;
    }
  });
})(window.mkdocsAttention);
