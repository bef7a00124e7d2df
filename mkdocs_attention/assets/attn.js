/* mkdocs-attention core: one state per <figure class="attn">, hover/pin/keyboard, edges, labels,
 * scores; views and features are attn-NAME.js parts, loaded from beside this file when missing. */
(function () {
  "use strict";
  var A = window.mkdocsAttention;
  if (A && A.core) {
    A.mount(document);
    return;
  }
  A = window.mkdocsAttention = { core: true, parts: {} };
  var SVG_NS = "http://www.w3.org/2000/svg";

  /* The HTML contract's class names the script sets. */
  var CLS = A.cls = {
    token: "attn-token", key: "attn-key", edge: "attn-edge", active: "attn-active", pinned: "attn-pinned",
    on: "attn-on", up: "attn-up", down: "attn-down", ready: "attn-ready", broken: "attn-broken"
  };
  /* "All heads" colours: attn-h0 … attn-h15. */
  A.HEAD_COLOURS = 16;

  var svgEl = A.svgEl = function (name, attrs) {
    var el = document.createElementNS(SVG_NS, name);
    for (var k in attrs) el.setAttribute(k, attrs[k]);
    return el;
  };

  /* A part's id, as render.svg.part_id: figure ids hold no ".". */
  A.partId = function (f, part) {
    return f.fig.id + "." + part;
  };

  A.htmlEl = function (name, cls, text) {
    var el = document.createElement(name);
    if (cls) el.className = cls;
    if (text !== undefined) el.textContent = text;
    return el;
  };

  /* Weights [L,H,M,N]: base64 little-endian unsigned ints (u8, u16 (default), u32) ÷ scale. */
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

  /* A colour custom property as a plain colour (a canvas context normalises it). */
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

  /* One figure: payload `p`, elements, and `s`, the one state object, changed only by `set`. */
  function Figure(fig, p, uses) {
    this.fig = fig;
    this.p = p;
    this.uses = uses.filter(function (name) { return !/\.css$/.test(name); }).map(function (name) { return A.parts[name]; });
    this.view = this.uses[0];
    /* Queries × keys: the same tokens, or in cross-attention key_tokens. */
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
    /* Drawing memos: a change redraws only what it changes. */
    this.drawn = null;
    this.gen = 0;
    this.marks = {};
    this.pool = [];
    this.vals = [];
    this.listShape = null;
    this.roved = [0, 0];
    this.w = null;
    this.max = undefined;
    /* A difference (compare) signs its values. */
    this.signed = !!p.compare;
    this.verbs = { out: " attends most to ", "in": " is attended to most by " };
    /* Each part's own elements and memos, by part name. */
    this.part = {};
    this.svg = fig.querySelector("svg.attn-svg");
    this.edges = this.svg.querySelector(".attn-edges");
    this.labels = this.svg.querySelector(".attn-labels");
    this.list = fig.querySelector(".attn-scores");
    this.status = fig.querySelector(".attn-status");
    this.dirs = fig.querySelectorAll(".attn-dir");
    this.tokens = this.collect("." + CLS.token);
    this.keys = this.collect("." + CLS.key);
    /* In cross-attention keys take the keyboard too. */
    var focusable = p.key_tokens ? this.tokens.concat(this.keys) : this.tokens;
    for (var i = 0; i < focusable.length; i++) {
      var t = focusable[i];
      t.setAttribute("tabindex", t.getAttribute("data-index") === "0" ? "0" : "-1");
      t.setAttribute("role", "button");
      t.setAttribute("aria-pressed", "false");
    }
    /* The print rule for the build-time focus token needs a class of its own. */
    var focus = this.svg.querySelector(".attn-focus .attn-token-box");
    if (focus) focus.classList.add("attn-focus-box");
    this.each("mount");
    this.bind();
    fig.classList.add(CLS.ready);
  }

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

  /* The one way state changes; parts hear "pointed" (hover, pin), "shown" (layer, head,
     direction, weighting) and "changed". */
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
    /* Another weighting (the weighting part) remakes the weights at their next use. */
    if (was.weighting) { this.w = null; this.max = undefined; }
    var shown = was.layer || was.head || was.all || was.dir || was.weighting;
    if (was.hover || was.pin) this.each("pointed");
    if (was.dir) {
      for (var d = 0; d < this.dirs.length; d++) this.dirs[d].setAttribute("aria-pressed", String(this.dirs[d].getAttribute("data-dir") === s.dir));
    }
    if (shown) this.each("shown", was);
    this.draw(!!lazy);
    if (was.pin || shown) this.announce();
    this.each("changed", was);
  };

  /* {i, key}: the token or key element under `target`, or null. */
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
    /* Touch has no hover: a tap only pins (its focus follows within a second). */
    var touchAt = -1e9;
    svg.addEventListener("pointerdown", function (e) { if (e.pointerType === "touch") touchAt = e.timeStamp; });
    svg.addEventListener("pointerover", function (e) {
      var h = self.hit(e.target);
      if (h && e.pointerType !== "touch") self.set({ hover: h }, true);
    });
    svg.addEventListener("pointerout", function (e) {
      /* Onto another token: its pointerover redraws once. */
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
    /* Direction: what the token attends to, or what attends to it. */
    for (var d = 0; d < this.dirs.length; d++) {
      this.dirs[d].addEventListener("click", function (e) { self.set({ dir: e.currentTarget.getAttribute("data-dir") }); });
    }
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

  /* Roving tabindex: one token (and one key) in the Tab order. */
  Figure.prototype.rove = function (h) {
    var side = h.key ? 1 : 0, els = h.key ? this.keys : this.tokens;
    if (h.i === this.roved[side]) return;
    els[this.roved[side]].setAttribute("tabindex", "-1");
    els[h.i].setAttribute("tabindex", "0");
    this.roved[side] = h.i;
  };

  /* A value as shown; a difference's with its sign. */
  Figure.prototype.fmt = function (v, decimals) {
    var text = Math.abs(v).toFixed(decimals === undefined ? this.p.precision : decimals);
    if (!this.signed || +text === 0) return text;
    return (v > 0 ? "+" : "\u2212") + text;
  };

  /* The weights [L,H,M,N], decoded at first use (parts may remake them). */
  Figure.prototype.weights = function () {
    if (!this.w) {
      this.w = A.decodeWeights(this.p.w, this.p.enc, this.p.scale);
      this.each("weights");
    }
    return this.w;
  };

  /* Weight of query q on key k in the current layer and head h. */
  Figure.prototype.weightAt = function (h, q, k) {
    return this.weights()[((this.s.layer * this.p.heads.length + h) * this.n + q) * this.nk + k];
  };

  /* The figure's strongest weight (of a difference: its largest size). */
  Figure.prototype.peak = function () {
    if (this.max === undefined) {
      var w = this.weights(), m = 0;
      for (var i = 0; i < w.length; i++) if (Math.abs(w[i]) > m) m = Math.abs(w[i]);
      this.max = m || 1;
    }
    return this.max;
  };

  /* Whether the active element shows who attends to it (a key always). */
  Figure.prototype.inbound = function (act) {
    return act.key || (!this.p.key_tokens && this.s.dir === "in");
  };

  /* The active element's weights in head h: its row, or its column when inbound. */
  Figure.prototype.row = function (act, h) {
    var out = [];
    var inbound = this.inbound(act);
    var count = inbound ? this.n : this.nk;
    for (var j = 0; j < count; j++) out.push(inbound ? this.weightAt(h, j, act.i) : this.weightAt(h, act.i, j));
    return out;
  };

  /* The tokens a `row()` is about: the queries (inbound) or the keys. */
  Figure.prototype.names = function (inbound) {
    return inbound ? this.p.tokens : this.keyNames;
  };

  /* The edges drawn: render.figure.kept's rule (threshold, top_k, ties to the earlier). */
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

  /* Edges, labels; the score list two frames later when `lazy` (hover, tap). */
  Figure.prototype.draw = function (lazy) {
    var s = this.s, act = s.hover || s.pin, p = this.p, view = this.view;
    var rows = null, heads = [];
    var inbound = act && this.inbound(act);
    /* A pin of the hovered token keeps its edges. */
    var key = act ? [act.i, act.key, inbound, s.all, s.head, s.layer, s.weighting].join() : "";
    if (act) {
      if (s.all) for (var h = 0; h < p.heads.length; h++) heads.push(h);
      else heads.push(s.head);
      rows = heads.map(function (hh) { return this.row(act, hh); }, this);
    }
    /* A tap writes the labels in sight first. */
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
    /* State in attributes, not figure classes (which restyle Material tables). */
    this.fig.toggleAttribute("data-attn-engaged", !!act);
    this.mark(CLS.active, act);
    this.mark(CLS.pinned, s.pin);
  };

  /* The pinned element's labels, kept once made; with `box`, those outside it come later. */
  Figure.prototype.drawLabels = function (act, inbound, rows, box) {
    var g = this.labels, pool = this.pool, view = this.view;
    g.toggleAttribute("data-attn-idle", !act);
    if (!act) return function () {};
    var count = rows[0].length;
    /* Blank labels left over from a longer side. */
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

  /* The list's columns, one per head shown; a part may answer. */
  Figure.prototype.columns = function (rows, inbound) {
    var self = this, all = this.s.all;
    return this.ask("columns", rows, inbound) || rows.map(function (row, v) {
      return { row: row, cls: all ? " attn-h" + (v % A.HEAD_COLOURS) : "", title: all ? self.p.heads[v] : null, fmt: null };
    });
  };

  /* The score list: items kept once made, only changed values rewritten. */
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

  /* Move `cls` (active, pinned) to h's element; a pinned token is aria-pressed. */
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

  /* Parts register with `part`; `need` loads missing ones from this script's folder (with its
     query), or waits for an inlining host's. */
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

  /* Load a part ("NAME") or stylesheet ("NAME.css", here once loaded or failed). */
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

  function mount(root) {
    var figs = (root || document).querySelectorAll("figure.attn");
    for (var i = 0; i < figs.length; i++) {
      var fig = figs[i];
      if (fig.attnWidget !== undefined) continue;
      fig.attnWidget = null;
      try {
        var p = JSON.parse(fig.getAttribute("data-attn"));
        if (p.v !== 4) throw new Error("mkdocs-attention: unsupported payload version " + p.v);
        start(fig, p, p.parts);
      } catch (err) {
        broken(fig, err);
      }
    }
  }
  A.mount = mount;

  /* The started figures, wherever they are (a theme may render one in a shadow root, which the
     document's queries do not reach): what sync looks through. Removed figures are dropped. */
  var figures = [];
  A.figures = function () {
    figures = figures.filter(function (w) { return w.fig.isConnected; });
    return figures.slice();
  };

  function start(fig, p, uses) {
    need(uses, function () {
      try {
        fig.attnWidget = new Figure(fig, p, uses);
      } catch (err) {
        broken(fig, err);
        return;
      }
      figures.push(fig.attnWidget);
      follow(location.hash, fig);
    });
  }

  function broken(fig, err) {
    fig.attnWidget = null;
    fig.classList.add(CLS.broken);
    if (window.console) console.error(err);
  }

  /* A link to a view ("#ID?pin=…") is the links part's, loaded when the address has one. */
  function follow(hash, fig) {
    if ((hash || "").indexOf("?") > 1) need(["links"], function () { A.parts.links.follow(hash, fig); });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { mount(document); });
  }
  /* Same-page links: hashchange, or Material's pushState (location$). */
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
