// Draw the server-built plotly figures of a page with the locally served plotly.js.
// A figure is a JSON script (Django's json_script) holding {data, layout, config}; it is drawn
// into the element whose data-figure names the script's id, or, for a script marked
// data-plotly, into the element that attribute names (or the script's previous sibling).
// Text colours follow the page's light or dark theme. (No inline script: CSP.)
(function () {
  "use strict";
  if (!window.Plotly) return;

  function themeColours() {
    var style = window.getComputedStyle(document.body);
    return { text: style.color, grid: "rgba(128, 128, 128, 0.3)" };
  }

  function themed(layout) {
    var colours = themeColours();
    var result = Object.assign({}, layout);
    result.font = Object.assign({}, layout.font || {}, { color: colours.text });
    ["xaxis", "yaxis"].forEach(function (axis) {
      result[axis] = Object.assign({ gridcolor: colours.grid, zerolinecolor: colours.grid },
        layout[axis] || {});
    });
    return result;
  }

  var drawn = [];

  function draw(target, script) {
    if (!target || !script) return;
    var figure = JSON.parse(script.textContent);
    var config = Object.assign({ responsive: true, displayModeBar: false }, figure.config || {});
    window.Plotly.newPlot(target, figure.data || [], themed(figure.layout || {}), config);
    drawn.push({ target: target, layout: figure.layout || {} });
  }

  document.querySelectorAll("[data-figure]").forEach(function (target) {
    draw(target, document.getElementById(target.getAttribute("data-figure")));
  });
  document.querySelectorAll('script[type="application/json"][data-plotly]').forEach(function (script) {
    var name = script.getAttribute("data-plotly");
    var target = name ? document.getElementById(name) : script.previousElementSibling;
    draw(target, script);
  });

  // theme.js switches data-bs-theme when the device preference changes: follow it.
  new MutationObserver(function () {
    drawn.forEach(function (item) { window.Plotly.relayout(item.target, themed(item.layout)); });
  }).observe(document.documentElement, { attributes: true, attributeFilter: ["data-bs-theme"] });
})();
