// bakuhub finance forms: bring the keyboard to the list of mistakes after a refused
// submission (each entry links to its field). The forms work without it too.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
}());
