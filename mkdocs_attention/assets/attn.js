/* mkdocs-attention: the reader-side widget over each build-time <figure class="attn">. Plain
 * ES2019, no dependencies, no network. Mounts idempotently, on load and on each Material
 * instant-navigation page. */
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";

  /* Payload v1-v3: weights [L,H,N,N] as unsigned integers w * scale, base64, little-endian:
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

  /* Worked-math logits [H,N,N], flat: base64 little-endian float32 (dtype f4) or float64, or v1 arrays. */
  function decodeLogits(logits, dtype) {
    if (typeof logits !== "string") {
      var flat = [];
      logits.forEach(function (head) { head.forEach(function (row) { flat.push.apply(flat, row); }); });
      return flat;
    }
    var bin = atob(logits);
    var view = new DataView(new ArrayBuffer(bin.length));
    for (var i = 0; i < bin.length; i++) view.setUint8(i, bin.charCodeAt(i));
    var f4 = dtype === "f4", size = f4 ? 4 : 8;
    var out = new Float64Array(bin.length / size);
    for (var k = 0; k < out.length; k++) {
      out[k] = f4 ? view.getFloat32(size * k, true) : view.getFloat64(size * k, true);
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

  var HEAD_COLOURS = 16;

  /* What a control button switches: "head", "layer" or "dir". */
  function kindOf(button) {
    return button.classList.contains("attn-head") ? "head" : button.classList.contains("attn-layer") ? "layer" : "dir";
  }

  function Widget(fig) {
    var p = JSON.parse(fig.getAttribute("data-attn"));
    if (!(p.v >= 1 && p.v <= 3)) throw new Error("mkdocs-attention: unsupported payload version " + p.v);
    this.fig = fig;
    this.p = p;
    /* Queries (tokens) × keys: the same tokens, or in cross-attention the payload's key_tokens. */
    this.n = p.tokens.length;
    this.keyNames = p.key_tokens || p.tokens;
    this.nk = this.keyNames.length;
    this.w = null;
    this.view = p.view || "arcs";
    this.dir = p.direction === "in" ? "in" : "out";
    this.layer = 0;
    this.head = 0;
    this.all = false;
    this.hover = null;
    this.pinned = null;
    this.tappedPin = false;
    /* The token (and, in cross-attention, the key) in the Tab order. */
    this.roved = [0, 0];
    this.gen = 0;
    this.marks = {};
    this.svg = fig.querySelector("svg.attn-svg");
    this.edges = this.svg.querySelector(".attn-edges");
    this.labels = this.svg.querySelector(".attn-labels");
    this.list = fig.querySelector(".attn-scores");
    this.math = fig.querySelector(".attn-math");
    this.status = fig.querySelector(".attn-status");
    this.tokens = this.collect(".attn-token");
    this.keys = this.collect(".attn-key");
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
    if (this.view === "matrix") this.initMatrix();
    if (p.overview) this.initOverview();
    this.bind();
    fig.classList.add("attn-ready");
  }

  Widget.prototype.collect = function (selector) {
    var out = [];
    var els = this.svg.querySelectorAll(selector);
    for (var i = 0; i < els.length; i++) out[+els[i].getAttribute("data-index")] = els[i];
    return out;
  };

  /* The decoded weights [L,H,N,N], decoded on first use: what the figure draws. With
     `compare`, that is the difference B − A (A: the figure's weights, `wa`; B: `wb`). */
  Widget.prototype.weights = function () {
    if (!this.w) {
      var p = this.p;
      this.w = decodeWeights(p);
      if (p.compare) {
        this.wa = this.w;
        this.wb = decodeWeights({ w: p.compare.w, enc: p.enc, scale: p.scale });
        this.w = new Float64Array(this.wa.length);
        for (var i = 0; i < this.w.length; i++) this.w[i] = this.wb[i] - this.wa[i];
      }
    }
    return this.w;
  };

  /* A value as the figure writes it: a weight, or a difference with its sign ("+0.12",
     "\u22120.05", "0.00"). */
  Widget.prototype.fmt = function (v, decimals) {
    var text = Math.abs(v).toFixed(decimals === undefined ? this.p.precision : decimals);
    if (!this.p.compare || +text === 0) return text;
    return (v > 0 ? "+" : "\u2212") + text;
  };

  /* {i, key}: the token (query side) or key element under `target`, or null. */
  Widget.prototype.hit = function (target) {
    var t = target && target.closest ? target.closest(".attn-token, .attn-key") : null;
    if (!t || !this.svg.contains(t)) return null;
    return { i: +t.getAttribute("data-index"), key: t.classList.contains("attn-key") };
  };

  function same(a, b) {
    return a === b || (!!a && !!b && a.i === b.i && a.key === b.key);
  }

  Widget.prototype.bind = function () {
    var self = this;
    var svg = this.svg;
    /* Touch has no hover: a tap only pins (hover, lift and focus each redrew the figure). The
       focus a tap gives follows its pointerdown within a second. */
    var touchAt = -1e9;
    svg.addEventListener("pointerdown", function (e) { if (e.pointerType === "touch") touchAt = e.timeStamp; });
    svg.addEventListener("pointerover", function (e) {
      var h = self.hit(e.target);
      if (h && e.pointerType !== "touch") self.setHover(h);
    });
    svg.addEventListener("pointerout", function (e) {
      /* Onto another token or key: its pointerover follows and redraws once, without a clear. */
      if (e.pointerType !== "touch" && self.hit(e.target) && !self.hit(e.relatedTarget)) self.setHover(null);
    });
    svg.addEventListener("click", function (e) {
      var h = self.hit(e.target);
      if (h) self.togglePin(h, e.timeStamp - touchAt < 1000);
    });
    svg.addEventListener("focusin", function (e) {
      var h = self.hit(e.target);
      if (h) {
        self.rove(h);
        if (e.timeStamp - touchAt > 1000) self.setHover(h);
      }
    });
    svg.addEventListener("focusout", function (e) {
      if (!self.hit(e.relatedTarget)) self.setHover(null);
    });
    this.fig.addEventListener("keydown", function (e) { self.onKey(e); });
    var copy = this.fig.querySelector(".attn-link");
    if (copy) copy.addEventListener("click", function () { self.copyLink(copy); });
    var saves = this.fig.querySelectorAll(".attn-export");
    for (var x = 0; x < saves.length; x++) {
      saves[x].addEventListener("click", function (e) { self.save(e.currentTarget.getAttribute("data-format")); });
    }
    var buttons = this.fig.querySelectorAll(".attn-head, .attn-layer, .attn-dir");
    for (var b = 0; b < buttons.length; b++) {
      buttons[b].addEventListener("click", function (e) {
        var kind = kindOf(e.currentTarget);
        self.select(kind, e.currentTarget.getAttribute("data-" + kind));
      });
    }
  };

  Widget.prototype.onKey = function (e) {
    var h = this.hit(e.target);
    var key = e.key;
    if (key === "Escape") {
      if (!this.pinned && !this.hover) return;
      this.setHover(null);
      this.pinTo(null);
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
  Widget.prototype.rove = function (h) {
    var side = h.key ? 1 : 0, els = h.key ? this.keys : this.tokens;
    if (h.i === this.roved[side]) return;
    els[this.roved[side]].setAttribute("tabindex", "-1");
    els[h.i].setAttribute("tabindex", "0");
    this.roved[side] = h.i;
  };

  Widget.prototype.setHover = function (h) {
    if (same(this.hover, h)) return;
    this.hover = h;
    this.longTip();
    this.draw(true);
    this.tell(function (w) { w.setHover(w.fits(h)); });
  };

  /* A token drawn cut short shows its whole text while hovered or focused, and while pinned by a
     tap (touch has no hover). A pin by mouse or keyboard keeps no tip once the pointer or focus
     has left: it would cover the next tokens. Called before the edges are drawn, so measuring
     never forces a layout of them. */
  Widget.prototype.longTip = function () {
    if (this.cellOn) return;  /* a matrix cell's tooltip is showing */
    var h = this.hover || (this.tappedPin ? this.pinned : null);
    var el = h ? (h.key ? this.keys : this.tokens)[h.i] : null;
    if (el && el.classList.contains("attn-long")) {
      var b = el.querySelector(".attn-token-box");
      this.showTip((h.key ? this.keyNames : this.p.tokens)[h.i], {
        x: +b.getAttribute("x"), y: +b.getAttribute("y"),
        width: +b.getAttribute("width"), height: +b.getAttribute("height")
      }, h.i);
    } else this.showTip(null);
  };

  Widget.prototype.togglePin = function (h, tapped) {
    this.pinTo(same(this.pinned, h) ? null : h, tapped);
  };

  /* Pin `h` (null: unpin). A tap's score list follows its first frame, as a hover's does: on a
     phone the list of a long sentence cost as much as the rest of the pin. */
  Widget.prototype.pinTo = function (h, tapped) {
    this.pinned = h;
    this.tappedPin = !!tapped && !!h;
    this.longTip();
    this.draw(!!tapped);
    this.announce();
    this.tell(function (w) { if (!same(w.pinned, w.fits(h))) w.pinTo(w.fits(h)); });
  };

  /* Switch head ("all" too), layer or direction. */
  Widget.prototype.select = function (kind, value) {
    if (kind === "dir") this.dir = value;
    else if (kind === "head" && value === "all") this.all = true;
    else {
      if (kind === "head") this.all = false;
      this[kind] = +value;
    }
    this.update(kind !== "dir");
    this.tell(function (w) { if (w.offers(kind, value)) w.select(kind, value); });
  };

  /* Show one layer and head (an overview thumbnail). */
  Widget.prototype.show = function (layer, head) {
    this.layer = layer;
    this.head = head;
    this.all = false;
    this.update(true);
    this.tell(function (w) {
      if (w.offers("layer", layer) && w.offers("head", head)) w.show(layer, head);
      else if (w.offers("layer", layer)) w.select("layer", layer);
      else if (w.offers("head", head)) w.select("head", head);
    });
  };

  /* Synced figures (`sync: NAME`): what a reader does in one (hover, pin, head, layer,
     direction) the others of the page with that name do too, where that token or control
     exists. `echo` keeps a change that came from a peer from going round again. */
  var echo = false;
  Widget.prototype.tell = function (change) {
    var name = this.p.sync;
    if (!name || echo) return;
    echo = true;
    try {
      var figs = document.querySelectorAll("figure.attn");
      for (var i = 0; i < figs.length; i++) {
        var w = figs[i].attnWidget;
        if (w && w !== this && w.p.sync === name) change(w);
      }
    } finally {
      echo = false;
    }
  };

  /* `h` (a token or key of another figure) if this figure has it, else null. */
  Widget.prototype.fits = function (h) {
    return h && h.i < (h.key ? this.nk : this.n) ? h : null;
  };

  /* Whether this figure has the head, layer or direction ("head", "layer", "dir") `value`, with
     or without a button for it (a figure of one layer has no layer buttons). */
  Widget.prototype.offers = function (kind, value) {
    var p = this.p;
    if (kind === "dir") return !p.key_tokens;
    if (kind === "head" && value === "all") return p.heads.length > 1 && this.view !== "matrix";
    return /^\d+$/.test(String(value)) && +value < (kind === "head" ? p.heads : p.layers).length;
  };

  /* After a change of head, layer or direction: mark the controls that show it pressed, repaint
     (`heat`: the matrix's heat map too) and say so. */
  Widget.prototype.update = function (heat) {
    var now = { layer: String(this.layer), head: this.all ? "all" : String(this.head), dir: this.dir };
    var buttons = this.fig.querySelectorAll(".attn-layer, .attn-head, .attn-dir");
    for (var k = 0; k < buttons.length; k++) {
      var kind = kindOf(buttons[k]);
      buttons[k].setAttribute("aria-pressed", buttons[k].getAttribute("data-" + kind) === now[kind] ? "true" : "false");
    }
    if (this.thumbs) this.pressThumb();
    /* An attribute, not a class: a class change on the figure would restyle all of it. */
    this.fig.toggleAttribute("data-attn-all-heads", this.all);
    /* The rollout (the last layer, when there is one) is one matrix in every head: no head to pick. */
    this.fig.toggleAttribute("data-attn-rollout", this.isRollout(this.layer));
    if (heat && this.view === "matrix") this.paintHeat();
    this.draw();
    this.announce();
  };

  Widget.prototype.isRollout = function (layer) {
    return !!this.p.rollout && layer === this.p.layers.length - 1;
  };

  /* The overview: one thumbnail per layer and head (the rollout layer: one), rows = layers, in
     the heads' order or the one `sort_heads` chose. The thumbnails are buttons in a CSS grid
     over one canvas that holds every head's picture, painted here from the payload (no second
     copy of the data) as alpha that an SVG filter floods with the theme's edge colour, as the
     matrix view does. One canvas, not one per thumbnail: 144 canvases cost more to create and
     paint than everything else in a figure. A button's name carries the head's summary, read
     from the build-time "each head at a glance" table. */
  Widget.prototype.initOverview = function () {
    var self = this;
    var p = this.p;
    var order = p.overview.order || [];
    var tint = this.fig.id + "-thumb-tint";
    var box = htmlEl("div", "attn-overview");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Every layer and head");
    box.setAttribute("data-search-exclude", "");
    var defs = svgEl("svg", { "class": "attn-overview-defs", "width": 0, "height": 0, "aria-hidden": "true", "focusable": "false" });
    var filter = defs.appendChild(svgEl("filter", { "id": tint, "x": 0, "y": 0, "width": 1, "height": 1, "color-interpolation-filters": "sRGB" }));
    filter.appendChild(svgEl("feFlood", { "class": "attn-tint" }));
    filter.appendChild(svgEl("feComposite", { "in2": "SourceAlpha", "operator": "in" }));
    box.appendChild(defs);
    var grid = box.appendChild(htmlEl("div", "attn-overview-grid"));
    var H = p.heads.length;
    grid.style.setProperty("--attn-heads", H);
    var canvas = grid.appendChild(htmlEl("canvas", "attn-overview-heat"));
    canvas.style.filter = "url(#" + tint + ")";
    canvas.style.gridRow = "1 / " + (p.layers.length + 1);
    var summaries = this.headSummaries();
    var pictures = [];
    this.thumbs = [];
    this.thumbRows = [];
    for (var l = 0; l < p.layers.length; l++) {
      var label = grid.appendChild(htmlEl("span", "attn-overview-layer", p.layers[l]));
      label.setAttribute("aria-hidden", "true");
      label.style.gridRow = l + 1;
      var heads = this.isRollout(l) ? [0] : order[l] || p.heads.map(function (_, h) { return h; });
      var cells = [];
      for (var c = 0; c < heads.length; c++) {
        var h = heads[c];
        var b = grid.appendChild(htmlEl("button", "attn-thumb"));
        b.type = "button";
        b.setAttribute("data-layer", l);
        b.setAttribute("data-head", h);
        b.setAttribute("tabindex", "-1");
        b.setAttribute("aria-pressed", "false");
        b.style.gridRow = l + 1;
        b.style.gridColumn = c + 2;
        var name = this.isRollout(l) ? p.layers[l] : p.layers[l] + ", " + p.heads[h];
        var summary = summaries[l * H + h];
        b.setAttribute("aria-label", summary ? name + ": " + summary : name);
        b.attnInfo = summary ? name + " \u2014 " + summary : name;
        pictures.push([l, h, l, c]);
        this.thumbs[l * H + h] = b;
        cells.push(b);
      }
      this.thumbRows.push(cells);
    }
    this.paintThumbs(canvas, pictures);
    this.info = box.appendChild(htmlEl("p", "attn-overview-info"));
    this.info.setAttribute("aria-hidden", "true");
    var at = this.fig.querySelector(".attn-scroll");
    at.parentNode.insertBefore(box, at);
    box.addEventListener("click", function (e) {
      var b = e.target.closest(".attn-thumb");
      if (b) self.show(+b.getAttribute("data-layer"), +b.getAttribute("data-head"));
    });
    var tell = function (e) {
      var b = e.target.closest && e.target.closest(".attn-thumb");
      self.info.textContent = b ? b.attnInfo : self.current().attnInfo;
    };
    box.addEventListener("pointerover", tell);
    box.addEventListener("focusin", tell);
    box.addEventListener("pointerleave", function () { self.info.textContent = self.current().attnInfo; });
    box.addEventListener("focusout", function (e) { if (!box.contains(e.relatedTarget)) self.info.textContent = self.current().attnInfo; });
    box.addEventListener("keydown", function (e) { self.onThumbKey(e); });
    this.pressThumb();
  };

  /* Each head's summary as text ("entropy (bits) 1.52, on previous 0.80, …"), by layer × head,
     from the build-time table; empty where the table left a head out. */
  Widget.prototype.headSummaries = function () {
    var out = [];
    var table = this.fig.querySelector("table.attn-head-stats");
    if (!table) return out;
    var names = [].map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent; });
    var rows = table.querySelectorAll("tbody tr");
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].querySelectorAll("td");
      out.push([].map.call(cells, function (td, k) { return names[k] + " " + td.textContent; }).join(", "));
    }
    return out;
  };

  /* The thumbnail of what the figure shows (the rollout's one for any head). */
  Widget.prototype.current = function () {
    return this.thumbs[this.layer * this.p.heads.length + (this.isRollout(this.layer) ? 0 : this.head)];
  };

  /* The current thumbnail pressed (none while all heads show) and the one in the Tab order. */
  Widget.prototype.pressThumb = function () {
    var on = this.all ? null : this.current();
    if (this.thumbOn) this.thumbOn.setAttribute("aria-pressed", "false");
    if (on) on.setAttribute("aria-pressed", "true");
    this.thumbOn = on;
    this.roveThumb(on || this.thumbs[this.layer * this.p.heads.length]);
    this.info.textContent = this.current().attnInfo;
  };

  Widget.prototype.roveThumb = function (b) {
    if (this.thumbTab) this.thumbTab.setAttribute("tabindex", "-1");
    b.setAttribute("tabindex", "0");
    this.thumbTab = b;
  };

  /* Arrows move along a layer's heads (left, right) and between layers (up, down); Home and
     End go to a layer's first and last head; Enter and Space press the button. */
  Widget.prototype.onThumbKey = function (e) {
    var b = e.target.closest(".attn-thumb");
    if (!b) return;
    var rows = this.thumbRows;
    var l = +b.getAttribute("data-layer");
    var c = rows[l].indexOf(b);
    var key = e.key;
    if (key === "ArrowRight") c++;
    else if (key === "ArrowLeft") c--;
    else if (key === "ArrowDown") l++;
    else if (key === "ArrowUp") l--;
    else if (key === "Home") c = 0;
    else if (key === "End") c = rows[l].length - 1;
    else return;
    e.preventDefault();
    l = Math.max(0, Math.min(rows.length - 1, l));
    var next = rows[l][Math.max(0, Math.min(rows[l].length - 1, c))];
    this.roveThumb(next);
    next.focus();
  };

  /* Every thumbnail's picture in one canvas: the head of (layer, head) at grid cell (row, col)
     for each of `pictures`, each cell its head's weights at most THUMB pixels a side (larger
     heads take the strongest weight of each block, so a sharp pattern stays visible) with PAD
     clear pixels around, shaded by the square root of the weight over the figure's strongest,
     so a spread-out head still shows. The canvas spans the thumbnails' columns, which are all
     as wide, so cell k lands under the k-th thumbnail whatever the grid's width. */
  var THUMB = 32, PAD = 1;
  Widget.prototype.paintThumbs = function (canvas, pictures) {
    var n = this.n, nk = this.nk, p = this.p;
    var rows = Math.min(n, THUMB), cols = Math.min(nk, THUMB);
    var cw = cols + 2 * PAD, ch = rows + 2 * PAD;
    canvas.width = cw * p.heads.length;
    canvas.height = ch * p.layers.length;
    var ctx = canvas.getContext("2d");
    var img = ctx.createImageData(canvas.width, canvas.height);
    var data = img.data, w = this.weights(), peak = this.peak();
    var cell = new Float64Array(rows * cols);
    var rowOf = [], colOf = [];
    for (var q = 0; q < n; q++) rowOf.push(Math.floor(q * rows / n));
    for (var k = 0; k < nk; k++) colOf.push(Math.floor(k * cols / nk));
    for (var t = 0; t < pictures.length; t++) {
      var at = pictures[t];
      var base = (at[0] * p.heads.length + at[1]) * n * nk;
      cell.fill(0);
      for (q = 0; q < n; q++) {
        var r = rowOf[q] * cols, src = base + q * nk;
        for (k = 0; k < nk; k++) {
          var v = w[src + k];
          if (v > cell[r + colOf[k]]) cell[r + colOf[k]] = v;
        }
      }
      var x0 = at[3] * cw + PAD, y0 = at[2] * ch + PAD;
      for (var i = 0; i < rows; i++) {
        var o = ((y0 + i) * canvas.width + x0) * 4 + 3;
        for (var j = 0; j < cols; j++, o += 4) data[o] = Math.round(Math.sqrt(cell[i * cols + j] / peak) * 255);
      }
    }
    ctx.putImageData(img, 0, 0);
  };

  /* Weight of query q on key k in the current layer and head h. */
  Widget.prototype.weightAt = function (h, q, k) {
    return this.weights()[((this.layer * this.p.heads.length + h) * this.n + q) * this.nk + k];
  };

  Widget.prototype.weight = function (q, k) {
    return this.weightAt(this.head, q, k);
  };

  /* How the active element reads: a key always shows who attends to it; a token, as the
     direction control says (in the matrix: its row, or its column for keyboard users). */
  Widget.prototype.inbound = function (act) {
    /* In cross-attention a query is not a key: it only attends; a key only is attended to. */
    return act.key || (!this.p.key_tokens && this.dir === "in");
  };

  /* Weights of the active element's edges in head h: its row (outgoing) or column (incoming). */
  Widget.prototype.row = function (act, h) {
    var out = [];
    var inbound = this.inbound(act);
    var count = inbound ? this.n : this.nk;
    for (var j = 0; j < count; j++) out.push(inbound ? this.weightAt(h, j, act.i) : this.weightAt(h, act.i, j));
    return out;
  };

  /* The tokens a row of `row()` is about: the queries (incoming) or the keys. */
  Widget.prototype.names = function (inbound) {
    return inbound ? this.p.tokens : this.keyNames;
  };

  /* Indices of the edges drawn: non-zero, >= threshold, among the top_k strongest (ties to the
     earlier token), the same rule as the build-time figure. */
  Widget.prototype.kept = function (row) {
    var p = this.p;
    var t = p.threshold || 0;
    var idx = [];
    for (var j = 0; j < row.length; j++) if (Math.abs(row[j]) > 0 && Math.abs(row[j]) >= t) idx.push(j);
    if (p.top_k && idx.length > p.top_k) {
      idx.sort(function (a, b) { return Math.abs(row[b]) - Math.abs(row[a]) || a - b; });
      idx = idx.slice(0, p.top_k).sort(function (a, b) { return a - b; });
    }
    return idx;
  };

  Widget.prototype.arcPath = function (from, to) {
    var g = this.p.geo;
    if (g.kx) {  /* cross-attention: from a query in the upper row down to a key in the lower */
      var mid = (g.qy + g.ky) / 2;
      return "M" + g.cx[from] + " " + g.qy + "C" + g.cx[from] + " " + mid + " " + g.kx[to] + " " + mid +
        " " + g.kx[to] + " " + g.ky;
    }
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

  Widget.prototype.linePath = function (from, to) {
    var g = this.p.geo;
    var y1 = g.y0 + g.row * from;
    var y2 = g.y0 + g.row * to;
    var mid = (g.x2 - g.x1) / 2;
    return "M" + g.x1 + " " + y1 + "C" + (g.x1 + mid) + " " + y1 + " " + (g.x2 - mid) + " " + y2 +
      " " + g.x2 + " " + y2;
  };

  /* One edge element from query src to key dst: an arc, a line, or (matrix) a cell outline. */
  Widget.prototype.edge = function (src, dst, w, h) {
    var p = this.p;
    /* A difference's edge is as wide as its size, styled by its sign. */
    var sign = !p.compare ? "" : w > 0 ? " attn-up" : " attn-down";
    var attrs = {
      "class": "attn-edge" + (this.all ? " attn-h" + (h % HEAD_COLOURS) : "") + sign,
      "data-source": src,
      "data-target": dst,
      "data-weight": w.toFixed(5),
      "stroke-width": (Math.abs(w) * p.stroke).toFixed(4)
    };
    if (this.all) attrs["data-head"] = h;
    if (this.view === "matrix") {
      var g = p.geo;
      var inset = Math.abs(w) * p.stroke / 2;
      attrs.x = g.x0 + g.cell * dst + inset;
      attrs.y = g.y0 + g.cell * src + inset;
      attrs.width = attrs.height = Math.max(0, g.cell - 2 * inset);
      return svgEl("rect", attrs);
    }
    attrs.d = this.view === "lines" ? this.linePath(src, dst) : this.arcPath(src, dst);
    if (this.view === "arcs" && !p.compare) attrs["marker-end"] = "url(#" + this.marker(this.all ? h % HEAD_COLOURS : -1) + ")";
    return svgEl("path", attrs);
  };

  /* Arrowhead marker id: the build-time one, or one per head colour made on first use. */
  Widget.prototype.marker = function (colour) {
    var base = this.fig.id + "-arrow";
    if (colour < 0) return base;
    var id = base + "-h" + colour;
    if (!this.svg.querySelector("#" + CSS.escape(id))) {
      var m = this.svg.querySelector("#" + CSS.escape(base)).cloneNode(true);
      m.setAttribute("id", id);
      m.setAttribute("class", "attn-arrow attn-h" + colour);
      this.svg.querySelector("defs").appendChild(m);
    }
    return id;
  };

  /* Where the score of token j goes while `act` is pinned, or null when it cannot fit. */
  Widget.prototype.labelAt = function (act, j, inbound) {
    var g = this.p.geo;
    if (this.view === "arcs" && g.kx) return { x: (inbound ? g.cx : g.kx)[j], y: g.label[inbound ? 0 : 1], anchor: "middle" };
    if (this.view === "arcs") return { x: g.cx[j], y: g.label, anchor: "middle" };
    if (this.view === "lines") {
      return { x: g.lx[inbound ? 0 : 1], y: g.y0 + g.row * j, anchor: inbound ? "end" : "start" };
    }
    if (g.cell < 7 * (this.p.precision + 2) + 2) return null;
    var q = inbound ? j : act.i;
    var k = inbound ? act.i : j;
    return { x: g.x0 + g.cell * (k + 0.5), y: g.y0 + g.cell * (q + 0.5), anchor: "middle" };
  };

  /* Draw the active element's edges (and, pinned, labels and math). The score list follows,
     or with `lazy` (hover, focus, a tap) a frame later: at 512 tokens it costs more than the edges. */
  Widget.prototype.draw = function (lazy) {
    var act = this.hover || this.pinned;
    var p = this.p;
    var rows = null;
    var inbound = act && this.inbound(act);
    /* The edges depend on the active element and the head, layer and direction only: a click on
       the hovered token (pin, unpin) keeps them. */
    var key = act ? [act.i, act.key, inbound, this.all, this.head, this.layer].join() : "";
    if (act) {
      var heads = [];
      if (this.all) for (var h = 0; h < p.heads.length; h++) heads.push(h);
      else heads.push(this.head);
      rows = heads.map(function (hh) { return this.row(act, hh); }, this);
    }
    /* A tap's first frame writes only the score labels in sight (measured before the edges
       change, so measuring lays out nothing new); the others follow with the list. */
    var sight = lazy && this.tappedPin ? this.sight() : null;
    if (key !== this.drawn) {
      var edges = document.createDocumentFragment();
      if (act) {
        if (this.view === "matrix") edges.appendChild(this.band(act, inbound));
        for (var r = 0; r < heads.length; r++) {
          var kept = this.kept(rows[r]);
          for (var e = 0; e < kept.length; e++) {
            var j = kept[e];
            edges.appendChild(this.edge(inbound ? j : act.i, inbound ? act.i : j, rows[r][j], heads[r]));
          }
        }
      }
      this.edges.replaceChildren(edges);
      this.drawn = key;
    }
    var later = this.drawLabels(this.pinned && !this.all ? act : null, inbound, rows, sight);
    this.drawMath();
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
    this.mark("attn-active", act);
    this.mark("attn-pinned", this.pinned);
  };

  /* The score labels of the pinned element `act` (null: none): made on first use and kept,
     hidden while nothing is pinned, so a pin lays out only the labels that changed. With `box`
     (the part of the figure in sight, from `sight`), the labels outside it are left for the
     returned function to write: on a phone, a long sentence's 512 labels were the largest part
     of a tap, and all but a few of them are scrolled out of view. */
  Widget.prototype.drawLabels = function (act, inbound, rows, box) {
    var g = this.labels;
    g.toggleAttribute("data-attn-idle", !act);
    if (!act) return function () {};
    var pool = this.pool || (this.pool = []);
    var count = rows[0].length;
    /* Cross-attention: a side with fewer tokens than the last leaves labels over; blank them. */
    for (var x = count; x < pool.length; x++) if (pool[x]) pool[x].firstChild.data = "";
    var self = this, rest = [];
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
    var now = [];
    for (var t = 0; t < count; t++) {
      var at = this.labelAt(act, t, inbound);
      if (!at) continue;
      var near = !box || (at.x >= box.x0 && at.x <= box.x1 && at.y >= box.y0 && at.y <= box.y1);
      (near ? now : rest).push({ t: t, at: at });
    }
    write(now);
    return function () { write(rest); };
  };

  /* The part of the figure in sight, in its own units, with a margin of half a screen: inside
     its scroll box and the window. */
  Widget.prototype.sight = function () {
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

  /* The score list: one <li> per token, made on first use and kept (hidden while no token is
     active), so that a hover only rewrites the values that changed, not 512 list items. */
  Widget.prototype.scores = function (rows, inbound) {
    var p = this.p;
    var list = this.list;
    list.toggleAttribute("data-attn-idle", !rows);
    if (!rows) return;
    /* One item per token of the side the scores are about: the keys (outgoing) or the queries
       (in self-attention the same tokens: the items are kept). */
    var names = this.names(inbound);
    /* A difference of one head lists A, B and B − A for each token. */
    var both = p.compare && !this.all;
    if (both) rows = this.sides(rows[0], inbound);
    var shape = this.all + " " + (names === p.tokens);
    if (this.listShape !== shape) {
      var items = document.createDocumentFragment();
      this.vals = [];
      for (var t = 0; t < names.length; t++) {
        var li = htmlEl("li", "attn-score");
        li.setAttribute("data-index", t);
        li.appendChild(htmlEl("span", "attn-score-token", names[t]));
        for (var v = 0; v < rows.length; v++) {
          var value = htmlEl("span", "attn-score-value" + (this.all ? " attn-h" + (v % HEAD_COLOURS) : "") +
            (both ? [" attn-score-a", " attn-score-b", " attn-score-diff"][v] : ""));
          if (this.all) value.setAttribute("title", p.heads[v]);
          if (both) value.setAttribute("title", ["A", "B, " + p.compare.label, "B \u2212 A"][v]);
          this.vals.push(value.appendChild(document.createTextNode("")));
          li.appendChild(value);
        }
        items.appendChild(li);
      }
      list.replaceChildren(items);
      this.listShape = shape;
    }
    for (var k = 0; k < this.vals.length; k++) {
      var x = rows[k % rows.length][Math.floor(k / rows.length)];
      var text = both && k % 3 < 2 ? x.toFixed(p.precision) : this.fmt(x);
      if (this.vals[k].data !== text) this.vals[k].data = text;
    }
  };

  /* For the score list of a difference: the active element's A row, B row and the difference. */
  Widget.prototype.sides = function (diff, inbound) {
    var act = this.hover || this.pinned;
    var base = (this.layer * this.p.heads.length + this.head) * this.n * this.nk;
    var a = [], b = [];
    for (var j = 0; j < diff.length; j++) {
      var at = base + (inbound ? j * this.nk + act.i : act.i * this.nk + j);
      a.push(this.wa[at]);
      b.push(this.wb[at]);
    }
    return [a, b, diff];
  };

  /* Move class `cls` (attn-active or attn-pinned) to the element of `h`, touching only the two
     elements concerned; a pinned token is also aria-pressed (keys are not buttons). */
  Widget.prototype.mark = function (cls, h) {
    var el = h ? (h.key ? this.keys : this.tokens)[h.i] : null;
    var old = this.marks[cls];
    if (el === old) return;
    var pin = cls === "attn-pinned";
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

  /* Matrix: the active row (or column) as a band under its cell outlines. */
  Widget.prototype.band = function (act, inbound) {
    var g = this.p.geo;
    var at = g.cell * act.i;
    return svgEl("rect", {
      "class": "attn-band",
      "x": inbound ? g.x0 + at : g.x0, "y": inbound ? g.y0 : g.y0 + at,
      "width": inbound ? g.cell : g.cell * this.nk, "height": inbound ? g.cell * this.n : g.cell
    });
  };

  /* Matrix: the heat map image, the cell tooltip and pointer handling on the cells. */
  Widget.prototype.initMatrix = function () {
    var self = this;
    var g = this.p.geo;
    this.heat = this.svg.querySelector(".attn-heat");
    this.canvas = document.createElementNS("http://www.w3.org/1999/xhtml", "canvas");
    this.canvas.width = this.nk;
    this.canvas.height = this.n;
    this.svg.querySelector(".attn-heat-canvas").appendChild(this.canvas);
    this.cell = svgEl("rect", { "class": "attn-cell", "width": g.cell, "height": g.cell });
    this.svg.appendChild(this.cell);
    this.paintHeat();
    function at(e) {
      var m = self.svg.getScreenCTM();
      if (!m) return null;
      var pt = self.svg.createSVGPoint();
      pt.x = e.clientX;
      pt.y = e.clientY;
      pt = pt.matrixTransform(m.inverse());
      var q = Math.floor((pt.y - g.y0) / g.cell);
      var k = Math.floor((pt.x - g.x0) / g.cell);
      return q >= 0 && k >= 0 && q < self.n && k < self.nk ? { q: q, k: k } : null;
    }
    this.heat.addEventListener("pointermove", function (e) { self.showCell(at(e)); });
    this.heat.addEventListener("pointerleave", function () { self.showCell(null); });
    this.heat.addEventListener("click", function (e) {
      var c = at(e);
      if (c) self.togglePin({ i: c.q, key: false });
    });
  };

  /* Tooltip for one cell: query → key: weight. */
  Widget.prototype.showCell = function (c) {
    this.cellOn = !!c;
    this.cell.classList.toggle("attn-on", this.cellOn);
    if (!c) {
      this.showTip(null);
      return;
    }
    var g = this.p.geo;
    var p = this.p;
    this.cell.setAttribute("x", g.x0 + g.cell * c.k);
    this.cell.setAttribute("y", g.y0 + g.cell * c.q);
    this.showTip(p.tokens[c.q] + " \u2192 " + this.keyNames[c.k] + ": " + this.fmt(this.weight(c.q, c.k)),
      { x: g.x0 + g.cell * c.k, y: g.y0 + g.cell * c.q, width: g.cell, height: g.cell });
  };

  /* A one-line tooltip beside `box` (SVG units), kept inside the figure; null hides it. `i`: the
     token whose text it shows (its width is kept), or undefined. */
  Widget.prototype.showTip = function (text, box, i) {
    if (!this.tip) {
      if (text === null) return;
      this.tip = svgEl("g", { "class": "attn-tip", "aria-hidden": "true" });
      this.tipBox = svgEl("rect", { "rx": 3, "height": 22 });
      this.tipText = svgEl("text", { "dominant-baseline": "central" });
      this.tip.appendChild(this.tipBox);
      this.tip.appendChild(this.tipText);
      this.svg.appendChild(this.tip);
    }
    this.tip.classList.toggle("attn-on", text !== null);
    if (text === null) return;
    this.tipText.textContent = text;
    /* A token's width is measured once (`i`), so hovering it again reads no layout. */
    var widths = this.tipWidths || (this.tipWidths = []);
    var width = widths[i] || this.tipText.getComputedTextLength() + 12;
    if (i >= 0 && width > 12) widths[i] = width;
    var vb = this.svg.viewBox.baseVal;
    var x = box.x + box.width + 6;
    if (x + width > vb.width) x = Math.max(0, box.x - width - 6);
    var y = Math.max(12, Math.min(vb.height - 12, box.y + box.height / 2));
    this.tipBox.setAttribute("x", x);
    this.tipBox.setAttribute("y", y - 11);
    this.tipBox.setAttribute("width", width);
    this.tipText.setAttribute("x", x + 6);
    this.tipText.setAttribute("y", y);
  };

  /* Paint the current layer and head as the canvas's alpha, one pixel per cell: opaque = the
     figure's strongest weight. An SVG filter floods it with the theme's edge colour. */
  Widget.prototype.paintHeat = function () {
    var cells = this.n * this.nk;
    var ctx = this.canvas.getContext("2d");
    var img = ctx.createImageData(this.nk, this.n);
    var peak = this.peak();
    var data = img.data;
    var w = this.weights();
    var base = (this.layer * this.p.heads.length + this.head) * cells;
    if (this.p.compare) return this.paintDiff(ctx, img, base, peak);
    for (var i = 0; i < cells; i++) data[4 * i + 3] = Math.round(w[base + i] / peak * 255);
    ctx.putImageData(img, 0, 0);
  };

  /* A difference's heat map in two colours, one per sign (the stylesheet's --attn-up and
     --attn-down, colour-blind safe), its size as alpha; painted in colour, not tinted. */
  Widget.prototype.paintDiff = function (ctx, img, base, peak) {
    var fig = this.fig, w = this.w, data = img.data;
    var rgb = ["--attn-up", "--attn-down"].map(function (name) {
      var hex = plainColour(fig, name, "#000000");  /* opaque: "#rrggbb" */
      return [1, 3, 5].map(function (k) { return parseInt(hex.slice(k, k + 2), 16); });
    });
    this.canvas.parentNode.removeAttribute("filter");
    for (var i = 0; i < this.n * this.nk; i++) {
      var v = w[base + i], c = rgb[v >= 0 ? 0 : 1];
      data[4 * i] = c[0];
      data[4 * i + 1] = c[1];
      data[4 * i + 2] = c[2];
      data[4 * i + 3] = Math.round(Math.abs(v) / peak * 255);
    }
    ctx.putImageData(img, 0, 0);
  };

  /* The colour custom property `name` of `el` resolves to, written plainly ("#rrggbb", or
     "rgba(…)" when translucent): a canvas context reads any CSS colour and writes it so. */
  var painter = null;
  function plainColour(el, name, fallback) {
    painter = painter || document.createElement("canvas").getContext("2d");
    painter.fillStyle = fallback;
    painter.fillStyle = getComputedStyle(el).getPropertyValue(name).trim() || fallback;
    return painter.fillStyle;
  }

  /* The figure's strongest weight (of a difference: its largest size). */
  Widget.prototype.peak = function () {
    if (this.max === undefined) {
      var w = this.weights();
      var m = 0;
      for (var i = 0; i < w.length; i++) if (Math.abs(w[i]) > m) m = Math.abs(w[i]);
      this.max = m || 1;
    }
    return this.max;
  };

  /* Redrawn when the pin or head changes. A new pin's table waits a frame: on a slow phone its
     layout took as long as the rest of the pin. */
  Widget.prototype.drawMath = function () {
    var i = this.pinned && !this.pinned.key && !this.all ? this.pinned.i : -1;
    var key = i < 0 ? "" : i + " " + this.head;
    if (!this.math || !this.p.math || key === this.mathKey) return;
    this.mathKey = key;
    if (i < 0) return this.math.replaceChildren();
    var self = this;
    var draw = function () { if (self.mathKey === key) self.math.replaceChildren(self.mathTable(i)); };
    if (this.math.firstChild) draw(); else requestAnimationFrame(function () { requestAnimationFrame(draw); });
  };

  /* The worked math of query i: logits, scaling, mask, softmax (toy, scores, Q·K). */
  Widget.prototype.mathTable = function (i) {
    var m = this.p.math;
    var p = this.p;
    if (!this.logits) this.logits = decodeLogits(m.logits, m.dtype);
    var row = (this.head * this.n + i) * this.nk;
    var logits = this.logits.slice(row, row + this.nk);
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
    for (var j = 0; j < this.nk; j++) {
      var masked = m.causal && j > i;
      var tr = htmlEl("tr");
      tr.setAttribute("data-index", j);
      var th = htmlEl("th", null, this.keyNames[j]);
      th.setAttribute("scope", "row");
      tr.appendChild(th);
      var cells = [logits[j].toFixed(3), (logits[j] / m.divisor).toFixed(3)];
      if (m.causal) cells.push(masked ? "\u2212\u221e" : "0");
      cells.push(this.weight(i, j).toFixed(Math.max(p.precision, 3)));
      cells.forEach(function (c) { tr.appendChild(htmlEl("td", null, c)); });
      body.appendChild(tr);
    }
    table.appendChild(body);
    return table;
  };

  /* Tell screen-reader users what pinning revealed: the strongest three weights. */
  Widget.prototype.announce = function () {
    if (!this.status) return;
    var pin = this.pinned;
    if (!pin) {
      this.status.textContent = "";
      return;
    }
    var row = this.row(pin, this.head);
    var order = row.map(function (w, j) { return j; }).sort(function (x, y) { return Math.abs(row[y]) - Math.abs(row[x]); });
    var p = this.p, self = this;
    var inbound = this.inbound(pin);
    var names = this.names(inbound);
    var top = order.slice(0, 3).map(function (j) {
      return names[j] + " " + self.fmt(row[j]);
    });
    var verb = p.compare ? (inbound ? " is attended to differently most by " : " attends differently most to ")
      : inbound ? " is attended to most by " : " attends most to ";
    var where = p.heads.length > 1 ? " (" + p.heads[this.head] + ")" : "";
    this.status.textContent = (pin.key ? this.keyNames : p.tokens)[pin.i] + verb + top.join(", ") + where + ".";
  };

  /* Deep links: "#FIGURE-ID?pin=I&layer=L&head=H", each parameter optional; `pin` is a token's
     index or its text, `layer` and `head` 0-based as the controls' data attributes ("all" for
     every head). The browser finds no element for such a fragment, so the figure is found and
     scrolled to here. */
  function parseLink(hash) {
    var text = (hash || "").replace(/^#/, "");
    var q = text.indexOf("?");
    if (!text || q === 0) return null;
    var link = { id: decode(q < 0 ? text : text.slice(0, q)), params: {} };
    if (q > 0) {
      text.slice(q + 1).split("&").forEach(function (pair) {
        var eq = pair.indexOf("=");
        if (eq > 0) link.params[decode(pair.slice(0, eq))] = decode(pair.slice(eq + 1));
      });
    }
    return link;
  }

  function decode(text) {
    try {
      return decodeURIComponent(text.replace(/\+/g, " "));
    } catch (err) {
      return text;
    }
  }

  /* Restore the view a link names, if it names a mounted figure of this page. */
  function follow(hash) {
    var link = parseLink(hash);
    if (!link) return;
    var figs = document.querySelectorAll("figure.attn");
    for (var i = 0; i < figs.length; i++) {
      if (figs[i].id === link.id && figs[i].attnWidget) {
        figs[i].attnWidget.restore(link.params);
        figs[i].scrollIntoView({ block: "start" });
        return;
      }
    }
  }

  Widget.prototype.restore = function (params) {
    var p = this.p;
    var whole = function (value, count) {
      return /^\d+$/.test(value || "") && +value < count ? +value : -1;
    };
    var layer = whole(params.layer, p.layers.length);
    var head = params.head === "all" && p.heads.length > 1 && this.view !== "matrix" ? "all" : whole(params.head, p.heads.length);
    if (layer >= 0) this.layer = layer;
    if (head === "all") this.all = true;
    else if (head >= 0) {
      this.head = head;
      this.all = false;
    }
    var pin = params.pin === undefined ? -1 : whole(params.pin, this.n);
    if (pin < 0 && params.pin !== undefined) pin = p.tokens.indexOf(params.pin);
    this.pinned = pin >= 0 ? { i: pin, key: false } : this.pinned;
    this.tappedPin = false;
    this.longTip();
    this.update(true);
  };

  /* The link to what the figure shows: its pinned token (by its text when no other token has
     it), layer and head, each only when it is not the default. */
  Widget.prototype.link = function () {
    var p = this.p, parts = [];
    var pin = this.pinned && !this.pinned.key ? this.pinned.i : -1;
    if (pin >= 0) {
      var text = p.tokens[pin];
      var unique = p.tokens.indexOf(text) === pin && p.tokens.lastIndexOf(text) === pin && !/^\d+$/.test(text);
      parts.push("pin=" + encodeURIComponent(unique ? text : String(pin)));
    }
    if (this.layer) parts.push("layer=" + this.layer);
    if (this.all) parts.push("head=all");
    else if (this.head) parts.push("head=" + this.head);
    return "#" + encodeURIComponent(this.fig.id) + (parts.length ? "?" + parts.join("&") : "");
  };

  /* "Copy link": the address of this view, put in the address bar and on the clipboard. */
  Widget.prototype.copyLink = function (button) {
    var hash = this.link();
    var url = location.href.replace(/#.*$/, "") + hash;
    history.replaceState(history.state, "", hash);
    var status = this.status;
    var done = function (copied) {
      button.setAttribute("data-attn-copied", copied ? "yes" : "no");
      if (status) status.textContent = copied ? "Link copied: " + url : "Copy this link from the address bar: " + url;
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(url).then(function () { done(true); }, function () { done(false); });
    } else done(false);
  };

  /* Export: the figure as it is shown (head, layer, pinned token, edges, labels, the theme's
     colours) as a standalone SVG with its computed styles inlined, or as a PNG of that SVG at
     twice its size. The SVG needs nothing from the page's Content-Security-Policy; the PNG is
     drawn from the SVG loaded as an image, which `img-src` must allow from `blob:`. */
  /* Written as presentation attributes, not a style attribute: a strict Content-Security-Policy
     (style-src without 'unsafe-inline') refuses style attributes even on a detached copy. */
  var STYLES = ["fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
    "stroke-linecap", "opacity", "font-family", "font-size", "font-weight", "paint-order", "flood-color"];

  Widget.prototype.standalone = function () {
    var src = this.svg;
    var copy = src.cloneNode(true);
    var el = svgEl;
    var from = src.querySelectorAll("*");
    var to = copy.querySelectorAll("*");
    for (var i = 0; i < from.length; i++) {
      var cs = getComputedStyle(from[i]);
      if (cs.display === "none" || cs.visibility === "hidden" || cs.opacity === "0") {
        if (to[i].parentNode) to[i].parentNode.removeChild(to[i]);
        continue;
      }
      for (var k = 0; k < STYLES.length; k++) to[i].setAttribute(STYLES[k], cs.getPropertyValue(STYLES[k]));
    }
    /* The matrix's heat map: its canvas becomes an image of the same pixels, under the same tint. */
    var heat = copy.querySelector(".attn-heat-canvas");
    if (heat && this.canvas) {
      var img = el("image", { x: heat.getAttribute("x"), y: heat.getAttribute("y"), width: heat.getAttribute("width"),
        height: heat.getAttribute("height"), preserveAspectRatio: "none",
        "image-rendering": "pixelated", href: this.canvas.toDataURL("image/png") });
      if (heat.hasAttribute("filter")) img.setAttribute("filter", heat.getAttribute("filter"));
      heat.parentNode.replaceChild(img, heat);
    }
    var vb = src.viewBox.baseVal;
    copy.insertBefore(el("rect", { width: vb.width, height: vb.height, fill: plainColour(this.fig, "--attn-bg", "#ffffff") }),
      copy.firstChild);
    var title = el("title", {});
    title.textContent = (this.fig.querySelector(".attn-title, .attn-name") || {}).textContent || "Attention";
    copy.insertBefore(title, copy.firstChild);
    ["role", "aria-labelledby", "class"].forEach(function (a) { copy.removeAttribute(a); });
    return { text: new XMLSerializer().serializeToString(copy), width: vb.width, height: vb.height };
  };

  Widget.prototype.save = function (format) {
    var out = this.standalone();
    var name = this.fig.id + "." + format;
    var svg = new Blob([out.text], { type: "image/svg+xml" });
    if (format !== "png") return download(svg, name);
    var status = this.status;
    var img = new Image();
    img.onload = function () {
      var c = document.createElement("canvas");
      c.width = Math.round(out.width * 2);
      c.height = Math.round(out.height * 2);
      var ctx = c.getContext("2d");
      ctx.scale(2, 2);
      ctx.drawImage(img, 0, 0, out.width, out.height);
      URL.revokeObjectURL(img.src);
      c.toBlob(function (png) { download(png, name); }, "image/png");
    };
    img.onerror = function () {
      URL.revokeObjectURL(img.src);
      if (status) status.textContent = "The PNG could not be made here (the page's Content-Security-Policy must allow img-src blob:); Save SVG works.";
    };
    img.src = URL.createObjectURL(svg);
  };

  function download(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  }

  function mount(root) {
    var figs = (root || document).querySelectorAll("figure.attn");
    var mounted = false;
    for (var i = 0; i < figs.length; i++) {
      var fig = figs[i];
      if (fig.attnWidget !== undefined) continue;
      try {
        fig.attnWidget = new Widget(fig);
        mounted = true;
      } catch (err) {
        fig.attnWidget = null;
        fig.classList.add("attn-broken");
        if (window.console) console.error(err);
      }
    }
    if (mounted) follow(location.hash);
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
  window.mkdocsAttention = { mount: mount };
})();
