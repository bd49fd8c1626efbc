// Draws an exam's charts (the overview's, and a student's trend) from the figures the page carries,
// through the shared helper (charts.js).
document.addEventListener("DOMContentLoaded", () => {
  const draw = jiaoguanChart;
  const points = jiaoguanData("trend-data");
  if (points) {
    draw("chart-trend", {
      tooltip: { trigger: "axis" }, grid: { left: 40, right: 10, top: 20, bottom: 40 },
      xAxis: { type: "category", data: points.map((p) => p.exam) }, yAxis: { type: "value" },
      series: [{ type: "line", data: points.map((p) => (p.z === null ? null : Math.round(p.z * 100) / 100)),
                 label: { show: true } }],
    });
  }
  const data = jiaoguanData("exam-chart");
  if (!data) return;
  const percent = (v) => (v === null ? null : Math.round(v * 10000) / 100);
  draw("chart-pass", {
    tooltip: { trigger: "axis" }, grid: { left: 40, right: 10, top: 20, bottom: 110 },
    xAxis: { type: "category", data: data.schools, axisLabel: { rotate: 60, interval: 0, fontSize: 10 } },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    series: [{ type: "bar", data: data.pass.map(percent) }],
  });
  const select = document.getElementById("band-subject");
  if (select && data.bands) {
    // Both band charts follow the subject chosen in the list.
    const show = () => {
      const entry = data.bands[select.value] || { labels: [], counts: [] };
      draw("chart-bands", {
        tooltip: { trigger: "axis" }, grid: { left: 50, right: 10, top: 20, bottom: 50 },
        xAxis: { type: "category", data: entry.labels, axisLabel: { rotate: 40 } }, yAxis: { type: "value" },
        series: [{ type: "bar", data: entry.counts }],
      });
      const share = data.shares[select.value] || { labels: [], counts: [] };
      draw("chart-shares", {
        tooltip: { trigger: "axis" }, grid: { left: 50, right: 10, top: 20, bottom: 30 },
        xAxis: { type: "category", data: share.labels, axisLabel: { interval: 0 } }, yAxis: { type: "value" },
        series: [{ type: "bar", data: share.counts, label: { show: true, position: "top" } }],
      });
    };
    select.addEventListener("change", show);
    show();
  }
  draw("chart-box", {
    tooltip: { trigger: "item" }, grid: { left: 50, right: 10, top: 20, bottom: 110 },
    xAxis: { type: "category", data: data.schools, axisLabel: { rotate: 60, interval: 0, fontSize: 10 } },
    yAxis: { type: "value" },
    series: [{ type: "boxplot", data: data.box }],
  });
  draw("chart-difficulty", {
    tooltip: { trigger: "axis" }, grid: { left: 40, right: 10, top: 20, bottom: 30 },
    xAxis: { type: "category", data: data.subjects, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: "value", min: 0, max: 1 },
    series: [{ type: "bar", data: data.difficulty.map((v) => (v === null ? null : Math.round(v * 100) / 100)),
               label: { show: true, position: "top" } }],
  });
});
