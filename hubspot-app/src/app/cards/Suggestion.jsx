// One activity's suggestions on the card: its drafts to accept (as written or edited), its
// follow-up date to apply (as recommended or moved), and Dismiss with Undo.
import React, { useState } from "react";
import { Alert, Button, ButtonRow, DateInput, Flex, Heading, Link, StatusTag, Text, TextArea, Tile, ToggleGroup } from "@hubspot/ui-extensions";

import { ApiProblem, acceptDraft, applyDates, dismissRun, followJob, restoreRun } from "./api.js";
import { calendarDay, formatWhen, onDay } from "./dates.js";

const TYPE_WORDS = { call: "Call", email: "Email", meeting: "Meeting", note: "Note", task: "Task" };
const PLACEMENTS = [
  { label: "Add below what is there", value: "append" },
  { label: "Replace them", value: "replace" },
];

export function Suggestion({ run, zone }) {
  const [dismissed, setDismissed] = useState(false);
  const [problem, setProblem] = useState(null);
  const [written, setWritten] = useState(alreadyWritten(run));
  const when = (iso) => formatWhen(iso, zone.timeZone, zone.locale);
  const title = titleOf(run, when);
  const target = taskTarget(run, title, written);
  const gone = run.activity === null;

  const act = (action, after) => async () => {
    setProblem(null);
    try {
      await action(run.id);
      after();
    } catch (error) {
      setProblem(messageOf(error));
    }
  };

  if (dismissed) {
    return (
      <Tile compact>
        <Flex direction="row" justify="between" align="center">
          <Text>Dismissed the suggestions for “{title}”.</Text>
          <Button size="sm" onClick={act(restoreRun, () => setDismissed(false))}>
            Undo
          </Button>
        </Flex>
        {problem && <Text variant="microcopy">{problem}</Text>}
      </Tile>
    );
  }
  return (
    <Tile>
      <Flex direction="column" gap="small">
        <Heading>{title}</Heading>
        <Text variant="microcopy">{contextLine(run, when)}</Text>
        {run.flag && (
          <Alert title="Flagged" variant="warning">
            {run.flag_reason || "Something in this activity needs a look before any follow-up."}
          </Alert>
        )}
        {gone && (
          <Alert title="No longer in HubSpot" variant="warning">
            This activity was deleted in HubSpot, so nothing can be written to it. Dismiss these suggestions.
          </Alert>
        )}
        {run.drafts
          .filter((draft) => !draft.rejected_at)
          .map((draft) => (
            <DraftBlock key={draft.id} draft={draft} target={target} disabled={gone} when={when} onWritten={setWritten} />
          ))}
        {run.recommendation && (
          <DatesBlock recommendation={run.recommendation} target={target} disabled={gone} zone={zone} when={when} onWritten={setWritten} />
        )}
        <ButtonRow>
          <Button variant="transparent" onClick={act(dismissRun, () => setDismissed(true))}>
            Dismiss these suggestions
          </Button>
        </ButtonRow>
        {problem && <Text variant="microcopy">{problem}</Text>}
      </Flex>
    </Tile>
  );
}

function DraftBlock({ draft, target, disabled, when, onWritten }) {
  const original = draft.edited_text || draft.draft_text;
  const [text, setText] = useState(draft.final_text || original);
  const [placement, setPlacement] = useState("append");
  const [job, setJob] = useState(draft.selected ? { status: "applied" } : null);
  const busy = job !== null && job.status !== "failed";

  const accept = () =>
    runJob(setJob, onWritten, () => acceptDraft(draft.id, text.trim() !== original.trim() ? text : undefined, placement));

  return (
    <Flex direction="column" gap="extra-small">
      <TextArea
        label={`Draft, ${draft.tone} (${Math.round(draft.confidence * 100)}% confident)`}
        name={`draft-${draft.id}`}
        value={text}
        rows={Math.min(12, text.split("\n").length + 1)}
        readOnly={busy || disabled}
        onInput={setText}
        onChange={setText}
      />
      {target.isTask && !busy && (
        <ToggleGroup
          toggleType="radioButtonList"
          name={`placement-${draft.id}`}
          label="In the task's notes"
          options={PLACEMENTS}
          value={placement}
          inline
          onChange={setPlacement}
        />
      )}
      {!busy && <Text variant="microcopy">{acceptEffect(target, placement, when)}</Text>}
      {job ? (
        <JobStatus job={job} when={when} />
      ) : (
        <ButtonRow>
          <Button variant="primary" disabled={disabled || !text.trim()} onClick={accept}>
            Accept
          </Button>
        </ButtonRow>
      )}
      {job?.status === "failed" && (
        <ButtonRow>
          <Button onClick={accept}>Try again</Button>
        </ButtonRow>
      )}
    </Flex>
  );
}

function DatesBlock({ recommendation, target, disabled, zone, when, onWritten }) {
  const recommended = recommendation.applied_due || recommendation.recommended_due;
  const [day, setDay] = useState(calendarDay(recommended, zone.timeZone));
  const [job, setJob] = useState(recommendation.applied ? { status: "applied" } : null);
  const busy = job !== null && job.status !== "failed";

  const apply = () => runJob(setJob, onWritten, () => applyDates(recommendation.id, movedDates(recommendation, day, zone)));

  return (
    <Flex direction="column" gap="extra-small">
      <DateInput label="Follow up by" name={`due-${recommendation.id}`} value={day} format="medium" readOnly={busy || disabled} onChange={setDay} />
      <Text variant="microcopy">
        Recommended: {when(recommended)} ({Math.round(recommendation.confidence * 100)}% confident)
        {recommendation.rationale ? `. ${recommendation.rationale}` : ""}
      </Text>
      {!busy && <Text variant="microcopy">{datesEffect(target)}</Text>}
      {job ? (
        <JobStatus job={job} when={when} />
      ) : (
        <ButtonRow>
          <Button disabled={disabled} onClick={apply}>
            Apply date
          </Button>
        </ButtonRow>
      )}
      {job?.status === "failed" && (
        <ButtonRow>
          <Button onClick={apply}>Try again</Button>
        </ButtonRow>
      )}
    </Flex>
  );
}

