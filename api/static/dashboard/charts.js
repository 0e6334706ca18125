// Chart.js (vendored, window.Chart) set up to be read without colour: each series has its own
// point shape and dash pattern, bars carry their value as text, and every chart has a table twin.
import { el } from "../common/client.js";

const COLOURS = ["#1f5fbf", "#b34700", "#1b7a4a", "#7a3fb0", "#9c2a4a", "#4d5b00"];
const DASHES = [[], [8, 4], [2, 3], [12, 4, 2, 4], [5, 5], [1, 6]];
const POINTS = ["circle", "triangle", "rect", "rectRot", "star", "crossRot"];
const charts = new Map();

/** Writes each bar's value (and n) above it: the number is the figure, the colour is decoration. */
const valueLabels = {
  id: "valueLabels",
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.font = "12px system-ui, sans-serif";
    ctx.fillStyle = "#1d2430";
    ctx.textAlign = "center";
    chart.data.datasets.forEach((dataset, d) => {
      if (!dataset.valueLabels) return;
      chart.getDatasetMeta(d).data.forEach((bar, i) => {
        const value = dataset.data[i];
        if (value === null || value === undefined) return;
        const label = dataset.valueLabels[i] ?? value.toFixed(1);
        ctx.fillText(label, bar.x, bar.y - 6);
      });
    });
    ctx.restore();
  },
};

function mount(canvas, config) {
  if (charts.has(canvas)) charts.get(canvas).destroy();
  const chart = new window.Chart(canvas, config);
  charts.set(canvas, chart);
  return chart;
}

/** A data table for the same figures, inside a <details>, for screen readers and print. */
export function tableTwin(caption, headers, rows) {
  return el(
    "details",
    { class: "twin" },
    el("summary", {}, "Show as a table"),
    el(
      "table",
      {},
      el("caption", { class: "visually-hidden" }, caption),
      el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c, i) => (i === 0 ? el("th", { scope: "row" }, c) : el("td", {}, c)))))),
    ),
  );
}

/** Lines over time, one per series {label, points: [{period, value, n}]}. */
export function lineChart(canvas, periods, series, { yMax = 100, yLabel = "score (0–100)" } = {}) {
  canvas.setAttribute("role", "img");
  canvas.setAttribute(
    "aria-label",
    `Line chart, ${yLabel} by period for ${series.map((s) => s.label).join(", ")}. The table below gives every value.`,
  );
  return mount(canvas, {
    type: "line",
    data: {
      labels: periods,
      datasets: series.map((s, i) => {
        const byPeriod = new Map(s.points.map((p) => [p.period, p.value]));
        return {
          label: s.label,
          data: periods.map((p) => byPeriod.get(p) ?? null),
          borderColor: COLOURS[i % COLOURS.length],
          backgroundColor: COLOURS[i % COLOURS.length],
          borderDash: DASHES[i % DASHES.length],
          pointStyle: POINTS[i % POINTS.length],
          pointRadius: 5,
          borderWidth: 2,
          spanGaps: true,
        };
      }),
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { labels: { usePointStyle: true } } },
      scales: { y: { min: 0, max: yMax, title: { display: true, text: yLabel } } },
    },
  });
}

/** Bars with their values printed on them; `labels` are the printed strings. */
export function barChart(canvas, categories, values, labels, { yMax = 100, yLabel = "mean score" } = {}) {
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `Bar chart, ${yLabel} for ${categories.join(", ")}. The table below gives every value.`);
  return mount(canvas, {
    type: "bar",
    data: {
      labels: categories,
      datasets: [
        {
          label: yLabel,
          data: values,
          valueLabels: labels,
          backgroundColor: "#8fb0e0",
          borderColor: "#1f5fbf",
          borderWidth: 2,
        },
      ],
    },
    options: {
      animation: false,
      maintainAspectRatio: false,
      layout: { padding: { top: 18 } },
      plugins: { legend: { display: false } },
      scales: { y: { min: 0, max: yMax, title: { display: true, text: yLabel } } },
    },
    plugins: [valueLabels],
  });
}

/** A blue scale for a heat-map cell (the number is printed in the cell as well). */
export function heatColour(value, max = 1) {
  if (value === null || value === undefined) return { background: "#ffffff", color: "#4f5b6b" };
  const t = Math.max(0, Math.min(1, value / max));
  // Pale cells carry dark ink, dark cells white ink; the jump between them keeps both >= 4.5:1.
  if (t < 0.55) return { background: `hsl(214 60% ${96 - t * 45}%)`, color: "#1d2430" };
  return { background: `hsl(214 60% ${45 - (t - 0.55) * 40}%)`, color: "#ffffff" };
}
