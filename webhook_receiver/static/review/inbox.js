// The inbox: the rep's runs not yet dismissed, newest first, filterable.

import { api } from "./api.js";
import { fill, formatWhen, h, once } from "./dom.js";

const TYPES = ["task", "note", "call", "email", "meeting"];
// Opt-outs and threats come with no drafts: the rep reads why instead.
export const FLAGS = { opt_out: "Opted out: no follow-up", legal: "Legal threat: no follow-up", hostile: "Upset contact" };
// What an activity's date means: a task's is when it is due, a meeting's when it takes place.
const WHEN_LABELS = { task: "Due", meeting: "Meeting at" };
export function whenLabel(activityType) {
  return WHEN_LABELS[activityType] || "Logged";
}
const STATUSES = { completed: "Ready", failed: "Failed", processing: "Processing", queued: "Queued", skipped: "Skipped" };
// Ready runs are what a rep acts on; the rest (failed, still running, or skipped such as
// the echo of our own write to HubSpot) are one choice away.
const DEFAULT_STATUS = "completed";
const ANY = "any";
const PAGE_SIZE = 20;

export async function showInbox(view, params) {
  const filters = { type: params.get("type") || "", status: params.get("status") || DEFAULT_STATUS };
  const list = h("ul", { class: "inbox", "aria-label": "Suggestions" });
  const more = h("button", { type: "button", hidden: true }, "Show more");
  const heading = h("h1", { tabindex: "-1" }, "Your AI suggestions");
  fill(
    view.main,
    heading,
    filterForm(filters),
    h("p", { class: "muted", id: "inbox-source", hidden: true }),
    list,
    h("div", { class: "actions" }, more),
  );
  let cursor = null;
  // One entry per activity: runs come newest first, so the first one seen is the latest
  // version's, and older runs of an activity a rep has since edited are left out.
  const shown = new Set();
  async function loadPage() {
    const query = new URLSearchParams({ dismissed: "false", include: "activity", limit: PAGE_SIZE });
    if (filters.type) query.set("type", filters.type);
    if (filters.status !== ANY) query.set("status", filters.status);
    if (cursor) query.set("cursor", cursor);
    const page = await api("GET", `/api/v1/runs?${query}`);
    if (!view.stillShown()) return;
    const source = view.main.querySelector("#inbox-source");
    source.hidden = !page.activity_error;
    source.textContent = page.activity_error ? `Details from HubSpot are unavailable: ${page.activity_error}` : "";
    for (const run of page.runs) {
      if (shown.has(run.activity_id)) continue;
      shown.add(run.activity_id);
      list.append(runItem(run));
    }
    if (!list.children.length) list.append(h("li", { class: "empty" }, "Nothing here."));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  }
  more.addEventListener("click", () => once(more, () => loadPage().catch(view.report)));
  await loadPage();
  heading.focus();
}

function filterForm(filters) {
  const type = select("filter-type", "Type", { "": "All types", ...Object.fromEntries(TYPES.map((t) => [t, t[0].toUpperCase() + t.slice(1)])) }, filters.type);
  const status = select("filter-status", "Status", { ...STATUSES, [ANY]: "Any status" }, filters.status);
  const form = h("form", { class: "filters", role: "search" }, type.label, type.input, status.label, status.input);
  form.addEventListener("change", () => {
    const query = new URLSearchParams();
    if (type.input.value) query.set("type", type.input.value);
    if (status.input.value !== DEFAULT_STATUS) query.set("status", status.input.value);
    location.hash = `#/?${query}`;
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  return form;
}

function select(id, label, options, chosen) {
  const input = h(
    "select",
    { id },
    Object.entries(options).map(([value, text]) => h("option", { value, selected: value === chosen }, text)),
  );
  return { label: h("label", { for: id }, label), input };
}

function runItem(run) {
  const activity = run.activity;
  const subject = activity ? activity.subject || `(${run.activity_type} without a subject)` : `${run.activity_type} ${run.activity_id}`;
  const people = activity ? [...activity.contacts.map((c) => c.name || c.email), ...activity.companies.map((c) => c.name)].filter(Boolean) : [];
  return h(
    "li",
    {},
    h(
      "a",
      {
        class: "inbox-item card",
        href: `#/activity/${encodeURIComponent(run.activity_id)}`,
        "data-activity-id": run.activity_id,
        "data-run-id": run.id,
        // Read as one phrase by screen readers instead of every badge in turn.
        "aria-label": `${subject}: ${run.activity_type}, ${formatWhen(activity?.occurred_at || run.created_at)}`,
      },
      h(
        "div",
        { class: "item-head" },
        h("span", { class: `badge type-${run.activity_type}` }, run.activity_type),
        h("span", { class: `badge status-${run.status}` }, STATUSES[run.status] || run.status),
        run.flag ? h("span", { class: `badge flag flag-${run.flag}` }, FLAGS[run.flag] || run.flag) : null,
        activity?.occurred_at
          ? h("span", {}, h("span", { class: "when-label" }, `${whenLabel(run.activity_type)} `), h("time", { datetime: activity.occurred_at }, formatWhen(activity.occurred_at)))
          : h("span", {}, h("span", { class: "when-label" }, "Processed "), h("time", { datetime: run.created_at }, formatWhen(run.created_at))),
      ),
      h("strong", { class: "subject" }, subject),
      people.length ? h("span", { class: "people" }, people.join(" · ")) : null,
      run.flag_reason ? h("span", { class: "flag-reason" }, run.flag_reason) : null,
      run.best_draft ? h("span", { class: "snippet" }, snippet(run.best_draft)) : null,
    ),
  );
}

function snippet(text) {
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
