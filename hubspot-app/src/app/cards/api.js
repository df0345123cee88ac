// The approval API as the card calls it: through hubspot.fetch, which HubSpot signs and tags
// with the viewing user (the API maps that user to their rep), so no token travels from here.
import { hubspot } from "@hubspot/ui-extensions";

import { APPROVAL_API_URL } from "./approval-api.js";

// HubSpot allows a card's request 15 s at most; the API answers listings well inside that.
const REQUEST_TIMEOUT_MS = 15_000;
const FINISHED = new Set(["applied", "failed", "conflict"]);

// How often, and how long, the card asks about an apply job; tests shorten both.
export const polling = { intervalMs: 1_000, limitMs: 30_000 };

// What the API said no with: its status, its error code and its message for the rep.
export class ApiProblem extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function call(method, path, body) {
  const options = { method, timeout: REQUEST_TIMEOUT_MS };
  if (body !== undefined) options.body = body;
  let response;
  try {
    response = await hubspot.fetch(`${APPROVAL_API_URL}${path}`, options);
  } catch {
    throw new ApiProblem(0, "unreachable", "The suggestions service could not be reached. Try again in a minute.");
  }
  const answer = await response.json().catch(() => null);
  if (!response.ok) throw problemOf(response.status, answer);
  return answer;
}

function problemOf(status, answer) {
  if (status === 429) {
    return new ApiProblem(status, "too_many_requests", "HubSpot is sending too many requests at once. Try again in a few seconds.");
  }
  const message = answer?.message || `The suggestions service answered ${status}. Try again.`;
  return new ApiProblem(status, answer?.error || "failed", capitalise(message));
}

export function recordRuns(objectType, objectId) {
  return call("GET", `/api/v1/records/${objectType}/${objectId}/runs`);
}

export function acceptDraft(draftId, text, taskBody) {
  return call("POST", `/api/v1/drafts/${draftId}/accept`, { ...(text ? { text } : {}), task_body: taskBody });
}

export function applyDates(recommendationId, dates) {
  return call("POST", `/api/v1/recommendations/${recommendationId}/apply`, dates);
}

export function dismissRun(runId) {
  return call("POST", `/api/v1/runs/${runId}/dismiss`);
}

export function restoreRun(runId) {
  return call("POST", `/api/v1/runs/${runId}/restore`);
}

// Asks about an apply job until HubSpot has it (applied, failed or conflict), reporting each
// state on the way; gives up with the last state after polling.limitMs.
export async function followJob(started, onProgress) {
  const deadline = Date.now() + polling.limitMs;
  let job = { id: started.job_id, status: started.status };
  while (!FINISHED.has(job.status) && Date.now() < deadline) {
    onProgress(job);
    await new Promise((resolve) => setTimeout(resolve, polling.intervalMs));
    job = await call("GET", `/api/v1/jobs/${started.job_id}`);
  }
  return job;
}

function capitalise(text) {
  return text[0].toUpperCase() + text.slice(1);
}
