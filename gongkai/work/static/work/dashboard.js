// Draws the dashboard's charts from the JSON block the page carries (#dashboard-data).
// Every point's drill-down URL is built by the server; a click only follows it.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  var COLORS = { finished: "#3a8f3a", overdue: "#c0392b", not_due: "#9aa7b8", due: "#4a6fa5", rate: "#d68910" };
  var LABELS = { finished: "已完成", overdue: "已逾期", not_due: "未到期" };

  function follow(url) {
    if (url) { window.location.href = url; }
  }

  function chart(id) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    var c = window.echarts.init(el);
    window.addEventListener("resize", function () { c.resize(); });
    return c;
  }

  // A horizontal stacked bar per unit or category: finished, overdue, not yet due.
  function stackedBars(id, data, zoom) {
    var c = chart(id);
    if (!c) { return; }
    var keys = ["finished", "overdue", "not_due"];
    var option = {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { data: keys.map(function (k) { return LABELS[k]; }) },
      grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "value", name: "节点" },
      yAxis: { type: "category", inverse: true, data: data.names, axisLabel: { width: 160, overflow: "truncate" } },
      series: keys.map(function (k) {
        return { name: LABELS[k], type: "bar", stack: "n", data: data[k], itemStyle: { color: COLORS[k] }, cursor: "pointer" };
      })
    };
    if (zoom) {
      option.dataZoom = [{ type: "slider", yAxisIndex: 0, startValue: 0, endValue: 49 }, { type: "inside", yAxisIndex: 0 }];
    }
    c.setOption(option);
    c.on("click", function (p) {
      var key = keys[p.seriesIndex];
      follow(data.links[key][p.dataIndex]);
    });
  }

  function trend(data) {
    var c = chart("chart-trend");
    if (!c) { return; }
    c.setOption({
      tooltip: { trigger: "axis" },
      legend: { data: ["到期节点", "完成节点", "累计完成率"] },
      grid: { left: 8, right: 8, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.labels },
      yAxis: [
        { type: "value", name: "节点" },
        { type: "value", name: "完成率 %", min: 0, max: 100, splitLine: { show: false } }
      ],
      series: [
        { name: "到期节点", type: "line", data: data.due, itemStyle: { color: COLORS.due }, symbolSize: 6 },
        { name: "完成节点", type: "line", data: data.finished, itemStyle: { color: COLORS.finished }, symbolSize: 6 },
        { name: "累计完成率", type: "line", yAxisIndex: 1, data: data.rate, itemStyle: { color: COLORS.rate }, symbol: "none" }
      ]
    });
    c.on("click", function (p) { follow(data.links[p.dataIndex]); });
    // A click anywhere on a week's column, not only on a point, opens that week.
    c.getZr().on("click", function (e) {
      var pos = [e.offsetX, e.offsetY];
      if (e.target || !c.containPixel("grid", pos)) { return; } // a point: handled above
      follow(data.links[c.convertFromPixel({ seriesIndex: 0 }, pos)[0]]);
    });
  }

  function heat(data) {
    var c = chart("chart-heat");
    if (!c) { return; }
    var max = 1;
    data.cells.forEach(function (cell) { if (cell[2] > max) { max = cell[2]; } });
    c.setOption({
      tooltip: {
        // A custom formatter's string is inserted as HTML: escape the names (a unit's name
        // is typed by people).
        formatter: function (p) {
          var esc = window.echarts.format.encodeHTML;
          return esc(data.units[p.value[1]]) + "<br>" + esc(data.months[p.value[0]]) + "：逾期 " + esc(String(p.value[2]));
        }
      },
      grid: { left: 8, right: 8, top: 8, bottom: 64, containLabel: true },
      xAxis: { type: "category", data: data.months, splitArea: { show: true } },
      yAxis: { type: "category", data: data.units, inverse: true, splitArea: { show: true }, axisLabel: { width: 160, overflow: "truncate" } },
      visualMap: { min: 0, max: max, calculable: true, orient: "horizontal", left: "center", bottom: 0, inRange: { color: ["#fdf2f0", "#c0392b"] } },
      series: [{ type: "heatmap", data: data.cells, label: { show: true }, cursor: "pointer" }]
    });
    c.on("click", function (p) { follow(data.links[p.value[1]][p.value[0]]); });
  }

  ready(function () {
    var node = document.getElementById("dashboard-data");
    if (!node || !window.echarts) { return; }
    var data = JSON.parse(node.textContent);
    document.body.classList.add("js-charts");
    stackedBars("chart-units", data.units, data.units.names.length > 50);
    stackedBars("chart-categories", data.categories, false);
    trend(data.trend);
    heat(data.heat);
  });
})();
