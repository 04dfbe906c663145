// Today's answers not saved yet: leaving the page by a link or the menu (a patient with a
// tremor slipping onto "Same as yesterday", a day, or Sign out) asks first, with the
// browser's own "Leave site?" question; staying keeps every answer as it was. The page has
// unsaved answers once one is changed, or from the start when it came back with them (an
// error to correct, answers filled in from another day or kept over a sign-out: the form's
// data-unsaved). Saving (the form sent) leaves without asking. Nothing typed is read or
// stored. A static file: the CSP forbids inline code.
(function () {
  "use strict";
  var form = document.getElementById("diary-form");
  if (!form) return;
  var unsaved = form.hasAttribute("data-unsaved");
  function changed() {
    unsaved = true;
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    unsaved = false;
  });
  window.addEventListener("beforeunload", function (event) {
    if (!unsaved) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers ask only when this is set
  });
})();
