// One activity: its text as HubSpot has it, the drafts side by side, the recommended dates,
// and the progress of every job the rep starts, without a reload.

import { ApiProblem, api } from "./api.js";
import { fill, formatWhen, fromLocalInput, h, once, percent, toLocalInput } from "./dom.js";
import { FLAGS, whenLabel } from "./inbox.js";

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
    runSection(view, run, hubspot),
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
      h("span", { class: "when-label" }, `${whenLabel(hubspot.type)} `),
      h("time", { datetime: hubspot.occurred_at || "" }, formatWhen(hubspot.occurred_at)),
      people.length ? ` · ${people.join(" · ")}` : "",
    ),
    h("div", { class: "activity-text", id: "activity-text" }, hubspot.body || "(no text)"),
  );
}

function runSection(view, run, hubspot) {
  if (run.status !== "completed") {
    const why = run.error_message ? `: ${run.error_message}` : "";
    return h("section", { class: "card" }, h("p", { class: "problem" }, `This activity's suggestions are ${run.status}${why}.`), dismissButton(view, run));
  }
  const jobs = latestJobs(run.jobs || []);
  const target = taskTarget(run, hubspot);
  const section = h(
    "div",
    { class: "run" },
    hubspot ? null : h("p", { class: "stale-banner", role: "note" }, "Deleted in HubSpot: these suggestions can no longer be written there. Dismiss them to clear them away."),
    run.flag || run.flag_reason
      ? h("p", { class: `flag-banner flag-${run.flag || "none"}`, role: "note" }, [run.flag ? `${FLAGS[run.flag] || run.flag}.` : "No follow-up.", run.flag_reason || ""].join(" "))
      : null,
    modelNote(run),
    h(
      "section",
      { "aria-labelledby": "drafts-heading" },
      h("h2", { id: "drafts-heading" }, "Drafts"),
      run.drafts.length
        ? h("div", { class: "drafts" }, run.drafts.map((draft, i) => draftCard(view, draft, i, jobs.get(draft.id), target)))
        : h("p", { class: "muted" }, "No drafts for this activity."),
    ),
    run.recommendation ? datesSection(view, run.recommendation, jobs.get(run.recommendation.id), target) : null,
    h("div", { class: "actions" }, dismissButton(view, run)),
  );
  // Nothing can be written to an activity HubSpot no longer has: only Dismiss stays.
  if (!hubspot) {
    for (const control of section.querySelectorAll("article button, article textarea, article input, .dates button, .dates input")) control.disabled = true;
  }
  return section;
}

// The one HubSpot task every accept of this run writes: the activity itself when it is a
// task, else a follow-up task, created by the first accept and updated by the others. The
// cards read it when they describe what Accept will do, and update it once a job wrote it.
function taskTarget(run, hubspot) {
  const isTask = run.activity_type === "task";
  const written = (run.jobs || []).map((job) => job.written_task).find(Boolean) || null;
  const subject = hubspot?.subject || `${run.activity_type} ${run.activity_id}`;
  const onWhom = hubspot ? [...hubspot.contacts.map((c) => c.name || c.email), ...hubspot.companies.map((c) => c.name)].filter(Boolean)[0] : null;
  const target = {
    isTask,
    written,
    listeners: [],
    subject: isTask ? subject : written?.subject || `Follow up: ${subject}`,
    due: isTask ? hubspot?.occurred_at : written?.due_at || run.recommendation?.applied_due || run.recommendation?.recommended_due,
    onWhom,
    wrote(task) {
      this.written = task;
      this.subject = task.subject || this.subject;
      this.due = task.due_at || this.due;
      for (const listener of this.listeners) listener();
    },
  };
  return target;
}

// What Accept will write, and where, in words a rep reads before the click.
function acceptEffect(target, placement) {
  const due = target.due ? `, due ${formatWhen(target.due)}` : "";
  const notes = placement === "replace" ? "replaces the task's notes" : "goes below the task's notes";
  if (target.isTask) {
    return `Accept writes this draft into the HubSpot task “${target.subject}”${due}: it ${notes}. No email is sent.`;
  }
  if (target.written) {
    return `Accept updates the follow-up task “${target.subject}”${due} already created for this activity: the draft ${notes}. No email is sent.`;
  }
  const on = target.onWhom ? ` on ${target.onWhom}` : "";
  return `Accept creates a HubSpot task “${target.subject}”${due}${on}, with this draft as its notes. Accepting another draft here updates that same task. No email is sent.`;
}

// Where the draft goes in a task's notes: kept below what the rep wrote unless they choose.
function placementChoice(id, onChange) {
  const option = (value, label, checked) =>
    h("label", { class: "choice" }, h("input", { type: "radio", name: `${id}-placement`, value, checked, on: { change: onChange } }), ` ${label}`);
  return h(
    "fieldset",
    { class: "placement" },
    h("legend", {}, "In the task's notes"),
    option("append", "Add below what is there", true),
    option("replace", "Replace them", false),
  );
}

