// The card as HubSpot renders it (@hubspot/ui-extensions' test renderer), with hubspot.fetch
// answered by a stand-in for the approval API. The listing it serves is a real answer of
// GET /api/v1/records/contacts/12/runs (fixtures/record-runs.json, checked against the API's
// schema by tests/hubspot_app/test_card.py).
import React from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Alert, Button, DateInput, EmptyState, ErrorState, Heading, Link, StatusTag, Text, TextArea, ToggleGroup, hubspot } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";

import { APPROVAL_API_URL } from "./approval-api.js";
import { polling } from "./api.js";
import listing from "./fixtures/record-runs.json";
import { SuggestionsCard } from "./SuggestionsCard.jsx";

const [taskRun, secondTaskRun, noteRun] = listing.runs;
const LISTING = "GET /api/v1/records/contacts/12/runs";
const JOB = "5b0f7a52-2a34-4a8e-9a51-0d6f0c7b2c11";
const WRITTEN = {
  task_id: "45",
  created: false,
  subject: taskRun.activity.subject,
  due_at: "2026-12-09T12:00:00Z",
  record_url: "https://app.hubspot.com/contacts/62515/record/0-1/12",
};

let calls;

// Answers hubspot.fetch like the approval API: by method and path, each answer [status, body]
// or a list of them given out in turn (a job's states); records every call.
function serve(routes) {
  calls = [];
  const given = {};
  vi.spyOn(hubspot, "fetch").mockImplementation(async (url, options = {}) => {
    const method = options.method || "GET";
    const path = String(url).slice(APPROVAL_API_URL.length);
    calls.push({ url: String(url), method, path, body: options.body });
    let answer = routes[`${method} ${path}`] || [404, { error: "not_found", message: `nothing at ${method} ${path}` }];
    if (Array.isArray(answer[0])) {
      const turn = (given[path] = (given[path] ?? -1) + 1);
      answer = answer[Math.min(turn, answer.length - 1)];
    }
    const [status, body] = answer;
    return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
  });
}

function renderCard({ objectTypeId = "0-1", objectId = 12 } = {}) {
  const renderer = createRenderer("crm.record.tab");
  renderer.mocks.context.crm.objectTypeId = objectTypeId;
  renderer.mocks.context.crm.objectId = objectId;
  renderer.render(<SuggestionsCard />);
  return renderer;
}

async function loaded(objectTypeId, objectId) {
  const card = renderCard({ objectTypeId, objectId });
  await card.waitFor(() => expect(card.findAll(Heading)).not.toHaveLength(0));
  return card;
}

const byText = (text) => (node) => node.text === text;
const texts = (card, component) => card.findAll(component).map((node) => node.text);
const posts = () => calls.filter((call) => call.method === "POST");

