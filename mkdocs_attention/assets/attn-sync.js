/* mkdocs-attention, synced figures (`sync: NAME`): what a reader does in one figure (hover, pin,
 * head, layer, direction) the page's other figures of that name do too, as far as they have that
 * token or control. */
(function (A) {
  "use strict";
  /* Set while a change is passed on, so that it does not come back. */
  var echo = false;

  A.part("sync", {
    changed: function (f, was) {
      if (echo) return;
      var change = {};
      for (var k in was) if (k !== "tapped") change[k] = f.s[k];
      if ("pin" in change) change.tapped = false;
      echo = true;
      try {
        var figs = document.querySelectorAll("figure.attn");
        for (var i = 0; i < figs.length; i++) {
          var w = figs[i].attnWidget;
          if (w && w !== f && w.p.sync === f.p.sync) w.set(w.fit(change), !!was.hover && !was.pin);
        }
      } finally {
        echo = false;
      }
    }
  });
})(window.mkdocsAttention);
