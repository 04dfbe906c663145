// The menu's theme button without a page reload: a patient who switches to the dark theme
// half-way through the day's answers keeps them. The form still works without JavaScript
// (it posts and the page reloads); here it posts in the background, asking for JSON.
// A static file, not an inline script, so the Content-Security-Policy can forbid inline code.
(function () {
  "use strict";
  var form = document.getElementById("theme-form");
  if (!form || !window.fetch || !window.FormData) return;
  var root = document.documentElement;
  var query = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function apply(theme) {
    var shown = theme;
    if (theme === "auto") shown = query && query.matches ? "dark" : "light";
    root.setAttribute("data-bs-theme", shown);
  }

  // "auto" follows the device while the page is open, whatever it was when it loaded.
  var current = null;
  if (query && query.addEventListener) {
    query.addEventListener("change", function () { if (current === "auto") apply("auto"); });
  }

  function show(theme, label) {
    var short = form.querySelector("[data-theme-short]");
    var long = form.querySelector("[data-theme-long]");
    if (short) short.textContent = theme === "auto" ? "auto" : label.toLowerCase();
    if (long) long.textContent = label.toLowerCase();
    var status = document.getElementById("theme-status");
    if (status) status.textContent = "Theme: " + label + ".";
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) throw new Error("theme not saved");
        return response.json();
      })
      .then(function (data) {
        current = data.theme;
        apply(data.theme);
        show(data.theme, data.label);
      })
      .catch(function () { form.submit(); });
  });
})();
