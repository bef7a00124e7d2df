/* mkdocs-attention, the tooltip: a cut-short token's whole text while it is hovered or focused,
 * or pinned by a tap (touch has no hover; a mouse pin keeps no tip once the pointer leaves, as it
 * would cover the next tokens); the matrix shows its cells' values in it. */
(function (A) {
  "use strict";

  /* Show `text` beside `box` (SVG units), kept inside the figure; null hides it. Token i's
     measured width is kept, so hovering it again reads no layout. */
  function show(f, text, box, i) {
    var tip = f.part.tip;
    if (!tip.g) {
      if (text === null) return;
      tip.g = A.svgEl("g", { "class": "attn-tip", "aria-hidden": "true" });
      tip.box = tip.g.appendChild(A.svgEl("rect", { "rx": 3, "height": 22 }));
      tip.text = tip.g.appendChild(A.svgEl("text", { "dominant-baseline": "central" }));
      f.svg.appendChild(tip.g);
    }
    tip.g.classList.toggle(A.cls.on, text !== null);
    if (text === null) return;
    tip.text.textContent = text;
    var width = tip.widths[i] || tip.text.getComputedTextLength() + 12;
    if (i >= 0 && width > 12) tip.widths[i] = width;
    var vb = f.svg.viewBox.baseVal;
    var x = box.x + box.width + 6;
    if (x + width > vb.width) x = Math.max(0, box.x - width - 6);
    var y = Math.max(12, Math.min(vb.height - 12, box.y + box.height / 2));
    tip.box.setAttribute("x", x);
    tip.box.setAttribute("y", y - 11);
    tip.box.setAttribute("width", width);
    tip.text.setAttribute("x", x + 6);
    tip.text.setAttribute("y", y);
  }

  A.part("tip", {
    show: show,
    mount: function (f) {
      f.part.tip = { g: null, box: null, text: null, widths: [] };
    },
    /* Before the edges are drawn, so measuring never lays them out. */
    pointed: function (f) {
      if (f.ask("tipBusy")) return;
      var s = f.s, h = s.hover || (s.tapped ? s.pin : null);
      var el = h ? (h.key ? f.keys : f.tokens)[h.i] : null;
      if (!el || !el.classList.contains("attn-long")) return show(f, null);
      var b = el.querySelector(".attn-token-box");
      show(f, (h.key ? f.keyNames : f.p.tokens)[h.i], {
        x: +b.getAttribute("x"), y: +b.getAttribute("y"),
        width: +b.getAttribute("width"), height: +b.getAttribute("height")
      }, h.i);
    }
  });
})(window.mkdocsAttention);
