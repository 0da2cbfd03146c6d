// Draws the dashboard's charts from the numbers embedded in the page (the same numbers as its tables).
(function () {
  "use strict";
  var PARTY = "#c8161d";
  var PALETTE = [PARTY, "#e6a23c", "#3a7bd5", "#2e9d6a", "#8e5cc4", "#6c757d", "#f08a5d", "#17a2b8", "#b83b5e", "#5c7cfa"];
  function option(kind, rows, width) {
    var labels = rows.map(function (r) { return r[0]; });
    var values = rows.map(function (r) { return r[1]; });
    var base = { color: PALETTE, tooltip: { trigger: kind === "pie" ? "item" : "axis" }, animation: false };
    if (kind === "pie") {
      return Object.assign(base, {
        legend: { type: "scroll", bottom: 0 },
        series: [{ type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"],
                   data: rows.map(function (r) { return { name: r[0], value: r[1] }; }),
                   // On a narrow screen the slices' labels would run off the card: the legend and the table remain.
                   label: { show: width > 480, formatter: "{b}\n{c} ({d}%)" } }]
      });
    }
    if (kind === "months") {
      return Object.assign(base, {
        legend: { bottom: 0 },
        grid: { left: 40, right: 45, top: 20, bottom: 50 },
        xAxis: { type: "category", data: labels },
        yAxis: [{ type: "value", minInterval: 1 }, { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }],
        series: [
          { name: document.querySelector('[data-chart="months"]').dataset.bars, type: "bar", data: values },
          { name: document.querySelector('[data-chart="months"]').dataset.line, type: "line", yAxisIndex: 1,
            data: rows.map(function (r) { return r[2]; }), connectNulls: true, color: "#3a7bd5" }
        ]
      });
    }
    if (kind === "hbar") {
      return Object.assign(base, {
        grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: labels.slice().reverse(), axisLabel: { width: 150, overflow: "truncate" } },
        series: [{ type: "bar", data: values.slice().reverse(), label: { show: true, position: "right" } }]
      });
    }
    return Object.assign(base, {
      grid: { left: 8, right: 8, top: 20, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: "bar", data: values, label: { show: true, position: "top" },
                 itemStyle: { color: function (p) { return ["#3a7bd5", "#e6a23c", PARTY][p.dataIndex % 3]; } } }]
    });
  }
  function draw() {
    var source = document.getElementById("chart-data");
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option(el.dataset.kind, data[el.dataset.chart] || [], el.clientWidth));
      el.dataset.rendered = "1";
      charts.push(chart);
    });
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }
  document.addEventListener("DOMContentLoaded", draw);
})();
