// The Chatwoot Dashboard App protocol, and Chatwoot's conversation mapped to the grader's turns.
//
// Chatwoot posts a JSON *string* to the app's frame with target origin "*":
//   {"event": "appContext", "data": {"conversation": {...}, "contact": {...}, "currentAgent": {...}}}
// (currentAgent is absent in older versions). The app asks again by posting the string
// "chatwoot-dashboard-app:fetch-info" to its parent. Because anyone can post to a frame,
// messages from an origin other than the configured helpdesk's are dropped.

export const FETCH_INFO = "chatwoot-dashboard-app:fetch-info";

// message_type: 0 incoming (the contact), 1 outgoing (an agent, a bot or an automation),
// 2 activity ("Assigned to Jane"), 3 template (a bot's canned message).
const INCOMING = 0;
const OUTGOING = 1;
const ACTIVITY = 2;
const TEMPLATE = 3;
const TYPE_NAMES = { incoming: INCOMING, outgoing: OUTGOING, activity: ACTIVITY, template: TEMPLATE };

function messageType(message) {
  const value = message.message_type;
  if (typeof value === "string") return TYPE_NAMES[value.trim().toLowerCase()] ?? -1;
  return typeof value === "number" ? value : -1;
}

function senderKind(message) {
  const kind = message.sender_type || (message.sender && message.sender.type) || "";
  return String(kind).replace(/_/g, "").toLowerCase();
}

function isoTime(value) {
  if (value === null || value === undefined || value === "") return null;
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** The visible conversation as turns {role, text, timestamp, author_id}; private notes dropped. */
export function turnsFromConversation(conversation) {
  const messages = Array.isArray(conversation && conversation.messages) ? conversation.messages : [];
  const turns = [];
  for (const message of messages) {
    if (!message || typeof message !== "object" || message.private) continue;
    const text = typeof message.content === "string" ? message.content.trim() : "";
    if (!text) continue;
    const type = messageType(message);
    let role;
    if (type === INCOMING) role = "customer";
    else if (type === ACTIVITY) role = "system";
    else if (type === OUTGOING || type === TEMPLATE) role = senderKind(message) === "user" ? "agent" : "bot";
    else continue;
    const sender = message.sender || {};
    turns.push({
      role,
      text,
      timestamp: isoTime(message.created_at),
      author_id: sender.id === undefined || sender.id === null ? null : String(sender.id),
    });
  }
  turns.sort((a, b) => (a.timestamp || "").localeCompare(b.timestamp || ""));
  return turns;
}

/** The agent's latest reply (the current agent's, when known) and the turns before it. */
export function latestAgentReply(turns, currentAgent) {
  const mine = currentAgent && currentAgent.id !== undefined ? String(currentAgent.id) : null;
  let index = -1;
  for (let i = turns.length - 1; i >= 0; i--) {
    if (turns[i].role !== "agent") continue;
    if (mine === null || turns[i].author_id === mine) {
      index = i;
      break;
    }
    if (index < 0) index = i; // someone else's reply, kept unless the current agent has one
  }
  if (index < 0) return { draft: "", context: turns };
  return { draft: turns[index].text, context: turns.slice(0, index) };
}

/**
 * Listen for appContext from the allowed origins; returns {request, stop}.
 * onContext({conversation, contact, currentAgent}), onRejected(origin) for a dropped post.
 */
export function listenToHelpdesk({ origins, onContext, onRejected }) {
  const allowed = new Set(origins);
  function handler(event) {
    if (!allowed.has(event.origin)) {
      if (onRejected) onRejected(event.origin);
      return;
    }
    let payload = event.data;
    if (typeof payload === "string") {
      try {
        payload = JSON.parse(payload);
      } catch {
        return; // another widget's chatter, not ours
      }
    }
    if (!payload || payload.event !== "appContext" || typeof payload.data !== "object" || !payload.data) return;
    const { conversation = null, contact = null, currentAgent = null } = payload.data;
    onContext({ conversation, contact, currentAgent });
  }
  window.addEventListener("message", handler);
  const request = () => {
    if (window.parent && window.parent !== window) {
      // The request carries nothing secret, and Chatwoot's origin is matched on the answer.
      for (const origin of allowed) window.parent.postMessage(FETCH_INFO, origin);
    }
  };
  return { request, stop: () => window.removeEventListener("message", handler) };
}

/** "Customer: ..." / "Agent: ..." lines (one turn per line) into turns. */
export function turnsFromText(text) {
  const roles = { customer: "customer", client: "customer", user: "customer", agent: "agent", bot: "bot", supervisor: "supervisor", system: "system" };
  const turns = [];
  for (const raw of text.split(/\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const match = /^([A-Za-z]+)\s*:\s*(.*)$/.exec(line);
    const role = match && roles[match[1].toLowerCase()];
    if (role) turns.push({ role, text: match[2] });
    else if (turns.length) turns[turns.length - 1].text += `\n${line}`;
    else turns.push({ role: "customer", text: line });
  }
  return turns.filter((t) => t.text.trim());
}
