// One activity: its text as HubSpot has it, the drafts side by side, the recommended dates,
// and the progress of every job the rep starts, without a reload.

import { ApiProblem, api } from "./api.js";
import { fill, formatWhen, fromLocalInput, h, once, percent, toLocalInput } from "./dom.js";
import { FLAGS } from "./inbox.js";

const POLL_MS = 500;
const POLL_LIMIT_MS = 120_000;
const JOB_WORDS = {
  queued: "Queued…",
  applying: "Writing to HubSpot…",
  applied: "Applied to HubSpot.",
};
const FINISHED = new Set(["applied", "failed", "conflict"]);

export async function showActivity(view, activityId) {
  const detail = await api("GET", `/api/v1/activities/${activityId}`);
  if (!view.stillShown()) return;
  // The newest run with suggestions: a later one may be skipped (our own write's echo).
  const run = detail.runs.find((r) => r.status === "completed") || detail.runs[0];
  const hubspot = detail.hubspot;
  const heading = h("h1", { tabindex: "-1" }, hubspot?.subject || `${run.activity_type} ${activityId}`);
  fill(
    view.main,
    h("a", { href: "#/", class: "back" }, "← Back to the inbox"),
    heading,
    activitySection(run, hubspot, detail.hubspot_error),
    runSection(view, run),
  );
  heading.focus();
}

function activitySection(run, hubspot, hubspotError) {
  if (!hubspot) {
    return h("section", { class: "card", "aria-label": "Activity" }, h("p", { class: "problem" }, hubspotError || "HubSpot did not return this activity."));
  }
  const people = [...hubspot.contacts.map((c) => c.name || c.email), ...hubspot.companies.map((c) => c.name)].filter(Boolean);
  return h(
    "section",
    { class: "card", "aria-labelledby": "activity-heading" },
    h("h2", { id: "activity-heading" }, "In HubSpot"),
    h(
      "p",
      { class: "meta" },
      h("span", { class: `badge type-${hubspot.type}` }, hubspot.type),
      " ",
      h("time", { datetime: hubspot.occurred_at || "" }, formatWhen(hubspot.occurred_at)),
      people.length ? ` · ${people.join(" · ")}` : "",
    ),
    h("div", { class: "activity-text", id: "activity-text" }, hubspot.body || "(no text)"),
  );
}

function runSection(view, run) {
  if (run.status !== "completed") {
    const why = run.error_message ? `: ${run.error_message}` : "";
    return h("section", { class: "card" }, h("p", { class: "problem" }, `This activity's suggestions are ${run.status}${why}.`), dismissButton(view, run));
  }
  const jobs = latestJobs(run.jobs || []);
  return h(
    "div",
    { class: "run" },
    run.flag || run.flag_reason
      ? h("p", { class: `flag-banner flag-${run.flag || "none"}`, role: "note" }, [run.flag ? `${FLAGS[run.flag] || run.flag}.` : "No follow-up.", run.flag_reason || ""].join(" "))
      : null,
    modelNote(run),
    h(
      "section",
      { "aria-labelledby": "drafts-heading" },
      h("h2", { id: "drafts-heading" }, "Drafts"),
      run.drafts.length
        ? h("div", { class: "drafts" }, run.drafts.map((draft, i) => draftCard(view, draft, i, jobs.get(draft.id))))
        : h("p", { class: "muted" }, "No drafts for this activity."),
    ),
    run.recommendation ? datesSection(view, run.recommendation, jobs.get(run.recommendation.id)) : null,
    h("div", { class: "actions" }, dismissButton(view, run)),
  );
}

// Which model wrote the suggestions; the offline one says plainly what it is.
function modelNote(run) {
  const model = (run.confidence_scores || {}).model;
  if (!model) return null;
  const words = model.startsWith("local/")
    ? `Written by the offline model (${model}): rules, not a language model. Check the facts and the tone before sending.`
    : `Written by ${model}.`;
  return h("p", { class: "model-note muted", "data-model": model }, words);
}

function latestJobs(jobs) {
  const byTarget = new Map();
  for (const job of jobs) byTarget.set(job.target_id, job); // oldest first: the last one wins
  return byTarget;
}

function draftCard(view, draft, index, job) {
  const id = `draft-${index}`;
  const original = draft.edited_text ?? draft.draft_text;
  const text = h("textarea", { id: `${id}-text`, rows: "8", value: original });
  const accept = h("button", { type: "button", class: "primary" }, "Accept");
  const reject = h("button", { type: "button" }, "Reject");
  const status = h("p", { class: "job-status", role: "status", "aria-live": "polite" });
  const card = h(
    "article",
    { class: "card draft", "aria-labelledby": `${id}-title`, "data-draft-id": draft.id },
    h("h3", { id: `${id}-title` }, `${capitalise(draft.tone)} draft`, h("span", { class: "confidence" }, ` · ${percent(draft.confidence)} confident`)),
    h("label", { for: `${id}-text`, class: "visually-hidden" }, `${draft.tone} draft text`),
    text,
    h("div", { class: "actions" }, accept, reject),
    status,
  );
  const finish = (words) => {
    for (const button of [accept, reject]) {
      button.dataset.done = "true";
      button.disabled = true;
    }
    text.readOnly = true;
    status.textContent = words;
  };
  if (draft.rejected_at) finish("Rejected.");
  else if (job) followJob(view, job, status, finish);
  accept.addEventListener("click", () =>
    once(accept, async () => {
      const edited = text.value.trim() && text.value !== original ? { text: text.value } : {};
      await startJob(view, accept, `/api/v1/drafts/${draft.id}/accept`, edited, status, finish);
    }),
  );
  reject.addEventListener("click", () =>
    once(reject, async () => {
      try {
        await api("POST", `/api/v1/drafts/${draft.id}/reject`);
        finish("Rejected.");
      } catch (error) {
        await problem(view, error, status);
      }
    }),
  );
  return card;
}

