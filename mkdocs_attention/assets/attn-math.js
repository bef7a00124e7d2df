/* mkdocs-attention, the worked math (toy, scores, queries and keys): for the pinned query, each
 * key's logit, the scaled logit, the mask and the softmax weight, in a table under the figure. */
(function (A) {
  "use strict";

  /* The logits [H,N,N], flat: base64 little-endian float32 (dtype f4) or float64. */
  function decode(logits, dtype) {
    var bin = atob(logits);
    var view = new DataView(new ArrayBuffer(bin.length));
    for (var i = 0; i < bin.length; i++) view.setUint8(i, bin.charCodeAt(i));
    var f4 = dtype === "f4", size = f4 ? 4 : 8;
    var out = new Float64Array(bin.length / size);
    for (var k = 0; k < out.length; k++) out[k] = f4 ? view.getFloat32(size * k, true) : view.getFloat64(size * k, true);
    return out;
  }

  /* The table of query i in the current head. */
  function table(f, i) {
    var m = f.p.math, p = f.p, el = A.htmlEl, head = f.s.head;
    var o = f.part.math;
    if (!o.logits) o.logits = decode(m.logits, m.dtype);
    var at = (head * f.n + i) * f.nk;
    var logits = o.logits.slice(at, at + f.nk);
    var out = el("table", "attn-math-table");
    out.appendChild(el("caption", null, "How \u201c" + p.tokens[i] + "\u201d attends" +
      (p.heads.length > 1 ? " (" + p.heads[head] + ")" : "") +
      ": softmax(" + m.label + " \u00f7 " + m.by + (m.causal ? " + mask" : "") + ")"));
    var tr = el("tr");
    ["key", m.label, "\u00f7 " + m.by].concat(m.causal ? ["mask"] : []).concat(["softmax"]).forEach(function (c) {
      var th = el("th", null, c);
      th.setAttribute("scope", "col");
      tr.appendChild(th);
    });
    out.appendChild(el("thead")).appendChild(tr);
    var body = out.appendChild(el("tbody"));
    for (var j = 0; j < f.nk; j++) {
      var row = body.appendChild(el("tr"));
      row.setAttribute("data-index", j);
      var th = row.appendChild(el("th", null, f.keyNames[j]));
      th.setAttribute("scope", "row");
      var cells = [logits[j].toFixed(3), (logits[j] / m.divisor).toFixed(3)];
      if (m.causal) cells.push(j > i ? "\u2212\u221e" : "0");
      cells.push(f.weightAt(head, i, j).toFixed(Math.max(p.precision, 3)));
      cells.forEach(function (c) { row.appendChild(el("td", null, c)); });
    }
    return out;
  }

  A.part("math", {
    mount: function (f) {
      f.part.math = { box: f.fig.querySelector(".attn-math"), drawn: "", logits: null };
    },
    /* Redrawn when the pin or head changes; a new pin's table waits two frames: on a slow phone
       its layout took as long as the rest of the pin. */
    drawn: function (f) {
      var o = f.part.math, s = f.s;
      var i = s.pin && !s.pin.key && !s.all ? s.pin.i : -1;
      var key = i < 0 ? "" : i + " " + s.head;
      if (!o.box || key === o.drawn) return;
      o.drawn = key;
      if (i < 0) return o.box.replaceChildren();
      var draw = function () { if (o.drawn === key) o.box.replaceChildren(table(f, i)); };
      if (o.box.firstChild) draw();
      else requestAnimationFrame(function () { requestAnimationFrame(draw); });
    }
  });
})(window.mkdocsAttention);
