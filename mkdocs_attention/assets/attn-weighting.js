/* mkdocs-attention, weightings (`weighting: value-norm`): the payload's weights are then the
 * attention α, and `weighting.norms` holds each key's ‖f_h(x_j)‖ (layers × heads × keys, float32).
 * The figure shows α ‖f‖ with each row rescaled to sum to 1 (numerics.value_weighted) or, when the
 * reader presses "Attention", α itself; the pinned query's worked math lists both. */
(function (A) {
  "use strict";

  /* Base64 little-endian float32s. */
  function floats(text) {
    var bin = atob(text), view = new DataView(new ArrayBuffer(bin.length));
    for (var i = 0; i < bin.length; i++) view.setUint8(i, bin.charCodeAt(i));
    var out = new Float64Array(bin.length / 4);
    for (var k = 0; k < out.length; k++) out[k] = view.getFloat32(4 * k, true);
    return out;
  }

  /* α ‖f‖ of every row, rescaled to sum to 1 (a row whose keys send nothing keeps α). */
  function weighed(f, alpha, norms) {
    var out = new Float64Array(alpha.length), nk = f.nk;
    for (var at = 0; at < alpha.length; at += nk) {
      var of = Math.floor(at / (f.n * nk)) * nk, total = 0, j;
      for (j = 0; j < nk; j++) total += (out[at + j] = alpha[at + j] * norms[of + j]);
      for (j = 0; j < nk; j++) out[at + j] = total > 0 ? out[at + j] / total : alpha[at + j];
    }
    return out;
  }

  /* The worked math of query i in the current layer and head. */
  function table(f, i) {
    var o = f.part.weighting, p = f.p, el = A.htmlEl, s = f.s, H = p.heads.length;
    var at = ((s.layer * H + s.head) * f.n + i) * f.nk, of = (s.layer * H + s.head) * f.nk;
    var d = Math.max(p.precision, 3), sizes = [], total = 0, j;
    for (j = 0; j < f.nk; j++) total += (sizes[j] = o.alpha[at + j] * o.norms[of + j]);
    var out = el("table", "attn-math-table attn-weighting-table");
    out.appendChild(el("caption", null, "What \u201c" + p.tokens[i] + "\u201d takes from each key" +
      (H > 1 ? " (" + p.heads[s.head] + ")" : "") + ": \u03b1 \u00d7 \u2016f(x)\u2016, rescaled to sum to 1"));
    var tr = el("tr");
    ["key", "\u03b1", "\u2016f(x)\u2016", "\u03b1 \u00b7 \u2016f(x)\u2016", "share"].forEach(function (c) {
      var th = el("th", null, c);
      th.setAttribute("scope", "col");
      tr.appendChild(th);
    });
    out.appendChild(el("thead")).appendChild(tr);
    var body = out.appendChild(el("tbody"));
    for (j = 0; j < f.nk; j++) {
      var row = body.appendChild(el("tr"));
      row.setAttribute("data-index", j);
      var th = row.appendChild(el("th", null, f.keyNames[j]));
      th.setAttribute("scope", "row");
      var share = total > 0 ? sizes[j] / total : o.alpha[at + j];
      [o.alpha[at + j].toFixed(d), o.norms[of + j].toFixed(3), sizes[j].toFixed(3), share.toFixed(d)].forEach(function (c) {
        row.appendChild(el("td", null, c));
      });
    }
    return out;
  }

  A.part("weighting", {
    mount: function (f) {
      f.s.weighting = f.p.weighting.shown;
      f.part.weighting = {
        buttons: f.fig.querySelectorAll(".attn-weighting"),
        box: f.fig.querySelector(".attn-math"),
        norms: null, alpha: null, drawn: ""
      };
      f.fig.setAttribute("data-attn-weighting", f.s.weighting);
      f.fig.addEventListener("click", function (e) {
        var b = e.target.closest && e.target.closest(".attn-weighting");
        if (b && f.fig.contains(b)) f.set({ weighting: b.getAttribute("data-weighting") });
      });
    },
    /* The decoded weights are α: kept, and shown weighed unless the reader chose α. */
    weights: function (f) {
      var o = f.part.weighting;
      if (!o.norms) o.norms = floats(f.p.weighting.norms);
      o.alpha = f.w;
      if (f.s.weighting === "value-norm") f.w = weighed(f, o.alpha, o.norms);
    },
    shown: function (f, was) {
      if (!was.weighting) return;
      var buttons = f.part.weighting.buttons;
      for (var k = 0; k < buttons.length; k++) {
        buttons[k].setAttribute("aria-pressed", String(buttons[k].getAttribute("data-weighting") === f.s.weighting));
      }
      f.fig.setAttribute("data-attn-weighting", f.s.weighting);
    },
    /* The pinned query's table, redrawn when the pin, layer or head changes. */
    drawn: function (f) {
      var o = f.part.weighting, s = f.s;
      var i = s.pin && !s.pin.key && !s.all ? s.pin.i : -1;
      var key = i < 0 ? "" : [i, s.layer, s.head].join();
      if (!o.box || key === o.drawn) return;
      o.drawn = key;
      if (i < 0) return o.box.replaceChildren();
      f.weights();
      o.box.replaceChildren(table(f, i));
    }
  });
})(window.mkdocsAttention);
