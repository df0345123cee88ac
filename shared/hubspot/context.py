"""What a good rep would look at besides the activity: the addressed contact's latest
activities (the company's when there is no contact) and the open deal.

Added to a batch of fetched activities of one type at once: one batch association read for
their deals (the activity's own, else the addressed contact's); records, a contact's deal
ids and histories come from Redis when kept there (``records``, ``history``), so with warm
caches that read is the only HubSpot call here.

Installs from before the service read deals have not granted ``crm.objects.deals.read``:
HubSpot's 403 then leaves the deal out, never the activity. Other failures postpone the
fetch, as any other call's do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from shared.hubspot.errors import HubSpotError
from shared.hubspot.history import HistoryCache, Subject
from shared.hubspot.models import Activity, Deal, PastActivity
from shared.hubspot.records import DEALS, Records
from shared.logging import get_logger

if TYPE_CHECKING:
    from shared.hubspot.client import HubSpotClient

T = TypeVar("T")

HISTORY_ITEMS = 5
FORBIDDEN = 403
_NEVER = datetime.max.replace(tzinfo=UTC)

log = get_logger(__name__)


def add_context(
    client: HubSpotClient,
    object_type: str,
    activities: dict[str, Activity],
    records: Records,
    history: HistoryCache,
) -> dict[str, Activity]:
    """The activities (all of ``object_type``) with ``history`` and ``open_deal`` filled in."""
    history.write_through(activities.values())  # first: siblings in the batch are history too
    subjects = {a.id: history_subject(a) for a in activities.values()}
    histories = history.histories(s for s in subjects.values() if s is not None)
    deals: dict[str, Deal] = _unless_forbidden(
        lambda: _open_deals(client, object_type, activities, records), {}
    )
    past = {i: (histories.get(s) or []) if s is not None else [] for i, s in subjects.items()}
    return {
        activity_id: activity.model_copy(
            update={
                "history": _others(past[activity_id], activity),
                "open_deal": deals.get(activity_id),
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


def _open_deals(
    client: HubSpotClient, object_type: str, activities: dict[str, Activity], records: Records
) -> dict[str, Deal]:
    deal_links = client.associated_ids(object_type, "deals", list(activities))
    candidates = _deal_candidates(activities, deal_links, records)
    deals = records.read(DEALS, {d for ids in candidates.values() for d in ids})
    found = {a: open_deal([deals[d] for d in ids if d in deals]) for a, ids in candidates.items()}
    return {activity_id: deal for activity_id, deal in found.items() if deal is not None}


def _unless_forbidden(read: Callable[[], T], empty: T) -> T:
    try:
        return read()
    except HubSpotError as exc:
        if exc.status != FORBIDDEN:
            raise
        log.warning("context_left_out", error=str(exc)[:300])
        return empty


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
    by_contact = {i: contact_deals.get(contact_id, []) for i, contact_id in without.items()}
    return {i: deal_links.get(i) or by_contact.get(i, []) for i in activities}


def _others(items: list[PastActivity], activity: Activity) -> list[PastActivity]:
    return [item for item in items if item.id != activity.id][:HISTORY_ITEMS]
