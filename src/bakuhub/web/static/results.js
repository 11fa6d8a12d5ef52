// Results forms: add disaggregation rows, select every period to review.
// The forms work without it (two blank rows are always offered; ticking one by one).
(function () {
  "use strict";
  function addRows() {
    var button = document.getElementById("add-row");
    var rows = document.getElementById("rows");
    if (!button || !rows) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var all = rows.querySelectorAll(".drow");
      var last = all[all.length - 1];
      var next = Number(last.getAttribute("data-row")) + 1;
      var copy = last.cloneNode(true);
      copy.setAttribute("data-row", String(next));
      copy.classList.remove("has-error");
      copy.querySelectorAll(".error").forEach(function (el) { el.remove(); });
      copy.querySelectorAll("[id]").forEach(function (el) {
        el.id = el.id.replace(/-\d+$/, "-" + next);
        if (el.name) { el.name = el.name.replace(/-\d+$/, "-" + next); }
        if (el.tagName === "INPUT") { el.value = ""; }
        el.removeAttribute("aria-invalid");
        el.removeAttribute("aria-describedby");
      });
      copy.querySelectorAll("label[for]").forEach(function (el) {
        el.htmlFor = el.htmlFor.replace(/-\d+$/, "-" + next);
      });
      rows.appendChild(copy);
      var first = copy.querySelector("select, input");
      if (first) { first.focus(); }
    });
  }
  function tickAll() {
    var button = document.getElementById("tick-all");
    if (!button) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var boxes = document.querySelectorAll("input[name='period']");
      var every = Array.prototype.every.call(boxes, function (b) { return b.checked; });
      boxes.forEach(function (b) { b.checked = !every; });
      button.textContent = every ? "Select all" : "Select none";
    });
  }
  addRows();
  tickAll();
}());
