/* Draws the contributor board, cycle-time and report charts (<canvas data-board-chart="…">)
   from the JSON island each names, with the vendored Chart.js: bars may be stacked or
   horizontal; the value axis starts at zero and is titled with the unit. */
(function () {
  "use strict";
  window.stewardBoardCharts = [];
  var palette = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4d7c0f", "#be185d"];
  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.boardChart);
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    data.datasets.forEach(function (dataset, index) {
      var color = palette[index % palette.length];
      dataset.borderColor = color;
      dataset.backgroundColor = data.type === "bar" ? color + "cc" : color;
      dataset.tension = 0;
    });
    var value = { beginAtZero: true, stacked: !!data.stacked, title: { display: !!data.unit, text: data.unit || "" } };
    if (data.max) { value.max = data.max; }
    var category = { stacked: !!data.stacked };
    var scales = data.horizontal ? { x: value, y: category } : { x: category, y: value };
    var chart = new Chart(canvas, {
      type: data.type || "bar",
      data: { labels: data.labels, datasets: data.datasets },
      options: {
        indexAxis: data.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: scales,
        plugins: { legend: { display: data.datasets.length > 1, position: "bottom" } }
      }
    });
    window.stewardBoardCharts.push(chart);
  }
  document.querySelectorAll("canvas[data-board-chart]").forEach(draw);
})();
