"""What a good rep would look at besides the activity: the addressed contact's latest
activities (the company's when there is no contact) and the open deal.

Added to a batch of fetched activities at once: the deals are the activity's own, else the
addressed contact's; records, deal ids and histories come from Redis when kept there
(``records``, ``history``), so a warm cache costs no HubSpot call here.
"""

from __future__ import annotations

from datetime import UTC, datetime

from shared.hubspot.history import HistoryCache, Subject
from shared.hubspot.models import Activity, Deal, PastActivity
from shared.hubspot.records import DEALS, Records

HISTORY_ITEMS = 5
_NEVER = datetime.max.replace(tzinfo=UTC)


def add_context(
    activities: dict[str, Activity],
    deal_links: dict[str, list[str]],
    records: Records,
    history: HistoryCache,
) -> dict[str, Activity]:
    """The activities with ``history`` and ``open_deal`` filled in.

    ``deal_links``: the deal ids associated with each activity (read with the activity).
    """
    history.write_through(activities.values())  # first: siblings in the batch are history too
    subjects = {a.id: history_subject(a) for a in activities.values()}
    histories = history.histories(s for s in subjects.values() if s is not None)
    candidates = _deal_candidates(activities, deal_links, records)
    deals = records.read(DEALS, {d for ids in candidates.values() for d in ids})
    return {
        activity_id: activity.model_copy(
            update={
                "history": _others(histories.get(subjects[activity_id]) or [], activity),
                "open_deal": open_deal([deals[d] for d in candidates[activity_id] if d in deals]),
            }
        )
        for activity_id, activity in activities.items()
    }


def history_subject(activity: Activity) -> Subject | None:
    contact = activity.addressee
    if contact is not None:
        return ("contacts", contact.id)
    return ("companies", activity.companies[0].id) if activity.companies else None


def open_deal(deals: list[Deal]) -> Deal | None:
    """The open deal that closes soonest (the one a follow-up most likely serves)."""
    open_deals = [deal for deal in deals if not deal.closed]
    return min(open_deals, key=lambda d: (d.close_date or _NEVER, d.id), default=None)


def _deal_candidates(
    activities: dict[str, Activity], deal_links: dict[str, list[str]], records: Records
) -> dict[str, list[str]]:
    """Each activity's own deals, else its addressed contact's (one cached batch read)."""
    without = {
        a.id: contact.id
        for a in activities.values()
        if not deal_links.get(a.id) and (contact := a.addressee) is not None
    }
    contact_deals = records.links("contacts", "deals", without.values())
    return {
        activity_id: deal_links.get(activity_id) or contact_deals.get(without.get(activity_id), [])
        for activity_id in activities
    }


def _others(items: list[PastActivity], activity: Activity) -> list[PastActivity]:
    return [item for item in items if item.id != activity.id][:HISTORY_ITEMS]
