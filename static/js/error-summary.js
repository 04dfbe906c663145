// Move focus to the error summary after a failed submit, so screen readers announce it
// and keyboard users start from the list of links to the fields. (No inline script: CSP.)
//
// A link in the summary then shows the question whole (a fieldset's legend, a field's
// label, with the hint and error under it) and puts the focus on its control, so the
// keyboard can answer at once. A browser alone would scroll the control itself to the top
// and hide the question above it. Without this script the links still work: a question's
// link goes to its fieldset.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) return;
  summary.focus();

  var CONTROLS = "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])";

  function controlIn(target) {
    if (target.matches(CONTROLS)) return target;
    return target.querySelector("input:checked:not([disabled])") || target.querySelector(CONTROLS);
  }

  function questionOf(target, control) {
    if (target !== control) return target; // a fieldset or group: it starts with its legend
    var group = control.closest("fieldset");
    var name = control.name && '[name="' + CSS.escape(control.name) + '"]';
    if (group && name && group.querySelectorAll(name).length > 1) return group; // radios, toggles
    return (control.id && document.querySelector('label[for="' + control.id + '"]')) || control;
  }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    // Targets that take the focus themselves (tabindex="-1") keep the browser's behaviour.
    if (!target || target.hasAttribute("tabindex")) return;
    var control = controlIn(target);
    if (!control) return;
    event.preventDefault();
    questionOf(target, control).scrollIntoView({ block: "start" });
    control.focus({ preventScroll: true });
  });
})();
