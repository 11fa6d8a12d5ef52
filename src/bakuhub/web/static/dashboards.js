// bakuhub dashboards: draw each chart with plotly.js (served by the app, offline),
// keep plotly's own "Download plot as a png" button in view, and add a keyboard-usable
// button that runs the same download (its words come from the page's data-download, in
// the reader's language). The tables give the same figures without it.
(function () {
  "use strict";
  function draw(el) {
    var fig = JSON.parse(el.getAttribute("data-figure"));
    var name = el.getAttribute("data-filename") || "chart";
    var image = { format: "png", filename: name, scale: 2 };
    window.Plotly.newPlot(el, fig.data, fig.layout, {
      responsive: true,
      displaylogo: false,
      displayModeBar: true,
      modeBarButtons: [["toImage"]],
      toImageButtonOptions: image
    });
    var words = el.getAttribute("data-download");
    if (!words) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "dash-download";
    button.textContent = words;
    button.addEventListener("click", function () { window.Plotly.downloadImage(el, image); });
    el.insertAdjacentElement("afterend", button);
  }
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.Plotly) { return; }
    document.querySelectorAll(".dash-chart[data-figure]").forEach(draw);
  });
}());