// What the rep sees once a job is applied: the task itself, and where to open it.
function appliedWords(job) {
  const task = job?.written_task;
  if (!task) return JOB_WORDS.applied;
  const due = task.due_at ? `, due ${formatWhen(task.due_at)}` : "";
  const what = task.created ? "Created the HubSpot task" : "Updated the HubSpot task";
  const link = task.record_url ? h("a", { href: task.record_url, target: "_blank", rel: "noopener noreferrer" }, "Open in HubSpot") : null;
  return [`Applied to HubSpot. ${what} “${task.subject}”${due}. `, link];
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

function draftCard(view, draft, index, job, target) {
  const id = `draft-${index}`;
  const original = draft.edited_text ?? draft.draft_text;
  const text = h("textarea", { id: `${id}-text`, class: "draft-text", rows: "8", value: original, on: { input: () => fitToText(text) } });
  requestAnimationFrame(() => fitToText(text)); // once on the page, where it can be measured
  const accept = h("button", { type: "button", class: "primary" }, "Accept");
  const reject = h("button", { type: "button" }, "Reject");
  const status = h("p", { class: "job-status", role: "status", "aria-live": "polite", tabindex: "-1" });
  const effect = h("p", { class: "effect", id: `${id}-effect` });
  let placement = "append";
  const choice = placementChoice(id, (event) => {
    placement = event.target.value;
    describe();
  });
  // A new follow-up task has no notes to keep: the choice appears once the task exists.
  function describe() {
    effect.textContent = acceptEffect(target, placement);
    choice.hidden = !(target.isTask || target.written);
  }
  target.listeners.push(describe);
  describe();
  accept.setAttribute("aria-describedby", effect.id);
  const card = h(
    "article",
    { class: "card draft", "aria-labelledby": `${id}-title`, "data-draft-id": draft.id },
    h("h3", { id: `${id}-title` }, `${capitalise(draft.tone)} draft`, h("span", { class: "confidence" }, ` · ${percent(draft.confidence)} confident`)),
    h("label", { for: `${id}-text`, class: "visually-hidden" }, `${draft.tone} draft text`),
    text,
    effect,
    choice,
    h("div", { class: "actions" }, accept, reject),
    status,
  );
  const finish = (words) => {
    for (const button of [accept, reject]) {
      button.dataset.done = "true";
      button.disabled = true;
    }
    text.readOnly = true;
    for (const radio of card.querySelectorAll("input[type=radio]")) radio.disabled = true;
    fill(status, words);
  };
  if (draft.rejected_at) finish(rejectedWords(draft.reject_reason));
  else if (job) followJob(view, job, status, finish, undefined, target);
  accept.addEventListener("click", () =>
    once(accept, async () => {
      const payload = { task_body: placement };
      if (text.value.trim() && text.value !== original) payload.text = text.value;
      await startJob(view, accept, `/api/v1/drafts/${draft.id}/accept`, payload, status, finish, target);
    }),
  );
  // Reject asks why first: the reasons are what teaches the next drafts.
  let why = null;
  const send = async (feedback) => {
    try {
      await api("POST", `/api/v1/drafts/${draft.id}/reject`, feedback);
    } catch (error) {
      await problem(view, error, status);
      return;
    }
    why.remove();
    finish(rejectedWords(feedback.reason));
    keepFocus(status);
  };
  const cancel = () => {
    why.remove();
    why = null;
    reject.focus();
  };
  reject.addEventListener("click", () => {
    why = why || rejectForm(id, send, cancel);
    status.before(why);
    why.querySelector("input").focus();
  });
  return card;
}

const REJECT_REASONS = { wrong_facts: "Wrong facts", wrong_tone: "Wrong tone", not_needed: "Not needed", other: "Other" };

function rejectedWords(reason) {
  return reason && REJECT_REASONS[reason] ? `Rejected: ${REJECT_REASONS[reason].toLowerCase()}.` : "Rejected.";
}

function rejectForm(id, onSubmit, onCancel) {
  const note = h("textarea", { id: `${id}-reject-note`, rows: "2", maxlength: "1000" });
  const send = h("button", { type: "submit" }, "Reject this draft");
  const cancel = h("button", { type: "button", class: "quiet", on: { click: onCancel } }, "Cancel");
  const problemText = h("p", { class: "problem", role: "alert", hidden: true });
  const options = Object.entries(REJECT_REASONS).map(([value, label], i) =>
    h("label", { class: "choice" }, h("input", { type: "radio", name: `${id}-reject-reason`, value, required: i === 0 }), ` ${label}`),
  );
  const form = h(
    "form",
    { class: "reject-form", novalidate: true }, // its own messages, in words
    h("fieldset", {}, h("legend", {}, "Why reject this draft?"), options),
    h("label", { for: note.id }, "What was wrong (needed for Other)"),
    note,
    problemText,
    h("div", { class: "actions" }, send, cancel),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const reason = form.querySelector("input[type=radio]:checked")?.value;
    const words = note.value.trim();
    problemText.hidden = true;
    if (!reason || (reason === "other" && !words)) {
      problemText.textContent = reason ? "Say what was wrong." : "Pick a reason.";
      problemText.hidden = false;
      (reason ? note : form.querySelector("input")).focus();
      return;
    }
    once(send, () => onSubmit(words ? { reason, note: words } : { reason }));
  });
  return form;
}

