// Draws every plotly figure the server embedded as
//   <script type="application/json" data-plotly-target="ID">{figure JSON}</script>
// into the element with that id, using the locally served plotly.js (window.Plotly).
// A figure written with Django's json_script ({{ fig|json_script:"NAME" }}) is drawn into
// the element that names it: <div data-figure="NAME"></div>.
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

  // Each figure as [data element, target element]: both ways of embedding one.
  function pairs() {
    var found = [];
    var nodes = document.querySelectorAll('script[type="application/json"][data-plotly-target]');
    Array.prototype.forEach.call(nodes, function (node) {
      found.push([node, document.getElementById(node.getAttribute("data-plotly-target"))]);
    });
    Array.prototype.forEach.call(document.querySelectorAll("[data-figure]"), function (target) {
      found.push([document.getElementById(target.getAttribute("data-figure")), target]);
    });
    return found;
  }

  function draw(node, target) {
    if (!node || !target || !window.Plotly) return;
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
      .then(function () {
        hideDrawing(target);
        target.setAttribute("data-plotly-drawn", "true");
      });
  }

  // A chart is one image (role="img", named by its heading, described by its caption and
  // the text beside it): the SVG plotly draws inside it, whose tick labels and legend
  // screen readers would otherwise read as stray images and text, is hidden from them.
  function hideDrawing(target) {
    if (target.getAttribute("role") !== "img") return;
    Array.prototype.forEach.call(target.children, function (child) {
      child.setAttribute("aria-hidden", "true");
    });
  }

  function drawAll() {
    pairs().forEach(function (pair) { draw(pair[0], pair[1]); });
  }

  // Redraw text colours when the theme changes (theme.js follows the device setting).
  function watchTheme() {
    if (!window.MutationObserver) return;
    new MutationObserver(function () {
      pairs().forEach(function (pair) {
        var target = pair[1];
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
