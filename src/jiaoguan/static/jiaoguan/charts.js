// Every chart of Jiaoguan is drawn here: one ECharts setup (tooltips rendered on the canvas, so the
// Content-Security-Policy needs no inline style), resized with the window, and the data a page carries
// in <script type="application/json"> read the same way.
(() => {
  const base = { tooltip: { renderMode: "richText" }, textStyle: { fontFamily: "inherit" }, animation: false };

  const merge = (option) => {
    const tooltip = option.tooltip === undefined ? undefined : { ...base.tooltip, ...option.tooltip };
    return { ...base, ...option, ...(tooltip ? { tooltip } : {}) };
  };

  // Draws `option` into the element with `id`; answers the chart, or null when there is no element.
  window.jiaoguanChart = (id, option) => {
    const element = typeof id === "string" ? document.getElementById(id) : id;
    if (!element || !window.echarts) return null;
    const chart = echarts.init(element);
    chart.setOption(merge(option));
    window.addEventListener("resize", () => chart.resize());
    return chart;
  };

  // The JSON a page carries for its charts (json_script), or `fallback` when it carries none.
  window.jiaoguanData = (id, fallback = null) => {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : fallback;
  };
})();
