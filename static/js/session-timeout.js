// The warning before the idle sign-out (clinic/sessions.py; WCAG 2.2.1 Timing Adjustable).
// The page says how many idle seconds are left and how long before the end to warn
// (data- attributes of the dialog, from the server: the limits live only there). The
// warning is a modal alert dialog with the focus on "Stay signed in", which posts the
// dialog's form (its CSRF token included) in the background: the page, and the answers
// typed on it, stay as they are. If the sign-in has ended anyway, the dialog says so and
// nothing else happens; the next page shows the server's "You were signed out..." message.
// Nothing typed on the page is read or stored. A static file: the CSP forbids inline code.
(function () {
  "use strict";
  var dialog = document.getElementById("session-timeout");
  if (!dialog || !dialog.showModal || !window.fetch || !window.FormData) return;
  var form = document.getElementById("session-timeout-form");
  var stay = document.getElementById("session-timeout-stay");
  var close = document.getElementById("session-timeout-close");
  var warning = dialog.querySelector("[data-session-timeout-warning]");
  var ended = dialog.querySelector("[data-session-timeout-ended]");
  var warnBeforeMs = Number(dialog.getAttribute("data-warning-seconds")) * 1000;
  var timer = null;
  var returnFocus = null;
  var sending = false;

  function schedule(secondsLeft) {
    window.clearTimeout(timer);
    if (typeof secondsLeft !== "number" || !isFinite(secondsLeft)) return; // no idle limit
    timer = window.setTimeout(warn, Math.max(0, secondsLeft * 1000 - warnBeforeMs));
  }

  function show(signedOut) {
    warning.hidden = signedOut;
    stay.hidden = signedOut;
    ended.hidden = !signedOut;
    close.hidden = !signedOut;
  }

  function warn() {
    if (dialog.open) return;
    returnFocus = document.activeElement;
    show(false);
    dialog.showModal();
    stay.focus();
  }

  function dismiss() {
    dialog.close();
    if (returnFocus && returnFocus.focus) returnFocus.focus();
    returnFocus = null;
  }

  function signedOut() {
    show(true);
    close.focus();
  }

  function keepAlive() {
    if (sending) return;
    sending = true;
    window.fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      // Signed out already: the server redirects to the login page; do not follow it.
      redirect: "manual",
    })
      .then(function (response) {
        if (response.status !== 200) throw new Error("not signed in");
        return response.json();
      })
      .then(function (data) {
        dismiss();
        schedule(data.idle_seconds_left);
      })
      .catch(signedOut)
      .then(function () { sending = false; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    keepAlive();
  });
  close.addEventListener("click", dismiss);
  // Escape while warned means "I am here": stay signed in rather than close the warning
  // and be signed out unawares. Once signed out, Escape just closes it.
  dialog.addEventListener("cancel", function (event) {
    if (!stay.hidden) {
      event.preventDefault();
      keepAlive();
    }
  });

  var left = dialog.getAttribute("data-idle-seconds-left");
  schedule(left === null || left === "" ? null : Number(left));
})();
