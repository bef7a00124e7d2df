/* mkdocs-attention, a model writing (`generate`): a step control from "prompt read" through each
 * written token. At step s the model reads token prompt − 1 + s (its new query, pinned), over
 * every token before it (what its key-value cache holds), and predicts the next: the most likely
 * tokens as a bar list, the written one marked. Later tokens are hidden; the matrix shows its
 * rows so far. The payload carries the causal weights as their lower triangle. */
(function (A) {
  "use strict";

  var el = A.htmlEl;

  /* "“text”" of a token, as the step's words quote it. */
  function q(text) {
    return "\u201c" + text + "\u201d";
  }

  /* The steps' numbers at step `s`: the query read, and how many steps there are. */
  function at(f, s) {
    var g = f.p.steps;
    return { query: g.prompt - 1 + s, last: g.top.length - 1 };
  }

  /* What step `s` says: what it reads and writes (or would write, at the end). */
  function words(f, s) {
    var g = f.p.steps, t = f.p.tokens, n = at(f, s), best = g.top[s][0];
    var head = "Step " + s + " of " + n.last + ": ";
    var reads = s === 0 ? "the prompt is read" : "reads " + q(t[n.query]);
    if (s < n.last) return head + reads + ", writes " + q(t[n.query + 1]) + " (" + g.chosen[s].toFixed(3) + ").";
    return head + reads + "; it would write " + q(best[0]) + " next (" + best[1].toFixed(3) + ") but stops here.";
  }

  /* The key-value cache at step `s`: every token read so far. */
  function cache(f, s) {
    var held = at(f, s).query + 1;
    return "Each layer's cache now holds the keys and values of " + held + " token" + (held === 1 ? "" : "s") +
      (s === 0 ? ", the prompt's" : ", the prompt's and those written") + ".";
  }

  /* The next-token list of step `s`: token, a bar as long as its probability, the number; the
     written token marked in words as well as style. */
  function next(f, s) {
    var g = f.p.steps, m = f.part.steps, n = at(f, s);
    var written = s < n.last ? f.p.tokens[n.query + 1] : null;
    var items = document.createDocumentFragment(), listed = false;
    var add = function (token, p, chosen) {
      var li = el("li", "attn-next" + (chosen ? " attn-next-chosen" : ""));
      li.appendChild(el("span", "attn-next-token", token));
      var bar = li.appendChild(el("span", "attn-next-bar"));
      bar.style.setProperty("--attn-p", String(p));
      li.appendChild(el("span", "attn-next-p", p.toFixed(3) + (chosen ? " \u2713 written" : "")));
      items.appendChild(li);
    };
    g.top[s].forEach(function (pair) {
      var chosen = !listed && pair[0] === written;
      if (chosen) listed = true;
      add(pair[0], pair[1], chosen);
    });
    /* A sampled token outside the most likely few. */
    if (written !== null && !listed) add(written, g.chosen[s], true);
    m.bars.replaceChildren(items);
  }

  /* The score list's and the labels' entries of tokens not yet read are hidden. */
  function unread(f) {
    var query = at(f, f.s.step).query;
    var items = f.list.children, labels = f.labels.children;
    for (var k = 0; k < items.length; k++) items[k].hidden = +items[k].getAttribute("data-index") > query;
    for (var l = 0; l < labels.length; l++) labels[l].classList.toggle("attn-later", +labels[l].getAttribute("data-index") > query);
  }

  /* Tokens after the one being written are hidden; that one is marked; the matrix's later rows
     are veiled. */
  function reveal(f, s) {
    var n = at(f, s), m = f.part.steps, els = m.tokens;
    for (var k = 0; k < els.length; k++) {
      var i = +els[k].getAttribute("data-index");
      els[k].classList.toggle("attn-later", i > n.query + 1);
      els[k].classList.toggle("attn-writing", i === n.query + 1);
    }
    unread(f);
    if (m.veil) {
      var g = f.p.geo, rows = n.query + 1;
      m.veil.setAttribute("y", g.y0 + g.cell * rows);
      m.veil.setAttribute("height", Math.max(0, g.cell * (f.n - rows)));
    }
  }

  function show(f, s) {
    var m = f.part.steps;
    m.range.value = String(s);
    m.range.setAttribute("aria-valuetext", words(f, s));
    m.prev.disabled = s === 0;
    m.next.disabled = s === at(f, s).last;
    m.text.textContent = words(f, s);
    m.cache.textContent = cache(f, s);
    next(f, s);
    reveal(f, s);
  }

  A.part("steps", {
    /* The lower triangle, row by row, back into the square. */
    weights: function (f) {
      var packed = f.w, n = f.n, per = n * (n + 1) / 2, count = packed.length / per;
      var w = new Float64Array(count * n * n);
      for (var m = 0, o = 0; m < count; m++) {
        for (var i = 0; i < n; i++) {
          for (var j = 0; j <= i; j++) w[(m * n + i) * n + j] = packed[o++];
        }
      }
      f.w = w;
    },
    mount: function (f) {
      var last = f.p.steps.top.length - 1;
      var box = f.fig.querySelector(".attn-steps");
      var bar = el("div", "attn-step-bar");
      var m = f.part.steps = {
        prev: bar.appendChild(el("button", "attn-step attn-step-prev", "\u2190 Back")),
        range: bar.appendChild(el("input", "attn-step-range")),
        next: bar.appendChild(el("button", "attn-step attn-step-next", "Next \u2192")),
        text: el("p", "attn-step-text"),
        cache: el("p", "attn-step-cache"),
        bars: el("ol", "attn-next-list"),
        tokens: f.svg.querySelectorAll(".attn-token, .attn-key"),
        veil: null
      };
      m.prev.type = m.next.type = "button";
      m.range.type = "range";
      m.range.min = "0";
      m.range.max = String(last);
      m.range.setAttribute("aria-label", "Step");
      m.bars.setAttribute("aria-label", "What the model finds most likely next");
      box.replaceChildren(bar, m.text, m.cache, m.bars);
      if (f.p.view === "matrix") {
        var g = f.p.geo;
        m.veil = f.svg.querySelector(".attn-heat").insertAdjacentElement("afterend",
          A.svgEl("rect", { "class": "attn-step-veil", x: g.x0, width: g.cell * f.nk, y: 0, height: 0 }));
      }
      var go = function (s) { f.set({ step: Math.max(0, Math.min(last, s)) }); };
      m.range.addEventListener("input", function () { go(+m.range.value); });
      m.prev.addEventListener("click", function () { go(f.s.step - 1); });
      m.next.addEventListener("click", function () { go(f.s.step + 1); });
      f.s.step = last;
      show(f, last);
      /* The core writes the score list (later, after a hover): its unread entries go after. */
      var scores = f.scores;
      f.scores = function (rows, inbound) {
        scores.call(f, rows, inbound);
        unread(f);
      };
    },
    /* A step pins its new query (unless the same change pins another: a link's), and says what
       it reads and writes. */
    changed: function (f, was) {
      if (!was.step) return;
      var last = f.p.steps.top.length - 1, s = f.s.step;
      if (!(s >= 0 && s <= last)) return f.set({ step: Math.max(0, Math.min(last, Math.floor(s) || 0)) });
      if (!was.pin) f.set({ pin: { i: at(f, s).query, key: false }, hover: null });
      show(f, s);
      if (f.status) f.status.textContent = words(f, s);
    }
  });
})(window.mkdocsAttention);
