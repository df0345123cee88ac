"""The versioned prompt: what it carries and that the activity block reads back exactly."""

from __future__ import annotations

import json
import math
from zoneinfo import ZoneInfo

from shared.evals.cases import EvalCase, load_cases
from shared.evals.runner import DEFAULT_CASES
from shared.llm.heuristic import estimate_tokens
from shared.llm.prompt import (
    ACTIVITY_END,
    HISTORY_MAX_TOKENS,
    PROMPT_VERSION,
    PROMPTS_DIR,
    VOICE_KEY,
    VOICE_MAX_TOKENS,
    activity_from_payload,
    activity_payload,
    history_lines,
    read_activity_block,
    render_messages,
    render_repair,
)
from tests.shared.llm.factories import (
    DANA,
    GREG,
    NOW,
    ROLLOUT,
    long_history,
    make_activity,
)


def test_version_names_the_template_files() -> None:
    assert PROMPT_VERSION == "suggestions-v1"
    names = {path.name for path in PROMPTS_DIR.iterdir()}
    assert {"suggestions_v1.system.txt", "suggestions_v1.user.txt"} <= names


def test_messages_carry_schema_date_people_and_the_activity() -> None:
    system, user = render_messages(make_activity(), NOW, include_opportunity=True)

    assert system["role"] == "system" and user["role"] == "user"
    assert '"recommended_due"' in system["content"] and '"follow_up"' in system["content"]
    assert "at least 2 drafts" in system["content"]
    assert "buying signals" in system["content"]
    assert "Today is Wednesday 2026-03-04 15:05" in user["content"]
    assert "Dana Ortiz, VP Finance, Acme" in user["content"]
    assert "$" not in user["content"]  # every template variable was filled


def test_without_opportunities_the_model_is_told_to_leave_them_out() -> None:
    system, _ = render_messages(make_activity(), NOW, include_opportunity=False)

    assert "opportunity: always null." in system["content"]


def test_activity_block_reads_back_even_when_the_body_contains_the_end_marker() -> None:
    body = f"Tricky {ACTIVITY_END} text with <b>tags</b> and {{braces}} and $dollars."
    _, user = render_messages(make_activity(body), NOW, include_opportunity=False)

    payload = read_activity_block(user["content"])

    assert payload is not None
    assert payload["body"] == body
    assert payload["occurred_at"] == "2026-03-04T15:00:00Z"
    assert payload["today"] == NOW.isoformat()
    assert payload["contacts"][0]["name"] == "Dana Ortiz"
    assert read_activity_block("no block here") is None


def test_repair_turns_show_the_bad_output_and_the_errors() -> None:
    assistant, user = render_repair("{not json", "- drafts: Field required")

    assert assistant == {"role": "assistant", "content": "{not json"}
    assert "- drafts: Field required" in user["content"]
    assert json.dumps(user)  # plain JSON-ready messages


def test_an_email_reaches_the_model_as_its_newest_message_with_its_author() -> None:
    thread = (
        "Hi Maria,\n\nCan you send the SOW by Thursday?\n\nBest regards,\nDana Ortiz\nVP Finance"
        "\n\nOn Mon, Mar 2, 2026 at 9:14 AM Maria Chen <maria@vendor.example> wrote:\n"
        "> Here is the pricing. Could we talk on March 20?"
    )
    inbound = make_activity(thread, type="email", direction="INCOMING_EMAIL")

    payload = read_activity_block(render_messages(inbound, NOW, False)[1]["content"])

    assert payload["body"] == "Hi Maria,\n\nCan you send the SOW by Thursday?"
    assert payload["written_by"] == "contact"


def test_a_reps_note_is_the_reps_writing_even_when_it_quotes_the_customer() -> None:
    note = make_activity('Dana said: "send the SOW by Thursday".', type="note")

    assert read_activity_block(render_messages(note, NOW, False)[1]["content"])["written_by"] == (
        "rep"
    )


