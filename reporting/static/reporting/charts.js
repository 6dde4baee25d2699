// Draw each dashboard chart from the JSON beside it. The table under every chart holds
// the same figures, so the canvas is hidden from assistive technology.
(function () {
  "use strict";
  if (!window.Chart) return;
  // GOV.UK Design System colours, in an order that keeps neighbours distinct.
  var colours = ["#00703c", "#ffdd00", "#d4351c", "#1d70b8", "#505a5f", "#912b88", "#f47738", "#28a197"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    var stacked = spec.type === "stacked";
    var doughnut = spec.type === "doughnut";
    var datasets = spec.datasets.map(function (set, index) {
      return {
        label: set.label,
        data: set.data,
        // A colour that carries meaning (a risk, a tier) comes with the figures, from the
        // same mapping as the tags; otherwise the palette below.
        backgroundColor: set.colour || (doughnut ? colours.slice(0, set.data.length) : colours[index % colours.length]),
      };
    });
    new window.Chart(canvas, {
      type: doughnut ? "doughnut" : "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: doughnut ? undefined : "y",
        plugins: { legend: { display: doughnut || datasets.length > 1, position: "bottom" } },
        scales: doughnut ? {} : { x: { stacked: stacked, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked: stacked } },
      },
    });
  });
})();
