// The inbox: an entry per activity, under To do, Done or Needs attention with counts, by
// type, newest first or soonest follow-up due.

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
// The three places a rep works from; "other" (still being processed, or nothing to act on)
// is counted but has no tab of its own.
const STATES = [
  { id: "to_do", label: "To do", empty: "Nothing to do. New suggestions appear here a few seconds after you log a note, call, email, meeting or task in HubSpot." },
  { id: "done", label: "Done", empty: "Nothing done yet. Suggestions you accept, apply or dismiss move here." },
  { id: "needs_attention", label: "Needs attention", empty: "Nothing needs your attention. Suggestions that failed, met a change in HubSpot, or whose activity was deleted there appear here." },
];
const ORDERS = { newest: "Newest first", due: "Soonest follow-up due" };
// Why an entry is where it is, in words; needs-attention entries add the job's own words.
const REASONS = {
  dismissed: "Dismissed.",
  accepted: "Accepted: being written to HubSpot.",
  applied: "Applied to HubSpot.",
  deleted: "Deleted in HubSpot: nothing can be written to it. Open it to dismiss it.",
  failed: "The suggestions could not be made",
  conflict: "Not applied",
  job_failed: "HubSpot did not take the change",
};
const PAGE_SIZE = 20;

export async function showInbox(view, params) {
  const filters = {
    state: STATES.some((s) => s.id === params.get("state")) ? params.get("state") : "to_do",
    type: TYPES.includes(params.get("type")) ? params.get("type") : "",
    order: params.get("order") in ORDERS ? params.get("order") : "newest",
  };
  const state = STATES.find((s) => s.id === filters.state);
  const heading = h("h1", { tabindex: "-1" }, "Your AI suggestions");
  const tabs = h("nav", { class: "tabs", "aria-label": "Suggestions by state" }, STATES.map((s) => tab(s, filters)));
  const list = h("ul", { class: "inbox", "aria-label": state.label, "aria-busy": "true" }, h("li", { class: "loading" }, "Loading your suggestions…"));
  const more = h("button", { type: "button", hidden: true }, "Show more");
  const source = h("p", { class: "muted", hidden: true });
  const pending = h("p", { class: "muted", hidden: true });
  fill(view.main, undoNotice(view, params), heading, tabs, filterForm(filters), source, list, pending, h("div", { class: "actions" }, more));
  let cursor = null;
  async function loadPage() {
    const query = new URLSearchParams({ state: filters.state, order: filters.order, include: "activity", limit: PAGE_SIZE });
    if (filters.type) query.set("type", filters.type);
    if (cursor) query.set("cursor", cursor);
    const page = await api("GET", `/api/v1/inbox?${query}`);
    if (!view.stillShown()) return;
    if (!cursor) list.replaceChildren();
    list.removeAttribute("aria-busy");
    showCounts(tabs, page.counts);
    source.hidden = !page.activity_error;
    source.textContent = page.activity_error ? `Details from HubSpot are unavailable: ${page.activity_error}` : "";
    const other = page.counts.other;
    pending.hidden = !(filters.state === "to_do" && other);
    pending.textContent = `${other} more ${other === 1 ? "activity is" : "activities are"} still being processed, or had nothing to suggest.`;
    for (const entry of page.entries) list.append(entryItem(entry));
    if (!list.children.length) list.append(h("li", { class: "empty" }, state.empty));
    cursor = page.next_cursor;
    more.hidden = !cursor;
  }
  more.addEventListener("click", () => once(more, () => loadPage().catch(view.report)));
  await loadPage();
  const restored = params.get("focus") && list.querySelector(`[data-run-id="${CSS.escape(params.get("focus"))}"]`);
  (restored || view.main.querySelector(".undo button") || heading).focus();
}

function tab(state, filters) {
  const query = new URLSearchParams({ ...filters, state: state.id });
  return h(
    "a",
    { href: `#/?${query}`, class: "tab", "data-state": state.id, "aria-current": state.id === filters.state ? "page" : null },
    state.label,
    " ",
    h("span", { class: "count" }, "…"),
  );
}

