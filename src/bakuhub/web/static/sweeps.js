// bakuhub sweep page: while runs are queued or running, read the sweep from the API
// every 3 seconds and update each run's state, progress and place in the queue; when
// the last run has finished, load the page again for the results and charts.
// Without it the page still shows where the runs stood when it was loaded.
// Its words come from the page (data-states, data-from-store: in the reader's
// language) and its numbers are written as the page's language writes them.
(function () {
  "use strict";
  var PERIOD = 3000;
  function cell(row, name) { return row.querySelector("td." + name); }
  function words(root) {
    var states = {};
    try { states = JSON.parse(root.getAttribute("data-states") || "{}"); } catch (e) { states = {}; }
    return { states: states, fromStore: root.getAttribute("data-from-store") || "" };
  }
  function formats() {
    var lang = document.documentElement.lang || undefined;
    try {
      return {
        percent: new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 0 }),
        count: new Intl.NumberFormat(lang)
      };
    } catch (e) {
      return { percent: new Intl.NumberFormat(undefined, { style: "percent" }), count: new Intl.NumberFormat() };
    }
  }
  function show(root, sweep, said, format) {
    sweep.runs.forEach(function (run) {
      var row = root.querySelector('tr[data-job="' + run.job_id + '"]');
      if (!row) { return; }
      var state = cell(row, "state");
      var name = said.states[run.state] || run.state;
      if (state && state.textContent.indexOf(name) !== 0) {
        state.textContent = run.cached && said.fromStore ? name + " " + said.fromStore : name;
      }
      var progress = cell(row, "progress");
      if (progress) { progress.textContent = format.percent.format(run.progress); }
      var ahead = cell(row, "ahead");
      if (ahead) { ahead.textContent = run.ahead === null ? "–" : format.count.format(run.ahead); }
    });
    var bar = document.getElementById("sweep-progress");
    var percent = document.getElementById("sweep-percent");
    if (bar) { bar.value = sweep.progress; }
    if (percent) { percent.textContent = format.percent.format(sweep.progress); }
  }
  function follow(root) {
    var url = root.getAttribute("data-api");
    var said = words(root);
    var format = formats();
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (answer) { return answer.ok ? answer.json() : null; })
        .then(function (sweep) {
          if (!sweep) { return; }
          show(root, sweep, said, format);
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
