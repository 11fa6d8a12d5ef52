// bakuhub pages: draw the charts offline (plotly.js served by the app) and
// recompute the risk ranking in place. Everything works without it too.
(function () {
  "use strict";
  function fitMap(fig, width) {
    // A map (equal-aspect axes) on a narrow screen: less empty height, smaller circles.
    var layout = fig.layout || {};
    if (!width || width >= 600 || !layout.yaxis || !layout.yaxis.scaleanchor) { return; }
    layout.height = Math.max(240, Math.round(width * 0.75));
    (fig.data || []).forEach(function (trace) {
      if (trace.marker && Array.isArray(trace.marker.size)) {
        trace.marker.size = trace.marker.size.map(function (s) { return Math.max(5, s * 0.6); });
      }
    });
  }
  function draw(root) {
    if (!window.Plotly) { return; }
    root.querySelectorAll(".chart[data-figure]").forEach(function (el) {
      var fig = JSON.parse(el.getAttribute("data-figure"));
      fitMap(fig, el.clientWidth);
      window.Plotly.newPlot(el, fig.data, fig.layout, { responsive: true, displaylogo: false });
      var link = el.getAttribute("data-link");
      var suffix = el.getAttribute("data-link-suffix") || "";
      if (link && el.on) {
        el.on("plotly_click", function (ev) {
          var p = ev.points && ev.points[0];
          if (p && p.customdata) {
            window.location.href = link + encodeURIComponent(p.customdata) + suffix;
          }
        });
      }
    });
  }
  function presetChoice(form) {
    // Another index has other weights (or none): its boxes do nothing here, so they
    // are disabled (and not sent) until Recompute loads that index's own form.
    var select = document.getElementById("preset");
    var note = document.getElementById("preset-note");
    if (!select) { return function () { return false; }; }
    function other() { return select.value !== form.getAttribute("data-preset"); }
    select.addEventListener("change", function () {
      form.querySelectorAll("fieldset.weights input").forEach(function (input) {
        input.disabled = other();
      });
      if (note) { note.hidden = !other(); }
    });
    return other;
  }
  function riskForm() {
    var form = document.getElementById("weights-form");
    var live = document.getElementById("risk-live");
    if (!form || !live) { return; }
    var presetChanged = presetChoice(form);
    form.addEventListener("submit", function (ev) {
      if (presetChanged()) { return; }  // a whole new page: the form changes with the index
      ev.preventDefault();
      var query = new URLSearchParams(new FormData(form)).toString();
      live.setAttribute("aria-busy", "true");
      fetch("/risk/table?" + query, { headers: { "Accept": "text/html" } })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          if (html.indexOf("data-errors=") !== -1) {
            // show each error beside its field: the whole page does that
            window.location.assign("/risk?" + query);
            return;
          }
          live.innerHTML = html;
          live.removeAttribute("aria-busy");
          history.replaceState(null, "", "/risk?" + query);
          draw(live);
        });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); riskForm(); });
}());
