// Draw the month-by-month chart of crime near a school from the JSON beside it. The table
// beside the chart holds the same figures, so the canvas is hidden from assistive technology.
(function () {
  "use strict";
  if (!window.Chart) return;
  var colours = ["#d4351c", "#912b88", "#f47738", "#1d70b8", "#00703c", "#505a5f", "#28a197", "#ffdd00", "#b58840", "#6f72af", "#003078", "#85994b", "#f499be", "#0b0c0c", "#5694ca", "#a285d1"];
  document.querySelectorAll("canvas[data-local-crime-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-local-crime-chart"));
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (set, index) {
          return { label: set.label, data: set.data, backgroundColor: colours[index % colours.length] };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { position: "bottom" } },
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  });
})();
