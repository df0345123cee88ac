"""English: the language a draft falls back to."""

from __future__ import annotations

import re

from shared.llm.tones.words import Tone, Words

WORDS = Words(
    code="en",
    tones={
        "friendly": Tone(
            greeting=("Hi {first},", "Hi there,"),
            body="{greeting}\n\n{opener} I'm following up on {topic}. {when}\n\nBest,",
            when=(
                "I'll make sure you have everything you need by {long} — just reply here if "
                "anything changes on your side.",
                "Would {long} work for a quick check-in on next steps?",
            ),
            openers={
                "call": "Thanks for taking the time to talk!",
                "meeting": "Thanks for meeting with me!",
                "meeting_ahead": "Looking forward to our meeting!",
                "meeting_missed": "Sorry we missed each other today.",
                "upset": "I'm sorry, this is not the experience you should have had.",
                "email_in": "Thanks for your email!",
                "email_out": "Just circling back on my last note.",
                "note": "Hope your week is going well!",
                "task": "Hope your week is going well!",
            },
        ),
        "formal": Tone(
            signature="{sender_full}",
            greeting=("Dear {first},", "Hello,"),
            body="{greeting}\n\n{opener} I am writing regarding {topic}. {when} {offer}"
            "\n\nKind regards,",
            when=(
                "I will ensure you have the relevant details by {long}.",
                "I would welcome the opportunity to discuss next steps on {long}.",
            ),
            openers={
                "call": "Thank you for your time on our call.",
                "meeting": "Thank you for taking the time to meet.",
                "meeting_ahead": "I look forward to our upcoming meeting.",
                "meeting_missed": "I am sorry we were not able to meet as planned.",
                "upset": "Please accept my apologies for the trouble this has caused.",
                "email_in": "Thank you for your message.",
                "email_out": "I am following up on my last email.",
                "note": "I hope this message finds you well.",
                "task": "I hope this message finds you well.",
            },
            offer=(
                "Please let me know if there is anything else {company} requires in the meantime.",
                "Please let me know if there is anything else you require in the meantime.",
            ),
        ),
        "concise": Tone(
            greeting=("{first} — following up on", "Quick follow-up on"),
            body="{greeting} {topic}. {when}",
            when=("You'll have it by {short}.", "Check in {short}?"),
            openers={},
        ),
    },
    generic_topics={
        "call": "our call",
        "meeting": "our meeting",
        "meeting_ahead": "our upcoming meeting",
        "meeting_missed": "a new time for our meeting",
        "upset": "the problem you raised",
        "email_in": "your email",
        "email_out": "my last email",
        "note": "our recent conversation",
        "task": "our recent conversation",
    },
    request="your request for {ask}",
    interest="your interest in {ask}",
    quotes=("“", "”"),
    ask=re.compile(
        r"\b(?:wants?|asked\s+(?:for|about)|asks?\s+(?:for|about)|requested|requests|needs?"
        r"|would\s+like|(?:is\s+)?looking\s+for|(?P<interest>interested\s+in))\s+(?P<topic>.+)",
        re.IGNORECASE,
    ),
    cues=re.compile(
        r"\b(?:want|ask|request|need|would like|looking for|interested|promis|agree|send|share"
        r"|follow up|next step|please|can you|could you|pricing|proposal|quote|demo)",
        re.IGNORECASE,
    ),
    weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    weekdays_short=("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    months=(
        *("January", "February", "March", "April", "May", "June", "July", "August"),
        *("September", "October", "November", "December"),
    ),
    months_short=(
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
    ),
    long_date="{weekday}, {month} {d}",
    short_date="{wd} {mon} {d}",
    joins=((r"^for (?=to\b)", ""),),  # "your request to send the deck"
    yours=((r"(?i)\b(?:their|his)\b", "your"),),
)
