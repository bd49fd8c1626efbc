// Every chart of Jiaoguan is drawn here: one ECharts setup (tooltips rendered on the canvas, so the
// Content-Security-Policy needs no inline style), resized with the window, and the data a page carries
// in <script type="application/json"> read the same way. No other script calls echarts.init
// (tests/test_project.py holds that).
(() => {
  const base = { tooltip: { renderMode: "richText" }, textStyle: { fontFamily: "inherit" }, animation: false };

  const merge = (option) => {
    const tooltip = option.tooltip === undefined ? undefined : { ...base.tooltip, ...option.tooltip };
    return { ...base, ...option, ...(tooltip ? { tooltip } : {}) };
  };

  // Draws `option` into the element with `id` (or the element itself); answers the chart, or null when
  // there is no element. Drawing again into the same element updates its chart (a subject chosen in a
  // list), so a page never stacks two charts or two resize handlers on one element.
  window.jiaoguanChart = (id, option) => {
    const element = typeof id === "string" ? document.getElementById(id) : id;
    if (!element || !window.echarts) return null;
    const drawn = echarts.getInstanceByDom(element);
    const chart = drawn || echarts.init(element);
    chart.setOption(merge(option));
    if (!drawn) window.addEventListener("resize", () => chart.resize());
    return chart;
  };

  // The JSON a page carries for its charts (json_script), or `fallback` when it carries none.
  window.jiaoguanData = (id, fallback = null) => {
    const element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : fallback;
  };
})();
