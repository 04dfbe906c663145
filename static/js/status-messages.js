// The messages after an action ("Saved your diary for ...", base.html) come with the page
// that follows it, inside a live region (role="status"). Screen readers announce what
// changes in a live region, not what it held when the page loaded: so the messages leave
// the region as soon as it is parsed, and come back a moment later, once the screen reader
// has met the region empty. Their place is kept meanwhile, so nothing on the page moves,
// and the focus stays where it is (an error summary, a field with autofocus). Without
// this script the messages are simply on the page. A static file: the CSP forbids inline
// code.
(function () {
  "use strict";
  var RETURN_AFTER_MS = 500;
  var region = document.getElementById("messages");
  if (!region || !region.firstElementChild) return;
  var items = Array.prototype.slice.call(region.children);
  region.style.minHeight = region.offsetHeight + "px";
  items.forEach(function (item) {
    region.removeChild(item);
  });
  window.setTimeout(function () {
    items.forEach(function (item) {
      region.appendChild(item);
    });
    region.style.minHeight = "";
  }, RETURN_AFTER_MS);
})();
