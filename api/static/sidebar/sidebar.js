// The helpdesk sidebar: checks the agent's reply for policy-speak, streams a grounded
// suggestion, offers tone rewrites, and records whether the agent used it.
import { ApiError, createClient, describeError, editDistance, el, highlight, loadConfig, saveConfig } from "../common/client.js";
import { latestAgentReply, listenToHelpdesk, turnsFromConversation, turnsFromText } from "./chatwoot.js";

const ROUTES = {
  health: "/v1/health",
  suggest: "/v1/suggestions",
  stream: "/v1/suggestions/stream",
  rewrite: "/v1/rewrites",
  feedback: "/v1/suggestions/feedback",
  policy: (id) => `/v1/policies/${encodeURIComponent(id)}`,
  answer: (id) => `/v1/model-answers/${encodeURIComponent(id)}`,
};
const STORAGE = "grader.sidebar";
const SLOW_MS = Number(new URLSearchParams(location.search).get("slow_ms")) || 6000;
const TIMEOUT_MS = 90000;

const $ = (id) => document.getElementById(id);
let config = loadConfig(STORAGE);
let client = createClient(config, { timeoutMs: TIMEOUT_MS });
let helpdesk = null;
const state = {
  context: [], // turns before the reply being checked
  renderedConversation: "", // what the conversation box showed when the helpdesk filled it
  conversationId: null,
  suggestion: null,
  suggested: "", // the latest text the coach produced (feedback measures edits against it)
  busy: false,
  rejectedPosts: 0,
};

// ---- messages to the agent -------------------------------------------------------------

function showAlert(message) {
  const box = $("alert");
  box.textContent = message;
  box.hidden = !message;
}

function setStatus(text, kind) {
  const pill = $("api-status");
  pill.textContent = text;
  pill.dataset.kind = kind;
}

function statusFor(error) {
  if (error.kind === "auth") setStatus("Key rejected", "bad");
  else if (error.kind === "down") setStatus("API down", "bad");
}

/** The API answers, and the key works with the coach scope (a cheap authenticated read). */
async function checkHealth() {
  try {
    await client.get(ROUTES.health, { timeout: 8000 });
    if (!config.key) {
      setStatus("No key", "bad");
      showAlert("No API key yet: open Settings and paste the key your admin gave you.");
      return;
    }
    await client.get(`${ROUTES.feedback}?limit=1`, { timeout: 8000 });
    setStatus("API ready", "ok");
  } catch (error) {
    setStatus(error.kind === "auth" ? "Key rejected" : "API down", "bad");
    showAlert(describeError(error));
  }
}

// ---- context from the helpdesk or pasted -------------------------------------------------

function linesOf(turns) {
  const names = { customer: "Customer", agent: "Agent", bot: "Bot", supervisor: "Supervisor", system: "System" };
  return turns.map((t) => `${names[t.role] || t.role}: ${t.text.replace(/\n/g, " ")}`).join("\n");
}

function applyHelpdeskContext({ conversation, contact, currentAgent }) {
  const turns = turnsFromConversation(conversation);
  const { draft, context } = latestAgentReply(turns, currentAgent);
  const id = conversation && conversation.id !== undefined ? String(conversation.id) : null;
  if (id !== state.conversationId && !state.busy) {
    // Another conversation opened in the helpdesk: the last one's findings no longer apply.
    $("verdict").hidden = true;
    $("suggestion").hidden = true;
    showAlert("");
  }
  state.context = context;
  state.conversationId = id;
  state.renderedConversation = linesOf(context);
  $("conversation").value = state.renderedConversation;
  $("draft").value = draft;
  const who = contact && contact.name ? ` with ${contact.name}` : "";
  const number = id ? ` #${id}` : "";
  const agent = currentAgent && currentAgent.name ? ` You are signed in as ${currentAgent.name}.` : "";
  $("ctx-summary").textContent = draft
    ? `Conversation${number}${who}: ${turns.length} messages; checking the latest agent reply.${agent}`
    : `Conversation${number}${who}: ${turns.length} messages; no agent reply yet, so type your draft.${agent}`;
  document.body.dataset.context = "helpdesk";
}

