/* mkdocs-attention, synced figures (`sync: NAME`): what a reader does in one figure (hover, pin,
 * head, layer, direction, a value-norm figure's weighting) the page's other figures of that name
 * do too, as far as they have that token or control. */
(function (A) {
  "use strict";
  /* `change` as far as figure `w` has it: a token or key it has (else none), a layer or head it
     has (with or without a button for it), "All heads" where the build gave it that button (not
     in the matrix view), a direction where it has one (not in cross-attention), a weighting
     where it has value norms. */
  function fit(w, change) {
    var out = {}, p = w.p;
    for (var k in change) {
      var v = change[k];
      if (k === "hover" || k === "pin") out[k] = v && v.i < (v.key ? w.nk : w.n) ? v : null;
      else if (k === "layer" || k === "head") {
        if (v < (k === "layer" ? p.layers : p.heads).length) out[k] = v;
      } else if (k === "all") {
        if (!v || w.fig.querySelector('.attn-head[data-head="all"]')) out.all = v;
      } else if (k === "dir") {
        if (!p.key_tokens) out.dir = v;
      } else if (k === "weighting") {
        if (v && p.weighting && p.weighting.norms) out.weighting = v;
      } else out[k] = v;
    }
    return out;
  }

  /* Set while a change is passed on, so that it does not come back. */
  var echo = false;

  /* The page's other started figures of `f`'s sync name. */
  function peers(f) {
    return A.figures().filter(function (w) { return w !== f && w.p.sync === f.p.sync; });
  }

  A.part("sync", {
    /* A figure that mounts after its peers (its parts came later, or the page was drawn again)
       takes what they show: a link followed by one of them holds for all. */
    mount: function (f) {
      var peer = peers(f)[0];
      if (!peer) return;
      var s = peer.s;
      echo = true;
      try {
        f.set(fit(f, { pin: s.pin, tapped: false, layer: s.layer, head: s.head, all: s.all, dir: s.dir,
          weighting: s.weighting }));
      } finally {
        echo = false;
      }
    },
    changed: function (f, was) {
      if (echo) return;
      var change = {};
      for (var k in was) if (k !== "tapped") change[k] = f.s[k];
      if ("pin" in change) change.tapped = false;
      echo = true;
      try {
        peers(f).forEach(function (w) { w.set(fit(w, change), !!was.hover && !was.pin); });
      } finally {
        echo = false;
      }
    }
  });
})(window.mkdocsAttention);
