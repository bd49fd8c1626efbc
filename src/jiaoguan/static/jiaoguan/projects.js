// The projects' figures: projects by stage, and budget against paid by funding source.
document.addEventListener("DOMContentLoaded", () => {
  const data = jiaoguanData("projects-chart");
  if (!data) return;
  jiaoguanChart("chart-stages", {
    tooltip: { trigger: "axis" }, grid: { left: 8, right: 16, top: 10, bottom: 24, containLabel: true },
    yAxis: { type: "category", data: data.stages, inverse: true }, xAxis: { type: "value", minInterval: 1 },
    series: [{ type: "bar", data: data.counts, label: { show: true, position: "right" } }],
  });
  jiaoguanChart("chart-money", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 8, right: 16, top: 30, bottom: 24, containLabel: true },
    xAxis: { type: "category", data: data.sources }, yAxis: { type: "value" },
    series: [{ name: data.labels[0], type: "bar", data: data.budget }, { name: data.labels[1], type: "bar", data: data.paid }],
  });
});
