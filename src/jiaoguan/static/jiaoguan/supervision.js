// The closure rate by school and the visits by kind, from the figures the page carries.
document.addEventListener("DOMContentLoaded", () => {
  const data = JSON.parse(document.getElementById("closure-data").textContent);
  const element = document.getElementById("chart-closure");
  if (!element || !window.echarts) return;
  const kinds = echarts.init(document.getElementById("chart-kinds"));
  kinds.setOption({
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 10, top: 30, bottom: 30 },
    xAxis: { type: "category", data: data.kinds }, yAxis: { type: "value", minInterval: 1 },
    series: [{ name: data.labels[0], type: "bar", data: data.planned }, { name: data.labels[1], type: "bar", data: data.done }],
  });
  window.addEventListener("resize", () => kinds.resize());
  const chart = echarts.init(element);
  chart.setOption({
    tooltip: { trigger: "axis" }, grid: { left: 40, right: 10, top: 20, bottom: 110 },
    xAxis: { type: "category", data: data.schools, axisLabel: { rotate: 60, interval: 0, fontSize: 10 } },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    series: [{ type: "bar", data: data.rates }],
  });
  window.addEventListener("resize", () => chart.resize());
});
