"""The structured output every model must return, validated before anything is stored.

Datetimes are normalised to UTC. A naive datetime is read as UTC, because the prompt asks
for UTC and a model that drops the offset has still answered the question; rejecting it
would cost a repair call for nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints, model_validator


def _as_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


UtcDatetime = Annotated[datetime, AfterValidator(_as_utc)]
Score = Annotated[float, Field(ge=0.0, le=1.0)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Draft(BaseModel):
    """One follow-up message the rep can send as is."""

    tone: Text = Field(description="e.g. friendly, formal, concise")
    text: Text = Field(description="The complete message, with no placeholders")
    confidence: Score


class TouchDate(BaseModel):
    """When the rep should next reach out: start preparing at the start, be done by the due."""

    recommended_start: UtcDatetime | None = None
    recommended_due: UtcDatetime
    confidence: Score
    rationale: Annotated[Text, StringConstraints(max_length=300)] = Field(
        description="One short sentence: why this date"
    )

    @model_validator(mode="after")
    def _start_not_after_due(self) -> TouchDate:
        if self.recommended_start is not None and self.recommended_start > self.recommended_due:
            raise ValueError("recommended_start must not be after recommended_due")
        return self


class OpportunitySignal(BaseModel):
    """How likely the activity's deal is to close, from buying signals in the text."""

    probability: Score
    status: Literal["open", "won", "lost"]


Flag = Literal["opt_out", "legal", "hostile"]


class Suggestions(BaseModel):
    """Drafts in different tones, a touch date and, when asked for, an opportunity signal.

    When the activity rules out a follow-up (the contact opted out, threatens legal action,
    or is gone), ``follow_up`` is false: no drafts, no touch date, and the reason for the rep
    (with a flag for an opt-out or a threat). An angry customer is flagged ``hostile`` and
    still gets drafts.
    """

    follow_up: bool = Field(
        default=True,
        description="false only when there is no one to follow up with: the contact asked "
        "not to be contacted, threatens legal action, or is gone (left, bounced)",
    )
    flag: Flag | None = Field(
        default=None,
        description="opt_out, legal or hostile: what the rep must know before anything else",
    )
    flag_reason: Annotated[Text, StringConstraints(max_length=300)] | None = Field(
        default=None,
        description="One sentence for the rep: what in the activity raised the flag, or why "
        "there is no follow-up",
    )
    drafts: list[Draft] = Field(default_factory=list)
    touch_date: TouchDate | None = None
    opportunity: OpportunitySignal | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Suggestions:
        if self.follow_up:
            if len(self.drafts) < 2:
                raise ValueError("a follow-up needs at least 2 drafts")
            if self.touch_date is None:
                raise ValueError("a follow-up needs a touch_date")
        elif self.drafts or self.touch_date is not None:
            raise ValueError("with follow_up false there must be no drafts and no touch_date")
        if not self.follow_up and self.flag == "hostile":
            raise ValueError("an upset contact (hostile) still gets a follow-up")
        if (self.flag is not None or not self.follow_up) and not self.flag_reason:
            raise ValueError("a flag, or no follow-up, needs a flag_reason for the rep")
        # Two copies of one text give the rep no choice; ask the model again instead.
        if len({draft.text for draft in self.drafts}) < len(self.drafts):
            raise ValueError("drafts must have different texts")
        return self
