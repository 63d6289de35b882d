// Portfolio charts (Chart.js served locally); data comes from a json_script tag.
(function () {
  const source = document.getElementById("portfolio-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const palette = ["#198754", "#20c997", "#0dcaf0", "#fd7e14", "#dc3545", "#6c757d"];
  new Chart(document.getElementById("cash-chart"), {
    type: "bar",
    data: { labels: data.months, datasets: [{ label: "Net cash received", data: data.cash, backgroundColor: "#0d6efd" }] },
    options: { plugins: { legend: { display: false } } },
  });
  new Chart(document.getElementById("grade-chart"), {
    type: "doughnut",
    data: { labels: data.grades, datasets: [{ data: data.grade_outstanding, backgroundColor: palette }] },
  });
  new Chart(document.getElementById("status-chart"), {
    type: "doughnut",
    data: { labels: data.statuses, datasets: [{ data: data.status_counts, backgroundColor: palette.slice(1) }] },
  });
})();
