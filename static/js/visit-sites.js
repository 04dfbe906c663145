// The site rows of the injection-visit form: add and remove rows in the page and keep the
// totals per body region and for the visit up to date. Without scripts the same buttons
// submit the form and the server adds or removes the row, keeping every typed value.
// Enter in a row's units or points moves on to the next field (a row is added after the
// last) instead of saving the visit half entered.
// Units are the visit's one product's units; nothing here converts between products.
// The dilution pre-filled from the last visit is in that visit's product's units too:
// choosing another product clears it (the server does the same on "start from the last
// visit"), and choosing that product again brings it back into an empty field. Units that
// "start from the last visit" copied (the hidden copied_units_product names their product)
// are cleared the same way when another product is chosen, and come back with it; a copied
// value already edited is kept, and then the server asks once to check the rows.
(function () {
  "use strict";

  const form = document.getElementById("visit-form");
  if (!form) {
    return;
  }
  const body = document.getElementById("site-rows-body");
  const template = document.getElementById("site-row-template");
  const totalForms = form.querySelector('input[name="sites-TOTAL_FORMS"]');
  const maxForms = form.querySelector('input[name="sites-MAX_NUM_FORMS"]');
  const product = document.getElementById("id_product");
  const brandsScript = document.getElementById("product-brands");
  const brands = brandsScript ? JSON.parse(brandsScript.textContent) : {};
  const PREFIX = /sites-(\d+|__prefix__)-/g;
  const ATTRIBUTES = ["name", "id", "for", "aria-describedby"];

  function rows() {
    return Array.from(body.querySelectorAll("[data-site-row]"));
  }

  function renumber() {
    rows().forEach(function (row, index) {
      row.querySelectorAll("[name], [id], [for], [aria-describedby]").forEach(function (el) {
        ATTRIBUTES.forEach(function (attribute) {
          const value = el.getAttribute(attribute);
          if (value) {
            el.setAttribute(attribute, value.replace(PREFIX, "sites-" + index + "-"));
          }
        });
      });
      row.querySelectorAll(".row-number").forEach(function (el) {
        el.textContent = String(index + 1);
      });
      const remove = row.querySelector("[data-site-remove]");
      if (remove) {
        remove.value = String(index);
      }
    });
    totalForms.value = String(rows().length);
  }

  function appendRow() {
    body.appendChild(template.content.cloneNode(true));
    renumber();
    return rows()[rows().length - 1];
  }

  function addRow() {
    if (maxForms && rows().length >= Number(maxForms.value)) {
      return;
    }
    const row = appendRow();
    row.querySelector("select").focus();
    updateTotals();
  }

  function removeRow(row) {
    const index = rows().indexOf(row);
    row.remove();
    if (rows().length === 0) {
      appendRow();
    }
    renumber();
    const next = rows()[Math.min(index, rows().length - 1)];
    next.querySelector("select").focus();
    updateTotals();
  }

  function formatUnits(value) {
    return String(Math.round(value * 100) / 100);
  }

  function cell(tag, text) {
    const el = document.createElement(tag);
    el.textContent = text;
    return el;
  }

  function updateTotals() {
    const byRegion = new Map();
    let sum = 0;
    rows().forEach(function (row) {
      const muscle = row.querySelector("select[name$='-muscle']");
      const units = row.querySelector("input[name$='-units']");
      const option = muscle ? muscle.selectedOptions[0] : null;
      const value = units ? Number(units.value.replace(",", ".")) : NaN;
      if (!option || !option.value || !(value > 0)) {
        return;
      }
      const group = option.parentElement;
      const region = group && group.tagName === "OPTGROUP" ? group.label : "";
      byRegion.set(region, (byRegion.get(region) || 0) + value);
      sum += value;
    });
    const brand = product ? brands[product.value] || "" : "";
    const tbody = document.getElementById("region-totals");
    tbody.replaceChildren();
    byRegion.forEach(function (value, region) {
      const tr = document.createElement("tr");
      const th = cell("th", region);
      th.scope = "row";
      tr.append(th, cell("td", formatUnits(value) + " U " + brand));
      tbody.append(tr);
    });
    document.getElementById("visit-total").textContent = formatUnits(sum) + " U " + brand;
    form.querySelectorAll(".units-product").forEach(function (el) {
      el.textContent = brand ? "(" + brand + ")" : "";
    });
  }

  form.addEventListener("click", function (event) {
    const add = event.target.closest("[data-site-add]");
    if (add) {
      event.preventDefault();
      addRow();
      return;
    }
    const remove = event.target.closest("[data-site-remove]");
    if (remove) {
      event.preventDefault();
      removeRow(remove.closest("[data-site-row]"));
    }
  });
  // Enter in a row's units or points is "next", never "save the visit" (the form's
  // default button): units, then points, then the next row's muscle, adding a row after
  // the last. A visit saved with half its rows would need a correction. Enter in the
  // visit's own fields still saves; without scripts it saves everywhere.
  function nextFieldOnEnter(event) {
    const field = event.target;
    if (event.key !== "Enter" || event.isComposing || field.tagName !== "INPUT") {
      return;
    }
    const row = field.closest("[data-site-row]");
    if (!row) {
      return;
    }
    event.preventDefault();
    if (field.name.endsWith("-units")) {
      row.querySelector("input[name$='-points']").focus();
      return;
    }
    const next = row.nextElementSibling;
    if (next && next.matches("[data-site-row]")) {
      next.querySelector("select").focus();
    } else {
      addRow();
    }
  }

  body.addEventListener("keydown", nextFieldOnEnter);
  body.addEventListener("input", updateTotals);
  body.addEventListener("change", updateTotals);
  const dilution = document.getElementById("id_dilution_units_per_ml");
  const lastProduct = form.dataset.lastProduct || "";
  const lastDilution = form.dataset.lastDilution || "";

  function sameAmount(text, stored) {
    const value = Number(String(text).trim().replace(",", "."));
    return text.trim() !== "" && value === Number(stored);
  }

  function keepDilutionWithItsProduct() {
    if (!dilution || !lastProduct || !lastDilution) {
      return;
    }
    if (product.value === lastProduct) {
      if (dilution.value.trim() === "") {
        dilution.value = lastDilution;
      }
    } else if (sameAmount(dilution.value, lastDilution)) {
      dilution.value = "";
    }
  }

  const copied = document.getElementById("id_copied_units_product");
  const copiedProduct = copied ? copied.value : "";
  const note = document.getElementById("copied-units-note");

  function unitInputs() {
    return Array.from(body.querySelectorAll("input[name$='-units']"));
  }

  if (copiedProduct) {
    unitInputs().forEach(function (input) {
      input.dataset.copiedUnits = input.value;
    });
  }

  function keepCopiedUnitsWithTheirProduct() {
    if (!copiedProduct) {
      return;
    }
    const copies = unitInputs().filter(function (input) {
      return input.dataset.copiedUnits !== undefined && input.dataset.copiedUnits !== "";
    });
    const from = brands[copiedProduct] || "the last visit's product";
    if (product.value === copiedProduct) {
      copies.forEach(function (input) {
        if (input.value.trim() === "") {
          input.value = input.dataset.copiedUnits;
        }
      });
      copied.value = copiedProduct;
      note.textContent = "The units copied from the last visit (" + from + ") are back.";
    } else {
      copies.forEach(function (input) {
        if (input.value === input.dataset.copiedUnits) {
          input.value = "";
        }
      });
      const edited = copies.some(function (input) {
        return input.value.trim() !== "";
      });
      copied.value = edited ? copiedProduct : "";
      note.textContent =
        "The units copied from the last visit were " + from + " units and were cleared: " +
        "units of different products are not interchangeable. Enter the units of " +
        (brands[product.value] || "the chosen product") + ".";
    }
    updateTotals();
  }

  if (product) {
    product.addEventListener("change", keepDilutionWithItsProduct);
    product.addEventListener("change", keepCopiedUnitsWithTheirProduct);
    product.addEventListener("change", updateTotals);
  }
})();