function currentContext() {
  const text = $("conversation").value;
  if (text === state.renderedConversation) return state.context;
  return turnsFromText(text);
}

// ---- the verdict --------------------------------------------------------------------------

function renderVerdict(draft, detection) {
  const spans = detection.spans || [];
  const flagged = detection.flagged ?? spans.length > 0;
  $("verdict").hidden = false;
  $("verdict").dataset.flagged = String(flagged);
  $("verdict-line").textContent = flagged
    ? "⚠ Reads as policy-speak: the customer hears a rule, not help."
    : "✓ Reads fine: no policy-speak found.";
  $("verdict-text").replaceChildren(...highlight(draft, spans));
  const reasons = spans.map((s) => el("li", {}, el("q", {}, s.phrase), ` — ${s.reason}`));
  if (flagged && detection.explains_reason === false) reasons.push(el("li", {}, "It gives no reason behind the rule."));
  if (flagged && detection.offers_alternative === false) reasons.push(el("li", {}, "It offers nothing the customer can do instead."));
  $("verdict-reasons").replaceChildren(...reasons);
}

// ---- the suggestion -----------------------------------------------------------------------

function resetSuggestion() {
  state.suggestion = null;
  state.suggested = "";
  $("suggestion").hidden = false;
  $("suggestion-text").value = "";
  $("suggestion-text").readOnly = true;
  $("suggestion-state").textContent = "Writing a suggestion…";
  $("coaching-note").textContent = "";
  $("sources").replaceChildren();
  $("feedback-state").textContent = "";
  $("copy-state").textContent = "";
  for (const b of document.querySelectorAll(".feedback, .tone, #copy")) b.disabled = true;
}

function sourceItems(suggestion) {
  const sources = suggestion.sources || [];
  const cited = new Set([...(suggestion.cited_policy_ids || []), ...(suggestion.cited_answer_ids || [])]);
  const items = sources.map((s) =>
    el(
      "li",
      { "data-cited": cited.has(s.id) ? "true" : "false" },
      el("strong", {}, `${s.kind === "policy" ? "Policy" : "Model answer"}: ${s.title || s.id}`),
      cited.has(s.id) ? " (cited)" : "",
      s.text ? el("span", { class: "source-text" }, s.text) : null,
    ),
  );
  const listed = new Set(sources.map((s) => s.id));
  for (const id of suggestion.cited_policy_ids || []) if (!listed.has(id)) items.push(el("li", {}, el("strong", {}, "Policy: "), id));
  for (const id of suggestion.cited_answer_ids || []) if (!listed.has(id)) items.push(el("li", {}, el("strong", {}, "Model answer: "), id));
  if (items.length) return items;
  const told = "sources" in suggestion || "cited_policy_ids" in suggestion || "cited_answer_ids" in suggestion;
  return [el("li", { class: "muted" }, told ? "No model answer or policy matched this conversation." : "The API sent no sources with this suggestion.")];
}

/** Cited records the API named by id only: fetched, so the agent sees what backs the reply. */
async function withSources(suggestion) {
  if (suggestion.sources) return suggestion;
  const wanted = [
    ...(suggestion.cited_policy_ids || []).map((id) => ["policy", id]),
    ...(suggestion.cited_answer_ids || []).map((id) => ["answer", id]),
  ];
  if (!wanted.length) return suggestion;
  const found = await Promise.all(
    wanted.map(([kind, id]) =>
      client.get(kind === "policy" ? ROUTES.policy(id) : ROUTES.answer(id)).then(
        (r) => ({ id, kind, title: r.title || (r.scenario || id).replace(/_/g, " "), text: kind === "policy" ? [r.rule, r.reason].filter(Boolean).join(" ") : r.text }),
        () => ({ id, kind }),
      ),
    ),
  );
  return { ...suggestion, sources: found };
}

