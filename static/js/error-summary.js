// Move focus to the error summary after a failed submit, so screen readers announce it
// and keyboard users start from the list of links to the fields. (No inline script: CSP.)
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
