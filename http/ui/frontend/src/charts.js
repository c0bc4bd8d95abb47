// The dashboards' charts (驾驶舱, 数据大屏), drawn from
// GET /api/v1/reports/dashboard. ECharts is built from echarts/core with
// only what these charts use. The figure cards and a table under each
// chart are in the page itself; this script draws the charts and, on the
// screen, refreshes everything every minute.
import * as echarts from "echarts/core";
import { BarChart, LineChart, PieChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

// Series colours: each passes WCAG AA (4.5:1) as text on its background,
// so the legend and labels in them read too.
const palettes = {
  light: { text: "#1f2933", axis: "#52606d", split: "#d9e2ec",
    series: ["#1d4e89", "#2f7d32", "#a55300", "#b3261e", "#6a3d9a", "#00707a", "#7a5c00", "#4a5568"] },
  dark: { text: "#e6edf5", axis: "#b8c4d1", split: "#2c3e55",
    series: ["#6cb4ff", "#7ed67f", "#ffb25b", "#ff8a80", "#c9a7ff", "#5fd3dd", "#f2d45c", "#cbd5e1"] },
};
const font = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif';

function label(root, key) {
  return root.dataset["l" + key] || key;
}

// options builds each chart's option from the dashboard JSON.
const options = {
  by_area(d, root) {
    const rows = d.report.by_area;
    return stackedBars(root, rows.map((r) => r.area), [
      ["closed", rows.map((r) => r.closed)],
      ["stage_closed", rows.map((r) => r.stage_closed)],
      ["open", rows.map((r) => r.open)],
    ]);
  },
  by_unit(d, root) {
    const rows = d.by_unit;
    return stackedBars(root, rows.map((r) => r.unit), [
      ["closed", rows.map((r) => r.closed)],
      ["stage_closed", rows.map((r) => r.stage_closed)],
      ["open", rows.map((r) => r.open)],
    ]);
  },
  by_type(d, root) {
    return {
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      legend: { bottom: 0, type: "scroll" },
      series: [{ type: "pie", radius: ["42%", "68%"], center: ["50%", "45%"], avoidLabelOverlap: true,
        label: { formatter: "{b} {c}", color: root.dataset.theme === "dark" ? palettes.dark.text : palettes.light.text, textBorderWidth: 0 },
        data: d.report.by_type.map((t) => ({ name: t.type, value: t.count })) }],
    };
  },
  trend(d, root) {
    const days = d.trend.map((t) => `${+t.date.slice(5, 7)}月${+t.date.slice(8)}日`);
    return {
      tooltip: { trigger: "axis" },
      legend: { bottom: 0 },
      grid: { left: 48, right: 16, top: 16, bottom: 56 },
      xAxis: { type: "category", data: days, boundaryGap: false },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: label(root, "received"), type: "line", showAllSymbol: true, symbolSize: 6, data: d.trend.map((t) => t.received) },
        { name: label(root, "closed"), type: "line", showAllSymbol: true, symbolSize: 6, data: d.trend.map((t) => t.closed) },
        { name: label(root, "stage_closed"), type: "line", showAllSymbol: true, symbolSize: 6, data: d.trend.map((t) => t.stage_closed) },
      ],
    };
  },
  ledger(d, root) {
    const rows = d.report.ledger.by_unit;
    return stackedBars(root, rows.map((r) => r.unit), [
      ["closed_problems", rows.map((r) => r.closed)],
      ["pending_verification", rows.map((r) => r.pending_verification)],
      ["in_progress", rows.map((r) => r.in_progress)],
      ["other", rows.map((r) => r.total - r.closed - r.pending_verification - r.in_progress)],
    ]);
  },
};

// stackedBars is a horizontal stacked bar chart, one bar per name, the
// longest on top, so that long Chinese names fit.
function stackedBars(root, names, parts) {
  return {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { bottom: 0 },
    grid: { left: 8, right: 24, top: 8, bottom: 40, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: names, inverse: true, axisLabel: { width: 110, overflow: "truncate" } },
    series: parts.map(([key, data]) => ({ name: label(root, key), type: "bar", stack: "all", data, barMaxWidth: 22 })),
  };
}

function theme(p) {
  return {
    color: p.series,
    textStyle: { color: p.text, fontFamily: font },
    legend: { textStyle: { color: p.text } },
    categoryAxis: { axisLine: { lineStyle: { color: p.axis } }, axisLabel: { color: p.text } },
    valueAxis: { axisLabel: { color: p.text }, splitLine: { lineStyle: { color: p.split } } },
  };
}

function draw(root, data) {
  const dark = root.dataset.theme === "dark";
  const p = dark ? palettes.dark : palettes.light;
  for (const el of root.querySelectorAll("[data-chart]")) {
    const make = options[el.dataset.chart];
    if (!make) continue;
    let chart = echarts.getInstanceByDom(el);
    if (!chart) {
      echarts.registerTheme(dark ? "ducha-dark" : "ducha", theme(p));
      chart = echarts.init(el, dark ? "ducha-dark" : "ducha", { renderer: "canvas" });
    }
    chart.setOption(make(data, root), true);
    el.dataset.drawn = "1";
  }
  root.dataset.drawn = String(Number(root.dataset.drawn || 0) + 1);
}

// refreshFigures writes the new numbers into the server-rendered cards
// and the time they are of.
function refreshFigures(root, data) {
  const r = data.report, c = r.cases, m = r.measures;
  const rate = c.total ? Math.floor(((c.closed + c.stage_closed) * 1000) / c.total) : -1;
  const values = {
    total: c.total, closed: c.closed, stage_closed: c.stage_closed, open: c.open,
    closed_rate: rate < 0 ? "—" : Math.floor(rate / 10) + "." + (rate % 10) + "%",
    overdue: r.ledger.overdue, penalty_cases: m.penalty_cases, fines_yuan: m.fines_yuan,
    interviewed: m.interviewed, held_accountable: m.held_accountable,
  };
  for (const [k, v] of Object.entries(values)) {
    const dd = root.querySelector(`[data-figure="${k}"] dd`);
    if (dd) dd.textContent = String(v);
  }
  const at = root.querySelector("[data-at]");
  if (at) at.textContent = countyTime(data.at);
}

// countyTime writes an instant as the pages do, 2026年12月7日 14:05, in
// Beijing time whatever the browser's zone (China keeps no summer time).
function countyTime(iso) {
  const t = new Date(Date.parse(iso) + 8 * 3600 * 1000);
  const pad = (n) => String(n).padStart(2, "0");
  return `${t.getUTCFullYear()}年${t.getUTCMonth() + 1}月${t.getUTCDate()}日 ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
}

async function load(root) {
  const res = await fetch(root.dataset.src, { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!res.ok) throw new Error("dashboard " + res.status);
  return res.json();
}

function start() {
  const root = document.querySelector("[data-dashboard]");
  if (!root) return;
  root.dataset.js = "1"; // the chart areas show only where a script draws them
  const run = (refresh) =>
    load(root)
      .then((data) => {
        if (refresh) refreshFigures(root, data);
        draw(root, data);
      })
      .catch((err) => {
        root.dataset.error = String(err);
      });
  run(false);
  root.refresh = () => run(true); // what the timer calls; tests call it too
  const every = Number(root.dataset.refresh || 0);
  if (every > 0) setInterval(() => run(true), every * 1000);
  window.addEventListener("resize", () => {
    for (const el of root.querySelectorAll("[data-chart]")) echarts.getInstanceByDom(el)?.resize();
  });
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
