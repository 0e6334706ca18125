// The QA dashboard: trends, heat-map, consistency, most improved, spotlight, patterns and the
// latest calibration, drawn from the QA endpoints; #/conversation/<grade id> opens one grade.
import { createClient, describeError, el, loadConfig, saveConfig } from "../common/client.js";
import { barChart, heatColour, lineChart, tableTwin } from "./charts.js";
import { showConversation } from "./conversation.js";
import { ROUTES, query } from "./routes.js";

const STORAGE = "grader.dashboard";
const $ = (id) => document.getElementById(id);
let config = loadConfig(STORAGE);
let client = createClient(config, { timeoutMs: 30000 });
const fmt = (v, digits = 1) => (v === null || v === undefined ? "–" : Number(v).toFixed(digits));

function showAlert(message) {
  $("alert").textContent = message;
  $("alert").hidden = !message;
}

/** The filters as the API takes them: [since, until) in UTC, "To" day included. */
function filters() {
  const from = $("from").value || null;
  const to = $("to").value || null;
  let until = null;
  if (to) {
    const end = new Date(`${to}T00:00:00Z`);
    end.setUTCDate(end.getUTCDate() + 1);
    until = end.toISOString();
  }
  return { since: from ? `${from}T00:00:00Z` : null, until, period: $("period").value, by: $("group").value };
}

/** One section's failure is said in the section, so the rest of the page still works. */
async function section(target, load) {
  try {
    await load();
  } catch (error) {
    const box = $(target);
    box.replaceChildren(el("p", { class: "alert" }, describeError(error)));
    throw error;
  }
}

// ---- trends -------------------------------------------------------------------------------

const list = (data, ...keys) => (Array.isArray(data) ? data : keys.map((k) => data && data[k]).find(Array.isArray) || []);

async function loadTrends(f) {
  const data = await client.get(ROUTES.trends + query({ since: f.since, until: f.until, period: f.period, measure: "dimension" }));
  const byKey = new Map();
  for (const p of list(data, "points", "items")) {
    if (!byKey.has(p.key)) byKey.set(p.key, []);
    byKey.get(p.key).push({ period: String(p.period).slice(0, 10), value: p.mean, n: p.n });
  }
  const series = [...byKey].map(([key, points]) => ({ label: key, points }));
  const periods = [...new Set(series.flatMap((s) => s.points.map((p) => p.period)))].sort();
  lineChart($("trends-chart"), periods, series);
  const rows = periods.map((period) => [
    period,
    ...series.map((s) => {
      const p = s.points.find((x) => x.period === period);
      return p ? `${fmt(p.value)} (n=${p.n})` : "–";
    }),
  ]);
  $("trends-table").replaceChildren(tableTwin("Scores by dimension over time", ["Period", ...series.map((s) => s.label)], rows));
}

// ---- heat-map -----------------------------------------------------------------------------

async function loadHeatmap(f) {
  const by = f.by === "agent" ? "team" : f.by;
  const rows = list(await client.get(ROUTES.breakdown + query({ by, since: f.since, until: f.until })), "rows", "groups", "items");
  document.querySelectorAll(".group-name").forEach((n) => (n.textContent = by));
  const elements = [...new Set(rows.flatMap((r) => Object.keys(r.elements || {})))].sort();
  const cellOf = (figure) => {
    const value = figure ? figure.mean : null;
    const { background, color } = heatColour(value, 100);
    const low = value !== null && value !== undefined && value < 50;
    return el(
      "td",
      { style: `background:${background};color:${color}`, class: low ? "low" : null, title: low ? "below 50%" : null },
      value === null || value === undefined ? "–" : `${Math.round(value)}%`,
      figure ? el("small", {}, `n=${figure.n}`) : null,
    );
  };
  $("heatmap").replaceChildren(
    el(
      "table",
      { class: "heat" },
      el("caption", { class: "visually-hidden" }, `Element scores by ${by}`),
      el("thead", {}, el("tr", {}, el("th", { scope: "col" }, `Element / ${by}`), rows.map((r) => el("th", { scope: "col" }, `${r.group} (${r.conversations})`)))),
      el("tbody", {}, elements.map((e) => el("tr", {}, el("th", { scope: "row" }, e), rows.map((r) => cellOf((r.elements || {})[e]))))),
    ),
  );
}

// ---- consistency --------------------------------------------------------------------------

