/* mkdocs-attention, export: the figure as it is shown (head, layer, pin, edges, labels, the
 * theme's colours) as a standalone SVG, or a PNG of that SVG at twice its size (smaller where a
 * browser's canvas could not hold it). The SVG needs nothing from the page's
 * Content-Security-Policy: it is made in a document of its own, which loads nothing; the PNG is
 * drawn from the SVG loaded as an image, which `img-src` must allow from `blob:`. */
(function (A) {
  "use strict";
  /* Computed styles written as presentation attributes: a strict CSP (style-src without
     'unsafe-inline') refuses style attributes even on a detached copy. */
  var STYLES = ["fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray",
    "stroke-linecap", "opacity", "font-family", "font-size", "font-weight", "paint-order", "flood-color"];
  /* The largest canvas every browser draws: 16,384 px a side (Chromium refuses more than about
     that at 2×), 16,777,216 px in all (iOS Safari's limit). */
  var CANVAS_SIDE = 16384, CANVAS_AREA = 16777216;
  /* What XML 1.0 cannot hold (a page's HTML can): such text is written as U+FFFD. */
  var NOT_XML = /[\uFFFE\uFFFF]/g;

  function standalone(f) {
    var src = f.svg;
    /* A document of its own (no window): nothing in it loads, so the heat map's data: image
       breaks no img-src policy of the page. */
    var doc = document.implementation.createDocument(src.namespaceURI, "svg", null);
    var el = function (name, attrs) {
      var e = doc.createElementNS(src.namespaceURI, name);
      for (var k in attrs) e.setAttribute(k, attrs[k]);
      return e;
    };
    var copy = doc.importNode(src, true);
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
    var text = new XMLSerializer().serializeToString(copy).replace(NOT_XML, "\uFFFD");
    return { text: text, width: vb.width, height: vb.height };
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
      var scale = Math.min(2, CANVAS_SIDE / out.width, CANVAS_SIDE / out.height,
        Math.sqrt(CANVAS_AREA / (out.width * out.height)));
      var blocked = false;
      var onViolation = function (e) { if (/^blob/.test(e.blockedURI)) blocked = true; };
      document.addEventListener("securitypolicyviolation", onViolation);
      var failed = function (why) {
        document.removeEventListener("securitypolicyviolation", onViolation);
        URL.revokeObjectURL(img.src);
        if (f.status) f.status.textContent = "The PNG could not be made here (" + why + "); Save SVG works.";
      };
      var img = new Image();
      img.onload = function () {
        document.removeEventListener("securitypolicyviolation", onViolation);
        var c = document.createElement("canvas");
        c.width = Math.max(1, Math.round(out.width * scale));
        c.height = Math.max(1, Math.round(out.height * scale));
        var ctx = c.getContext("2d");
        if (!ctx) return failed("the browser gave no canvas of " + c.width + " × " + c.height + " px");
        ctx.scale(c.width / out.width, c.height / out.height);
        ctx.drawImage(img, 0, 0, out.width, out.height);
        URL.revokeObjectURL(img.src);
        c.toBlob(function (png) {
          if (png) download(png, name);
          else failed("the browser could not encode " + c.width + " × " + c.height + " px");
        }, "image/png");
      };
      img.onerror = function () {
        /* The violation event may come after the error: a moment's wait tells them apart. */
        setTimeout(function () {
          failed(blocked ? "the page's Content-Security-Policy must allow img-src blob:"
            : "the browser could not draw the figure as an image");
        }, 50);
      };
      img.src = URL.createObjectURL(svg);
    }
  });
})(window.mkdocsAttention);
