// One graded conversation: the transcript with each verdict's evidence highlighted, the
// verdicts with their judges and confidence, overrides by a reviewer and decisions on disputes.
import { describeError, el, highlight } from "../common/client.js";
import { ROUTES } from "./routes.js";

const $ = (id) => document.getElementById(id);
const ROLE_NAMES = { customer: "Customer", agent: "Agent", bot: "Bot", supervisor: "Supervisor", system: "System" };

function pct(value) {
  return value === null || value === undefined ? "–" : `${Math.round(value * 100)}%`;
}

function scoreText(verdict) {
  if (verdict.status === "na") return "N/A";
  if (verdict.status === "uncertain" || verdict.score === null) return "uncertain";
  return `${verdict.score} / ${verdict.max_score}`;
}

/** Evidence spans per turn: [{start, end, reason, elements}] found by the verbatim quote. */
function evidenceSpans(turns, verdicts) {
  const spans = turns.map(() => []);
  for (const verdict of verdicts) {
    for (const ev of verdict.evidence || []) {
      const turn = turns[ev.turn_index];
      if (!turn || !ev.quote) continue;
      const start = turn.text.indexOf(ev.quote);
      if (start < 0) continue;
      const existing = spans[ev.turn_index].find((s) => s.start === start && s.end === start + ev.quote.length);
      if (existing) existing.elements.push(verdict.element_id);
      else spans[ev.turn_index].push({ start, end: start + ev.quote.length, elements: [verdict.element_id], sentence: ev.sentence_id });
    }
  }
  for (const list of spans) for (const s of list) s.reason = `evidence for ${s.elements.join(", ")}`;
  return spans;
}

/** Without a stored transcript: the cited sentences, turn by turn (what the evidence quotes). */
function turnsFromEvidence(verdicts) {
  const byTurn = new Map();
  for (const v of verdicts)
    for (const ev of v.evidence || []) {
      if (!byTurn.has(ev.turn_index)) byTurn.set(ev.turn_index, { role: ev.role, quotes: [] });
      const turn = byTurn.get(ev.turn_index);
      if (!turn.quotes.includes(ev.quote)) turn.quotes.push(ev.quote);
    }
  const turns = [];
  const last = Math.max(-1, ...byTurn.keys());
  for (let i = 0; i <= last; i++) {
    const t = byTurn.get(i);
    turns.push(t ? { role: t.role, text: t.quotes.join(" … ") } : { role: "system", text: "(not cited)" });
  }
  return turns;
}

function renderTranscript(turns, verdicts) {
  const spans = evidenceSpans(turns, verdicts);
  $("transcript").replaceChildren(
    ...turns.map((turn, index) => {
      const nodes = highlight(turn.text, spans[index]);
      let m = 0;
      for (const node of nodes) {
        if (node.nodeName !== "MARK") continue;
        const span = spans[index].filter((s) => s.end > s.start).sort((a, b) => a.start - b.start)[m++];
        if (span) {
          node.dataset.elements = span.elements.join(" ");
          node.dataset.sentence = span.sentence || "";
          node.tabIndex = -1;
        }
      }
      return el("li", { "data-role": turn.role, "data-turn": String(index) }, el("span", { class: "who" }, `${ROLE_NAMES[turn.role] || turn.role} · turn ${index}`), ...nodes);
    }),
  );
}

function focusEvidence(elementId) {
  let first = null;
  for (const mark of document.querySelectorAll("#transcript mark")) {
    const on = (mark.dataset.elements || "").split(" ").includes(elementId);
    mark.classList.toggle("active", on);
    if (on && !first) first = mark;
  }
  if (first) {
    first.scrollIntoView({ block: "center" });
    first.focus();
  }
}

