"""The three tones a follow-up is written in, from the facts one activity supports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# (friendly, formal) first sentence for each kind of activity.
OPENERS: dict[str, tuple[str, str]] = {
    "call": ("Thanks for taking the time to talk!", "Thank you for your time on our call."),
    "meeting": ("Thanks for meeting with me!", "Thank you for taking the time to meet."),
    "meeting_ahead": ("Looking forward to our meeting!", "I look forward to our upcoming meeting."),
    "upset": (
        "I'm sorry, this is not the experience you should have had.",
        "Please accept my apologies for the trouble this has caused.",
    ),
    "email_in": ("Thanks for your email!", "Thank you for your message."),
    "email_out": ("Just circling back on my last note.", "I am following up on my last email."),
    "note": ("Hope your week is going well!", "I hope this message finds you well."),
    "task": ("Hope your week is going well!", "I hope this message finds you well."),
}

# What a draft follows up on when the activity names no ask and no usable subject.
GENERIC_TOPICS: dict[str, str] = {
    "call": "our call",
    "meeting": "our meeting",
    "meeting_ahead": "our upcoming meeting",
    "upset": "the problem you raised",
    "email_in": "your email",
    "email_out": "my last email",
    "note": "our recent conversation",
    "task": "our recent conversation",
}


@dataclass(frozen=True)
class Facts:
    """What a draft may say: only what the activity supports, nothing to fill in by hand."""

    first_name: str | None
    company: str | None
    topic: str  # what the follow-up is about, e.g. "your request for pricing for 50 seats"
    concrete: bool  # the topic is a real ask, not just the subject
    committed: bool  # the due date comes from the text, so it can be promised
    due: datetime
    opener_key: str  # a key of OPENERS

    def greeting(self, word: str, anonymous: str) -> str:
        return f"{word} {self.first_name}" if self.first_name else anonymous

    @property
    def long_date(self) -> str:
        return f"{self.due:%A, %B} {self.due.day}"

    @property
    def short_date(self) -> str:
        return f"{self.due:%a %b} {self.due.day}"


def friendly(f: Facts) -> str:
    when = (
        f"I'll make sure you have everything you need by {f.long_date} — just reply here if "
        "anything changes on your side."
        if f.committed
        else f"Would {f.long_date} work for a quick check-in on next steps?"
    )
    opener = OPENERS[f.opener_key][0]
    return (
        f"{f.greeting('Hi', 'Hi there')},\n\n{opener} I'm following up on {f.topic}. {when}"
        "\n\nBest,"
    )


def formal(f: Facts) -> str:
    when = (
        f"I will ensure you have the relevant details by {f.long_date}."
        if f.committed
        else f"I would welcome the opportunity to discuss next steps on {f.long_date}."
    )
    anything = f"anything else {f.company} requires" if f.company else "anything else you require"
    return (
        f"{f.greeting('Dear', 'Hello')},\n\n{OPENERS[f.opener_key][1]} I am writing regarding "
        f"{f.topic}. {when} Please let me know if there is {anything} in the meantime."
        "\n\nKind regards,"
    )


def concise(f: Facts) -> str:
    when = f"You'll have it by {f.short_date}." if f.committed else f"Check in {f.short_date}?"
    lead = f"{f.first_name} — following up" if f.first_name else "Quick follow-up"
    return f"{lead} on {f.topic}. {when}"


# Each tone with how much its confidence moves: concise drops context a reader may need.
TONES = (("friendly", friendly, 0.0), ("formal", formal, -0.02), ("concise", concise, -0.05))