async function loadConsistency(f) {
  const by = f.by === "team" ? "location" : f.by;
  $("consistency-by").textContent = `${by}s`;
  const rows = list(await client.get(ROUTES.consistency + query({ by, since: f.since, until: f.until })), "rows", "measures");
  const overall = rows.find((r) => r.measure === "overall") || rows[0];
  if (!overall) {
    $("consistency-summary").textContent = "No graded conversations in this period.";
    return;
  }
  const groups = overall.groups;
  barChart(
    $("consistency-chart"),
    groups.map((g) => g.group),
    groups.map((g) => g.mean),
    groups.map((g) => `${fmt(g.mean)}${g.outlier ? " ⚑" : ""} (n=${g.n})`),
    { yLabel: "mean overall score" },
  );
  $("consistency-summary").textContent =
    `Overall: spread ${fmt(overall.spread)} points between the highest and lowest ${by}, ` +
    `standard deviation of the ${by} means ${fmt(overall.between_sd)} (all conversations: ${fmt(overall.sd)}, n=${overall.n}). ` +
    (overall.outliers.length ? `Outliers (⚑): ${overall.outliers.join(", ")}.` : "No outliers.");
  const table = [];
  for (const row of rows) for (const g of row.groups) table.push([`${row.measure}: ${g.group}`, fmt(g.mean), String(g.n), g.z === null || g.z === undefined ? "–" : fmt(g.z, 2), g.outlier ? "yes" : "no"]);
  $("consistency-table").replaceChildren(tableTwin(`Consistency across ${by}s`, ["Measure: group", "Mean", "n", "z", "Outlier"], table));
}

// ---- most improved ------------------------------------------------------------------------

async function loadImproved(f, by = document.querySelector('.improved-by[aria-pressed="true"]').dataset.by) {
  // The period's second half against its first (the last 28 days when no period is chosen).
  const end = f.until ? new Date(f.until) : new Date();
  const start = f.since ? new Date(f.since) : new Date(end.getTime() - 28 * 864e5);
  const days = Math.max(1, Math.floor((end - start) / 864e5 / 2));
  const items = list(await client.get(ROUTES.improved + query({ by, days, until: end.toISOString(), min_n: 3 })), "items");
  $("improved-window").textContent = `Last ${days} days before ${end.toISOString().slice(0, 10)} against the ${days} days before them.`;
  $("improved").replaceChildren(
    ...(items.length
      ? items.map((i) =>
          el(
            "li",
            {},
            el("strong", {}, i.group),
            ": ",
            el("span", { class: i.change >= 0 ? "delta-up" : "delta-down" }, `${i.change >= 0 ? "+" : ""}${fmt(i.change)} points`),
            ` (${fmt(i.before.mean)} on ${i.before.n} → ${fmt(i.after.mean)} on ${i.after.n} conversations)`,
          ),
        )
      : [el("li", { class: "muted" }, "Not enough grades in both halves of the period to compare.")]),
  );
}

// ---- spotlight ----------------------------------------------------------------------------

async function loadSpotlight(f) {
  const data = await client.get(ROUTES.spotlight + query({ since: f.since, limit: 25 }));
  const items = list(data, "items", "entries");
  if (!items.length) {
    $("spotlight").replaceChildren(el("p", { class: "muted" }, "Nothing in the queue."));
    return;
  }
  $("spotlight").replaceChildren(
    el(
      "table",
      { class: "stack" },
      el("caption", { class: "visually-hidden" }, "Spotlight queue, most urgent first"),
      el("thead", {}, el("tr", {}, ["#", "Conversation", "Why", "Score", "Agent / team", "Status"].map((h) => el("th", { scope: "col" }, h)))),
      el(
        "tbody",
        {},
        items.map((item, index) =>
          el(
            "tr",
            {},
            el("td", { "data-label": "#" }, String(index + 1)),
            el("td", { "data-label": "Conversation" }, el("a", { href: `#/conversation/${encodeURIComponent(item.grade_id)}` }, item.transcript_id)),
            el("td", { "data-label": "Why" }, item.reasons.map((r) => el("span", { class: "reason" }, `${r.kind.replace(/_/g, " ")}: ${r.detail}`))),
            el("td", { "data-label": "Score" }, fmt(item.overall)),
            el("td", { "data-label": "Agent / team" }, [item.agent, item.team].filter(Boolean).join(" · ") || "–"),
            el("td", { "data-label": "Status" }, item.assignee ? `${item.status} (${item.assignee})` : item.status),
          ),
        ),
      ),
    ),
  );
}

// ---- patterns and calibration ---------------------------------------------------------------

async function loadPatterns(f) {
  const report = await client.get(ROUTES.patterns + query({ since: f.since, until: f.until }));
  const link = (x) => el("a", { href: `#/conversation/${encodeURIComponent(x.grade_id)}`, class: "reason" }, x.transcript_id);
  const items = [
    ...(report.clusters || []).map((c) =>
      el(
        "li",
        {},
        el("strong", {}, el("q", {}, c.label)),
        ` — ${c.sentences} similar sentences in ${c.conversations} conversations; failing `,
        Object.entries(c.elements).map(([e, n]) => `${e} (${n})`).join(", "),
        c.examples.length ? el("div", { class: "small" }, "Examples: ", c.examples.slice(0, 3).map(link)) : null,
      ),
    ),
    ...(report.phrases || []).map((p) =>
      el("li", {}, "Phrase ", el("q", {}, p.phrase), ` (${p.kind}) in ${p.conversations} conversations; failing `,
        Object.entries(p.failed_elements).map(([e, n]) => `${e} (${n})`).join(", ")),
    ),
    ...[...(report.co_failures || [])].sort((a, b) => b.together - a.together || b.lift - a.lift).slice(0, 5).map((c) =>
      el("li", {}, `${c.elements[0]} and ${c.elements[1]} fail together in ${c.together} conversations (${fmt(c.lift, 2)}× as often as by chance)`),
    ),
  ];
  $("patterns").replaceChildren(...(items.length ? items : [el("li", { class: "muted" }, "No recurring failure pattern in this period.")]));
}

