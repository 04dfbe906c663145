// The messages after an action ("Saved your diary for ...", base.html) come with the page
// that follows it, inside a live region (role="status"). Screen readers announce what
// changes in a live region, not what it held when the page loaded: so the messages leave
// the region as soon as it is parsed, and come back a moment later, once the screen reader
// has met the region empty. Their place is kept meanwhile (an empty box of their size), so
// nothing on the page moves, and the focus stays where it is (an error summary, a field
// with autofocus). Without this script the messages are simply on the page. A static
// file: the CSP forbids inline code.
//
// The same for the words marked data-announce in any other status region parsed so far
// (Today's "Filled in from ..." notice, which loads the script right after it): only they
// leave and come back, so a button beside them (the notice's Save) stays where it is.
// Each part is taken out once, however often the script is loaded on a page.
(function () {
  "use strict";
  var RETURN_AFTER_MS = 500;

  function announceLater(region, items) {
    items = items.filter(function (item) {
      return !item.hasAttribute("data-announced");
    });
    if (!items.length) return;
    // Each part leaves an empty box of its size (its classes keep its margins): what
    // follows it, a Save button under a tapping finger, never moves up and back.
    var places = items.map(function (item) {
      item.setAttribute("data-announced", "");
      var place = document.createElement(item.tagName === "P" ? "div" : item.tagName);
      place.className = item.className;
      place.setAttribute("aria-hidden", "true");
      place.style.height = item.getBoundingClientRect().height + "px";
      return place;
    });
    region.style.minHeight = region.offsetHeight + "px";
    items.forEach(function (item, index) {
      item.parentNode.replaceChild(places[index], item);
    });
    window.setTimeout(function () {
      items.forEach(function (item, index) {
        places[index].parentNode.replaceChild(item, places[index]);
      });
      region.style.minHeight = "";
    }, RETURN_AFTER_MS);
  }

  var messages = document.getElementById("messages");
  if (messages) announceLater(messages, Array.prototype.slice.call(messages.children));
  var regions = document.querySelectorAll("[role=status]:not(#messages)");
  Array.prototype.forEach.call(regions, function (region) {
    announceLater(region, Array.prototype.slice.call(region.querySelectorAll("[data-announce]")));
  });
})();
