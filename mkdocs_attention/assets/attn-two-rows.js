/* mkdocs-attention, cross-attention's arcs view: queries in a row above, keys in a row below, a
 * curve from each query down to each key it attends to; scores above the queries or under the keys. */
(function (A) {
  "use strict";
  A.part("two-rows", {
    edge: function (f, src, dst, attrs) {
      var g = f.p.geo, mid = (g.qy + g.ky) / 2;
      attrs.d = "M" + g.cx[src] + " " + g.qy + "C" + g.cx[src] + " " + mid + " " + g.kx[dst] + " " + mid +
        " " + g.kx[dst] + " " + g.ky;
      if (!f.signed) attrs["marker-end"] = "url(#" + A.parts.arcs.arrow(f, f.s.all ? attrs["data-head"] % A.HEAD_COLOURS : -1) + ")";
      return A.svgEl("path", attrs);
    },
    label: function (f, act, j, inbound) {
      var g = f.p.geo;
      return { x: (inbound ? g.cx : g.kx)[j], y: g.label[inbound ? 0 : 1], anchor: "middle" };
    }
  });
})(window.mkdocsAttention);
