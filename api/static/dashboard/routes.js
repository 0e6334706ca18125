// The QA endpoints the dashboard reads and writes (helper Q's routes under /v1/qa).
export const ROUTES = {
  trends: "/v1/qa/dashboard/trends",
  breakdown: "/v1/qa/dashboard/breakdown",
  consistency: "/v1/qa/dashboard/consistency",
  improved: "/v1/qa/dashboard/improved",
  spotlight: "/v1/qa/spotlight",
  patterns: "/v1/qa/dashboard/patterns",
  calibration: "/v1/calibration/runs/latest",
  conversation: (gradeId) => `/v1/qa/grades/${encodeURIComponent(gradeId)}`,
  override: (gradeId) => `/v1/qa/grades/${encodeURIComponent(gradeId)}/overrides`,
  decideDispute: (disputeId) => `/v1/qa/disputes/${encodeURIComponent(disputeId)}/decision`,
};

/** "?a=1&b=2" from the given values, leaving out empty ones. */
export function query(values) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined && v !== "") params.set(k, String(v));
  const text = params.toString();
  return text ? `?${text}` : "";
}
