// bakuhub pages: draw the charts offline (plotly.js served by the app) and
// recompute the risk ranking in place. Everything works without it too.
(function () {
  "use strict";
  function draw(root) {
    if (!window.Plotly) { return; }
    root.querySelectorAll(".chart[data-figure]").forEach(function (el) {
      var fig = JSON.parse(el.getAttribute("data-figure"));
      window.Plotly.newPlot(el, fig.data, fig.layout, { responsive: true, displaylogo: false });
      var link = el.getAttribute("data-link");
      if (link && el.on) {
        el.on("plotly_click", function (ev) {
          var p = ev.points && ev.points[0];
          if (p && p.customdata) { window.location.href = link + encodeURIComponent(p.customdata); }
        });
      }
    });
  }
  function riskForm() {
    var form = document.getElementById("weights-form");
    var live = document.getElementById("risk-live");
    if (!form || !live) { return; }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var query = new URLSearchParams(new FormData(form)).toString();
      live.setAttribute("aria-busy", "true");
      fetch("/risk/table?" + query, { headers: { "Accept": "text/html" } })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          live.innerHTML = html;
          live.removeAttribute("aria-busy");
          history.replaceState(null, "", "/risk?" + query);
          draw(live);
        });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); riskForm(); });
}());
