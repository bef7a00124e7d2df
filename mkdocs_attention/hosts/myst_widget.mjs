/* The end of mkdocs-attention's widget as an ES module, for MyST's anywidget nodes (Jupyter
 * Book 2). The module is written by the build (myst_plugin.py): the core and the parts the
 * page's figures use, run once as classic scripts, then STYLE (their style text), then this.
 * The theme imports the module and calls render({model, el}) with el inside a shadow root: the
 * figure's HTML (model "html") and its style go there, and the core mounts the figure. MyST's
 * theme marks dark mode with class "dark" on <html>, which no variable inside the shadow root
 * sees: the figure's root gets "attn-dark" while it is set. */
var mkdocsAttention = window.mkdocsAttention;

function followScheme(el) {
  el.classList.toggle("attn-dark", document.documentElement.classList.contains("dark"));
}

export default {
  render: function (context) {
    var el = context.el;
    var style = document.createElement("style");
    style.textContent = STYLE;
    var holder = document.createElement("div");
    holder.innerHTML = context.model.get("html");
    el.appendChild(style);
    el.appendChild(holder);
    followScheme(el);
    var watch = new MutationObserver(function () { followScheme(el); });
    watch.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
    mkdocsAttention.mount(holder);
    return function () { watch.disconnect(); };
  }
};
