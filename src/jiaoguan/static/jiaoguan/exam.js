// Draws an exam overview's charts from the figures the page carries.
document.addEventListener("DOMContentLoaded", () => {
  const trend = document.getElementById("trend-data");
  if (trend && window.echarts) {
    const points = JSON.parse(trend.textContent);
    const chart = echarts.init(document.getElementById("chart-trend"));
    chart.setOption({
      tooltip: { trigger: "axis" }, grid: { left: 40, right: 10, top: 20, bottom: 40 },
      xAxis: { type: "category", data: points.map((p) => p.exam) }, yAxis: { type: "value" },
      series: [{ type: "line", data: points.map((p) => (p.z === null ? null : Math.round(p.z * 100) / 100)),
                 label: { show: true } }],
    });
  }
  const source = document.getElementById("exam-chart");
  if (!source) return;
  const data = JSON.parse(source.textContent);
  const draw = (id, option) => {
    const element = document.getElementById(id);
    if (!element || !window.echarts) return;
    const chart = echarts.init(element);
    chart.setOption(option);
    window.addEventListener("resize", () => chart.resize());
  };
  const percent = (v) => (v === null ? null : Math.round(v * 10000) / 100);
  draw("chart-pass", {
    tooltip: { trigger: "axis" }, grid: { left: 40, right: 10, top: 20, bottom: 110 },
    xAxis: { type: "category", data: data.schools, axisLabel: { rotate: 60, interval: 0, fontSize: 10 } },
    yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    series: [{ type: "bar", data: data.pass.map(percent) }],
  });
  const bands = document.getElementById("chart-bands");
  if (bands && window.echarts && data.bands) {
    const chart = echarts.init(bands);
    const select = document.getElementById("band-subject");
    const shares = echarts.init(document.getElementById("chart-shares"));
    const show = () => {
      const entry = data.bands[select.value] || { labels: [], counts: [] };
      chart.setOption({
        tooltip: { trigger: "axis" }, grid: { left: 50, right: 10, top: 20, bottom: 50 },
        xAxis: { type: "category", data: entry.labels, axisLabel: { rotate: 40 } }, yAxis: { type: "value" },
        series: [{ type: "bar", data: entry.counts }],
      });
      const share = data.shares[select.value] || { labels: [], counts: [] };
      shares.setOption({
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
