// The warning before a sign-out (clinic/sessions.py; WCAG 2.2.1 Timing Adjustable).
// The page says how many seconds are left until the next sign-out, whether that is the
// absolute limit (then nothing can extend it), and how long before the end to warn (data-
// attributes of the dialog, from the server: the limits live only there). The countdown
// runs against the wall clock, so a phone that slept or a page restored from the
// back/forward cache warns at once when it is due.
// The warning is a modal alert dialog with the focus on "Stay signed in", which posts the
// dialog's form (its CSRF token included) in the background: the page, and the answers
// typed on it, stay as they are. A login redirect means the sign-in has ended anyway: the
// dialog says so; any other failure (offline) says the clinic could not be reached, and
// "Stay signed in" can be tried again. Nothing typed on the page is read or stored.
// Tabs of the site share the countdown: a tab that learns a new deadline (its page loaded,
// or "Stay signed in" was answered) tells the others, which adopt it when it is later than
// their own (activity only moves the sign-out later) and close a warning it makes early.
// The message holds the deadline (ms since the epoch) and whether it is final, nothing
// else: BroadcastChannel, or where a browser has none, the storage event of localStorage.
// A tab never says "signed out" on its own clock: only the server's answer to "Stay signed
// in" does (a request that merely asked would itself count as activity and extend the
// sign-in, see SessionPolicyMiddleware).
// A static file: the CSP forbids inline code.
(function () {
  "use strict";
  var dialog = document.getElementById("session-timeout");
  if (!dialog || !dialog.showModal || !window.fetch || !window.FormData) return;
  var form = document.getElementById("session-timeout-form");
  var stay = document.getElementById("session-timeout-stay");
  var close = document.getElementById("session-timeout-close");
  var texts = {
    warning: dialog.querySelector("[data-session-timeout-warning]"),
    final: dialog.querySelector("[data-session-timeout-final]"),
    ended: dialog.querySelector("[data-session-timeout-ended]"),
    unreachable: dialog.querySelector("[data-session-timeout-unreachable]"),
  };
  var warnBeforeMs = Number(dialog.getAttribute("data-warning-seconds")) * 1000;
  var CHANNEL = "clinic-session-timeout"; // the channel's name, and the storage key
  var deadline = null; // wall-clock time (ms) of the next sign-out; null: none to warn about
  var warnAt = null; // wall-clock time (ms) of the warning
  var final = false;
  var ended = false; // the server said this tab is signed out: nothing more to count
  var timer = null;
  var returnFocus = null;
  var sending = false;

  // The server's numbers (the page's, or the answer to "Stay signed in"): this tab's own,
  // and the other tabs'.
  function schedule(secondsLeft, isFinal) {
    if (typeof secondsLeft !== "number" || !isFinite(secondsLeft)) {
      window.clearTimeout(timer);
      deadline = warnAt = null; // no idle limit
      return;
    }
    adopt(Date.now() + secondsLeft * 1000, isFinal);
    share();
  }

  function adopt(newDeadline, isFinal) {
    deadline = newDeadline;
    final = isFinal;
    warnAt = deadline - warnBeforeMs;
    check();
  }

  // Another tab's deadline. An earlier one is old news (or rounding): ignored. A warning
  // shown here closes when the new deadline puts it off, unless the server has already
  // said this tab is signed out.
  function heard(message) {
    if (!message || typeof message.deadline !== "number" || !isFinite(message.deadline)) return;
    if (ended || (deadline !== null && message.deadline <= deadline)) return;
    deadline = message.deadline;
    final = message.final === true;
    warnAt = deadline - warnBeforeMs;
    if (dialog.open && Date.now() < warnAt) dismiss();
    check();
  }

  var channel = null;
  if (window.BroadcastChannel) {
    channel = new window.BroadcastChannel(CHANNEL);
    channel.onmessage = function (event) {
      heard(event.data);
    };
  } else {
    window.addEventListener("storage", function (event) {
      if (event.key !== CHANNEL || !event.newValue) return;
      try {
        heard(JSON.parse(event.newValue));
      } catch (error) {
        // not ours to read: ignored
      }
    });
  }

  function share() {
    var message = { deadline: deadline, final: final };
    try {
      if (channel) channel.postMessage(message);
      else window.localStorage.setItem(CHANNEL, JSON.stringify(message));
    } catch (error) {
      // Storage refused (private mode, full): this tab still counts down on its own.
    }
  }

  // Warn when due; else wait (again) for the time left. Timers may run late or not at all
  // while the page sleeps, so the wall clock decides.
  function check() {
    window.clearTimeout(timer);
    if (warnAt === null || ended || dialog.open) return;
    var wait = warnAt - Date.now();
    if (wait <= 0) warn();
    else timer = window.setTimeout(check, wait);
  }

  function show(which) {
    Object.keys(texts).forEach(function (key) {
      texts[key].hidden = key !== which;
    });
    stay.hidden = which === "final" || which === "ended";
    close.hidden = which === "warning";
  }

  function warn() {
    returnFocus = document.activeElement;
    show(final ? "final" : "warning");
    dialog.showModal();
    (final ? close : stay).focus();
  }

  function dismiss() {
    dialog.close();
    if (returnFocus && returnFocus.focus) returnFocus.focus();
    returnFocus = null;
  }

  // The new text takes the focus, so a screen reader reads it out.
  function tell(which) {
    if (which === "ended") ended = true;
    show(which);
    texts[which].focus();
  }

  function keepAlive() {
    if (sending) return;
    sending = true;
    window
      .fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        // Signed out already: the server redirects to the login page; do not follow it.
        redirect: "manual",
      })
      .then(
        function (response) {
          if (response.type === "opaqueredirect") return tell("ended");
          if (response.status !== 200) return tell("unreachable");
          return response.json().then(function (data) {
            dismiss();
            schedule(data.seconds_left, data.final);
          });
        },
        function () {
          tell("unreachable");
        }
      )
      .then(function () {
        sending = false;
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    keepAlive();
  });
  close.addEventListener("click", dismiss);
  // Escape while warned means "I am here": stay signed in rather than close the warning
  // and be signed out unawares. Otherwise (final, signed out) Escape just closes it.
  dialog.addEventListener("cancel", function (event) {
    if (!stay.hidden) {
      event.preventDefault();
      keepAlive();
    }
  });
  document.addEventListener("visibilitychange", check);
  window.addEventListener("pageshow", check);

  var left = dialog.getAttribute("data-seconds-left");
  schedule(
    left === null || left === "" ? null : Number(left),
    dialog.getAttribute("data-final") === "true"
  );
})();
