/* mkdocs-attention, the head and layer controls: the build's toolbar buttons switch what the
 * figure shows ("All heads" too, one colour each) and show what it shows as pressed. */
(function (A) {
  "use strict";

  /* What a control button switches: "head" or "layer". */
  function kindOf(button) {
    return button.classList.contains("attn-head") ? "head" : "layer";
  }

  /* The state a button's value asks for. */
  function choice(kind, value) {
    if (kind === "layer") return { layer: +value };
    return value === "all" ? { all: true } : { head: +value, all: false };
  }

  A.part("controls", {
    mount: function (f) {
      var buttons = f.fig.querySelectorAll(".attn-head, .attn-layer");
      f.part.controls = { buttons: buttons };
      /* One listener for all of them. */
      f.fig.addEventListener("click", function (e) {
        var b = e.target.closest && e.target.closest(".attn-head, .attn-layer");
        if (!b || !f.fig.contains(b)) return;
        var kind = kindOf(b);
        f.set(choice(kind, b.getAttribute("data-" + kind)));
      });
    },
    shown: function (f) {
      var s = f.s, now = { layer: String(s.layer), head: s.all ? "all" : String(s.head) };
      var buttons = f.part.controls.buttons;
      for (var k = 0; k < buttons.length; k++) {
        var kind = kindOf(buttons[k]);
        buttons[k].setAttribute("aria-pressed", buttons[k].getAttribute("data-" + kind) === now[kind] ? "true" : "false");
      }
      /* Attributes, not classes: a class change on the figure would restyle all of it. */
      f.fig.toggleAttribute("data-attn-all-heads", s.all);
      /* The rollout (the last layer) is one matrix in every head: no head to pick. */
      f.fig.toggleAttribute("data-attn-rollout", !!f.p.rollout && s.layer === f.p.layers.length - 1);
    }
  });
})(window.mkdocsAttention);
