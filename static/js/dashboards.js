/* Draws every <canvas data-chart="…"> from the JSON island it names, with the vendored Chart.js. */
(function () {
  "use strict";
  var palette = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4d7c0f", "#be185d"];
  window.stewardCharts = [];
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    data.datasets.forEach(function (dataset, index) {
      var color = palette[index % palette.length];
      dataset.borderColor = color;
      dataset.backgroundColor = data.type === "bar" ? color + "cc" : color;
      dataset.spanGaps = true;
      dataset.tension = 0;  // straight segments: a spline draws values that never happened
    });
    var chart = new Chart(canvas, {
      type: data.type || "line",
      data: { labels: data.labels, datasets: data.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: { y: { beginAtZero: true, title: { display: !!data.unit, text: data.unit || "" } } },
        plugins: { legend: { position: "bottom" } }
      }
    });
    window.stewardCharts.push(chart);
  }
  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
