// The closure rate by school and the visits by kind, from the figures the page carries, through the
// shared helper (charts.js).
document.addEventListener("DOMContentLoaded", () => {
  const data = jiaoguanData("closure-data");
  if (!data) return;
  jiaoguanChart("chart-kinds", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 40, right: 10, top: 30, bottom: 30 },
    xAxis: { type: "category", data: data.kinds }, yAxis: { type: "value", minInterval: 1 },
    series: [{ name: data.labels[0], type: "bar", data: data.planned }, { name: data.labels[1], type: "bar", data: data.done }],
  });
  const element = document.getElementById("chart-closure");
  if (!element) return;
  // One bar per school, names on the left so that they stay readable on a phone.
  element.style.height = Math.max(240, 26 * data.schools.length + 40) + "px";
  jiaoguanChart(element, {
    tooltip: { trigger: "axis", valueFormatter: (v) => v + "%" }, grid: { left: 8, right: 24, top: 10, bottom: 24, containLabel: true },
    yAxis: { type: "category", data: data.schools, inverse: true, axisLabel: { width: 120, overflow: "truncate" } },
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    series: [{ type: "bar", data: data.rates, label: { show: true, position: "right", formatter: "{c}%" } }],
  });
});
