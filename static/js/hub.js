/* Model hub charts: draws every <canvas data-hub-chart="…"> from the JSON island it names, with
   the vendored Chart.js. Two shapes (models_hub/views/hub/charts.py):
   - "line": a metric per version ({labels, datasets: [{label, data}]});
   - "curve": precision (y) against coverage (x) per version, its calibrated threshold a diamond;
     a version's curve and diamond show and hide together from the legend.
   Scores often sit on the 100% edge (a small, easy repository scores 1.0 on every metric), so
   nothing is clipped at the plot's border, and lines that coincide stay visible: each later
   line is drawn wider, beneath the earlier ones, so equal values show as nested stripes (a
   version's curve one pixel wider than the next newer one's). */
(function () {
  "use strict";
  var palette = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4d7c0f", "#be185d"];
  var unitScale = { min: 0, max: 1, ticks: { callback: function (value) { return Math.round(value * 100) + "%"; } } };
  // Room beyond the plot for markers drawn on its 100% edges.
  var edgePadding = { top: 12, right: 12 };
  window.stewardHubCharts = [];

  function lineConfig(data) {
    data.datasets.forEach(function (dataset, index) {
      var color = palette[index % palette.length];
      dataset.borderColor = color;
      dataset.backgroundColor = color;
      dataset.spanGaps = true;
      dataset.tension = 0;  // straight segments: a spline draws values that never happened
      dataset.borderWidth = 2 + 2 * index;
      dataset.pointRadius = 3 + 2 * index;
      dataset.clip = false;
    });
    return {
      type: "line",
      data: { labels: data.labels, datasets: data.datasets },
      options: {
        interaction: { mode: "index", intersect: false },
        layout: { padding: edgePadding },
        scales: { y: { min: 0, max: 1, title: { display: !!data.unit, text: data.unit || "" } } }
      }
    };
  }

  // The curve chart's axes start just below its lowest point (charts.py), not at 0.
  function axisMin(value) {
    return typeof value === "number" ? value : 0;
  }

  function percent(value) {
    return value === null || value === undefined ? "—" : Math.round(value * 100) + "%";
  }

  function curveConfig(data) {
    var datasets = [];
    data.datasets.forEach(function (curve, index) {
      var color = palette[index % palette.length];
      datasets.push({
        // Parsed, not `parsing: false`: Chart.js then takes unparsed data as sorted by x and
        // skips what a binary search over it misses, and a curve runs from high coverage down.
        label: curve.label, group: index, data: curve.points,
        borderColor: color, backgroundColor: color, pointRadius: 2, tension: 0,
        borderWidth: 2 + index, clip: false, hidden: !!curve.hidden, showLine: true
      });
      if (curve.threshold) {
        datasets.push({
          label: curve.label + " threshold " + curve.threshold.threshold, group: index, marker: true,
          data: [curve.threshold], showLine: false, hidden: !!curve.hidden,
          pointStyle: "rectRot", pointRadius: 8, pointHoverRadius: 10, clip: false,
          borderColor: "#111827", borderWidth: 2, backgroundColor: color
        });
      }
    });
    return {
      type: "scatter",
      data: { datasets: datasets },
      options: {
        layout: { padding: edgePadding },
        scales: {
          x: Object.assign({ title: { display: true, text: "Coverage (share of issues labelled)" } }, unitScale, { min: axisMin(data.x_min) }),
          y: Object.assign({ title: { display: true, text: "Precision (share right)" } }, unitScale, { min: axisMin(data.y_min) })
        },
        plugins: {
          legend: {
            labels: { filter: function (item, chart) { return !chart.datasets[item.datasetIndex].marker; } },
            onClick: function (event, item, legend) {
              var chart = legend.chart;
              var group = chart.data.datasets[item.datasetIndex].group;
              var show = !chart.isDatasetVisible(item.datasetIndex);
              chart.data.datasets.forEach(function (dataset, i) {
                if (dataset.group === group) { chart.setDatasetVisibility(i, show); }
              });
              chart.update();
            }
          },
          tooltip: {
            callbacks: {
              label: function (context) {
                var point = context.raw;
                var name = context.dataset.marker ? context.dataset.label : context.dataset.label + " at " + point.threshold;
                return name + ": coverage " + percent(point.x) + ", precision " + percent(point.y);
              }
            }
          }
        }
      }
    };
  }

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.hubChart);
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var config = data.kind === "curve" ? curveConfig(data) : lineConfig(data);
    config.options.responsive = true;
    config.options.maintainAspectRatio = false;
    config.options.animation = false;
    config.options.plugins = Object.assign({ legend: {} }, config.options.plugins);
    config.options.plugins.legend.position = "bottom";
    window.stewardHubCharts.push(new Chart(canvas, config));
    canvas.dataset.drawn = "true";
  }

  document.querySelectorAll("canvas[data-hub-chart]").forEach(draw);
})();
