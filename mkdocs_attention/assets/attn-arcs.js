/* mkdocs-attention, the arcs view: tokens in a row, an arc above them from each query to each
 * key it attends to (an arrowhead on the key), the pinned token's scores under the tokens. */
(function (A) {
  "use strict";

  /* The arrowhead's id: the build's (colour -1), or one per head colour, made on first use. */
  function arrow(f, colour) {
    var base = A.partId(f, "arrow");
    if (colour < 0) return base;
    var id = base + "-h" + colour;
    if (!f.svg.querySelector("#" + CSS.escape(id))) {
      var m = f.svg.querySelector("#" + CSS.escape(base)).cloneNode(true);
      m.setAttribute("id", id);
      m.setAttribute("class", "attn-arrow attn-h" + colour);
      f.svg.querySelector("defs").appendChild(m);
    }
    return id;
  }

  /* An arc from query to key, or a token's loop to itself, from the build's geometry. */
  function path(g, from, to) {
    var top = g.top, x1 = g.cx[from], x2 = g.cx[to];
    if (from === to) {
      var l = g.loop;
      return "M" + (x1 - l[0]) + " " + top + "C" + (x1 - l[1]) + " " + (top - l[2]) + " " +
        (x1 + l[1]) + " " + (top - l[2]) + " " + (x1 + l[0]) + " " + top;
    }
    var h = Math.min(g.arc[2], g.arc[0] + g.arc[1] * Math.abs(x2 - x1));
    return "M" + x1 + " " + top + "C" + x1 + " " + (top - h) + " " + x2 + " " + (top - h) + " " + x2 + " " + top;
  }

  A.part("arcs", {
    edge: function (f, src, dst, attrs) {
      attrs.d = path(f.p.geo, src, dst);
      if (!f.signed) attrs["marker-end"] = "url(#" + arrow(f, f.s.all ? attrs["data-head"] % A.HEAD_COLOURS : -1) + ")";
      return A.svgEl("path", attrs);
    },
    arrow: arrow,
    label: function (f, act, j) {
      return { x: f.p.geo.cx[j], y: f.p.geo.label, anchor: "middle" };
    }
  });
})(window.mkdocsAttention);
