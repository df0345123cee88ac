"""The versioned prompt: what it carries and that the activity block reads back exactly."""

from __future__ import annotations

import json

from shared.llm.prompt import (
    ACTIVITY_END,
    PROMPT_VERSION,
    PROMPTS_DIR,
    read_activity_block,
    render_messages,
    render_repair,
)
from tests.shared.llm.factories import NOW, make_activity


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
