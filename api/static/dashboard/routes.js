// The QA endpoints the dashboard reads and writes (helper Q's routes in api/routes/qa.py).
const q = encodeURIComponent;
export const ROUTES = {
  trends: "/v1/qa/dashboards/trends",
  breakdown: "/v1/qa/dashboards/breakdown",
  consistency: "/v1/qa/dashboards/consistency",
  improved: "/v1/qa/dashboards/improved",
  patterns: "/v1/qa/dashboards/patterns",
  spotlight: "/v1/qa/spotlight",
  calibrationRuns: "/v1/calibration/runs",
  conversation: (gradeId) => `/v1/qa/conversations/${q(gradeId)}`,
  override: (gradeId) => `/v1/qa/conversations/${q(gradeId)}/overrides`,
  decideDispute: (disputeId, decision) => `/v1/qa/disputes/${q(disputeId)}/${decision}`,
  decideReview: (reviewId, decision) => `/v1/qa/reviews/${q(reviewId)}/${decision}`,
};

/** "?a=1&b=2" from the given values, leaving out empty ones. */
export function query(values) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== null && v !== undefined && v !== "") params.set(k, String(v));
  const text = params.toString();
  return text ? `?${text}` : "";
}
