/* mkdocs-attention, export: the figure as it is shown (head, layer, pin, edges, labels, the
 * theme's colours) as a standalone SVG, or a PNG of that SVG at twice its size. The SVG needs
 * nothing from the page's Content-Security-Policy; the PNG is drawn from the SVG loaded as an
 * image, which `img-src` must allow from `blob:`. */
(function (A) {
  "use strict";
  /* Computed styles written as presentation attributes: a strict CSP (style-src without
     'unsafe-inline') refuses style attributes even on a detached copy. */
  var STYLES = ["fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
    "stroke-linecap", "opacity", "font-family", "font-size", "font-weight", "paint-order", "flood-color"];

  function standalone(f) {
    var src = f.svg, el = A.svgEl;
    var copy = src.cloneNode(true);
    var from = src.querySelectorAll("*"), to = copy.querySelectorAll("*");
    for (var i = 0; i < from.length; i++) {
      var cs = getComputedStyle(from[i]);
      if (cs.display === "none" || cs.visibility === "hidden" || cs.opacity === "0") {
        if (to[i].parentNode) to[i].parentNode.removeChild(to[i]);
        continue;
      }
      for (var k = 0; k < STYLES.length; k++) to[i].setAttribute(STYLES[k], cs.getPropertyValue(STYLES[k]));
    }
    /* The matrix's heat map: its canvas becomes an image of the same pixels, under the same tint. */
    var heat = copy.querySelector(".attn-heat-canvas"), canvas = f.ask("canvas");
    if (heat && canvas) {
      var img = el("image", { x: heat.getAttribute("x"), y: heat.getAttribute("y"), width: heat.getAttribute("width"),
        height: heat.getAttribute("height"), preserveAspectRatio: "none",
        "image-rendering": "pixelated", href: canvas.toDataURL("image/png") });
      if (heat.hasAttribute("filter")) img.setAttribute("filter", heat.getAttribute("filter"));
      heat.parentNode.replaceChild(img, heat);
    }
    var vb = src.viewBox.baseVal;
    copy.insertBefore(el("rect", { width: vb.width, height: vb.height, fill: A.plainColour(f.fig, "--attn-bg", "#ffffff") }),
      copy.firstChild);
    var title = el("title", {});
    title.textContent = (f.fig.querySelector(".attn-title, .attn-name") || {}).textContent || "Attention";
    copy.insertBefore(title, copy.firstChild);
    ["role", "aria-labelledby", "class"].forEach(function (a) { copy.removeAttribute(a); });
    return { text: new XMLSerializer().serializeToString(copy), width: vb.width, height: vb.height };
  }

  function download(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 10000);
  }

  A.part("export", {
    save: function (f, format) {
      var out = standalone(f);
      var name = f.fig.id + "." + format;
      var svg = new Blob([out.text], { type: "image/svg+xml" });
      if (format !== "png") return download(svg, name);
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
        if (f.status) f.status.textContent = "The PNG could not be made here (the page's Content-Security-Policy must allow img-src blob:); Save SVG works.";
      };
      img.src = URL.createObjectURL(svg);
    }
  });
})(window.mkdocsAttention);