beforeEach(() => {
  polling.intervalMs = 5;
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("listing", () => {
  it("lists the record's open suggestions, asked of the approval API for this contact", async () => {
    serve({ [LISTING]: [200, listing] });

    const card = await loaded("0-1", 12);

    expect(calls).toEqual([{ url: `${APPROVAL_API_URL}/api/v1/records/contacts/12/runs`, method: "GET", path: "/api/v1/records/contacts/12/runs", body: undefined }]);
    expect(texts(card, Heading)).toEqual([taskRun.activity.subject, secondTaskRun.activity.subject, "Note logged Fri, Dec 4, 11:10 AM"]);
    const boxes = card.findAll(TextArea);
    expect(boxes.map((box) => box.props.value)).toEqual(listing.runs.flatMap((run) => run.drafts.map((draft) => draft.draft_text)));
    expect(boxes[0].props.label).toBe("Draft, friendly (30% confident)");
    expect(texts(card, Text)).toContain("Task with Marcus Reid, Summit Ridge Outdoor, due Wed, Dec 9, 7:00 AM");
  });

  it("says before the click what Accept and Apply date write, and that no email is sent", async () => {
    serve({ [LISTING]: [200, listing] });

    const card = await loaded();

    const said = texts(card, Text);
    expect(said).toContain(`Accept writes this draft into this task “${taskRun.activity.subject}”, due Wed, Dec 9, 7:00 AM, below its notes. No email is sent.`);
    expect(said).toContain(
      "Accept creates a HubSpot task “Follow up: Note logged Fri, Dec 4, 11:10 AM”, due Fri, Dec 11, 5:00 PM with this draft as its notes; accepting another draft here updates that same task. No email is sent.",
    );
    expect(said).toContain("Apply date creates a HubSpot task “Follow up: Note logged Fri, Dec 4, 11:10 AM” due that day (accepting a draft here writes to the same task). No email is sent.");
  });

  it("asks for the companies and deals it is shown on", async () => {
    serve({
      "GET /api/v1/records/companies/4/runs": [200, { ...listing, object_type: "companies", record_id: "4" }],
      "GET /api/v1/records/deals/9/runs": [200, { ...listing, runs: [], object_type: "deals", record_id: "9" }],
    });

    await loaded("0-2", 4);
    const deal = renderCard({ objectTypeId: "0-3", objectId: 9 });
    await deal.waitFor(() => expect(deal.find(EmptyState).props.title).toBe("No open suggestions"));

    expect(calls.map((call) => call.path)).toEqual(["/api/v1/records/companies/4/runs", "/api/v1/records/deals/9/runs"]);
    expect(deal.find(EmptyState).find(Text).text).toContain("When a call, meeting, email, note or task on this deal is logged");
  });

  it("asks nothing on a record type it does not serve", async () => {
    serve({});

    const card = renderCard({ objectTypeId: "0-5", objectId: 3 });

    expect(card.find(ErrorState).props.title).toBe("Not available here");
    expect(calls).toEqual([]);
  });

  it("tells a HubSpot user who is no rep what to do, in the API's words", async () => {
    const message = "no rep is this HubSpot user: sign in to the review page once with your HubSpot user's email";
    serve({ [LISTING]: [403, { error: "unknown_hubspot_user", message }] });

    const card = renderCard();
    await card.waitFor(() => expect(card.find(ErrorState).props.title).toBe("You are not set up as a rep yet"));

    expect(card.find(ErrorState).find(Text).text).toContain("No rep is this HubSpot user: sign in to the review page once");
  });

  it("offers to try again when the service cannot answer, and does", async () => {
    serve({ [LISTING]: [[503, { error: "hubspot_unavailable", message: "HubSpot could not be read: 502; try again" }], [200, listing]] });

    const card = renderCard();
    await card.waitFor(() => expect(card.find(ErrorState).find(Text).text).toContain("HubSpot could not be read: 502; try again"));
    card.find(Button, byText("Try again")).trigger("onClick");
    await card.waitFor(() => expect(card.findAll(Heading)).toHaveLength(3));

    expect(calls.map((call) => call.path)).toEqual([LISTING.slice(4), LISTING.slice(4)]);
  });
});

describe("accepting a draft", () => {
  it("sends the rep's edit and choice of placement, follows the job and names the task written", async () => {
    serve({
      [LISTING]: [200, listing],
      [`POST /api/v1/drafts/${taskRun.drafts[1].id}/accept`]: [202, { job_id: JOB, status: "queued" }],
      [`GET /api/v1/jobs/${JOB}`]: [[200, { id: JOB, status: "running" }], [200, { id: JOB, status: "applied", written_task: WRITTEN }]],
    });
    const card = await loaded();
    const edited = "Dear Marcus,\n\nThe implementation timeline is attached ahead of the ROI review.\n\nKind regards,\nMaria Chen";

    card.find(TextArea, { name: `draft-${taskRun.drafts[1].id}` }).trigger("onInput", edited);
    card.find(ToggleGroup, { name: `placement-${taskRun.drafts[1].id}` }).trigger("onChange", "replace");
    expect(card.findAll(Text).map((t) => t.text)).toContain(`Accept writes this draft into this task “${taskRun.activity.subject}”, due Wed, Dec 9, 7:00 AM, in place of its notes. No email is sent.`);
    card.findAll(Button, byText("Accept"))[1].trigger("onClick");
    await card.waitFor(() => expect(card.maybeFind(Link)).not.toBeNull());

    expect(posts()).toEqual([{ url: expect.any(String), method: "POST", path: `/api/v1/drafts/${taskRun.drafts[1].id}/accept`, body: { text: edited, task_body: "replace" } }]);
    expect(calls.filter((call) => call.path === `/api/v1/jobs/${JOB}`)).toHaveLength(2);
    expect(texts(card, Text)).toContain(`Updated the HubSpot task “${taskRun.activity.subject}”, due Wed, Dec 9, 7:00 AM.`);
    expect(card.find(Link).props.href).toEqual({ url: WRITTEN.record_url, external: true });
    expect(card.find(TextArea, { name: `draft-${taskRun.drafts[1].id}` }).props.readOnly).toBe(true);
  });

  it("sends no text when the draft is accepted as written, and keeps the notes by default", async () => {
    const draft = noteRun.drafts[0];
    serve({
      [LISTING]: [200, listing],
      [`POST /api/v1/drafts/${draft.id}/accept`]: [202, { job_id: JOB, status: "queued" }],
      [`GET /api/v1/jobs/${JOB}`]: [200, { id: JOB, status: "applied", written_task: { ...WRITTEN, created: true, subject: "Follow up: Note logged Fri, Dec 4, 11:10 AM" } }],
    });
    const card = await loaded();

    const index = listing.runs.flatMap((run) => run.drafts).indexOf(draft);
    expect(card.findAll(TextArea)[index].props.name).toBe(`draft-${draft.id}`);
    card.findAll(Button, byText("Accept"))[index].trigger("onClick");
    await card.waitFor(() => expect(texts(card, Text)).toContain("Created the HubSpot task “Follow up: Note logged Fri, Dec 4, 11:10 AM”, due Wed, Dec 9, 7:00 AM."));

    expect(posts().map((call) => call.body)).toEqual([{ task_body: "append" }]);
    // The run's other drafts now say they update the task the first accept created.
    expect(texts(card, Text)).toContain("Accept puts this draft in the follow-up task “Follow up: Note logged Fri, Dec 4, 11:10 AM” already created for this activity. No email is sent.");
  });

  it("shows why a job failed and sends the same accept again on Try again", async () => {
    const draft = taskRun.drafts[0];
    serve({
      [LISTING]: [200, listing],
      [`POST /api/v1/drafts/${draft.id}/accept`]: [202, { job_id: JOB, status: "queued" }],
      [`GET /api/v1/jobs/${JOB}`]: [
        [200, { id: JOB, status: "failed", reason: "HubSpot did not accept the task: 400 VALIDATION_ERROR" }],
        [200, { id: JOB, status: "applied", written_task: WRITTEN }],
      ],
    });
    const card = await loaded();

    card.findAll(Button, byText("Accept"))[0].trigger("onClick");
    await card.waitFor(() => expect(texts(card, Text)).toContain("Failed: HubSpot did not accept the task: 400 VALIDATION_ERROR. Try again."));
    card.find(Button, byText("Try again")).trigger("onClick");
    await card.waitFor(() => expect(card.maybeFind(Link)).not.toBeNull());

    expect(posts().map((call) => call.path)).toEqual([`/api/v1/drafts/${draft.id}/accept`, `/api/v1/drafts/${draft.id}/accept`]);
  });

  it("shows a draft accepted earlier as applied, with nothing to press", async () => {
    const accepted = structuredClone(listing);
    accepted.runs[0].drafts[0].selected = true;
    serve({ [LISTING]: [200, accepted] });

    const card = await loaded();

    expect(card.findAll(Button, byText("Accept"))).toHaveLength(listing.runs.flatMap((run) => run.drafts).length - 1);
    expect(card.find(StatusTag).text).toBe("Applied to HubSpot");
  });
});

describe("applying the date", () => {
  it("sends the date the rep moved it to, at the recommended time of day, the reminder moved with it", async () => {
    const recommendation = taskRun.recommendation;
    serve({
      [LISTING]: [200, listing],
      [`POST /api/v1/recommendations/${recommendation.id}/apply`]: [202, { job_id: JOB, status: "queued" }],
      [`GET /api/v1/jobs/${JOB}`]: [200, { id: JOB, status: "applied", written_task: { ...WRITTEN, due_at: "2026-12-11T12:00:00Z" } }],
    });
    const card = await loaded();
    const picker = card.find(DateInput, { name: `due-${recommendation.id}` });
    expect(picker.props.value).toEqual({ year: 2026, month: 11, date: 9 });

    picker.trigger("onChange", { year: 2026, month: 11, date: 11, formattedDate: "12/11/2026" });
    card.findAll(Button, byText("Apply date"))[0].trigger("onClick");
    await card.waitFor(() => expect(card.maybeFind(Link)).not.toBeNull());

    expect(posts()).toEqual([
      {
        url: expect.any(String),
        method: "POST",
        path: `/api/v1/recommendations/${recommendation.id}/apply`,
        body: { recommended_due: "2026-12-11T12:00:00.000Z", recommended_start: "2026-12-10T14:00:00.000Z" },
      },
    ]);
    expect(texts(card, Text)).toContain(`Updated the HubSpot task “${taskRun.activity.subject}”, due Fri, Dec 11, 7:00 AM.`);
  });

  it("sends no dates when the rep keeps the recommended day", async () => {
    const recommendation = noteRun.recommendation;
    serve({
      [LISTING]: [200, listing],
      [`POST /api/v1/recommendations/${recommendation.id}/apply`]: [202, { job_id: JOB, status: "queued" }],
      [`GET /api/v1/jobs/${JOB}`]: [200, { id: JOB, status: "applied" }],
    });
    const card = await loaded();

    card.findAll(Button, byText("Apply date"))[2].trigger("onClick");
    await card.waitFor(() => expect(card.find(StatusTag).text).toBe("Applied to HubSpot"));

    expect(posts().map((call) => [call.path, call.body])).toEqual([[`/api/v1/recommendations/${recommendation.id}/apply`, {}]]);
  });
});

describe("dismissing", () => {
  it("dismisses a run's suggestions and brings them back with Undo", async () => {
    serve({
      [LISTING]: [200, listing],
      [`POST /api/v1/runs/${taskRun.id}/dismiss`]: [200, { status: "dismissed" }],
      [`POST /api/v1/runs/${taskRun.id}/restore`]: [200, { status: "restored" }],
    });
    const card = await loaded();

    card.findAll(Button, byText("Dismiss these suggestions"))[0].trigger("onClick");
    await card.waitFor(() => expect(texts(card, Text)).toContain(`Dismissed the suggestions for “${taskRun.activity.subject}”.`));
    expect(texts(card, Heading)).toEqual([secondTaskRun.activity.subject, "Note logged Fri, Dec 4, 11:10 AM"]);
    card.find(Button, byText("Undo")).trigger("onClick");
    await card.waitFor(() => expect(card.findAll(Heading)).toHaveLength(3));

    expect(posts().map((call) => call.path)).toEqual([`/api/v1/runs/${taskRun.id}/dismiss`, `/api/v1/runs/${taskRun.id}/restore`]);
  });

  it("leaves only Dismiss on an activity deleted in HubSpot", async () => {
    const deleted = structuredClone(listing);
    deleted.runs[0].activity = null;
    serve({ [LISTING]: [200, deleted] });

    const card = await loaded();

    expect(card.find(Alert).props.title).toBe("No longer in HubSpot");
    const first = card.findAll(Button).slice(0, 4); // its three Accepts and Apply date
    expect(first.map((button) => [button.text, button.props.disabled])).toEqual([
      ["Accept", true],
      ["Accept", true],
      ["Accept", true],
      ["Apply date", true],
    ]);
    expect(card.findAll(Button, byText("Dismiss these suggestions"))[0].props.disabled).toBeUndefined();
    expect(texts(card, Heading)[0]).toBe("Task logged Sat, Dec 5, 6:51 PM");
  });
});
