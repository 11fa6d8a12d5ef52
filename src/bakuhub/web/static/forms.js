// Record forms: add and remove repeatable rows, and bring the error summary into view.
// Without it the forms still work: a few empty rows are sent, empty ones are skipped.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  function blank(row) {
    var filled = false;
    row.querySelectorAll("input").forEach(function (el) { if (el.value.trim() !== "") { filled = true; } });
    row.querySelectorAll("select").forEach(function (el) {
      if (el.options.length && el.options[0].value === "" && el.value !== "") { filled = true; }
    });
    return !filled;
  }
  function renumber(fieldset) {
    var name = fieldset.getAttribute("data-rows");
    fieldset.querySelectorAll("[data-row]").forEach(function (row, i) {
      row.querySelectorAll("input, select").forEach(function (el) {
        var parts = el.name.split("-");
        var column = parts[parts.length - 1];
        var key = name + "-" + i + "-" + column;
        var label = row.querySelector("label[for='" + el.id + "']");
        if (label) { label.setAttribute("for", "f-" + key); }
        el.name = key;
        el.id = "f-" + key;
      });
      row.querySelectorAll("[data-row-number]").forEach(function (span) {
        span.textContent = span.textContent.replace(/\d+\)?$/, function (m) {
          return String(i + 1) + (m.slice(-1) === ")" ? ")" : "");
        });
      });
    });
  }
  function addRow(fieldset) {
    var rows = fieldset.querySelectorAll("[data-row]");
    var last = rows[rows.length - 1];
    var copy = last.cloneNode(true);
    copy.querySelectorAll("input").forEach(function (el) { el.value = ""; el.removeAttribute("aria-invalid"); });
    copy.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; el.removeAttribute("aria-invalid"); });
    copy.querySelectorAll(".error").forEach(function (el) { el.remove(); });
    copy.querySelectorAll(".has-error").forEach(function (el) { el.classList.remove("has-error"); });
    copy.querySelectorAll("[aria-describedby]").forEach(function (el) { el.removeAttribute("aria-describedby"); });
    last.parentNode.appendChild(copy);
    renumber(fieldset);
    var first = copy.querySelector("input, select");
    if (first) { first.focus(); }
  }
  function removeRow(fieldset, row) {
    var rows = fieldset.querySelectorAll("[data-row]");
    if (rows.length === 1) {
      row.querySelectorAll("input").forEach(function (el) { el.value = ""; });
      row.querySelectorAll("select").forEach(function (el) { el.selectedIndex = 0; });
    } else {
      row.remove();
    }
    renumber(fieldset);
    var add = fieldset.querySelector("[data-add-row]");
    if (add) { add.focus(); }
  }
  document.querySelectorAll("fieldset[data-rows]").forEach(function (fieldset) {
    var rows = Array.prototype.slice.call(fieldset.querySelectorAll("[data-row]"));
    var empty = rows.filter(blank);
    empty.slice(1).forEach(function (row) { if (fieldset.querySelectorAll("[data-row]").length > 1) { row.remove(); } });
    renumber(fieldset);
    fieldset.querySelectorAll("[data-remove-row], [data-add-row]").forEach(function (b) { b.hidden = false; });
    fieldset.addEventListener("click", function (ev) {
      var target = ev.target.closest("button");
      if (!target) { return; }
      if (target.hasAttribute("data-add-row")) { addRow(fieldset); }
      if (target.hasAttribute("data-remove-row")) { removeRow(fieldset, target.closest("[data-row]")); }
    });
  });
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