// Starts an apply job and follows it to its end, showing each state; an applied job names
// the task it wrote, which the other drafts of the run then say they update.
async function runJob(setJob, onWritten, start) {
  setJob({ status: "sending" });
  try {
    const finished = await followJob(await start(), setJob);
    setJob(finished);
    if (finished.status === "applied") onWritten(finished.written_task || true);
  } catch (error) {
    setJob({ status: "failed", reason: messageOf(error), said: true });
  }
}

function JobStatus({ job, when }) {
  if (job.status === "applied") {
    const task = job.written_task;
    if (!task) return <StatusTag variant="success">Applied to HubSpot</StatusTag>;
    const due = task.due_at ? `, due ${when(task.due_at)}` : "";
    return (
      <Flex direction="row" gap="small" align="center" wrap="wrap">
        <StatusTag variant="success">Applied</StatusTag>
        <Text>
          {task.created ? "Created" : "Updated"} the HubSpot task “{task.subject}”{due}.
        </Text>
        {task.record_url && <Link href={{ url: task.record_url, external: true }}>Open in HubSpot</Link>}
      </Flex>
    );
  }
  if (job.status === "failed") return <Text>{job.said ? job.reason : `Failed: ${job.reason || "HubSpot did not take the change"}. Try again.`}</Text>;
  if (job.status === "conflict") return <Text>Not applied: {job.reason || "the activity changed in HubSpot"}. Reload the page to see the latest suggestions.</Text>;
  if (job.status === "queued" && job.reason) return <Text>Queued: {job.reason}</Text>;
  const words = { sending: "Sending…", queued: "Queued…", running: "Writing to HubSpot…" };
  return <Text>{words[job.status] || "Still waiting for HubSpot. Check again later."}</Text>;
}

// The one HubSpot task every accept of a run writes: the activity itself when it is a task,
// else one follow-up task, created by the first accept and updated by the ones after it.
function taskTarget(run, title, written) {
  const isTask = run.activity_type === "task";
  const recommendation = run.recommendation;
  return {
    isTask,
    written: Boolean(written),
    subject: isTask ? title : written?.subject || `Follow up: ${title}`,
    due: isTask ? run.activity?.occurred_at : written?.due_at || recommendation?.applied_due || recommendation?.recommended_due,
  };
}

function alreadyWritten(run) {
  return run.drafts.some((draft) => draft.selected) || Boolean(run.recommendation?.applied);
}

function acceptEffect(target, placement, when) {
  const due = target.due ? `, due ${when(target.due)}` : "";
  const notes = placement === "replace" ? "in place of its notes" : "below its notes";
  if (target.isTask) return `Accept writes this draft into this task “${target.subject}”${due}, ${notes}. No email is sent.`;
  if (target.written) return `Accept puts this draft in the follow-up task “${target.subject}” already created for this activity. No email is sent.`;
  return `Accept creates a HubSpot task “${target.subject}”${due} with this draft as its notes; accepting another draft here updates that same task. No email is sent.`;
}

function datesEffect(target) {
  if (target.isTask) return `Apply date sets the due date and reminder of this task “${target.subject}”.`;
  if (target.written) return `Apply date sets the due date and reminder of the follow-up task “${target.subject}”.`;
  return `Apply date creates a HubSpot task “${target.subject}” due that day (accepting a draft here writes to the same task). No email is sent.`;
}

// The dates to send: none when the rep kept the recommended day (the API applies its own),
// else the due moved to the chosen day and the reminder moved with it.
function movedDates(recommendation, day, zone) {
  const due = recommendation.recommended_due;
  const kept = calendarDay(due, zone.timeZone);
  if (day.year === kept.year && day.month === kept.month && day.date === kept.date) return {};
  const movedDue = onDay(due, day, zone.timeZone);
  const dates = { recommended_due: movedDue };
  if (recommendation.recommended_start) {
    const shift = new Date(movedDue).getTime() - new Date(due).getTime();
    dates.recommended_start = new Date(new Date(recommendation.recommended_start).getTime() + shift).toISOString();
  }
  return dates;
}

function titleOf(run, when) {
  const type = TYPE_WORDS[run.activity_type] || "Activity";
  return run.activity?.subject || `${type} logged ${when(run.activity?.occurred_at || run.created_at)}`;
}

function contextLine(run, when) {
  const type = TYPE_WORDS[run.activity_type] || "Activity";
  const activity = run.activity;
  if (!activity) return `${type}, suggestions made ${when(run.processed_at || run.created_at)}`;
  const people = [...activity.contacts.map((c) => c.name || c.email), ...activity.companies.map((c) => c.name)].filter(Boolean);
  const whom = people.length ? ` with ${people.join(", ")}` : "";
  const logged = run.activity_type === "task" ? "due" : run.activity_type === "meeting" ? "meeting at" : "logged";
  return `${type}${whom}, ${logged} ${when(activity.occurred_at)}`;
}

function messageOf(error) {
  return error instanceof ApiProblem ? error.message : "Something went wrong. Try again.";
}
