// Charts of reporting: the board's rates by region and a field's trend over periods.
document.addEventListener("DOMContentLoaded", () => {
  if (!window.echarts) return;
  const board = document.getElementById("board-data");
  const regions = document.getElementById("chart-regions");
  if (board && regions) {
    const data = JSON.parse(board.textContent);
    const chart = echarts.init(regions);
    chart.setOption({
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 10, top: 30, bottom: 60 },
      xAxis: { type: "category", data: data.regions, axisLabel: { rotate: 30, interval: 0 } },
      yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      series: [{ name: data.names[0], type: "bar", data: data.reporting }, { name: data.names[1], type: "bar", data: data.on_time }],
    });
    window.addEventListener("resize", () => chart.resize());
  }
  const figures = document.getElementById("figures-data");
  const trend = document.getElementById("chart-trend");
  if (figures && trend) {
    const data = JSON.parse(figures.textContent);
    const chart = echarts.init(trend);
    chart.setOption({
      tooltip: { trigger: "axis" }, grid: { left: 50, right: 10, top: 20, bottom: 40 },
      xAxis: { type: "category", data: data.periods }, yAxis: { type: "value" },
      series: [{ name: data.label, type: "line", data: data.values, smooth: true }],
    });
    window.addEventListener("resize", () => chart.resize());
  }
});
