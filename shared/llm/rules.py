"""The rules a suggestion must keep, checked in code whatever model wrote it.

The prompt states these rules; a model may still break them, so each is checked here on the
parsed answer. The eval counts what breaks them (``shared.evals``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from shared.hubspot.models import Activity
from shared.llm import dates as d
from shared.llm.attention import attention, missed_meeting
from shared.llm.internal import internal_runs, internal_spans, shareable_text, word_runs
from shared.llm.schema import Suggestions
from shared.llm.touch import dated_text
from shared.llm.when import Mention, find_mentions

# A due date further out than this needs the text to name a date that far out.
HORIZON = timedelta(days=90)

_PLACEHOLDERS = re.compile(
    r"\[[^\]\n]{1,40}\]|\{\{?[^}\n]{1,40}\}?\}|<[A-Za-z][^>\n]{0,30}>|_{3,}"
    r"|\b(?:XX+|TBD|TBA|INSERT\b[^.\n]*|YOUR NAME|NAME HERE)\b"
)
# Thanks for a meeting, in the languages drafts are written in: wrong before it happens.
_THANKS_FOR_MEETING = re.compile(
    r"thank(?:s| you) for (?:meeting|the meeting|taking the time|your time|speaking|talking)"
    r"|great (?:meeting|talking|speaking)|(?:good|nice) to (?:meet|talk|speak)"
    r"|gracias por (?:la reuni[oó]n|tu tiempo|su tiempo|reunirte|reunirse)"
    r"|danke f[uü]r (?:das gespr[aä]ch|das treffen|ihre zeit|deine zeit)"
    r"|merci pour (?:la r[ée]union|votre temps|l'[ée]change|ce rendez-vous)",
    re.IGNORECASE,
)
# Thanks for a message, which an upset contact must not get as the first thing they read.
_THANKS_FOR_MESSAGE = re.compile(
    r"thank(?:s| you) for (?:your|the) (?:e-?mail|message|note|feedback|reply)"
    r"|gracias por (?:tu|su) (?:correo|mensaje|e-?mail)"
    r"|danke f[uü]r (?:ihre|deine) (?:e-?mail|nachricht|r[uü]ckmeldung)"
    r"|merci (?:pour|de) votre (?:e-?mail|message|retour)",
    re.IGNORECASE,
)
_MONEY = re.compile(
    r"(?:[$€£]\s?\d[\d.,]*(?:\s?[kKmM])?)|(?:\d[\d.,]*\s?(?:usd|eur|gbp|€|\$|dollars?|euros?)\b)"
    r"|(?:\d+(?:[.,]\d+)?\s?%)",
    re.IGNORECASE,
)
_DISCOUNT = re.compile(
    r"\b(?:discount|rebate|descuento|rabatt|nachlass|remise|r[ée]duction)\w*", re.IGNORECASE
)


@dataclass(frozen=True)
class Context:
    """What the rules need beyond the answer: the activity, when, and whose calendar."""

    activity: Activity
    now: datetime
    zone: tzinfo
    country: str | None = None  # ISO code for public holidays; None: weekends only


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str


def check(suggestions: Suggestions, context: Context) -> list[Violation]:
    """Every rule the suggestions break, each with a message a model can act on."""
    return [
        *_attention_rules(suggestions, context),
        *_touch_date_rules(suggestions, context),
        *_draft_rules(suggestions, context),
        *_date_rules(suggestions, context),
        *_internal_rules(suggestions, context),
    ]


def _attention_rules(suggestions: Suggestions, context: Context) -> list[Violation]:
    """An opt-out or a legal threat allows no follow-up; an upset contact is not thanked."""
    activity = context.activity
    flagged = attention(f"{activity.subject}\n{activity.body}")
    if flagged is None:
        return []
    if flagged.rules_out_follow_up and suggestions.follow_up:
        flag = f"flag {flagged.flag!r}" if flagged.flag else "no flag"
        return [
            Violation(
                "follow_up_after_opt_out",
                f"{flagged.reason}; set follow_up to false with {flag}, a flag_reason, and "
                "no drafts or touch_date",
            )
        ]
    return [
        Violation(
            "thanks_to_upset_contact",
            f"draft {number} thanks an upset contact: "
            "open with an apology and a concrete next step",
        )
        for number, draft in enumerate(suggestions.drafts, 1)
        if flagged.flag == "hostile" and _THANKS_FOR_MESSAGE.search(draft.text)
    ]


def _touch_date_rules(suggestions: Suggestions, context: Context) -> list[Violation]:
    touch = suggestions.touch_date
    if touch is None:
        return []
    due = touch.recommended_due.astimezone(context.zone)
    found = []
    if not d.is_working_day(due.date(), context.country):
        found.append(
            Violation(
                "due_not_business_day", f"recommended_due {due:%A %Y-%m-%d} is not a business day"
            )
        )
    if touch.recommended_due <= context.now:
        found.append(Violation("due_in_past", "recommended_due must be after now"))
    if touch.recommended_due - context.now > HORIZON and not _text_names(due.date(), context):
        found.append(
            Violation(
                "due_past_horizon",
                f"recommended_due is more than {HORIZON.days} days away and the activity "
                "names no date that far out",
            )
        )
    written = context.activity.created_at or context.activity.occurred_at
    if touch.recommended_start is not None and written and touch.recommended_start < written:
        found.append(Violation("start_before_activity", "recommended_start is before the activity"))
    return found


def _draft_rules(suggestions: Suggestions, context: Context) -> list[Violation]:
    activity = context.activity
    source = folded(f"{activity.subject}\n{activity.body}")
    numbers = _numbers(source)
    found = []
    tones = [folded(draft.tone) for draft in suggestions.drafts]
    if len(set(tones)) < len(tones):
        found.append(Violation("same_tone", "every draft must have a different tone"))
    future_meeting = (
        activity.type == "meeting"
        and activity.occurred_at is not None
        and activity.occurred_at > context.now
    )
    missed = missed_meeting(activity)
    sender = activity.owner_name.split()[0] if activity.owner_name.strip() else None
    for number, draft in enumerate(suggestions.drafts, 1):
        if sender and folded(sender) not in folded(draft.text):
            found.append(Violation("unsigned", f"draft {number} is not signed by {sender}"))
        # Brackets the activity itself contains are quoted, not left to fill in.
        placeholders = [
            m[0] for m in _PLACEHOLDERS.finditer(draft.text) if folded(m[0]) not in source
        ]
        if placeholders:
            found.append(
                Violation("placeholder", f"draft {number} has a placeholder: {placeholders[0]!r}")
            )
        if future_meeting and _THANKS_FOR_MEETING.search(draft.text):
            found.append(
                Violation(
                    "thanks_for_future_meeting",
                    f"draft {number} thanks the contact for a meeting that has not happened yet",
                )
            )
        if missed and _THANKS_FOR_MEETING.search(draft.text):
            found.append(
                Violation(
                    "thanks_for_missed_meeting",
                    f"draft {number} thanks the contact for a meeting that did not take place",
                )
            )
        for amount in _MONEY.findall(draft.text):
            if _numbers(amount) - numbers:
                found.append(
                    Violation(
                        "invented_amount",
                        f"draft {number} names {amount.strip()!r}, which the activity does not",
                    )
                )
        if _DISCOUNT.search(draft.text) and not _DISCOUNT.search(source):
            found.append(
                Violation(
                    "invented_discount",
                    f"draft {number} offers a discount the activity does not mention",
                )
            )
    return found


def _internal_rules(suggestions: Suggestions, context: Context) -> list[Violation]:
    """No draft repeats the rep's internal remarks (``internal``): not a run of their words,
    not an amount or a percentage that only they name."""
    activity = context.activity
    spans = internal_spans(activity)
    if not spans:
        return []
    runs = internal_runs(activity)
    shareable = _numbers(f"{activity.subject}\n{shareable_text(activity)}")
    internal_only = _numbers(" ".join(spans)) - shareable
    found = []
    for number, draft in enumerate(suggestions.drafts, 1):
        copied = sorted(word_runs(draft.text) & runs)
        if copied:
            found.append(
                Violation(
                    "internal_text",
                    f"draft {number} repeats the rep's internal note ({' '.join(copied[0])!r}): "
                    "leave internal remarks out of what the customer reads",
                )
            )
        amounts = [a for a in _MONEY.findall(draft.text) if _numbers(a) & internal_only]
        if amounts:
            found.append(
                Violation(
                    "internal_amount",
                    f"draft {number} names {amounts[0].strip()!r}, which only the rep's "
                    "internal note gives",
                )
            )
    return found


def _text_names(due: date, context: Context) -> bool:
    """Whether the activity's text names a date on or after ``due``'s week."""
    activity = context.activity
    anchor = (activity.created_at or context.now).astimezone(context.zone).date()
    mentions = find_mentions(dated_text(activity), anchor, context.country)
    return any(mention.due >= due - timedelta(days=7) for mention in mentions)


def _date_rules(suggestions: Suggestions, context: Context) -> list[Violation]:
    """A draft names only calendar dates the activity names or the touch date it proposes."""
    if not suggestions.drafts:
        return []
    activity, today = context.activity, context.now.astimezone(context.zone).date()
    anchor = (activity.created_at or context.now).astimezone(context.zone).date()
    source = find_mentions(f"{activity.subject}\n{activity.body}", anchor, context.country)
    allowed = {day for m in source for day in (m.due, m.named) if day is not None}
    if suggestions.touch_date is not None:
        touch = suggestions.touch_date
        allowed |= {
            moment.astimezone(context.zone).date()
            for moment in (touch.recommended_due, touch.recommended_start)
            if moment is not None
        }
    found = []
    for number, draft in enumerate(suggestions.drafts, 1):
        for mention in find_mentions(draft.text, today, context.country):
            if mention.explicit and not _named_in(mention, allowed):
                found.append(
                    Violation(
                        "invented_date",
                        f"draft {number} names {mention.phrase!r}, a date the activity does "
                        "not give and that is not the touch date",
                    )
                )
                break
    return found


def _named_in(mention: Mention, allowed: set[date]) -> bool:
    """Whether a draft's date is one of ``allowed``. A numeric "01/10" is read both ways
    (and in any year): drafts write the contact's convention, which the account's country
    does not always tell."""
    if {mention.due, mention.named} & allowed:
        return True
    numeric = re.fullmatch(r"(\d{1,2})/(\d{1,2})", mention.phrase)
    if numeric is None:
        return False
    pairs = {(int(numeric[1]), int(numeric[2])), (int(numeric[2]), int(numeric[1]))}
    return any((day.month, day.day) in pairs for day in allowed)


def _numbers(text: str) -> set[str]:
    """The numbers in ``text``, separators dropped: "1,200" and "1200" are one number."""
    return {re.sub(r"\D", "", number) for number in re.findall(r"\d[\d.,]*\d|\d", text)}


def folded(text: str) -> str:
    """Case and accents left out, so "Präsentation" and "prasentation" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))
