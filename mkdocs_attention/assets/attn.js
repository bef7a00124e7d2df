/* mkdocs-attention, the core of the reader-side widget: decodes a <figure class="attn">'s payload
 * into one state object, draws the active token's edges, labels and scores, and handles hover,
 * pin, keyboard and announcements. Views and features are parts (attn-NAME.js beside this file)
 * that register with `mkdocsAttention.part`; a figure mounts once the parts it uses are here,
 * loaded from this file's folder when the page did not list them. Plain ES2019, no dependencies,
 * idempotent (on load, on each Material instant-navigation page, and when run again). */
(function () {
  "use strict";
  var A = window.mkdocsAttention;
  if (A && A.core) {
    A.mount(document);
    return;
  }
  A = window.mkdocsAttention = { core: true, parts: {} };
  var SVG_NS = "http://www.w3.org/2000/svg";

  /* Class names more than one part uses. */
  var CLS = A.cls = {
    token: "attn-token", key: "attn-key", edge: "attn-edge", active: "attn-active", pinned: "attn-pinned",
    on: "attn-on", up: "attn-up", down: "attn-down", ready: "attn-ready", broken: "attn-broken"
  };
  /* Heads take one of this many colours (attn-h0 … attn-h15) in "All heads". */
  A.HEAD_COLOURS = 16;

  var svgEl = A.svgEl = function (name, attrs) {
    var el = document.createElementNS(SVG_NS, name);
    for (var k in attrs) el.setAttribute(k, attrs[k]);
    return el;
  };

  A.htmlEl = function (name, cls, text) {
    var el = document.createElement(name);
    if (cls) el.className = cls;
    if (text !== undefined) el.textContent = text;
    return el;
  };

  /* Weights [L,H,M,N] as the payload carries them: unsigned integers w * scale, base64,
     little-endian ("u8-b64", "u16le-b64" (also when "enc" is absent) or "u32le-b64"). */
  A.decodeWeights = function (w, enc, scale) {
    var bin = atob(w);
    var size = enc === "u8-b64" ? 1 : enc === "u32le-b64" ? 4 : 2;
    var out = new Float64Array(bin.length / size);
    for (var i = 0, o = 0; i < out.length; i++, o += size) {
      var v = 0;
      for (var b = size - 1; b >= 0; b--) v = v * 256 + bin.charCodeAt(o + b);
      out[i] = v / scale;
    }
    return out;
  };

  /* The colour custom property `name` of `el` resolves to, written plainly ("#rrggbb", or
     "rgba(…)" when translucent): a canvas context reads any CSS colour and writes it so. */
  var painter = null;
  A.plainColour = function (el, name, fallback) {
    painter = painter || document.createElement("canvas").getContext("2d");
    painter.fillStyle = fallback;
    painter.fillStyle = getComputedStyle(el).getPropertyValue(name).trim() || fallback;
    return painter.fillStyle;
  };

  function same(a, b) {
    return a === b || (!!a && !!b && a.i === b.i && a.key === b.key);
  }
  A.same = same;

  /* The parts a figure uses, its view first (cross-attention's arcs: two rows over the arcs'
     arrowheads), then its controls, one per payload feature, and stylesheets ("NAME.css"). Links
     and export load at first use. widget_files.parts is the build's copy of this rule. */
  function partsOf(fig, p) {
    var out = p.key_tokens && p.view === "arcs" ? ["two-rows", "arcs"] : [p.view || "arcs"];
    if (fig.querySelector(".attn-head, .attn-layer, .attn-dir")) out.push("controls");
    ["overview", "math", "sync", "compare"].forEach(function (k) { if (p[k]) out.push(k); });
    if (p.heads.length > 1) out.push("heads.css");
    if (p.overview) out.push("overview.css");
    if (p.math) out.push("math.css");
    return out;
  }

  /* One figure: its payload `p`, its elements, and `s`, the one state object every part reads
     and changes through `set`. */
  function Figure(fig, p, uses) {
    this.fig = fig;
    this.p = p;
    this.uses = uses.filter(function (name) { return !/\.css$/.test(name); }).map(function (name) { return A.parts[name]; });
    this.view = this.uses[0];
    /* Queries (tokens) × keys: the same tokens, or in cross-attention the payload's key_tokens. */
    this.n = p.tokens.length;
    this.keyNames = p.key_tokens || p.tokens;
    this.nk = this.keyNames.length;
    this.s = {
      hover: null,          /* {i, key}: the token or key under the pointer or focus */
      pin: null,            /* {i, key}: the pinned one */
      tapped: false,        /* the pin came from a tap (touch has no hover) */
      layer: 0, head: 0,
      all: false,           /* every head at once, one colour each */
      dir: p.direction === "in" ? "in" : "out"
    };
    /* Drawing memos: what is drawn, so a change redraws only what it changes. */
    this.drawn = null;
    this.gen = 0;
    this.marks = {};
    this.pool = [];
    this.vals = [];
    this.listShape = null;
    this.tip = null;
    this.tipWidths = [];
    this.roved = [0, 0];
    this.w = A.decodeWeights(p.w, p.enc, p.scale);
    this.max = undefined;
    /* A difference (compare) signs its values; its words say so. */
    this.signed = false;
    this.verbs = { out: " attends most to ", "in": " is attended to most by " };
    /* Each part's own elements and memos, by part name. */
    this.part = {};
    this.svg = fig.querySelector("svg.attn-svg");
    this.edges = this.svg.querySelector(".attn-edges");
    this.labels = this.svg.querySelector(".attn-labels");
    this.list = fig.querySelector(".attn-scores");
    this.status = fig.querySelector(".attn-status");
    this.tokens = this.collect("." + CLS.token);
    this.keys = this.collect("." + CLS.key);
    /* Keys are a second sequence in cross-attention: there they take the keyboard too (in
       self-attention a token's "Attended by" is its key's view). */
    var focusable = p.key_tokens ? this.tokens.concat(this.keys) : this.tokens;
    for (var i = 0; i < focusable.length; i++) {
      var t = focusable[i];
      t.setAttribute("tabindex", t.getAttribute("data-index") === "0" ? "0" : "-1");
      t.setAttribute("role", "button");
      t.setAttribute("aria-pressed", "false");
    }
    /* Printed untouched, the figure shows its build-time focus token: a class of its own keeps
       that print rule from restyling every token box when a hover starts. */
    var focus = this.svg.querySelector(".attn-focus .attn-token-box");
    if (focus) focus.classList.add("attn-focus-box");
    this.each("weights");
    this.each("mount");
    this.bind();
    fig.classList.add(CLS.ready);
  }
  A.Figure = Figure;

  Figure.prototype.collect = function (selector) {
    var out = [];
    var els = this.svg.querySelectorAll(selector);
    for (var i = 0; i < els.length; i++) out[+els[i].getAttribute("data-index")] = els[i];
    return out;
  };

  /* Call hook `name` of every part the figure uses (the view first). */
  Figure.prototype.each = function (name) {
    var args = [this].concat([].slice.call(arguments, 1));
    for (var i = 0; i < this.uses.length; i++) if (this.uses[i][name]) this.uses[i][name].apply(null, args);
  };

  /* The first answer of a part to hook `name`, or undefined. */
  Figure.prototype.ask = function (name) {
    var args = [this].concat([].slice.call(arguments, 1));
    for (var i = 0; i < this.uses.length; i++) {
      var hook = this.uses[i][name];
      var answer = hook ? hook.apply(null, args) : undefined;
      if (answer !== undefined) return answer;
    }
  };

  /* The one way the state changes: `change` holds new values of `s`; `lazy` lets the score list
     follow a frame later (a hover, a tap). Parts hear of it: "shown" when the layer, head or
     direction changed, "changed" for everything (sync passes it on). */
  Figure.prototype.set = function (change, lazy) {
    var s = this.s, was = {}, any = false;
    for (var k in change) {
      if (!(k in s)) continue;
      var v = change[k];
      if (k === "hover" || k === "pin" ? same(s[k], v) : s[k] === v) continue;
      s[k] = v;
      was[k] = true;
      any = true;
    }
    if (!any) return;
    if (!s.pin) s.tapped = false;
    var shown = was.layer || was.head || was.all || was.dir;
    if (was.hover || was.pin) this.longTip();
    if (shown) this.each("shown", was);
    this.draw(!!lazy);
    if (was.pin || shown) this.announce();
    this.each("changed", was);
  };

  /* `change` (another figure's or a link's) as far as this figure has it: a token or key it has
     (else none), a layer or head it has, with or without a button for it, and "All heads" where
     the build gave it that button (not in the matrix view). */
  Figure.prototype.fit = function (change) {
    var out = {}, p = this.p;
    for (var k in change) {
      var v = change[k];
      if (k === "hover" || k === "pin") out[k] = v && v.i < (v.key ? this.nk : this.n) ? v : null;
      else if (k === "layer" || k === "head") {
        if (v < (k === "layer" ? p.layers : p.heads).length) out[k] = v;
      } else if (k === "all") {
        if (!v || this.fig.querySelector('.attn-head[data-head="all"]')) out.all = v;
      } else if (k === "dir") {
        if (!p.key_tokens) out.dir = v;
      } else out[k] = v;
    }
    return out;
  };

  /* {i, key}: the token (query side) or key element under `target`, or null. */
  Figure.prototype.hit = function (target) {
    var t = target && target.closest ? target.closest(".attn-token, .attn-key") : null;
    if (!t || !this.svg.contains(t)) return null;
    return { i: +t.getAttribute("data-index"), key: t.classList.contains(CLS.key) };
  };

  Figure.prototype.togglePin = function (h, tapped) {
    this.set(same(this.s.pin, h) ? { pin: null } : { pin: h, tapped: !!tapped }, tapped);
  };

  Figure.prototype.bind = function () {
    var self = this;
    var svg = this.svg;
    /* Touch has no hover: a tap only pins. The focus a tap gives follows its pointerdown within
       a second. */
    var touchAt = -1e9;
    svg.addEventListener("pointerdown", function (e) { if (e.pointerType === "touch") touchAt = e.timeStamp; });
    svg.addEventListener("pointerover", function (e) {
      var h = self.hit(e.target);
      if (h && e.pointerType !== "touch") self.set({ hover: h }, true);
    });
    svg.addEventListener("pointerout", function (e) {
      /* Onto another token or key: its pointerover follows and redraws once, without a clear. */
      if (e.pointerType !== "touch" && self.hit(e.target) && !self.hit(e.relatedTarget)) self.set({ hover: null }, true);
    });
    svg.addEventListener("click", function (e) {
      var h = self.hit(e.target);
      if (h) self.togglePin(h, e.timeStamp - touchAt < 1000);
    });
    svg.addEventListener("focusin", function (e) {
      var h = self.hit(e.target);
      if (h) {
        self.rove(h);
        if (e.timeStamp - touchAt > 1000) self.set({ hover: h }, true);
      }
    });
    svg.addEventListener("focusout", function (e) {
      if (!self.hit(e.relatedTarget)) self.set({ hover: null }, true);
    });
    this.fig.addEventListener("keydown", function (e) { self.onKey(e); });
    /* Links and export are parts of their own, loaded at their first use. */
    this.fig.addEventListener("click", function (e) {
      var b = e.target.closest && e.target.closest(".attn-link, .attn-export");
      if (!b) return;
      var link = b.classList.contains("attn-link");
      need([link ? "links" : "export"], function () {
        if (link) A.parts.links.copy(self, b);
        else A.parts["export"].save(self, b.getAttribute("data-format"));
      });
    });
  };

  Figure.prototype.onKey = function (e) {
    var h = this.hit(e.target);
    var key = e.key;
    if (key === "Escape") {
      if (!this.s.pin && !this.s.hover) return;
      this.set({ hover: null, pin: null });
      e.preventDefault();
      return;
    }
    if (!h) return;
    var els = h.key ? this.keys : this.tokens;
    var i = h.i, next = -1;
    if (key === "ArrowRight" || key === "ArrowDown") next = Math.min(els.length - 1, i + 1);
    else if (key === "ArrowLeft" || key === "ArrowUp") next = Math.max(0, i - 1);
    else if (key === "Home") next = 0;
    else if (key === "End") next = els.length - 1;
    else if (key === "Enter" || key === " " || key === "Spacebar") {
      this.togglePin(h);
      e.preventDefault();
      return;
    } else return;
    e.preventDefault();
    this.rove({ i: next, key: h.key });
    els[next].focus();
  };

  /* Roving tabindex: exactly one token of the figure is in the Tab order (and one key, in
     cross-attention). */
  Figure.prototype.rove = function (h) {
    var side = h.key ? 1 : 0, els = h.key ? this.keys : this.tokens;
    if (h.i === this.roved[side]) return;
    els[this.roved[side]].setAttribute("tabindex", "-1");
    els[h.i].setAttribute("tabindex", "0");
    this.roved[side] = h.i;
  };

  /* A token drawn cut short shows its whole text while hovered or focused, and while pinned by a
     tap; a pin by mouse or keyboard keeps no tip once the pointer has left (it would cover the
     next tokens). Called before the edges are drawn, so measuring never lays them out. */
  Figure.prototype.longTip = function () {
    if (this.ask("tipBusy")) return;
    var s = this.s, h = s.hover || (s.tapped ? s.pin : null);
    var el = h ? (h.key ? this.keys : this.tokens)[h.i] : null;
    if (el && el.classList.contains("attn-long")) {
      var b = el.querySelector(".attn-token-box");
      this.showTip((h.key ? this.keyNames : this.p.tokens)[h.i], {
        x: +b.getAttribute("x"), y: +b.getAttribute("y"),
        width: +b.getAttribute("width"), height: +b.getAttribute("height")
      }, h.i);
    } else this.showTip(null);
  };

  /* A one-line tooltip beside `box` (SVG units), kept inside the figure; null hides it. `i`: the
     token whose text it shows (its measured width is kept), or undefined. */
  Figure.prototype.showTip = function (text, box, i) {
    var tip = this.tip;
    if (!tip) {
      if (text === null) return;
      tip = this.tip = { g: svgEl("g", { "class": "attn-tip", "aria-hidden": "true" }),
        box: svgEl("rect", { "rx": 3, "height": 22 }), text: svgEl("text", { "dominant-baseline": "central" }) };
      tip.g.appendChild(tip.box);
      tip.g.appendChild(tip.text);
      this.svg.appendChild(tip.g);
    }
    tip.g.classList.toggle(CLS.on, text !== null);
    if (text === null) return;
    tip.text.textContent = text;
    var width = this.tipWidths[i] || tip.text.getComputedTextLength() + 12;
    if (i >= 0 && width > 12) this.tipWidths[i] = width;
    var vb = this.svg.viewBox.baseVal;
    var x = box.x + box.width + 6;
    if (x + width > vb.width) x = Math.max(0, box.x - width - 6);
    var y = Math.max(12, Math.min(vb.height - 12, box.y + box.height / 2));
    tip.box.setAttribute("x", x);
    tip.box.setAttribute("y", y - 11);
    tip.box.setAttribute("width", width);
    tip.text.setAttribute("x", x + 6);
    tip.text.setAttribute("y", y);
  };

  /* A value as the figure writes it: a weight, or a difference with its sign ("+0.12",
     "\u22120.05", "0.00"). */
  Figure.prototype.fmt = function (v, decimals) {
    var text = Math.abs(v).toFixed(decimals === undefined ? this.p.precision : decimals);
    if (!this.signed || +text === 0) return text;
    return (v > 0 ? "+" : "\u2212") + text;
  };

  /* Weight of query q on key k in the current layer and head h. */
  Figure.prototype.weightAt = function (h, q, k) {
    return this.w[((this.s.layer * this.p.heads.length + h) * this.n + q) * this.nk + k];
  };

  /* The figure's strongest weight (of a difference: its largest size). */
  Figure.prototype.peak = function () {
    if (this.max === undefined) {
      var w = this.w, m = 0;
      for (var i = 0; i < w.length; i++) if (Math.abs(w[i]) > m) m = Math.abs(w[i]);
      this.max = m || 1;
    }
    return this.max;
  };

  /* Whether the active element shows who attends to it: a key always; a token, as the direction
     says (in cross-attention a query only attends). */
  Figure.prototype.inbound = function (act) {
    return act.key || (!this.p.key_tokens && this.s.dir === "in");
  };

  /* Weights of the active element's edges in head h: its row (outgoing) or column (incoming). */
  Figure.prototype.row = function (act, h) {
    var out = [];
    var inbound = this.inbound(act);
    var count = inbound ? this.n : this.nk;
    for (var j = 0; j < count; j++) out.push(inbound ? this.weightAt(h, j, act.i) : this.weightAt(h, act.i, j));
    return out;
  };

  /* The tokens a row of `row()` is about: the queries (incoming) or the keys. */
  Figure.prototype.names = function (inbound) {
    return inbound ? this.p.tokens : this.keyNames;
  };

  /* Indices of the edges drawn: non-zero, >= threshold, among the top_k strongest (ties to the
     earlier token): render.figure.kept's rule, with the payload's threshold and top_k. */
  Figure.prototype.kept = function (row) {
    var p = this.p, t = p.threshold || 0, idx = [];
    for (var j = 0; j < row.length; j++) if (Math.abs(row[j]) > 0 && Math.abs(row[j]) >= t) idx.push(j);
    if (p.top_k && idx.length > p.top_k) {
      idx.sort(function (a, b) { return Math.abs(row[b]) - Math.abs(row[a]) || a - b; });
      idx = idx.slice(0, p.top_k).sort(function (a, b) { return a - b; });
    }
    return idx;
  };

  /* The shared attributes of an edge from query src to key dst; the view adds its shape. */
  Figure.prototype.edgeAttrs = function (src, dst, w, h) {
    var all = this.s.all;
    var attrs = {
      "class": CLS.edge + (all ? " attn-h" + (h % A.HEAD_COLOURS) : "") +
        (this.signed ? (w > 0 ? " " + CLS.up : " " + CLS.down) : ""),
      "data-source": src,
      "data-target": dst,
      "data-weight": w.toFixed(5),
      "stroke-width": (Math.abs(w) * this.p.stroke).toFixed(4)
    };
    if (all) attrs["data-head"] = h;
    return attrs;
  };

  /* Draw the active element's edges, and pinned, its labels; the score list follows, or with
     `lazy` (hover, focus, a tap) two frames later: at 512 tokens it costs more than the edges. */
  Figure.prototype.draw = function (lazy) {
    var s = this.s, act = s.hover || s.pin, p = this.p, view = this.view;
    var rows = null, heads = [];
    var inbound = act && this.inbound(act);
    /* The edges depend on the active element, head, layer and direction only: a click on the
       hovered token (pin, unpin) keeps them. */
    var key = act ? [act.i, act.key, inbound, s.all, s.head, s.layer].join() : "";
    if (act) {
      if (s.all) for (var h = 0; h < p.heads.length; h++) heads.push(h);
      else heads.push(s.head);
      rows = heads.map(function (hh) { return this.row(act, hh); }, this);
    }
    /* A tap's first frame writes only the score labels in sight (measured before the edges
       change, so measuring lays out nothing new); the others follow with the list. */
    var sight = lazy && s.tapped ? this.sight() : null;
    if (key !== this.drawn) {
      var edges = document.createDocumentFragment();
      if (act) {
        if (view.under) edges.appendChild(view.under(this, act, inbound));
        for (var r = 0; r < heads.length; r++) {
          var kept = this.kept(rows[r]);
          for (var e = 0; e < kept.length; e++) {
            var j = kept[e], src = inbound ? j : act.i, dst = inbound ? act.i : j;
            edges.appendChild(view.edge(this, src, dst, this.edgeAttrs(src, dst, rows[r][j], heads[r]), rows[r][j]));
          }
        }
      }
      this.edges.replaceChildren(edges);
      this.drawn = key;
    }
    var later = this.drawLabels(s.pin && !s.all ? act : null, inbound, rows, sight);
    this.each("drawn");
    var gen = ++this.gen;
    var self = this;
    var list = function () {
      if (gen !== self.gen) return;
      later();
      self.scores(act && rows, inbound);
    };
    if (lazy && act) requestAnimationFrame(function () { requestAnimationFrame(list); });
    else list();
    /* State goes in attributes and on small elements, never in a class of the figure or the list:
       Material's `table:not([class])` rules make any class change restyle the whole subtree. */
    this.fig.toggleAttribute("data-attn-engaged", !!act);
    this.mark(CLS.active, act);
    this.mark(CLS.pinned, s.pin);
  };

  /* The score labels of the pinned element `act` (null: none): made on first use and kept,
     hidden while nothing is pinned, so a pin lays out only the labels that changed. With `box`
     (the part of the figure in sight), the labels outside it are left for the returned function:
     on a phone all but a few of a long sentence's labels are scrolled out of view. */
  Figure.prototype.drawLabels = function (act, inbound, rows, box) {
    var g = this.labels, pool = this.pool, view = this.view;
    g.toggleAttribute("data-attn-idle", !act);
    if (!act) return function () {};
    var count = rows[0].length;
    /* Cross-attention: a side with fewer tokens than the last leaves labels over; blank them. */
    for (var x = count; x < pool.length; x++) if (pool[x]) pool[x].firstChild.data = "";
    var self = this, rest = [], now = [];
    var write = function (todo) {
      var add = document.createDocumentFragment();
      for (var k = 0; k < todo.length; k++) {
        var t = todo[k].t, at = todo[k].at;
        var el = pool[t];
        if (!el) {
          el = pool[t] = add.appendChild(svgEl("text", { "class": "attn-label", "dominant-baseline": "central", "data-index": t }));
          el.appendChild(document.createTextNode(""));
        }
        var pos = at.x + " " + at.y + " " + at.anchor;
        if (el.attnAt !== pos) {
          el.setAttribute("x", at.x);
          el.setAttribute("y", at.y);
          el.setAttribute("text-anchor", at.anchor);
          el.attnAt = pos;
        }
        var text = self.fmt(rows[0][t]);
        if (el.firstChild.data !== text) el.firstChild.data = text;
      }
      if (add.firstChild) g.appendChild(add);
    };
    for (var t = 0; t < count; t++) {
      var at = view.label(this, act, t, inbound);
      if (!at) continue;
      var near = !box || (at.x >= box.x0 && at.x <= box.x1 && at.y >= box.y0 && at.y <= box.y1);
      (near ? now : rest).push({ t: t, at: at });
    }
    write(now);
    return function () { write(rest); };
  };

  /* The part of the figure in sight, in its own units, with a margin of half a screen. */
  Figure.prototype.sight = function () {
    var r = this.svg.getBoundingClientRect();
    var s = this.svg.parentNode.getBoundingClientRect();
    var vb = this.svg.viewBox.baseVal;
    if (!r.width || !r.height) return null;
    var kx = vb.width / r.width, ky = vb.height / r.height;
    var mx = innerWidth / 2, my = innerHeight / 2;
    return {
      x0: vb.x + (Math.max(r.left, s.left, 0) - mx - r.left) * kx,
      x1: vb.x + (Math.min(r.right, s.right, innerWidth) + mx - r.left) * kx,
      y0: vb.y + (Math.max(r.top, 0) - my - r.top) * ky,
      y1: vb.y + (Math.min(r.bottom, innerHeight) + my - r.top) * ky
    };
  };

  /* The score list's columns for `rows`: one per head shown, each {rows, cls, title}; a part
     (compare) may answer instead. */
  Figure.prototype.columns = function (rows, inbound) {
    var self = this, all = this.s.all;
    return this.ask("columns", rows, inbound) || rows.map(function (row, v) {
      return { row: row, cls: all ? " attn-h" + (v % A.HEAD_COLOURS) : "", title: all ? self.p.heads[v] : null, fmt: null };
    });
  };

  /* The score list: one <li> per token, made on first use and kept (hidden while no token is
     active), so that a hover rewrites only the values that changed, not 512 list items. */
  Figure.prototype.scores = function (rows, inbound) {
    var list = this.list;
    list.toggleAttribute("data-attn-idle", !rows);
    if (!rows) return;
    var names = this.names(inbound);
    var cols = this.columns(rows, inbound);
    var shape = cols.map(function (c) { return c.cls; }).join() + " " + (names === this.p.tokens);
    if (this.listShape !== shape) {
      var items = document.createDocumentFragment();
      this.vals = [];
      for (var t = 0; t < names.length; t++) {
        var li = A.htmlEl("li", "attn-score");
        li.setAttribute("data-index", t);
        li.appendChild(A.htmlEl("span", "attn-score-token", names[t]));
        for (var v = 0; v < cols.length; v++) {
          var value = A.htmlEl("span", "attn-score-value" + cols[v].cls);
          if (cols[v].title) value.setAttribute("title", cols[v].title);
          this.vals.push(value.appendChild(document.createTextNode("")));
          li.appendChild(value);
        }
        items.appendChild(li);
      }
      list.replaceChildren(items);
      this.listShape = shape;
    }
    for (var k = 0; k < this.vals.length; k++) {
      var col = cols[k % cols.length], x = col.row[Math.floor(k / cols.length)];
      var text = col.fmt ? col.fmt(x) : this.fmt(x);
      if (this.vals[k].data !== text) this.vals[k].data = text;
    }
  };

  /* Move class `cls` (attn-active or attn-pinned) to the element of `h`, touching only the two
     elements concerned; a pinned token is also aria-pressed. */
  Figure.prototype.mark = function (cls, h) {
    var el = h ? (h.key ? this.keys : this.tokens)[h.i] : null;
    var old = this.marks[cls];
    if (el === old) return;
    var pin = cls === CLS.pinned;
    if (old) {
      old.classList.remove(cls);
      if (pin && old.hasAttribute("aria-pressed")) old.setAttribute("aria-pressed", "false");
    }
    if (el) {
      el.classList.add(cls);
      if (pin && el.hasAttribute("aria-pressed")) el.setAttribute("aria-pressed", "true");
    }
    this.marks[cls] = el;
  };

  /* Tell screen-reader users what pinning revealed: the strongest three weights. */
  Figure.prototype.announce = function () {
    if (!this.status) return;
    var pin = this.s.pin, p = this.p, self = this;
    if (!pin) {
      this.status.textContent = "";
      return;
    }
    var row = this.row(pin, this.s.head);
    var order = row.map(function (w, j) { return j; }).sort(function (x, y) { return Math.abs(row[y]) - Math.abs(row[x]); });
    var inbound = this.inbound(pin);
    var names = this.names(inbound);
    var top = order.slice(0, 3).map(function (j) { return names[j] + " " + self.fmt(row[j]); });
    var where = p.heads.length > 1 ? " (" + p.heads[this.s.head] + ")" : "";
    this.status.textContent = (pin.key ? this.keyNames : p.tokens)[pin.i] + this.verbs[inbound ? "in" : "out"] +
      top.join(", ") + where + ".";
  };

  /* Parts: each attn-NAME.js calls `part(NAME, hooks)`; `need` loads the missing ones from this
     script's folder (its query too: a host's cache-busting stamp) and calls back once all are
     here. Inlined (a notebook), this script has no folder: its host inlines the parts. */
  var here = document.currentScript && document.currentScript.src;
  var folder = here ? here.replace(/[^/?#]*(?:[?#].*)?$/, "") : null;
  var stamp = here ? (here.match(/\?[^#]*/) || [""])[0] : "";
  var waiting = [];

  A.part = function (name, hooks) {
    A.parts[name] = hooks;
    var ready = waiting.filter(function (w) { return w.names.every(function (n) { return A.parts[n]; }); });
    waiting = waiting.filter(function (w) { return ready.indexOf(w) < 0; });
    ready.forEach(function (w) { w.then(); });
  };

  /* Whether the page lists attn-NAME.js (or .css) already: a host lists a page's parts. */
  function listed(file, css) {
    var els = document.querySelectorAll(css ? "link[rel=stylesheet][href]" : "script[src]");
    for (var i = 0; i < els.length; i++) {
      if ((els[i].getAttribute(css ? "href" : "src") || "").split(/[?#]/)[0].split("/").pop() === file) return true;
    }
    return false;
  }

  /* Load part `name` ("NAME", or "NAME.css" for its stylesheet, which counts as here once loaded
     or failed: unstyled beats static). */
  function request(name) {
    var css = /\.css$/.test(name), file = "attn-" + name + (css ? "" : ".js");
    if (listed(file, css) || folder === null) {
      if (css) A.part(name, {});
      return;
    }
    var el = document.createElement(css ? "link" : "script");
    if (css) {
      el.rel = "stylesheet";
      el.href = folder + file + stamp;
      el.onload = el.onerror = function () { A.part(name, {}); };
    } else el.src = folder + file + stamp;
    document.head.appendChild(el);
  }

  function need(names, then) {
    var missing = names.filter(function (n) { return !A.parts[n]; });
    if (!missing.length) return then();
    waiting.push({ names: names, then: then });
    missing.forEach(request);
  }
  A.need = need;

  function mount(root) {
    var figs = (root || document).querySelectorAll("figure.attn");
    for (var i = 0; i < figs.length; i++) {
      var fig = figs[i];
      if (fig.attnWidget !== undefined) continue;
      fig.attnWidget = null;
      try {
        var p = JSON.parse(fig.getAttribute("data-attn"));
        if (!(p.v >= 1 && p.v <= 3)) throw new Error("mkdocs-attention: unsupported payload version " + p.v);
        start(fig, p, partsOf(fig, p));
      } catch (err) {
        broken(fig, err);
      }
    }
  }
  A.mount = mount;

  function start(fig, p, uses) {
    need(uses, function () {
      try {
        fig.attnWidget = new Figure(fig, p, uses);
      } catch (err) {
        broken(fig, err);
        return;
      }
      follow(location.hash, fig);
    });
  }

  function broken(fig, err) {
    fig.attnWidget = null;
    fig.classList.add(CLS.broken);
    if (window.console) console.error(err);
  }

  /* A link to a view ("#FIGURE-ID?pin=…"): restored by the links part, loaded for it. The
     browser finds no element for such a fragment, so the figure is found here. Only `fig`
     when given (a figure just mounted). */
  function follow(hash, fig) {
    var q = (hash || "").indexOf("?");
    if (q < 2) return;
    var id = hash.slice(1, q);
    try {
      id = decodeURIComponent(id);
    } catch (err) { /* left as written */ }
    var target = document.getElementById(id);
    if (!target || !target.attnWidget || (fig && target !== fig)) return;
    need(["links"], function () { A.parts.links.follow(target.attnWidget, hash.slice(q + 1)); });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { mount(document); });
  }
  /* A link to a view on the same page: the browser changes the fragment, or Material's instant
     navigation does it by history.pushState (no hashchange): both are followed. */
  window.addEventListener("hashchange", function () { follow(location.hash); });
  if (window.location$ && typeof window.location$.subscribe === "function") {
    window.location$.subscribe(function (url) { if (url && url.pathname === location.pathname) follow(url.hash); });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { mount(document); });
  } else {
    mount(document);
  }
})();
