// A user whose theme is "auto" gets the device's colour preference, live.
// (A static file, not an inline script, so the Content-Security-Policy can forbid inline code.)
(function () {
  var root = document.documentElement;
  if (root.getAttribute("data-bs-theme") !== "auto") return;
  var query = window.matchMedia("(prefers-color-scheme: dark)");
  function apply() { root.setAttribute("data-bs-theme", query.matches ? "dark" : "light"); }
  apply();
  if (query.addEventListener) query.addEventListener("change", apply);
})();
