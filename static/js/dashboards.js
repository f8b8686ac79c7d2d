/* Draws every <canvas data-chart="…"> from the JSON island it names, with the vendored Chart.js.

   The payload (analytics/chart_payload.py) gives each dataset its y axis (`yAxisID`, one axis per
   kind of value: counts and durations never share one) and a sentence per point (`points`) that
   the tooltip shows: what the point is, over which items, with its value — or why it is a gap. */
(function () {
  "use strict";
  var palette = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#4d7c0f", "#be185d"];
  window.stewardCharts = [];

  // Value axes are vertical, or horizontal for `horizontal` bars (the board's shares); an axis
  // may be `stacked` (the cycle-time phases) and have a `max` (a percentage's 100).
  function scales(data) {
    var axes = data.axes || [{ id: "y", title: data.unit || "", position: "left" }];
    var value = data.horizontal ? "x" : "y", out = {}, stacked = false;
    axes.forEach(function (axis, index) {
      out[axis.id] = {
        type: "linear",
        axis: value,
        beginAtZero: true,
        position: data.horizontal ? (index === 0 ? "bottom" : "top") : axis.position || "left",
        title: { display: !!axis.title, text: axis.title || "" },
        ticks: axis.integer ? { precision: 0 } : {},  // no "1.5 releases"
        grid: { drawOnChartArea: index === 0 },  // one grid: the left axis's
        stacked: !!axis.stacked
      };
      if (axis.max !== undefined) { out[axis.id].max = axis.max; }
      stacked = stacked || !!axis.stacked;
    });
    if (stacked) { out[data.horizontal ? "y" : "x"] = { stacked: true }; }
    return out;
  }

  function pointText(dataset, index) {
    return dataset.points && dataset.points[index];
  }

  // A tooltip is drawn inside its canvas: long sentences wrap to the chart's width.
  function wrap(text, chart) {
    var max = Math.max(28, Math.floor(chart.width / 7.5)), lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > max) { lines.push(line); line = word; }
      else { line = line ? line + " " + word : word; }
    });
    if (line) { lines.push(line); }
    return lines;
  }

  var tooltip = {
    callbacks: {
      label: function (context) {
        var text = pointText(context.dataset, context.dataIndex) ||
          context.dataset.label + ": " + context.formattedValue;
        return wrap(text, context.chart);
      },
      // Gaps draw nothing to hover: the footer says why those series have no point here.
      footer: function (items) {
        if (!items.length) { return ""; }
        var chart = items[0].chart, index = items[0].dataIndex, shown = {};
        items.forEach(function (item) { shown[item.datasetIndex] = true; });
        return chart.data.datasets.filter(function (dataset, position) {
          return !shown[position] && dataset.data[index] === null && pointText(dataset, index);
        }).reduce(function (lines, dataset) {
          return lines.concat(wrap(pointText(dataset, index), chart));
        }, []);
      }
    }
  };

  function draw(canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    data.datasets.forEach(function (dataset, index) {
      var color = palette[index % palette.length];
      var type = dataset.type || data.type;
      dataset.borderColor = color;
      dataset.backgroundColor = type === "bar" ? color + "cc" : color;
      dataset.spanGaps = false;  // a period with nothing to measure stays a visible gap
      dataset.tension = 0;  // straight segments: a spline draws values that never happened
      dataset.order = type === "line" ? 0 : 1;  // lines over bars
    });
    var chart = new Chart(canvas, {
      type: data.type || "line",
      data: { labels: data.labels, datasets: data.datasets },
      options: {
        indexAxis: data.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "index", intersect: false },
        scales: scales(data),
        plugins: { legend: { position: "bottom" }, tooltip: tooltip }
      }
    });
    window.stewardCharts.push(chart);
  }
  document.querySelectorAll("canvas[data-chart]").forEach(draw);
})();
