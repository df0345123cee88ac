"""HubSpot-defined association types between the simulated object types.

Each pair of types has one type id per direction (e.g. note_to_contact is 202, its reverse
contact_to_note 201). Contact-company also has the "Primary" ids 1 and 2, accepted on create.
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


# (activity, to contact, from contact, to company, from company)
_ACTIVITY_IDS = {
    "call": (194, 193, 182, 181),
    "email": (198, 197, 186, 185),
    "meeting": (200, 199, 188, 187),
    "note": (202, 201, 190, 189),
    "task": (204, 203, 192, 191),
}


def _build() -> tuple[AssociationType, ...]:
    types = [AssociationType(279, "contact", "company"), AssociationType(280, "company", "contact")]
    for activity, (to_contact, from_contact, to_company, from_company) in _ACTIVITY_IDS.items():
        types += [
            AssociationType(to_contact, activity, "contact"),
            AssociationType(from_contact, "contact", activity),
            AssociationType(to_company, activity, "company"),
            AssociationType(from_company, "company", activity),
        ]
    return tuple(types)


ASSOCIATION_TYPES = _build()
_BY_PAIR = {(t.from_type, t.to_type): t for t in ASSOCIATION_TYPES}
_BY_ID = {t.type_id: t for t in ASSOCIATION_TYPES} | {
    1: AssociationType(1, "contact", "company", "Primary"),
    2: AssociationType(2, "company", "contact", "Primary"),
}


def type_between(from_singular: str, to_singular: str) -> AssociationType | None:
    """The default (unlabeled) association type from one object type to another."""
    return _BY_PAIR.get((from_singular, to_singular))


def type_by_id(type_id: int) -> AssociationType | None:
    return _BY_ID.get(type_id)
