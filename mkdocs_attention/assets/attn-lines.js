/* mkdocs-attention, the lines view: queries in a column on the left, keys on the right, a curve
 * from each query to each key it attends to; scores beside the other column. */
(function (A) {
  "use strict";
  A.part("lines", {
    edge: function (f, src, dst, attrs) {
      var g = f.p.geo, y1 = g.y0 + g.row * src, y2 = g.y0 + g.row * dst, mid = (g.x2 - g.x1) / 2;
      attrs.d = "M" + g.x1 + " " + y1 + "C" + (g.x1 + mid) + " " + y1 + " " + (g.x2 - mid) + " " + y2 +
        " " + g.x2 + " " + y2;
      return A.svgEl("path", attrs);
    },
    label: function (f, act, j, inbound) {
      var g = f.p.geo;
      return { x: g.lx[inbound ? 0 : 1], y: g.y0 + g.row * j, anchor: inbound ? "end" : "start" };
    }
  });
})(window.mkdocsAttention);
