/* Charts of the portal over the self-hosted Chart.js: one module for every chart.
 *
 * A chart is a <canvas data-chart="ID"> and a <script type="application/json" id="ID"> holding
 * {labels, series: [{key, label, data}], locale}; templates/partials/_chart.html writes both,
 * so pages carry no inline script (the CSP refuses it). Right-to-left pages draw the day axis
 * from the right, and every number (ticks, tooltips) is written in the page's digits.
 */
(function () {
  "use strict";

  var PALETTE = ["#417690", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#2c3e50"];

  function numberFormatter(locale) {
    var format = new Intl.NumberFormat(locale || document.documentElement.lang || "fa-IR", { maximumFractionDigits: 0 });
    return function (value) { return format.format(value); };
  }

  function draw(canvas) {
    if (canvas.dataset.chartDrawn) { return; }
    var source = document.getElementById(canvas.dataset.chart);
    if (!source || typeof window.Chart === "undefined") { return; }
    var spec = JSON.parse(source.textContent);
    var rtl = (document.documentElement.dir || getComputedStyle(document.documentElement).direction) === "rtl";
    var number = numberFormatter(spec.locale);
    var font = getComputedStyle(document.body).fontFamily;
    window.Chart.defaults.font.family = font;
    canvas.dataset.chartDrawn = "1";
    new window.Chart(canvas, {
      type: "line",
      data: {
        labels: spec.labels,
        datasets: spec.series.map(function (series, i) {
          var color = PALETTE[i % PALETTE.length];
          return { label: series.label, data: series.data, borderColor: color, backgroundColor: color, tension: 0.25, pointRadius: 2 };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: spec.locale,
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { reverse: rtl, ticks: { autoSkip: true, maxRotation: 0 } },
          y: {
            beginAtZero: true,
            position: rtl ? "right" : "left",
            ticks: { precision: 0, callback: function (value) { return number(value); } }
          }
        },
        plugins: {
          legend: { rtl: rtl, textDirection: rtl ? "rtl" : "ltr", labels: { boxWidth: 12 } },
          tooltip: {
            rtl: rtl,
            textDirection: rtl ? "rtl" : "ltr",
            callbacks: {
              label: function (item) { return item.dataset.label + ": " + number(item.parsed.y); }
            }
          }
        }
      }
    });
  }

  function drawAll() {
    document.querySelectorAll("canvas[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
