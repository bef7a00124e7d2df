/* mkdocs-attention, weightings (`weighting: value-norm`): the payload's weights are then the
 * attention α, and `weighting.norms` holds each key's ‖f_h(x_j)‖ (layers × heads × keys, float32).
 * The figure shows α ‖f‖ with each row rescaled to sum to 1 (numerics.value_weighted) or, when the
 * reader presses "Attention", α itself; the pinned query's worked math lists both. With every
 * head shown, the last head, "Heads together", is the layer's ‖Σ_h α f_h‖ (`weighting.together`)
 * or, switched, the heads' mean α. A flow or ALTI figure (`weighting.entry`) has its whole-model
 * entry as its last layer: its buttons show that entry or go back to the layer shown before. */
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

  /* α ‖f‖ of every row, rescaled to sum to 1 (a row whose keys send nothing keeps α); the last
     head, with `together`, is "Heads together": the layer's own weights, as carried. */
  function weighed(f, alpha, norms, together) {
    var out = new Float64Array(alpha.length), nk = f.nk, nn = f.n * nk, H = f.p.heads.length;
    for (var at = 0; at < alpha.length; at += nk) {
      var lh = Math.floor(at / nn), of = lh * nk, total = 0, j;
      if (together && lh % H === H - 1) {
        var from = Math.floor(lh / H) * nn + (at % nn);
        for (j = 0; j < nk; j++) out[at + j] = together[from + j];
        continue;
      }
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

  /* The weighting shown: the state's, or for a flow or ALTI figure whether its entry is. */
  function shownOf(f) {
    var entry = f.p.weighting.entry;
    if (!entry) return f.s.weighting;
    return f.s.layer === f.p.layers.length - 1 ? entry : "attention";
  }

  function press(f) {
    var buttons = f.part.weighting.buttons, now = shownOf(f);
    for (var k = 0; k < buttons.length; k++) {
      buttons[k].setAttribute("aria-pressed", String(buttons[k].getAttribute("data-weighting") === now));
    }
    f.fig.setAttribute("data-attn-weighting", now);
  }

  A.part("weighting", {
    mount: function (f) {
      var entry = f.p.weighting.entry, last = f.p.layers.length - 1;
      if (!entry) f.s.weighting = f.p.weighting.shown;
      var o = f.part.weighting = {
        buttons: f.fig.querySelectorAll(".attn-weighting"),
        box: entry ? null : f.fig.querySelector(".attn-math"),
        norms: null, alpha: null, drawn: "",
        back: 0  /* a flow or ALTI figure's layer to go back to from its entry */
      };
      press(f);
      f.fig.addEventListener("click", function (e) {
        var b = e.target.closest && e.target.closest(".attn-weighting");
        if (!b || !f.fig.contains(b)) return;
        var to = b.getAttribute("data-weighting");
        if (!entry) f.set({ weighting: to });
        else f.set({ layer: to === entry ? last : o.back });
      });
    },
    /* The decoded weights are α: kept, and shown weighed unless the reader chose α. */
    weights: function (f) {
      if (f.p.weighting.entry) return;
      var o = f.part.weighting;
      var p = f.p.weighting;
      if (!o.norms) {
        o.norms = floats(p.norms);
        o.together = p.together ? A.decodeWeights(p.together, "u16le-b64", 65535) : null;
      }
      o.alpha = f.w;
      if (f.s.weighting === "value-norm") f.w = weighed(f, o.alpha, o.norms, o.together);
    },
    shown: function (f) {
      if (f.s.layer < f.p.layers.length - 1) f.part.weighting.back = f.s.layer;
      press(f);
    },
    /* The pinned query's table, redrawn when the pin, layer or head changes. */
    drawn: function (f) {
      var o = f.part.weighting, s = f.s;
      /* "Heads together" is no α times a norm: it has no table. */
      var whole = !!o.together && s.head === f.p.heads.length - 1;
      var i = s.pin && !s.pin.key && !s.all && !whole ? s.pin.i : -1;
      var key = i < 0 ? "" : [i, s.layer, s.head].join();
      if (!o.box || key === o.drawn) return;
      o.drawn = key;
      if (i < 0) return o.box.replaceChildren();
      f.weights();
      o.box.replaceChildren(table(f, i));
    }
  });
})(window.mkdocsAttention);
