// Draws the overview's charts from the figures the page carries (no request of its own).
document.addEventListener("DOMContentLoaded", () => {
  const data = jiaoguanData("glance-data");
  const words = jiaoguanData("chart-labels");
  const draw = jiaoguanChart;
  draw("chart-types", {
    tooltip: { trigger: "axis" }, legend: { top: 0, itemWidth: 14, textStyle: { fontSize: 11 } },
    grid: { left: 40, right: 10, top: 95, bottom: 60 },
    xAxis: { type: "category", data: data.regions, axisLabel: { rotate: 40 } },
    yAxis: { type: "value", minInterval: 1 },
    series: data.types.map((t) => ({ name: t.name, type: "bar", stack: "schools", data: t.data })),
  });
  draw("chart-ownership", {
    tooltip: { trigger: "item" }, legend: { bottom: 0 },
    series: [{ type: "pie", radius: ["35%", "65%"], data: data.ownership, label: { formatter: "{b}: {c}" } }],
  });
  draw("chart-ratios", {
    tooltip: { trigger: "axis" }, grid: { left: 40, right: 10, top: 30, bottom: 30 },
    xAxis: { type: "category", data: data.ratios.map((r) => r.stage) },
    yAxis: { type: "value", name: words.students_per_teacher },
    series: [{ type: "bar", data: data.ratios.map((r) => r.ratio), label: { show: true, position: "top" } }],
  });
  // The large and very large classes stand out, whichever bands the registry's rules make them.
  const colours = { normal: "#1f5fa8", large: "#dc6803", huge: "#b42318" };
  draw("chart-sizes", {
    tooltip: { trigger: "axis" }, grid: { left: 40, right: 10, top: 30, bottom: 30 },
    xAxis: { type: "category", data: data.size_bands.labels },
    yAxis: { type: "value", name: words.classes, minInterval: 1 },
    series: [{ type: "bar", label: { show: true, position: "top" },
      data: data.size_bands.counts.map((n, i) => ({ value: n,
                                                   itemStyle: { color: colours[data.size_bands.kinds[i]] } })) }],
  });
});