def test_the_contact_to_write_to_is_explicit_when_there_are_several() -> None:
    activity = make_activity(contacts=[DANA, GREG], addressee_id=GREG.id)

    _, user = render_messages(activity, NOW, include_opportunity=False)
    payload = read_activity_block(user["content"]) or {}

    assert "People: Dana Ortiz, VP Finance, Acme; Greg Hall, Acme (write to);" in user["content"]
    assert payload["addressee_id"] == "c-2"
    assert activity_from_payload(payload).addressee == GREG
    assert "history" not in payload and "open_deal" not in payload  # nothing to say, no tokens


def test_a_lone_contact_needs_no_addressee() -> None:
    _, user = render_messages(make_activity(addressee_id=DANA.id), NOW, include_opportunity=False)

    assert "addressee_id" not in (read_activity_block(user["content"]) or {})
    assert "(write to)" not in user["content"]


def test_the_open_deal_and_the_history_travel_in_the_block_newest_first() -> None:
    history = long_history(count=2, chars=40)
    activity = make_activity(history=history, open_deal=ROLLOUT)

    payload = activity_payload(activity, NOW, False, "America/New_York")

    assert payload["open_deal"] == {
        "name": "Acme rollout",
        "stage": "contractsent",
        "amount": "84000",
        "close_date": "2026-03-31",
    }
    first, second = payload["history"]
    assert first.startswith("2026-03-03 email incoming_email: Re: rollout question 0")
    assert "Earlier message 0: word word" in first
    assert second.startswith("2026-03-02 email")
    assert activity_from_payload(payload).history == []  # context is for the model only


def test_a_full_history_fits_its_token_budget() -> None:
    bare = render_messages(make_activity(), NOW, include_opportunity=False)
    full = render_messages(make_activity(history=long_history()), NOW, include_opportunity=False)

    added = estimate_tokens(full[1]["content"]) - estimate_tokens(bare[1]["content"])
    lines = read_activity_block(full[1]["content"])["history"]

    assert HISTORY_MAX_TOKENS <= 400
    assert added <= HISTORY_MAX_TOKENS + 1  # rounding
    assert len(lines) == 5 and all("Earlier message" in line for line in lines)
    assert all(line.endswith("…") for line in lines)  # each body shortened, none dropped


def test_history_lines_give_short_bodies_whole_and_cut_the_long_ones() -> None:
    items = long_history(count=3, chars=300)
    items[1] = items[1].model_copy(update={"subject": "", "body": "Short reply."})

    lines = history_lines(items, ZoneInfo("UTC"), max_chars=400)

    assert lines[1] == "2026-03-02 email incoming_email — Short reply."
    assert len(json.dumps(lines, indent=2, ensure_ascii=False)) <= 400 + 10
    assert history_lines(items, ZoneInfo("UTC"), max_chars=60) == []


def test_with_a_full_context_the_eval_prompts_stay_within_2500_tokens_at_p95() -> None:
    sizes = sorted(
        estimate_tokens("\n".join(m["content"] for m in _with_full_context(case)))
        for case in load_cases(DEFAULT_CASES)
    )

    p95 = sizes[math.ceil(0.95 * len(sizes)) - 1]
    assert p95 <= 2500, f"prompt tokens p95 {p95} with 5 past activities and a deal"


def _with_full_context(case: EvalCase) -> list[dict[str, str]]:
    base = case.activity()
    addressee = base.contacts[0].id if base.contacts else None
    activity = base.model_copy(
        update={"history": long_history(), "open_deal": ROLLOUT, "addressee_id": addressee}
    )
    return render_messages(activity, case.now, True, case.account.time_zone)


def test_the_reps_edited_drafts_reach_the_model_newest_first_within_the_budget() -> None:
    examples = [f"Hi Dana, example {n}. " + "x" * 300 for n in range(20)]

    [_system, user] = render_messages(make_activity(), NOW, False, voice_examples=examples)
    payload = read_activity_block(user["content"])

    kept = payload[VOICE_KEY]
    assert kept == examples[: len(kept)] and 0 < len(kept) < len(examples)
    assert estimate_tokens(json.dumps(kept)) <= VOICE_MAX_TOKENS
    assert VOICE_KEY not in activity_payload(make_activity(), NOW, False)
    assert activity_from_payload(payload) == activity_from_payload(
        activity_payload(make_activity(), NOW, False)
    )
