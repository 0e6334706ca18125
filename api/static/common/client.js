// The API client shared by the sidebar and the dashboard: one place that turns a failed
// request into a sentence an agent can act on (API down, wrong key, slow model).

export class ApiError extends Error {
  /** kind: "down" | "auth" | "timeout" | "rate" | "invalid" | "missing" | "server" */
  constructor(kind, message, status = 0, detail = null) {
    super(message);
    this.kind = kind;
    this.status = status;
    this.detail = detail;
  }
}

/** The plain sentence to show for an error of any kind. */
export function describeError(error) {
  if (!(error instanceof ApiError)) return `Something went wrong: ${error.message || error}`;
  switch (error.kind) {
    case "down":
      return "The grading API cannot be reached. It may be down or restarting; try again in a minute.";
    case "auth":
      return error.status === 403
        ? "This API key is not allowed to do that (wrong scope). Ask your admin for a key with the right scope."
        : "The API key is wrong or missing. Open Settings and paste the key your admin gave you.";
    case "timeout":
      return "The model is slow and did not answer in time. Try again, or send a shorter reply.";
    case "rate":
      return `Too many requests for this team right now.${error.detail ? " " + error.detail : ""}`;
    case "missing":
      return `Not found: ${error.message}`;
    default:
      return error.message;
  }
}

/** Where the API lives and which key to send: ?api= and #key= win over saved settings. */
export function loadConfig(storageKey) {
  const params = new URLSearchParams(location.search);
  const hash = new URLSearchParams(location.hash.replace(/^#/, ""));
  let saved = {};
  try {
    saved = JSON.parse(localStorage.getItem(storageKey) || "{}");
  } catch {
    saved = {};
  }
  return {
    api: (params.get("api") || saved.api || location.origin).replace(/\/$/, ""),
    key: hash.get("key") || saved.key || "",
    origins: (params.get("origin") || saved.origins || "")
      .split(",")
      .map((o) => o.trim().replace(/\/$/, ""))
      .filter(Boolean),
  };
}

export function saveConfig(storageKey, config) {
  try {
    localStorage.setItem(storageKey, JSON.stringify({ ...config, origins: config.origins.join(",") }));
  } catch {
    /* storage may be blocked in a third-party frame: the settings last for this page only */
  }
}

function errorFromResponse(status, body, retryAfter) {
  // The API's error body is {error: {code, message}}; FastAPI's own is {detail}.
  let detail = body && typeof body === "object" ? body.error ?? body.detail ?? body.message : body;
  if (detail && typeof detail === "object" && !Array.isArray(detail) && detail.message) detail = detail.message;
  if (Array.isArray(detail)) detail = detail.map((d) => `${(d.loc || []).join(".")}: ${d.msg}`).join("; ");
  const text = typeof detail === "string" ? detail : detail ? JSON.stringify(detail) : `HTTP ${status}`;
  if (status === 401 || status === 403) return new ApiError("auth", text, status);
  if (status === 404) return new ApiError("missing", text, status);
  if (status === 408 || status === 504) return new ApiError("timeout", text, status);
  if (status === 429)
    return new ApiError("rate", text, status, retryAfter ? `Try again in ${retryAfter} s.` : "");
  if (status >= 500) return new ApiError("server", `The API failed (${status}): ${text}`, status);
  return new ApiError("invalid", text, status);
}

async function readBody(response) {
  const type = response.headers.get("content-type") || "";
  if (type.includes("json")) return response.json().catch(() => null);
  return response.text().catch(() => "");
}

/** A client bound to one API base and key; every call rejects with an ApiError. */
export function createClient(config, { timeoutMs = 30000 } = {}) {
  const headers = (extra = {}) => {
    const h = { Accept: "application/json", ...extra };
    if (config.key) h.Authorization = `Bearer ${config.key}`;
    return h;
  };

  async function send(method, path, body, { timeout = timeoutMs, accept } = {}) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort("timeout"), timeout);
    let response;
    try {
      response = await fetch(config.api + path, {
        method,
        headers: headers({
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
          ...(accept ? { Accept: accept } : {}),
        }),
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
      });
    } catch (err) {
      clearTimeout(timer);
      if (controller.signal.aborted) throw new ApiError("timeout", "timed out", 0);
      throw new ApiError("down", String(err), 0);
    }
    if (!response.ok) {
      clearTimeout(timer);
      throw errorFromResponse(response.status, await readBody(response), response.headers.get("retry-after"));
    }
    return { response, controller, timer };
  }

  async function call(method, path, body, options) {
    const { response, timer, controller } = await send(method, path, body, options);
    try {
      return response.status === 204 ? null : await readBody(response);
    } catch {
      throw controller.signal.aborted ? new ApiError("timeout", "timed out") : new ApiError("down", "connection lost");
    } finally {
      clearTimeout(timer);
    }
  }

  /** Server-sent events from a POST: yields {event, data} with data JSON-parsed when it can be. */
  async function* stream(path, body, { timeout = timeoutMs } = {}) {
    const { response, timer, controller } = await send("POST", path, body, {
      timeout,
      accept: "text/event-stream",
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    try {
      for (;;) {
        let chunk;
        try {
          chunk = await reader.read();
        } catch {
          throw controller.signal.aborted
            ? new ApiError("timeout", "timed out while streaming")
            : new ApiError("down", "The connection to the API was lost while streaming.");
        }
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true }).replace(/\r\n?/g, "\n");
        let end;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const message = parseEvent(block);
          if (message) yield message;
        }
      }
      const last = parseEvent(buffer);
      if (last) yield last;
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  return {
    config,
    get: (path, options) => call("GET", path, undefined, options),
    post: (path, body, options) => call("POST", path, body, options),
    put: (path, body, options) => call("PUT", path, body, options),
    patch: (path, body, options) => call("PATCH", path, body, options),
    stream,
  };
}

function parseEvent(block) {
  let event = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "event") event = value;
    else if (field === "data") data.push(value);
  }
  if (!data.length) return null;
  const raw = data.join("\n");
  try {
    return { event, data: JSON.parse(raw) };
  } catch {
    return { event, data: raw };
  }
}

/** Levenshtein distance in characters (what "edited" feedback reports). */
export function editDistance(a, b) {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}

/** Element helper: el("p", {class: "x"}, "text", child). Text is always set as text, never HTML. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else if (name === "class") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** `text` with the [start, end) spans wrapped in <mark> (title = why), as DOM nodes. */
export function highlight(text, spans) {
  const sorted = [...spans].filter((s) => s.end > s.start).sort((x, y) => x.start - y.start);
  const nodes = [];
  let at = 0;
  for (const span of sorted) {
    const start = Math.max(span.start, at);
    if (start >= span.end) continue;
    if (start > at) nodes.push(document.createTextNode(text.slice(at, start)));
    nodes.push(el("mark", { title: span.reason || null }, text.slice(start, span.end)));
    at = span.end;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}