function finishSuggestion(suggestion, streamed) {
  state.suggestion = suggestion;
  const text = suggestion.reply || streamed;
  const box = $("suggestion-text");
  box.value = text;
  state.suggested = text;
  const usable = Boolean(text) && (suggestion.status === "ok" || suggestion.status === "flagged");
  box.readOnly = !usable;
  const flags = (suggestion.flags || []).join("; ");
  const messages = {
    ok: "Ready. Edit it if you like, then copy it into your reply.",
    flagged: `Ready, with a note: ${flags || "part of it was changed by the checks"}.`,
    rejected: `No suggestion offered: ${suggestion.error || flags || "it did not read better than your reply"}.`,
    failed: `The coach could not write a suggestion: ${suggestion.error || flags || "unknown error"}.`,
  };
  $("suggestion-state").textContent = messages[suggestion.status] || "Ready.";
  $("coaching-note").textContent =
    suggestion.coaching_note || ("coaching_note" in suggestion ? "No coaching note for this reply." : "The API sent no coaching note with this suggestion.");
  $("sources").replaceChildren(...sourceItems(suggestion));
  for (const b of document.querySelectorAll(".tone, #copy, .feedback")) b.disabled = !usable;
  updateEdited();
  if (!$("verdict").dataset.flagged && suggestion.policy_speak) {
    renderVerdict(state.draft, { spans: suggestion.policy_speak });
  }
}

async function check() {
  if (state.busy) return;
  const draft = $("draft").value.trim();
  if (!draft) {
    showAlert("Type or paste the reply to check first.");
    $("draft").focus();
    return;
  }
  showAlert("");
  state.busy = true;
  state.draft = draft;
  $("check").disabled = true;
  $("verdict").hidden = true;
  delete $("verdict").dataset.flagged;
  resetSuggestion();
  const slow = setTimeout(() => ($("slow").hidden = false), SLOW_MS);
  const body = { draft, context: currentContext(), tone: $("tone").value };
  let streamed = "";
  let finished = false;
  try {
    try {
      for await (const { event, data } of client.stream(ROUTES.stream, body)) {
        if (event === "detection") renderVerdict(draft, data);
        else if (event === "delta") {
          streamed += typeof data === "string" ? data : data.text || "";
          $("suggestion-text").value = streamed;
        } else if (event === "suggestion") {
          finishSuggestion(data, streamed);
          finished = true;
          if (!data.sources) withSources(data).then((full) => full !== data && ($("sources").replaceChildren(...sourceItems(full))));
        } else if (event === "error") {
          const error = (data && data.error) || data || {};
          throw new ApiError(error.code === "timeout" ? "timeout" : "server", error.message || String(error));
        }
      }
    } catch (error) {
      if (!(error instanceof ApiError && error.kind === "missing" && !streamed)) throw error;
      finishSuggestion(await withSources(await client.post(ROUTES.suggest, body)), ""); // no streaming route
      finished = true;
    }
    if (!finished) throw new ApiError("server", "The suggestion stream ended before the suggestion was complete.");
  } catch (error) {
    showAlert(describeError(error));
    statusFor(error);
    $("suggestion-state").textContent = "No suggestion this time.";
  } finally {
    clearTimeout(slow);
    $("slow").hidden = true;
    state.busy = false;
    $("check").disabled = false;
  }
}

// ---- tone, copy, feedback -----------------------------------------------------------------

async function changeTone(button) {
  const box = $("suggestion-text");
  const text = box.value.trim();
  if (!text) return;
  const buttons = document.querySelectorAll(".tone");
  buttons.forEach((b) => (b.disabled = true));
  $("suggestion-state").textContent = `Rewriting: ${button.textContent.toLowerCase()}…`;
  const slow = setTimeout(() => ($("slow").hidden = false), SLOW_MS);
  try {
    const result = await client.post(ROUTES.rewrite, { text, operation: button.dataset.operation, context: currentContext() });
    if (result.status !== "ok") throw new ApiError("server", result.error || "the rewrite failed");
    box.value = result.text;
    state.suggested = result.text;
    $("suggestion-state").textContent = `Rewritten: ${button.textContent.toLowerCase()}.`;
    updateEdited();
  } catch (error) {
    showAlert(describeError(error));
    $("suggestion-state").textContent = "The rewrite did not work; the text is unchanged.";
  } finally {
    clearTimeout(slow);
    $("slow").hidden = true;
    buttons.forEach((b) => (b.disabled = false));
  }
}

