// The bot dashboard's charts (/admin/bots/). Data comes from a json_script element, so the page
// needs no inline script (CSP). Chart.js is served locally from static/vendor/chartjs.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  var palette = ["#2f6fed", "#e8590c", "#2b8a3e", "#ae3ec9", "#f59f00", "#0c8599", "#868e96"];

  function capitalChart(canvas, data) {
    return new window.Chart(canvas, {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: "Deployed (held + invested)", data: data.deployed, backgroundColor: palette[0], stack: "capital" },
          { label: "Available", data: data.available, backgroundColor: "#adb5bd", stack: "capital" }
        ]
      },
      options: {
        responsive: true, maintainAspectRatio: false,
        plugins: { title: { display: true, text: "Capital use per bot" } },
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } }
      }
    });
  }

  function hourlyChart(canvas, data) {
    var names = Object.keys(data.series);
    return new window.Chart(canvas, {
      type: "line",
      data: {
        labels: data.labels.map(function (label) { return label.slice(5); }),
        datasets: names.map(function (name, i) {
          return { label: name, data: data.series[name], borderColor: palette[i % palette.length],
                   backgroundColor: palette[i % palette.length], tension: 0.2, pointRadius: 0 };
        })
      },
      options: {
        responsive: true, maintainAspectRatio: false,
        plugins: { title: { display: true, text: "Bids and re-bids per hour (last 48 h)" } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
  }

  // Layout from here rather than a <style> block or style attributes, which a strict CSP
  // (style-src without 'unsafe-inline') would block; styles set through the CSSOM are allowed.
  function layout() {
    var box = document.querySelector(".bot-charts");
    if (box) {
      box.style.display = "flex"; box.style.flexWrap = "wrap"; box.style.gap = "24px";
      box.style.margin = "16px 0 24px";
    }
    document.querySelectorAll(".bot-charts figure").forEach(function (figure) {
      figure.style.flex = "1 1 420px"; figure.style.margin = "0"; figure.style.height = "300px";
      figure.style.position = "relative";
    });
    document.querySelectorAll(".bot-table .num").forEach(function (cell) {
      cell.style.textAlign = "right"; cell.style.whiteSpace = "nowrap";
    });
  }

  ready(function () {
    layout();
    var source = document.getElementById("bot-dashboard-data");
    if (!source || !window.Chart) { return; }
    var data = JSON.parse(source.textContent);
    var capital = document.getElementById("bot-capital-chart");
    var hourly = document.getElementById("bot-hourly-chart");
    if (capital) { capitalChart(capital, data.capital); }
    if (hourly) { hourlyChart(hourly, data.hourly); }
  });
})();
