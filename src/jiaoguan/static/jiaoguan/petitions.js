// The petition figures' charts: batches and cases by channel, cases by category (data carried by the page).
document.addEventListener("DOMContentLoaded", () => {
  const data = jiaoguanData("petition-data");
  if (!data) return;
  jiaoguanChart("chart-channels", {
    tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    yAxis: { type: "category", data: data.channels, inverse: true }, xAxis: { type: "value", minInterval: 1 },
    series: [{ name: data.labels[0], type: "bar", data: data.batches }, { name: data.labels[1], type: "bar", data: data.cases }],
  });
  jiaoguanChart("chart-categories", {
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "65%"], label: { formatter: "{b}: {c}" },
      data: data.categories.map((name, i) => ({ name, value: data.by_category[i] })).filter((d) => d.value > 0) }],
  });
});