function estimate(e) {
  if (!e || e.value === null || e.value === undefined) return e && e.reason ? `– (${e.reason})` : "–";
  const ci = e.low !== null && e.low !== undefined ? ` [${fmt(e.low, 2)}, ${fmt(e.high, 2)}]` : "";
  return `${fmt(e.value, 2)}${ci}`;
}

async function loadCalibration() {
  const runs = list(await client.get(ROUTES.calibrationRuns), "data");
  const run = runs.find((r) => r.status === "done") || runs[0];
  if (!run) {
    $("calibration").replaceChildren(el("p", { class: "muted" }, "No calibration run yet."));
    return;
  }
  const when = (run.finished_at || run.created_at || "").slice(0, 16).replace("T", " ");
  const head = el("p", {}, `Run ${run.id} on set ${run.set_id}: ${run.status}${when ? `, ${when} UTC` : ""}, ${run.folds}-fold cross-validation.`);
  if (run.status !== "done" || !run.result) {
    $("calibration").replaceChildren(head, el("p", { class: run.error ? "alert" : "muted" }, run.error || "Still running."));
    return;
  }
  const rows = [];
  for (const [name, check] of Object.entries(run.result))
    for (const t of check.targets || [])
      rows.push([`${name}: ${t.target}`, String(t.items), estimate(t.calibrated), estimate(t.baseline), estimate(t.raw), estimate(t.gain), estimate(t.split_half || t.one_human)]);
  $("calibration").replaceChildren(
    head,
    el("p", { class: "small muted" }, "Spearman correlation with the human scores, out of fold, 95% interval in brackets."),
    el(
      "div",
      { class: "scroll" },
      el(
        "table",
        { class: "stack" },
        el("thead", {}, el("tr", {}, ["Target", "Items", "Calibrated", "Baseline", "Raw grader", "Gain", "Humans"].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c, i) => el("td", { "data-label": ["Target", "Items", "Calibrated", "Baseline", "Raw grader", "Gain", "Humans"][i] }, c))))),
      ),
    ),
  );
}

// ---- page wiring --------------------------------------------------------------------------

async function loadOverview() {
  showAlert("");
  document.body.dataset.loaded = "";
  const f = filters();
  const results = await Promise.allSettled([
    section("trends-table", () => loadTrends(f)),
    section("heatmap", () => loadHeatmap(f)),
    section("consistency-table", () => loadConsistency(f)),
    section("improved", () => loadImproved(f)),
    section("spotlight", () => loadSpotlight(f)),
    section("patterns", () => loadPatterns(f)),
    section("calibration", () => loadCalibration()),
  ]);
  const failed = results.filter((r) => r.status === "rejected").map((r) => r.reason);
  const auth = failed.find((e) => e.kind === "auth");
  const down = failed.find((e) => e.kind === "down");
  if (auth || down) showAlert(describeError(auth || down));
  $("api-status").textContent = failed.length ? `${failed.length} section(s) failed` : "Up to date";
  $("api-status").dataset.kind = failed.length ? "bad" : "ok";
  document.body.dataset.loaded = "overview";
}

function route() {
  const match = /^#\/conversation\/(.+)$/.exec(location.hash);
  $("overview").hidden = Boolean(match);
  $("conversation").hidden = !match;
  if (match) {
    document.body.dataset.loaded = "";
    showConversation(client, decodeURIComponent(match[1]), showAlert).then(() => (document.body.dataset.loaded = "conversation"));
  } else {
    loadOverview();
  }
}

document.querySelectorAll(".improved-by").forEach((button) =>
  button.addEventListener("click", () => {
    document.querySelectorAll(".improved-by").forEach((b) => b.setAttribute("aria-pressed", String(b === button)));
    section("improved", () => loadImproved(filters(), button.dataset.by)).catch(() => {});
  }),
);
$("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  loadOverview();
});
$("settings-form").addEventListener("submit", (event) => {
  event.preventDefault();
  config = { api: $("set-api").value.trim().replace(/\/$/, "") || location.origin, key: $("set-key").value.trim(), origins: [] };
  saveConfig(STORAGE, config);
  client = createClient(config, { timeoutMs: 30000 });
  route();
});
if (new URLSearchParams(location.hash.replace(/^#/, "")).get("key")) {
  saveConfig(STORAGE, config); // a key handed over in the link: kept here, not left in the address bar
  history.replaceState(null, "", location.pathname + location.search);
}
$("set-api").value = config.api;
$("set-key").value = config.key;
if (!config.key) $("settings").open = true;
window.addEventListener("hashchange", route);
route();
