// The platform dashboard's charts (/admin/dashboard/). Data comes from a json_script element, so
// the page needs no inline script (CSP). Chart.js is served locally from static/vendor/chartjs.
(function () {
  "use strict";

  var palette = ["#2f6fed", "#e8590c", "#2b8a3e", "#ae3ec9", "#f59f00", "#0c8599", "#868e96"];

  function chart(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) { return null; }
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false }, config.options || {});
    return new window.Chart(canvas, config);
  }

  function title(text) { return { title: { display: true, text: text } }; }

  function draw(data) {
    chart("volume-chart", {
      type: "bar",
      data: { labels: data.months.labels,
              datasets: [{ label: "Volume funded", data: data.months.volume, backgroundColor: palette[0] }] },
      options: { plugins: title("Volume funded per month"), scales: { y: { beginAtZero: true } } }
    });
    chart("grade-rate-chart", {
      type: "bar",
      data: { labels: data.grades.labels,
              datasets: [{ label: "Average clearing rate (%)", data: data.grades.rate, backgroundColor: palette[1] }] },
      options: { plugins: title("Average clearing rate by grade"), scales: { y: { beginAtZero: true } } }
    });
    chart("default-chart", {
      type: "bar",
      data: { labels: data.grades.labels,
              datasets: [
                { label: "Default rate so far (%)", data: data.grades.defaultRate, backgroundColor: palette[3] },
                { label: "Model's predicted PD (%)", data: data.grades.predictedPd, backgroundColor: palette[6] }
              ] },
      options: { plugins: title("Default rate by grade against the model's PD"), scales: { y: { beginAtZero: true } } }
    });
    chart("delinquency-chart", {
      type: "bar",
      data: { labels: data.delinquency.labels,
              datasets: [{ label: "Loans", data: data.delinquency.loans, backgroundColor: palette[4] }] },
      options: { plugins: title("Delinquency buckets"), scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
    });
    chart("funding-chart", {
      type: "doughnut",
      data: { labels: data.funding.labels,
              datasets: [{ data: data.funding.values, backgroundColor: [palette[2], palette[0]] }] },
      options: { plugins: title("Funding by bots and people (note principal)") }
    });
  }

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    var source = document.getElementById("platform-dashboard-data");
    if (!source || !window.Chart) { return; }
    draw(JSON.parse(source.textContent));
  });
})();