function showCounts(tabs, counts) {
  for (const link of tabs.querySelectorAll("a.tab")) {
    const count = counts[link.dataset.state] ?? 0;
    link.querySelector(".count").textContent = `(${count})`;
  }
}

// After a dismissal the inbox offers it back, once: the id is in the URL, not kept anywhere.
function undoNotice(view, params) {
  const runId = params.get("undo");
  if (!runId) return null;
  const undo = h("button", { type: "button", class: "link-button" }, "Undo");
  undo.addEventListener("click", () =>
    once(undo, async () => {
      await api("POST", `/api/v1/runs/${encodeURIComponent(runId)}/restore`).catch(view.report);
      const query = new URLSearchParams(params);
      query.delete("undo");
      query.set("focus", runId);
      location.hash = `#/?${query}`;
    }),
  );
  return h("p", { class: "undo card", role: "status" }, "Suggestions dismissed. ", undo);
}

function filterForm(filters) {
  const type = select("filter-type", "Type", { "": "All types", ...Object.fromEntries(TYPES.map((t) => [t, capitalised(t)])) }, filters.type);
  const order = select("filter-order", "Order", ORDERS, filters.order);
  const form = h("form", { class: "filters", role: "search" }, type.label, type.input, order.label, order.input);
  form.addEventListener("change", () => {
    const query = new URLSearchParams({ state: filters.state, order: order.input.value });
    if (type.input.value) query.set("type", type.input.value);
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

function entryItem(entry) {
  const activity = entry.activity;
  const type = capitalised(entry.activity_type || "activity");
  // Never a raw id: a title from HubSpot, else what the entry is.
  const subject = activity
    ? activity.subject || `${type} without a subject`
    : entry.state_reason === "deleted" ? `${type} deleted in HubSpot` : `${type} (details unavailable from HubSpot)`;
  const people = activity ? [...activity.contacts.map((c) => c.name || c.email), ...activity.companies.map((c) => c.name)].filter(Boolean) : [];
  const reason = REASONS[entry.state_reason];
  const why = reason && entry.state_detail ? `${reason}: ${entry.state_detail}` : reason;
  return h(
    "li",
    {},
    h(
      "a",
      {
        class: `inbox-item card state-${entry.state}`,
        href: `#/activity/${encodeURIComponent(entry.activity_id)}`,
        "data-activity-id": entry.activity_id,
        "data-run-id": entry.id,
        // Read as one phrase by screen readers instead of every badge in turn.
        "aria-label": [subject, type, why].filter(Boolean).join(". "),
      },
      h(
        "div",
        { class: "item-head" },
        h("span", { class: `badge type-${entry.activity_type}` }, entry.activity_type),
        entry.flag ? h("span", { class: `badge flag flag-${entry.flag}` }, FLAGS[entry.flag] || entry.flag) : null,
        activity?.occurred_at ? dated(whenLabel(entry.activity_type), activity.occurred_at) : dated("Suggested", entry.created_at),
        entry.recommended_due ? dated("Follow up by", entry.recommended_due) : null,
      ),
      h("strong", { class: "subject" }, subject),
      people.length ? h("span", { class: "people" }, people.join(" · ")) : null,
      why ? h("span", { class: `why why-${entry.state}` }, why) : null,
      entry.flag_reason ? h("span", { class: "flag-reason" }, entry.flag_reason) : null,
      entry.best_draft && entry.state === "to_do" ? h("span", { class: "snippet" }, snippet(entry.best_draft)) : null,
    ),
  );
}

function dated(label, iso) {
  return h("span", { class: "dated" }, h("span", { class: "when-label" }, `${label} `), h("time", { datetime: iso }, formatWhen(iso)));
}

function capitalised(text) {
  return text[0].toUpperCase() + text.slice(1);
}

function snippet(text) {
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
