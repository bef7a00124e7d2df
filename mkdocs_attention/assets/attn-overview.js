/* mkdocs-attention, the overview: one thumbnail per layer and head (the rollout layer: one), a
 * row per layer, in the heads' order or the one `sort_heads` chose; activating one shows that
 * layer and head. The thumbnails are buttons in a CSS grid over one canvas holding every head's
 * picture, painted from the payload (no second copy of the data) as alpha that an SVG filter
 * floods with the theme's edge colour: 144 canvases cost more than the rest of a figure. */
(function (A) {
  "use strict";
  /* A picture is at most THUMB pixels a side (larger heads take each block's strongest weight,
     so a sharp pattern stays visible), with PAD clear pixels around. */
  var THUMB = 32, PAD = 1;

  function isRollout(f, layer) {
    return !!f.p.rollout && layer === f.p.layers.length - 1;
  }

  /* Each head's summary as text ("entropy (bits) 1.52, on previous 0.80, …"), by layer × head,
     from the build-time "each head at a glance" table; empty where it left a head out. */
  function summaries(f) {
    var out = [];
    var table = f.fig.querySelector("table.attn-head-stats");
    if (!table) return out;
    var names = [].map.call(table.querySelectorAll("thead th"), function (th) { return th.textContent; });
    var rows = table.querySelectorAll("tbody tr");
    for (var r = 0; r < rows.length; r++) {
      var cells = rows[r].querySelectorAll("td");
      out.push([].map.call(cells, function (td, k) { return names[k] + " " + td.textContent; }).join(", "));
    }
    return out;
  }

  /* The thumbnail of what the figure shows (the rollout's one for any head). */
  function current(f) {
    var s = f.s;
    return f.part.overview.thumbs[s.layer * f.p.heads.length + (isRollout(f, s.layer) ? 0 : s.head)];
  }

  function rove(o, b) {
    if (o.tab) o.tab.setAttribute("tabindex", "-1");
    b.setAttribute("tabindex", "0");
    o.tab = b;
  }

  /* The current thumbnail pressed (none while all heads show) and in the Tab order. */
  function press(f) {
    var o = f.part.overview, on = f.s.all ? null : current(f);
    if (o.on) o.on.setAttribute("aria-pressed", "false");
    if (on) on.setAttribute("aria-pressed", "true");
    o.on = on;
    rove(o, on || o.thumbs[f.s.layer * f.p.heads.length]);
    o.info.textContent = current(f).attnInfo;
  }

  /* Arrows move along a layer's heads and between layers; Home and End go to a layer's first and
     last head; Enter and Space press the button. */
  function onKey(f, e) {
    var b = e.target.closest(".attn-thumb");
    if (!b) return;
    var rows = f.part.overview.rows;
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
    rove(f.part.overview, next);
    next.focus();
  }

  /* Every thumbnail's picture in one canvas: the head (layer, head) at grid cell (row, col) of
     each of `pictures`, shaded by the square root of the weight over the figure's strongest, so
     a spread-out head still shows. The canvas spans the thumbnails' columns, all as wide, so
     cell k lands under the k-th thumbnail whatever the grid's width. */
  function paint(f, canvas, pictures) {
    var n = f.n, nk = f.nk, p = f.p;
    var rows = Math.min(n, THUMB), cols = Math.min(nk, THUMB);
    var cw = cols + 2 * PAD, ch = rows + 2 * PAD;
    canvas.width = cw * p.heads.length;
    canvas.height = ch * p.layers.length;
    var ctx = canvas.getContext("2d");
    var img = ctx.createImageData(canvas.width, canvas.height);
    var data = img.data, w = f.weights(), peak = f.peak();
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
  }

  function build(f) {
    var p = f.p, el = A.htmlEl, svgEl = A.svgEl;
    var order = p.overview.order || [];
    var tint = A.partId(f, "thumb-tint");
    var box = el("div", "attn-overview");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Every layer and head");
    box.setAttribute("data-search-exclude", "");
    var defs = svgEl("svg", { "class": "attn-overview-defs", "width": 0, "height": 0, "aria-hidden": "true", "focusable": "false" });
    var filter = defs.appendChild(svgEl("filter", { "id": tint, "x": 0, "y": 0, "width": 1, "height": 1, "color-interpolation-filters": "sRGB" }));
    filter.appendChild(svgEl("feFlood", { "class": "attn-tint" }));
    filter.appendChild(svgEl("feComposite", { "in2": "SourceAlpha", "operator": "in" }));
    box.appendChild(defs);
    var grid = box.appendChild(el("div", "attn-overview-grid"));
    var H = p.heads.length;
    grid.style.setProperty("--attn-heads", H);
    var canvas = grid.appendChild(el("canvas", "attn-overview-heat"));
    canvas.style.filter = "url(#" + tint + ")";
    canvas.style.gridRow = "1 / " + (p.layers.length + 1);
    var said = summaries(f);
    var o = f.part.overview = { thumbs: [], rows: [], on: null, tab: null, info: null };
    var pictures = [];
    for (var l = 0; l < p.layers.length; l++) {
      var label = grid.appendChild(el("span", "attn-overview-layer", p.layers[l]));
      label.setAttribute("aria-hidden", "true");
      label.style.gridRow = l + 1;
      var heads = isRollout(f, l) ? [0] : order[l] || p.heads.map(function (_, h) { return h; });
      var cells = [];
      for (var c = 0; c < heads.length; c++) {
        var h = heads[c];
        var b = grid.appendChild(el("button", "attn-thumb"));
        b.type = "button";
        b.setAttribute("data-layer", l);
        b.setAttribute("data-head", h);
        b.setAttribute("tabindex", "-1");
        b.setAttribute("aria-pressed", "false");
        b.style.gridRow = l + 1;
        b.style.gridColumn = c + 2;
        var name = isRollout(f, l) ? p.layers[l] : p.layers[l] + ", " + p.heads[h];
        var summary = said[l * H + h];
        b.setAttribute("aria-label", summary ? name + ": " + summary : name);
        b.attnInfo = summary ? name + " \u2014 " + summary : name;
        pictures.push([l, h, l, c]);
        o.thumbs[l * H + h] = b;
        cells.push(b);
      }
      o.rows.push(cells);
    }
    paint(f, canvas, pictures);
    o.repaint = function () { paint(f, canvas, pictures); };
    o.info = box.appendChild(el("p", "attn-overview-info"));
    o.info.setAttribute("aria-hidden", "true");
    var at = f.fig.querySelector(".attn-scroll");
    at.parentNode.insertBefore(box, at);
    return box;
  }

  A.part("overview", {
    mount: function (f) {
      var box = build(f), o = f.part.overview;
      box.addEventListener("click", function (e) {
        var b = e.target.closest(".attn-thumb");
        if (b) f.set({ layer: +b.getAttribute("data-layer"), head: +b.getAttribute("data-head"), all: false });
      });
      var tell = function (e) {
        var b = e.target.closest && e.target.closest(".attn-thumb");
        o.info.textContent = b ? b.attnInfo : current(f).attnInfo;
      };
      box.addEventListener("pointerover", tell);
      box.addEventListener("focusin", tell);
      box.addEventListener("pointerleave", function () { o.info.textContent = current(f).attnInfo; });
      box.addEventListener("focusout", function (e) { if (!box.contains(e.relatedTarget)) o.info.textContent = current(f).attnInfo; });
      box.addEventListener("keydown", function (e) { onKey(f, e); });
      press(f);
    },
    shown: function (f, was) {
      if (was.weighting) f.part.overview.repaint();
      press(f);
    }
  });
})(window.mkdocsAttention);
