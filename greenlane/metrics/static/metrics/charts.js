// Renders the server-generated Vega-Lite specs (json_script blocks) with vega-embed, without eval:
// the site's CSP forbids it, so expressions go through the vega-interpreter.
(function () {
  "use strict";
  function render(el) {
    var block = document.getElementById(el.getAttribute("data-spec"));
    if (!block || typeof vegaEmbed === "undefined") { return; }
    var spec = JSON.parse(block.textContent);
    var options = { actions: false, renderer: "svg" };
    if (typeof vega !== "undefined" && vega.expressionInterpreter) {
      options.ast = true;
      options.expr = vega.expressionInterpreter;
    }
    vegaEmbed(el, spec, options).catch(function () {
      el.textContent = el.getAttribute("aria-label") || "";
    });
  }
  function start() {
    var nodes = document.querySelectorAll("[data-spec]");
    for (var i = 0; i < nodes.length; i++) { render(nodes[i]); }
    var job = document.querySelector("[data-export-pending]");
    if (job) { window.setTimeout(function () { window.location.reload(); }, 2000); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