function datesSection(view, recommendation, job) {
  const start = h("input", { id: "recommended-start", type: "datetime-local", value: toLocalInput(recommendation.applied_start || recommendation.recommended_start) });
  const due = h("input", { id: "recommended-due", type: "datetime-local", required: true, value: toLocalInput(recommendation.applied_due || recommendation.recommended_due) });
  const apply = h("button", { type: "button", class: "primary" }, "Apply dates");
  const status = h("p", { class: "job-status", role: "status", "aria-live": "polite" });
  const finish = (words) => {
    apply.dataset.done = "true";
    apply.disabled = true;
    start.readOnly = due.readOnly = true;
    status.textContent = words;
  };
  if (job) followJob(view, job, status, finish);
  apply.addEventListener("click", () =>
    once(apply, async () => {
      if (!due.value) {
        status.textContent = "Pick a due date first.";
        return;
      }
      const dates = { recommended_start: fromLocalInput(start.value), recommended_due: fromLocalInput(due.value) };
      await startJob(view, apply, `/api/v1/recommendations/${recommendation.id}/apply`, dates, status, finish);
    }),
  );
  return h(
    "section",
    { class: "card dates", "aria-labelledby": "dates-heading" },
    h("h2", { id: "dates-heading" }, "Recommended dates", h("span", { class: "confidence" }, ` · ${percent(recommendation.confidence)} confident`)),
    recommendation.rationale ? h("p", { class: "rationale" }, recommendation.rationale) : null,
    h("div", { class: "date-fields" }, h("label", { for: "recommended-start" }, "Start"), start, h("label", { for: "recommended-due" }, "Due"), due),
    h("div", { class: "actions" }, apply),
    status,
  );
}

function dismissButton(view, run) {
  const dismiss = h("button", { type: "button", class: "quiet" }, "Dismiss these suggestions");
  dismiss.addEventListener("click", () =>
    once(dismiss, async () => {
      await api("POST", `/api/v1/runs/${run.id}/dismiss`).catch(view.report);
      if (view.stillShown()) {
        location.hash = "#/";
      }
    }),
  );
  return dismiss;
}

async function startJob(view, button, path, payload, status, finish) {
  status.textContent = "Sending…";
  let job;
  try {
    job = await api("POST", path, payload);
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 409) return finish(error.message);
    return problem(view, error, status);
  }
  button.dataset.done = "true"; // stays disabled while the job runs
  await followJob(view, { id: job.job_id, status: job.status }, status, finish, button);
}

// Polls the job until it finishes. A failed job frees the button again so the rep can retry
// (the API reuses the same job); a conflict means the suggestion is out of date, so the rep
// is offered the activity as it is now instead.
async function followJob(view, job, status, finish, button) {
  const started = Date.now();
  let current = job;
  while (!FINISHED.has(current.status)) {
    // A queued job with a reason waits for something named (HubSpot's daily limit).
    status.textContent = current.status === "queued" && current.reason
      ? `Queued: ${withStop(current.reason)}`
      : JOB_WORDS[current.status] || current.status;
    if (Date.now() - started > POLL_LIMIT_MS) {
      status.textContent = "Still waiting for HubSpot. Check again later.";
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    if (!view.stillShown()) return;
    try {
      current = await api("GET", `/api/v1/jobs/${job.id}`);
    } catch (error) {
      await problem(view, error, status);
      return;
    }
  }
  if (current.status === "applied") return finish(JOB_WORDS.applied);
  if (current.status === "conflict") {
    const latest = h("button", { type: "button", class: "link-button", on: { click: view.reload } }, "Show the latest version");
    return fill(status, `Not applied: ${current.reason || "the activity changed in HubSpot"}. `, latest);
  }
  // HubSpot's refusals say what to do; other failures get the generic advice.
  status.textContent = current.reason?.startsWith("HubSpot did not accept")
    ? `Failed: ${withStop(current.reason)}`
    : `Failed: ${withStop(current.reason || "HubSpot did not take the change")} Try again.`;
  if (button) {
    delete button.dataset.done;
    button.disabled = false;
  }
}

async function problem(view, error, status) {
  if (error instanceof ApiProblem) status.textContent = error.message;
  else await view.report(error);
}

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : "";
}

function withStop(text) {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
