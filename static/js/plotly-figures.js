// Draws every plotly figure the server embedded as
//   <script type="application/json" data-plotly-target="ID">{figure JSON}</script>
// into the element with that id, using the locally served plotly.js (window.Plotly).
// A static file, not an inline script, so a strict Content-Security-Policy
// (script-src 'self') can forbid inline code.
(function () {
  "use strict";

  // Figures have transparent backgrounds; their text takes the page's own text colour,
  // so they read in the light and the dark theme alike.
  function themed(layout, element) {
    var colour = window.getComputedStyle(element).color;
    layout.font = Object.assign({}, layout.font || {}, { color: colour });
    return layout;
  }

  function draw(node) {
    var target = document.getElementById(node.getAttribute("data-plotly-target"));
    if (!target || !window.Plotly) return;
    var figure;
    try {
      figure = JSON.parse(node.textContent);
    } catch (error) {
      return;
    }
    var config = Object.assign(
      { responsive: true, displaylogo: false, displayModeBar: false },
      figure.config || {}
    );
    window.Plotly.newPlot(target, figure.data || [], themed(figure.layout || {}, target), config)
      .then(function () { target.setAttribute("data-plotly-drawn", "true"); });
  }

  function drawAll() {
    var nodes = document.querySelectorAll('script[type="application/json"][data-plotly-target]');
    Array.prototype.forEach.call(nodes, draw);
  }

  // Redraw text colours when the theme changes (theme.js follows the device setting).
  function watchTheme() {
    if (!window.MutationObserver) return;
    new MutationObserver(function () {
      var nodes = document.querySelectorAll('script[type="application/json"][data-plotly-target]');
      Array.prototype.forEach.call(nodes, function (node) {
        var target = document.getElementById(node.getAttribute("data-plotly-target"));
        if (target && target.layout && window.Plotly) {
          window.Plotly.relayout(target, { "font.color": window.getComputedStyle(target).color });
        }
      });
    }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-bs-theme"] });
  }

  function start() {
    drawAll();
    watchTheme();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
