// bakuhub sweep page: while runs are queued or running, read the sweep from the API
// every 3 seconds and update each run's state, progress and place in the queue; when
// the last run has finished, load the page again for the results and charts.
// Without it the page still shows where the runs stood when it was loaded.
(function () {
  "use strict";
  var PERIOD = 3000;
  function cell(row, name) { return row.querySelector("td." + name); }
  function show(root, sweep) {
    sweep.runs.forEach(function (run) {
      var row = root.querySelector('tr[data-job="' + run.job_id + '"]');
      if (!row) { return; }
      var state = cell(row, "state");
      if (state && state.textContent.indexOf(run.state) !== 0) { state.textContent = run.state; }
      var progress = cell(row, "progress");
      if (progress) { progress.textContent = Math.round(run.progress * 100) + " %"; }
      var ahead = cell(row, "ahead");
      if (ahead) { ahead.textContent = run.ahead === null ? "–" : String(run.ahead); }
    });
    var bar = document.getElementById("sweep-progress");
    var percent = document.getElementById("sweep-percent");
    if (bar) { bar.value = sweep.progress; }
    if (percent) { percent.textContent = Math.round(sweep.progress * 100) + " %"; }
  }
  function follow(root) {
    var url = root.getAttribute("data-api");
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .then(function (sweep) {
          if (!sweep) { return; }
          show(root, sweep);
          if (sweep.active) { window.setTimeout(poll, PERIOD); } else { window.location.reload(); }
        })
        .catch(function () { window.setTimeout(poll, PERIOD * 2); });
    }
    window.setTimeout(poll, PERIOD);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var root = document.getElementById("sweep");
    if (root && root.getAttribute("data-active") === "true") { follow(root); }
  });
}());
