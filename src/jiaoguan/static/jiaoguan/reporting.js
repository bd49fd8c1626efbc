// Charts of reporting: the board's rates by region and a field's trend over periods, through the
// shared helper (charts.js).
document.addEventListener("DOMContentLoaded", () => {
  const board = jiaoguanData("board-data");
  if (board) {
    jiaoguanChart("chart-regions", {
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 10, top: 30, bottom: 60 },
      xAxis: { type: "category", data: board.regions, axisLabel: { rotate: 30, interval: 0 } },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [{ name: board.names[0], type: "bar", data: board.reporting },
               { name: board.names[1], type: "bar", data: board.on_time }],
    });
  }
  const figures = jiaoguanData("figures-data");
  if (figures) {
    jiaoguanChart("chart-trend", {
      tooltip: { trigger: "axis" }, grid: { left: 50, right: 10, top: 20, bottom: 40 },
      xAxis: { type: "category", data: figures.periods }, yAxis: { type: "value" },
      series: [{ name: figures.label, type: "line", data: figures.values, smooth: true }],
    });
  }
});