function votesTable(votes) {
  if (!votes || !votes.length) return el("p", { class: "small muted" }, "Taken as given (no judge votes recorded).");
  return el(
    "table",
    { class: "votes" },
    el("thead", {}, el("tr", {}, ["Judge", "Score", "Confidence"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, votes.map((v) => el("tr", {}, el("td", {}, v.judge), el("td", {}, v.score === null ? "N/A" : String(v.score)), el("td", {}, pct(v.confidence))))),
  );
}

function overrideForm(client, gradeId, verdict, onStored) {
  const id = `ov-${verdict.element_id}`;
  const options = [el("option", { value: "" }, "Choose…")];
  for (let s = 0; s <= verdict.max_score; s++) options.push(el("option", { value: String(s) }, `${s} / ${verdict.max_score}`));
  options.push(el("option", { value: "na" }, "N/A (does not apply)"));
  const select = el("select", { id: `${id}-score`, name: "score", required: true }, options);
  const reason = el("input", { id: `${id}-reason`, name: "reason", type: "text", required: true, minlength: "3", placeholder: "Why the grader was wrong" });
  const status = el("p", { class: "small", role: "status" });
  const form = el(
    "form",
    { class: "override", "data-element": verdict.element_id },
    el("label", { for: `${id}-score` }, `Override ${verdict.element_id}`),
    select,
    el("label", { for: `${id}-reason` }, "Reason"),
    reason,
    el("div", { class: "row" }, el("button", { type: "submit" }, "Save override")),
    status,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const na = select.value === "na";
    try {
      await client.post(ROUTES.override(gradeId), {
        element_id: verdict.element_id,
        score: na ? null : Number(select.value),
        reason: reason.value.trim(),
      });
      status.className = "stored";
      status.textContent = `Override stored: ${na ? "N/A" : `${select.value} / ${verdict.max_score}`}.`;
      onStored();
    } catch (error) {
      status.className = "small alert";
      status.textContent = describeError(error);
    }
  });
  return el("details", { class: "override-box" }, el("summary", {}, "Override this verdict"), form);
}

function reviewsFor(data, elementId) {
  return (data.reviews || []).filter((r) => Object.prototype.hasOwnProperty.call(r.labels || {}, elementId));
}

const STATUS_WORDS = { submitted: "waiting for a lead", accepted: "accepted: a gold label", rejected: "rejected" };

function reviewLine(client, review, verdict, reload) {
  const score = review.labels[verdict.element_id];
  const status = el("span", { role: "status" });
  const decide = async (decision) => {
    try {
      await client.post(ROUTES.decideReview(review.id, decision), { note: `${decision}ed in the dashboard` });
      reload();
    } catch (error) {
      status.textContent = ` ${describeError(error)}`;
    }
  };
  return el(
    "div",
    { class: "stored", "data-review": review.id },
    `${review.kind === "override" ? "Overridden" : "Reviewed"} to ${score === null ? "N/A" : `${score} / ${verdict.max_score}`} by ${review.reviewer}`,
    review.reason ? `: ${review.reason}` : "",
    ` (${STATUS_WORDS[review.status] || review.status})`,
    review.status === "submitted"
      ? el("span", { class: "row" }, el("button", { type: "button", onclick: () => decide("accept") }, "Accept override"), el("button", { type: "button", onclick: () => decide("reject") }, "Reject override"))
      : null,
    status,
  );
}

function renderVerdicts(client, gradeId, data, reload) {
  const verdicts = data.grade.verdicts || [];
  $("verdicts").replaceChildren(
    ...verdicts.map((v) => {
      const reviews = reviewsFor(data, v.element_id);
      return el(
        "article",
        { class: "verdict-card", "data-element": v.element_id, "data-status": v.status },
        el("h4", {}, el("span", {}, `${v.element_id}`, el("span", { class: "small muted" }, ` · ${v.dimension_id}`)), el("span", { class: "score" }, scoreText(v))),
        el("p", { class: "small" }, `Confidence ${pct(v.confidence)}${v.agreement !== null && v.agreement !== undefined ? ` · judges agree ${pct(v.agreement)}` : ""} · ${v.status}`),
        v.rationale ? el("p", { class: "small" }, v.rationale) : null,
        votesTable(v.votes),
        (v.evidence || []).length
          ? el("button", { type: "button", class: "small", onclick: () => focusEvidence(v.element_id) }, `Show ${v.evidence.length} evidence sentence(s)`)
          : el("p", { class: "small muted" }, "No evidence cited."),
        reviews.map((r) => reviewLine(client, r, v, reload)),
        overrideForm(client, gradeId, v, reload),
      );
    }),
  );
}

function renderDisputes(client, data, reload) {
  const disputes = data.disputes || [];
  $("disputes").replaceChildren(
    ...disputes.map((d) => {
      const status = el("p", { class: "small", role: "status" });
      const decide = async (decision) => {
        try {
          await client.post(ROUTES.decideDispute(d.id, decision), { note: `${decision}ed in the dashboard` });
          reload();
        } catch (error) {
          status.textContent = describeError(error);
        }
      };
      const on = d.element_ids && d.element_ids.length ? ` ${d.element_ids.join(", ")}` : " the grade";
      const proposed = Object.entries(d.proposed || {}).map(([e, v]) => `${e} → ${v === null ? "N/A" : v}`).join(", ");
      return el(
        "div",
        { class: "dispute", "data-dispute": d.id, "data-status": d.status },
        el("strong", {}, `${d.raised_by} disputes${on}: `),
        d.reason,
        proposed ? el("div", { class: "small" }, `Proposed: ${proposed}`) : null,
        d.status === "open"
          ? el("div", { class: "row" }, el("button", { type: "button", onclick: () => decide("accept") }, "Accept dispute"), el("button", { type: "button", onclick: () => decide("reject") }, "Reject dispute"))
          : el("div", { class: "small" }, `Dispute ${d.status}${d.decided_by ? ` by ${d.decided_by}` : ""}.`),
        status,
      );
    }),
  );
}

/** Loads and draws the conversation of one grade. */
export async function showConversation(client, gradeId, showAlert) {
  const reload = () => showConversation(client, gradeId, showAlert);
  try {
    const data = await client.get(ROUTES.conversation(gradeId));
    const grade = data.grade;
    let turns = (data.transcript && data.transcript.turns) || data.turns || [];
    const partial = !turns.length;
    if (partial) turns = turnsFromEvidence(grade.verdicts || []);
    $("transcript-note").hidden = !partial;
    $("conv-title").textContent = `Conversation ${grade.transcript_id}`;
    const meta = (data.transcript && data.transcript.metadata) || {};
    $("conv-meta").textContent = [
      grade.overall !== null && grade.overall !== undefined ? `Overall ${grade.overall.toFixed(1)}` : "Not scored",
      meta.agent && `agent ${meta.agent}`,
      meta.team && `team ${meta.team}`,
      meta.location && `location ${meta.location}`,
      data.assignment && `assigned to ${data.assignment.assignee || "nobody"} (${data.assignment.status})`,
      grade.needs_review ? `needs review: ${(grade.review_reasons || []).join("; ")}` : null,
    ].filter(Boolean).join(" · ");
    renderTranscript(turns, grade.verdicts || []);
    renderDisputes(client, data, reload);
    renderVerdicts(client, gradeId, data, reload);
    showAlert("");
  } catch (error) {
    showAlert(describeError(error));
    $("verdicts").replaceChildren();
    $("transcript").replaceChildren();
  }
}
