// Draws a site's score trend from the JSON block the page carries (#trend-data).
// A vetoed inspection has no score: it is drawn as a red mark on the axis. Clicking a point
// opens that inspection's result (the server built every link).
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    var el = document.getElementById("chart-trend");
    var source = document.getElementById("trend-data");
    if (!el || !source || !window.echarts) { return; }
    var data = JSON.parse(source.textContent);
    var vetoes = data.veto.map(function (v, i) { return v ? [i, 0] : null; }).filter(Boolean);
    var c = window.echarts.init(el);
    window.addEventListener("resize", function () { c.resize(); });
    c.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: ["得分", "发现问题", "单项否决"] },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.labels },
      yAxis: [
        { type: "value", name: "得分", min: 0, max: 130 },
        { type: "value", name: "问题数", splitLine: { show: false } }
      ],
      series: [
        { name: "得分", type: "line", data: data.scores, connectNulls: false, symbolSize: 7, itemStyle: { color: "#4a6fa5" },
          markLine: { silent: true, symbol: "none", data: [{ yAxis: 60, name: "合格线" }], lineStyle: { color: "#d68910", type: "dashed" } } },
        { name: "发现问题", type: "bar", yAxisIndex: 1, data: data.open, itemStyle: { color: "#9aa7b8" }, barMaxWidth: 18 },
        { name: "单项否决", type: "scatter", data: vetoes, symbol: "triangle", symbolSize: 12, itemStyle: { color: "#c0392b" } }
      ]
    });
    c.on("click", function (p) {
      var url = data.links[p.dataIndex];
      if (p.seriesName === "单项否决") { url = data.links[p.value[0]]; }
      if (url) { window.location.href = url; }
    });
  });
})();
