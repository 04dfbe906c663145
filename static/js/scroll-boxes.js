// A table wider than the screen scrolls inside its own box, which the templates make a
// keyboard stop (tabindex="0") so the arrow keys can scroll it. A box with nothing to
// scroll (its table fits; History on a phone, where each day is a block) is taken out of
// the Tab order (tabindex="-1"): stopping there did nothing, and a box many screens tall
// jumped the page to its middle. Checked again whenever the box or its table changes size
// (a turned phone, larger text). Without this script every box stays a stop. A static
// file: the CSP forbids inline code.
(function () {
  "use strict";
  var boxes = document.querySelectorAll(".table-responsive[tabindex]");
  if (!boxes.length) return;

  function scrolls(box) {
    return box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
  }

  function update(box) {
    if (scrolls(box)) box.setAttribute("tabindex", "0");
    else if (document.activeElement !== box) box.setAttribute("tabindex", "-1");
  }

  var observer =
    "ResizeObserver" in window
      ? new ResizeObserver(function (entries) {
          entries.forEach(function (entry) {
            update(entry.target.closest(".table-responsive"));
          });
        })
      : null;
  Array.prototype.forEach.call(boxes, function (box) {
    update(box);
    if (!observer) return;
    observer.observe(box);
    if (box.firstElementChild) observer.observe(box.firstElementChild);
  });
})();
