/* mkdocs-attention, links to a view: "#FIGURE-ID?pin=I&layer=L&head=H", each part optional
 * (`pin`: a token's index or its text; `layer`, `head`: 0-based as the controls' data
 * attributes, "all" for every head; `step`: a model's writing's step; `weighting=attention`: a
 * value-norm figure switched to its attention). A link restores the view, opening the <details> or tab
 * that holds the figure; "Copy link" writes the link of the view shown to the address bar and
 * the clipboard. */
(function (A) {
  "use strict";

  function decode(text) {
    try {
      return decodeURIComponent(text.replace(/\+/g, " "));
    } catch (err) {
      return text;
    }
  }

  /* The state `query` (the fragment after "?") names, as far as the figure has it. */
  function named(f, query) {
    var p = f.p, params = {}, change = {};
    query.split("&").forEach(function (pair) {
      var eq = pair.indexOf("=");
      if (eq > 0) params[decode(pair.slice(0, eq))] = decode(pair.slice(eq + 1));
    });
    var whole = function (value, count) { return /^\d+$/.test(value || "") && +value < count ? +value : -1; };
    var layer = whole(params.layer, p.layers.length), head = whole(params.head, p.heads.length);
    if (layer >= 0) change.layer = layer;
    if (params.head === "all") {
      if (f.fig.querySelector('.attn-head[data-head="all"]')) change.all = true;  /* not in the matrix */
    }
    else if (head >= 0) {
      change.head = head;
      change.all = false;
    }
    if (params.pin !== undefined) {
      var pin = whole(params.pin, f.n);
      if (pin < 0) pin = p.tokens.indexOf(params.pin);
      if (pin >= 0) change.pin = { i: pin, key: false };
    }
    /* A value-norm figure's weighting (what the build shows when the link names none). */
    var w = p.weighting;
    if (w && w.norms && (params.weighting === "attention" || params.weighting === w.shown)) change.weighting = params.weighting;
    /* A model's writing: its step (the last when the link names none). */
    if (p.steps && whole(params.step, p.steps.top.length) >= 0) change.step = +params.step;
    change.tapped = false;
    return change;
  }

  /* The link to what the figure shows: its pinned token (by its text when no other token has
     it), layer and head, each only when it is not the default. */
  function link(f) {
    var p = f.p, s = f.s, parts = [];
    var pin = s.pin && !s.pin.key ? s.pin.i : -1;
    if (pin >= 0) {
      var text = p.tokens[pin];
      var unique = p.tokens.indexOf(text) === pin && p.tokens.lastIndexOf(text) === pin && !/^\d+$/.test(text);
      parts.push("pin=" + encodeURIComponent(unique ? text : String(pin)));
    }
    if (p.steps && s.step < p.steps.top.length - 1) parts.push("step=" + s.step);
    if (s.layer) parts.push("layer=" + s.layer);
    if (s.all) parts.push("head=all");
    else if (s.head) parts.push("head=" + s.head);
    if (p.weighting && p.weighting.norms && s.weighting !== p.weighting.shown) parts.push("weighting=" + s.weighting);
    return "#" + encodeURIComponent(f.fig.id) + (parts.length ? "?" + parts.join("&") : "");
  }

  /* Open what holds the figure: a closed <details>, an unselected content tab (Material's, in
     either style; sphinx-design's and others where a radio input's label comes just before the
     tab's content). */
  function reveal(fig) {
    for (var el = fig.parentElement; el; el = el.parentElement) {
      if (el.tagName === "DETAILS" && !el.open) el.open = true;
      var input = null;
      if (el.classList.contains("tabbed-block")) {
        var set = el.closest(".tabbed-set");
        var blocks = [].filter.call(el.parentElement.children, function (c) { return c.classList.contains("tabbed-block"); });
        var inputs = set ? [].filter.call(set.children, function (c) { return c.tagName === "INPUT"; }) : [];
        input = inputs[blocks.indexOf(el)];
      } else {
        var label = el.previousElementSibling;
        if (label && label.tagName === "LABEL" && label.htmlFor) input = document.getElementById(label.htmlFor);
      }
      if (input && input.type === "radio" && !input.checked) input.click();
    }
  }

  /* The figure "#ID?…" names: `fig` when it is the one just started, else the page's element of
     that id, else a started figure of that id (in a shadow root, getElementById misses it). */
  function target(hash, fig) {
    var id = decode(hash.slice(1, hash.indexOf("?")));
    if (fig) return fig.id === id ? fig : null;
    var found = document.getElementById(id);
    if (found) return found;
    found = A.figures().filter(function (w) { return w.fig.id === id; })[0];
    return found ? found.fig : null;
  }

  A.part("links", {
    /* A link to a view, at load (once each figure starts) or followed on the page. */
    follow: function (hash, fig) {
      var el = target(hash, fig), f = el && el.attnWidget;
      if (!f) return;
      reveal(el);
      f.set(named(f, hash.slice(hash.indexOf("?") + 1)));
      el.scrollIntoView({ block: "start" });
    },
    copy: function (f, button) {
      var hash = link(f);
      var url = location.href.replace(/#.*$/, "") + hash;
      history.replaceState(history.state, "", hash);
      var done = function (copied) {
        button.setAttribute("data-attn-copied", copied ? "yes" : "no");
        if (f.status) f.status.textContent = copied ? "Link copied: " + url : "Copy this link from the address bar: " + url;
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(function () { done(true); }, function () { done(false); });
      } else done(false);
    }
  });
})(window.mkdocsAttention);
