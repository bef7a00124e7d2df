/* mkdocs-attention, differences (`compare`): the figure draws D = B − A, where A is its own
 * weights and B the payload's second set. Edges are as wide as |D| and styled by sign (attn-up
 * solid, attn-down dashed), values carry their sign, the score list reads "A → B (B − A)", and
 * the matrix is painted in two colours. */
(function (A) {
  "use strict";

  A.part("compare", {
    mount: function (f) {
      f.verbs = { out: " attends differently most to ", "in": " is attended to differently most by " };
    },
    /* What the figure draws is the difference. */
    weights: function (f) {
      var p = f.p, a = f.w, b = A.decodeWeights(p.compare.w, p.enc, p.scale), d = new Float64Array(a.length);
      for (var i = 0; i < d.length; i++) d[i] = b[i] - a[i];
      f.part.compare = { a: a, b: b };
      f.w = d;
    },
    /* One head's list: A, B and B − A of each token. */
    columns: function (f, rows, inbound) {
      if (f.s.all) return undefined;
      var c = f.part.compare, s = f.s, act = s.hover || s.pin;
      var base = (s.layer * f.p.heads.length + s.head) * f.n * f.nk, a = [], b = [];
      for (var j = 0; j < rows[0].length; j++) {
        var at = base + (inbound ? j * f.nk + act.i : act.i * f.nk + j);
        a.push(c.a[at]);
        b.push(c.b[at]);
      }
      var plain = function (x) { return x.toFixed(f.p.precision); };
      return [
        { row: a, cls: " attn-score-a", title: "A", fmt: plain },
        { row: b, cls: " attn-score-b", title: "B, " + f.p.compare.label, fmt: plain },
        { row: rows[0], cls: " attn-score-diff", title: "B \u2212 A", fmt: null }
      ];
    },
    /* The matrix's heat map in two colours, one per sign (the stylesheet's --attn-up and
       --attn-down), its size as alpha: painted in colour, so the tint filter goes. */
    paint: function (f, img, base, holder) {
      var w = f.weights(), data = img.data, peak = f.peak();
      var rgb = ["--attn-up", "--attn-down"].map(function (name) {
        var hex = A.plainColour(f.fig, name, "#000000");  /* opaque: "#rrggbb" */
        return [1, 3, 5].map(function (k) { return parseInt(hex.slice(k, k + 2), 16); });
      });
      holder.removeAttribute("filter");
      for (var i = 0; i < f.n * f.nk; i++) {
        var v = w[base + i], c = rgb[v >= 0 ? 0 : 1];
        data[4 * i] = c[0];
        data[4 * i + 1] = c[1];
        data[4 * i + 2] = c[2];
        data[4 * i + 3] = Math.round(Math.abs(v) / peak * 255);
      }
    }
  });
})(window.mkdocsAttention);