function datesSection(view, recommendation, job, target) {
  const start = h("input", { id: "recommended-start", type: "datetime-local", value: toLocalInput(recommendation.applied_start || recommendation.recommended_start) });
  const due = h("input", { id: "recommended-due", type: "datetime-local", required: true, value: toLocalInput(recommendation.applied_due || recommendation.recommended_due) });
  const apply = h("button", { type: "button", class: "primary", "aria-describedby": "dates-effect" }, "Apply dates");
  const status = h("p", { class: "job-status", role: "status", "aria-live": "polite", tabindex: "-1" });
  const effect = h("p", { class: "effect", id: "dates-effect" });
  const describe = () => { effect.textContent = datesEffect(target); };
  target.listeners.push(describe);
  describe();
  const finish = (words) => {
    apply.dataset.done = "true";
    apply.disabled = true;
    start.readOnly = due.readOnly = true;
    fill(status, words);
  };
  if (job) followJob(view, job, status, finish, undefined, target);
  apply.addEventListener("click", () =>
    once(apply, async () => {
      if (!due.value) {
        status.textContent = "Pick a due date first.";
        return;
      }
      const dates = { recommended_start: fromLocalInput(start.value), recommended_due: fromLocalInput(due.value) };
      await startJob(view, apply, `/api/v1/recommendations/${recommendation.id}/apply`, dates, status, finish, target);
    }),
  );
  return h(
    "section",
    { class: "card dates", "aria-labelledby": "dates-heading" },
    h("h2", { id: "dates-heading" }, "Recommended dates", h("span", { class: "confidence" }, ` · ${percent(recommendation.confidence)} confident`)),
    recommendation.rationale ? h("p", { class: "rationale" }, recommendation.rationale) : null,
    h("div", { class: "date-fields" }, h("label", { for: "recommended-start" }, "Reminder"), start, h("label", { for: "recommended-due" }, "Due"), due),
    effect,
    h("div", { class: "actions" }, apply),
    status,
  );
}

function datesEffect(target) {
  if (target.isTask) return `Apply dates sets the due date and reminder of the HubSpot task “${target.subject}”.`;
  if (target.written) return `Apply dates sets the due date and reminder of the follow-up task “${target.subject}” already created for this activity.`;
  return `Apply dates creates a HubSpot task “${target.subject}” with this due date and reminder (accepting a draft here writes to that same task). No email is sent.`;
}

function dismissButton(view, run) {
  const dismiss = h("button", { type: "button", class: "quiet" }, "Dismiss these suggestions");
  dismiss.addEventListener("click", () =>
    once(dismiss, async () => {
      try {
        await api("POST", `/api/v1/runs/${run.id}/dismiss`);
      } catch (error) {
        await view.report(error);
        return;
      }
      if (view.stillShown()) location.hash = `#/?undo=${encodeURIComponent(run.id)}`;
    }),
  );
  return dismiss;
}

async function startJob(view, button, path, payload, status, finish, target) {
  status.textContent = "Sending…";
  let job;
  try {
    job = await api("POST", path, payload);
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 409) return finish(error.message);
    return problem(view, error, status);
  }
  button.dataset.done = "true"; // stays disabled while the job runs
  await followJob(view, { id: job.job_id, status: job.status }, status, finish, button, target);
  keepFocus(status);
}

// The button a rep pressed ends disabled, which drops keyboard focus to the page's start:
// focus moves to what the action answered instead, so the rep carries on from there.
function keepFocus(status) {
  const active = document.activeElement;
  if (!active || active === document.body || active.disabled) status.focus();
}

// Polls the job until it finishes. A failed job frees the button again so the rep can retry
// (the API reuses the same job); a conflict means the suggestion is out of date, so the rep
// is offered the activity as it is now instead. An applied job names the task it wrote.
async function followJob(view, job, status, finish, button, target) {
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
  if (current.status === "applied") {
    if (current.written_task && target && !target.written) target.wrote(current.written_task);
    return finish(appliedWords(current));
  }
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

// A draft is shown in full: the box grows with its text instead of scrolling inside.
function fitToText(textarea) {
  textarea.style.height = "auto";
  textarea.style.height = `${textarea.scrollHeight + 2}px`;
}

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : "";
}

function withStop(text) {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
