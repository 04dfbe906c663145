// The rating form shows only the chosen scale's subscore fieldset. Without scripts every
// scale's fieldset is shown, each with its legend, and the server checks which apply.
(function () {
  "use strict";

  const scale = document.getElementById("id_scale");
  if (!scale) {
    return;
  }
  const fieldsets = document.querySelectorAll("fieldset[data-scale]");

  function show() {
    fieldsets.forEach(function (fieldset) {
      fieldset.hidden = fieldset.dataset.scale !== scale.value;
    });
  }

  scale.addEventListener("change", show);
  show();
})();
