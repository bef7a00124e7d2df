/* mkdocs-attention: the reader-side widget. Plain ES2019, no dependencies, no network.
 * Enhances every build-time <figure class="attn"> (static SVG + data-attn payload):
 * hover/focus a token to draw its edges, click/Enter to pin and list its scores, Esc to clear.
 * Mounting is idempotent and runs on load and on each Material instant-navigation page. */
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";

  /* Payload v1: weights [L,H,N,N] as unsigned integers w * scale, base64, little-endian:
   * "u8-b64", "u32le-b64" or "u16le-b64" (also when "enc" is absent). */
  function decodeWeights(p) {
    var bin = atob(p.w);
    var size = p.enc === "u8-b64" ? 1 : p.enc === "u32le-b64" ? 4 : 2;
    var out = new Float64Array(bin.length / size);
    for (var i = 0, o = 0; i < out.length; i++, o += size) {
      var v = 0;
      for (var b = size - 1; b >= 0; b--) v = v * 256 + bin.charCodeAt(o + b);
      out[i] = v / p.scale;
    }
    return out;
  }

  function svgEl(name, attrs) {
    var el = document.createElementNS(SVG_NS, name);
    for (var k in attrs) el.setAttribute(k, attrs[k]);
    return el;
  }

  function htmlEl(name, cls, text) {
    var el = document.createElement(name);
    if (cls) el.className = cls;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function Widget(fig) {
    var p = JSON.parse(fig.getAttribute("data-attn"));
    if (p.v !== 1) throw new Error("mkdocs-attention: unsupported payload version " + p.v);
    this.fig = fig;
    this.p = p;
    this.n = p.tokens.length;
    this.w = decodeWeights(p);
    this.layer = 0;
    this.head = 0;
    this.hover = -1;
    this.pinned = -1;
    this.svg = fig.querySelector("svg.attn-svg");
    this.edges = this.svg.querySelector(".attn-edges");
    this.labels = this.svg.querySelector(".attn-labels");
    this.list = fig.querySelector(".attn-scores");
    this.math = fig.querySelector(".attn-math");
    this.status = fig.querySelector(".attn-status");
    this.tokens = [];
    var els = this.svg.querySelectorAll(".attn-token");
    for (var i = 0; i < els.length; i++) {
      var t = els[i];
      this.tokens[+t.getAttribute("data-index")] = t;
      t.setAttribute("tabindex", i === 0 ? "0" : "-1");
      t.setAttribute("role", "button");
      t.setAttribute("aria-pressed", "false");
    }
    this.bind();
    fig.classList.add("attn-ready");
  }

  Widget.prototype.indexOf = function (target) {
    var t = target && target.closest ? target.closest(".attn-token") : null;
    return t && this.svg.contains(t) ? +t.getAttribute("data-index") : -1;
  };

  Widget.prototype.bind = function () {
    var self = this;
    var svg = this.svg;
    svg.addEventListener("pointerover", function (e) {
      var i = self.indexOf(e.target);
      if (i >= 0) self.setHover(i);
    });
    svg.addEventListener("pointerout", function (e) {
      var from = self.indexOf(e.target);
      if (from >= 0 && self.indexOf(e.relatedTarget) !== from) self.setHover(-1);
    });
    svg.addEventListener("click", function (e) {
      var i = self.indexOf(e.target);
      if (i >= 0) self.togglePin(i);
    });
    svg.addEventListener("focusin", function (e) {
      var i = self.indexOf(e.target);
      if (i >= 0) {
        self.rove(i);
        self.setHover(i);
      }
    });
    svg.addEventListener("focusout", function (e) {
      if (self.indexOf(e.relatedTarget) < 0) self.setHover(-1);
    });
    this.fig.addEventListener("keydown", function (e) { self.onKey(e); });
    var buttons = this.fig.querySelectorAll(".attn-head, .attn-layer");
    for (var b = 0; b < buttons.length; b++) {
      buttons[b].addEventListener("click", function (e) {
        var el = e.currentTarget;
        if (el.classList.contains("attn-head")) self.select("head", +el.getAttribute("data-head"));
        else self.select("layer", +el.getAttribute("data-layer"));
      });
    }
  };

  Widget.prototype.onKey = function (e) {
    var i = this.indexOf(e.target);
    var key = e.key;
    if (key === "Escape") {
      if (this.pinned < 0 && this.hover < 0) return;
      this.pinned = -1;
      this.hover = -1;
      this.draw();
      e.preventDefault();
      return;
    }
    if (i < 0) return;
    var next = -1;
    if (key === "ArrowRight" || key === "ArrowDown") next = Math.min(this.n - 1, i + 1);
    else if (key === "ArrowLeft" || key === "ArrowUp") next = Math.max(0, i - 1);
    else if (key === "Home") next = 0;
    else if (key === "End") next = this.n - 1;
    else if (key === "Enter" || key === " " || key === "Spacebar") {
      this.togglePin(i);
      e.preventDefault();
      return;
    } else return;
    e.preventDefault();
    this.rove(next);
    this.tokens[next].focus();
  };

  /* Roving tabindex: exactly one token of the figure is in the Tab order. */
  Widget.prototype.rove = function (i) {
    for (var j = 0; j < this.n; j++) this.tokens[j].setAttribute("tabindex", j === i ? "0" : "-1");
  };

  Widget.prototype.setHover = function (i) {
    if (this.hover === i) return;
    this.hover = i;
    this.draw();
  };

  Widget.prototype.togglePin = function (i) {
    this.pinned = this.pinned === i ? -1 : i;
    this.draw();
    this.announce();
  };

  /* Switch head or layer ("head"/"layer", index) and mark its button pressed. */
  Widget.prototype.select = function (kind, i) {
    this[kind] = i;
    var buttons = this.fig.querySelectorAll(".attn-" + kind);
    for (var k = 0; k < buttons.length; k++) {
      buttons[k].setAttribute("aria-pressed", +buttons[k].getAttribute("data-" + kind) === i ? "true" : "false");
    }
    this.draw();
    this.announce();
  };

  /* Weight of query q on key k in the current layer and head. */
  Widget.prototype.weight = function (q, k) {
    var n = this.n;
    return this.w[((this.layer * this.p.heads.length + this.head) * n + q) * n + k];
  };

  /* Weights of the active token's edges: its row (direction out) or its column (in). */
  Widget.prototype.row = function (a) {
    var out = [];
    for (var j = 0; j < this.n; j++) {
      out.push(this.p.direction === "in" ? this.weight(j, a) : this.weight(a, j));
    }
    return out;
  };

  Widget.prototype.arcPath = function (from, to) {
    var g = this.p.geo;
    var top = g.top;
    var x1 = g.cx[from];
    var x2 = g.cx[to];
    if (from === to) {
      return "M" + (x1 - 7) + " " + top + "C" + (x1 - 17) + " " + (top - 30) + " " +
        (x1 + 17) + " " + (top - 30) + " " + (x1 + 7) + " " + top;
    }
    var h = Math.min(g.arc[2], g.arc[0] + g.arc[1] * Math.abs(x2 - x1));
    return "M" + x1 + " " + top + "C" + x1 + " " + (top - h) + " " + x2 + " " + (top - h) +
      " " + x2 + " " + top;
  };

  Widget.prototype.draw = function () {
    var a = this.hover >= 0 ? this.hover : this.pinned;
    var p = this.p;
    var edges = document.createDocumentFragment();
    var labels = document.createDocumentFragment();
    var items = document.createDocumentFragment();
    if (a >= 0) {
      var row = this.row(a);
      var inbound = p.direction === "in";
      for (var j = 0; j < this.n; j++) {
        var w = row[j];
        if (w > 0) {
          var src = inbound ? j : a;
          var dst = inbound ? a : j;
          edges.appendChild(svgEl("path", {
            "class": "attn-edge",
            "d": this.arcPath(src, dst),
            "data-source": src,
            "data-target": dst,
            "data-weight": w.toFixed(5),
            "stroke-width": (w * p.stroke).toFixed(4)
          }));
        }
        if (this.pinned >= 0) {
          var label = svgEl("text", {
            "class": "attn-label",
            "x": p.geo.cx[j],
            "y": p.geo.label,
            "text-anchor": "middle",
            "data-index": j
          });
          label.textContent = w.toFixed(p.precision);
          labels.appendChild(label);
        }
        var li = htmlEl("li", "attn-score");
        li.setAttribute("data-index", j);
        li.appendChild(htmlEl("span", "attn-score-token", p.tokens[j]));
        li.appendChild(htmlEl("span", "attn-score-value", w.toFixed(p.precision)));
        items.appendChild(li);
      }
    }
    this.drawMath();
    this.edges.replaceChildren(edges);
    this.labels.replaceChildren(labels);
    this.list.replaceChildren(items);
    this.fig.classList.toggle("attn-engaged", a >= 0);
    for (var t = 0; t < this.n; t++) {
      var tok = this.tokens[t];
      tok.classList.toggle("attn-active", t === a);
      tok.classList.toggle("attn-pinned", t === this.pinned);
      tok.setAttribute("aria-pressed", t === this.pinned ? "true" : "false");
    }
  };

  /* The worked math of the pinned query: logits, scaling, mask, softmax (toy, scores, Q·K). */
  Widget.prototype.drawMath = function () {
    var m = this.p.math;
    if (!this.math || !m) return;
    var i = this.pinned;
    if (i < 0) {
      this.math.replaceChildren();
      return;
    }
    var p = this.p;
    var logits = m.logits[this.head][i];
    var table = htmlEl("table", "attn-math-table");
    var cap = htmlEl("caption", null, "How \u201c" + p.tokens[i] + "\u201d attends" +
      (p.heads.length > 1 ? " (" + p.heads[this.head] + ")" : "") +
      ": softmax(" + m.label + " \u00f7 " + m.by + (m.causal ? " + mask" : "") + ")");
    table.appendChild(cap);
    var head = htmlEl("tr");
    var cols = ["key", m.label, "\u00f7 " + m.by].concat(m.causal ? ["mask"] : []).concat(["softmax"]);
    cols.forEach(function (c) {
      var th = htmlEl("th", null, c);
      th.setAttribute("scope", "col");
      head.appendChild(th);
    });
    var thead = htmlEl("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = htmlEl("tbody");
    for (var j = 0; j < this.n; j++) {
      var masked = m.causal && j > i;
      var tr = htmlEl("tr");
      tr.setAttribute("data-index", j);
      var th = htmlEl("th", null, p.tokens[j]);
      th.setAttribute("scope", "row");
      tr.appendChild(th);
      var cells = [logits[j].toFixed(3), (logits[j] / m.divisor).toFixed(3)];
      if (m.causal) cells.push(masked ? "\u2212\u221e" : "0");
      cells.push(this.weight(i, j).toFixed(Math.max(p.precision, 3)));
      cells.forEach(function (c) { tr.appendChild(htmlEl("td", null, c)); });
      body.appendChild(tr);
    }
    table.appendChild(body);
    this.math.replaceChildren(table);
  };

  /* Tell screen-reader users what pinning revealed: the strongest three weights. */
  Widget.prototype.announce = function () {
    if (!this.status) return;
    if (this.pinned < 0) {
      this.status.textContent = "";
      return;
    }
    var row = this.row(this.pinned);
    var order = row.map(function (w, j) { return j; }).sort(function (x, y) { return row[y] - row[x]; });
    var p = this.p;
    var top = order.slice(0, 3).map(function (j) {
      return p.tokens[j] + " " + row[j].toFixed(p.precision);
    });
    var verb = p.direction === "in" ? " is attended to most by " : " attends most to ";
    this.status.textContent = p.tokens[this.pinned] + verb + top.join(", ") + ".";
  };

  function mount(root) {
    var figs = (root || document).querySelectorAll("figure.attn");
    for (var i = 0; i < figs.length; i++) {
      var fig = figs[i];
      if (fig.attnWidget !== undefined) continue;
      try {
        fig.attnWidget = new Widget(fig);
      } catch (err) {
        fig.attnWidget = null;
        fig.classList.add("attn-broken");
        if (window.console) console.error(err);
      }
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { mount(document); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { mount(document); });
  } else {
    mount(document);
  }
  window.mkdocsAttention = { mount: mount };
})();