async function copy() {
  const box = $("suggestion-text");
  try {
    await navigator.clipboard.writeText(box.value);
  } catch {
    box.select(); // clipboard API refused in this frame: fall back to the selection
    document.execCommand("copy");
  }
  $("copy-state").textContent = "Copied.";
}

function updateEdited() {
  const edited = $("suggestion-text").value !== state.suggested;
  document.querySelector('.feedback[data-outcome="edited"]').disabled = !edited || !state.suggestion;
  document.querySelector('.feedback[data-outcome="accepted"]').disabled = edited || !state.suggestion;
}

async function sendFeedback(button) {
  const outcome = button.dataset.outcome;
  const final = $("suggestion-text").value;
  const body = {
    suggestion_id: (state.suggestion && state.suggestion.id) || null,
    conversation_id: state.conversationId,
    outcome,
    draft: state.draft,
    suggested: state.suggested,
    final: outcome === "rejected" ? null : final,
  };
  try {
    const saved = await client.post(ROUTES.feedback, body);
    const distance = saved && saved.edit_distance !== undefined && saved.edit_distance !== null
      ? saved.edit_distance : editDistance(state.suggested, final);
    const words = { accepted: "used as is", edited: `edited (${distance} characters changed)`, rejected: "rejected" };
    $("feedback-state").textContent = `Thanks, recorded: ${words[outcome]}.`;
    document.querySelectorAll(".feedback").forEach((b) => (b.disabled = true));
  } catch (error) {
    showAlert(describeError(error));
  }
}

// ---- settings and wiring -------------------------------------------------------------------

function startHelpdesk() {
  if (helpdesk) helpdesk.stop();
  helpdesk = null;
  const framed = window.parent && window.parent !== window;
  if (!framed) return;
  if (!config.origins.length) {
    showAlert("This app is inside a page, but no helpdesk origin is set, so it ignores what the page sends. Add ?origin=https://your-helpdesk to its URL or set it in Settings.");
    return;
  }
  helpdesk = listenToHelpdesk({
    origins: config.origins,
    onContext: applyHelpdeskContext,
    onRejected: (origin) => {
      state.rejectedPosts += 1;
      document.body.dataset.rejectedPosts = String(state.rejectedPosts);
      console.warn(`ignored a message from ${origin}: not the configured helpdesk`);
    },
  });
  helpdesk.request();
}

function fillSettings() {
  $("set-api").value = config.api;
  $("set-key").value = config.key;
  $("set-origins").value = config.origins.join(", ");
}

$("settings-form").addEventListener("submit", (event) => {
  event.preventDefault();
  config = {
    api: $("set-api").value.trim().replace(/\/$/, "") || location.origin,
    key: $("set-key").value.trim(),
    origins: $("set-origins").value.split(",").map((o) => o.trim().replace(/\/$/, "")).filter(Boolean),
  };
  saveConfig(STORAGE, config);
  client = createClient(config, { timeoutMs: TIMEOUT_MS });
  showAlert("");
  checkHealth();
  startHelpdesk();
});

$("check").addEventListener("click", check);
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    check();
  }
});
document.querySelectorAll(".tone").forEach((b) => b.addEventListener("click", () => changeTone(b)));
document.querySelectorAll(".feedback").forEach((b) => b.addEventListener("click", () => sendFeedback(b)));
$("copy").addEventListener("click", copy);
$("suggestion-text").addEventListener("input", updateEdited);

fillSettings();
if (!config.key) $("settings").open = true;
checkHealth();
startHelpdesk();
document.body.dataset.ready = "true";
