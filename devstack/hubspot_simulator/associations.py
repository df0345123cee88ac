"""HubSpot-defined association types between the simulated object types.

Each pair of types has one type id per direction (e.g. note_to_contact is 202, its reverse
contact_to_note 201). Contact-company also has the "Primary" ids 1 and 2, deal-company the
"Primary" ids 5 and 6, accepted on create.
"""

from __future__ import annotations

from dataclasses import dataclass

HUBSPOT_DEFINED = "HUBSPOT_DEFINED"


@dataclass(frozen=True)
class AssociationType:
    type_id: int
    from_type: str
    to_type: str
    label: str | None = None

    @property
    def name(self) -> str:
        """The v3 name, e.g. note_to_contact."""
        return f"{self.from_type}_to_{self.to_type}"


# activity: {record type: (activity to record, record to activity)}
_ACTIVITY_IDS = {
    "call": {"contact": (194, 193), "company": (182, 181), "deal": (206, 205)},
    "email": {"contact": (198, 197), "company": (186, 185), "deal": (210, 209)},
    "meeting": {"contact": (200, 199), "company": (188, 187), "deal": (212, 211)},
    "note": {"contact": (202, 201), "company": (190, 189), "deal": (214, 213)},
    "task": {"contact": (204, 203), "company": (192, 191), "deal": (216, 215)},
}
# (one way, the other way): contact-company, deal-contact, deal-company
_RECORD_IDS = (
    (AssociationType(279, "contact", "company"), AssociationType(280, "company", "contact")),
    (AssociationType(3, "deal", "contact"), AssociationType(4, "contact", "deal")),
    (AssociationType(341, "deal", "company"), AssociationType(342, "company", "deal")),
)


def _build() -> tuple[AssociationType, ...]:
    types = [association for pair in _RECORD_IDS for association in pair]
    for activity, by_record in _ACTIVITY_IDS.items():
        for other, (to_id, from_id) in by_record.items():
            types += [
                AssociationType(to_id, activity, other),
                AssociationType(from_id, other, activity),
            ]
    return tuple(types)


ASSOCIATION_TYPES = _build()
_BY_PAIR = {(t.from_type, t.to_type): t for t in ASSOCIATION_TYPES}
_BY_ID = {t.type_id: t for t in ASSOCIATION_TYPES} | {
    1: AssociationType(1, "contact", "company", "Primary"),
    2: AssociationType(2, "company", "contact", "Primary"),
    5: AssociationType(5, "deal", "company", "Primary"),
    6: AssociationType(6, "company", "deal", "Primary"),
}


def type_between(from_singular: str, to_singular: str) -> AssociationType | None:
    """The default (unlabeled) association type from one object type to another."""
    return _BY_PAIR.get((from_singular, to_singular))


def type_by_id(type_id: int) -> AssociationType | None:
    return _BY_ID.get(type_id)
