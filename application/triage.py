"""Triage port: decide whether a citizen's post is an actionable complaint.

The application depends only on this module; the rule-based Russian implementation
lives in ``adapters.triage`` and is wired in by the composition root.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

CATEGORIES: tuple[str, ...] = (
    "healthcare",
    "improvement",
    "housing_utilities",
    "roads",
    "public_transport",
    "waste",
    "education",
    "social_support",
    "ecology",
    "safety",
    "other",
)

CHANNELS: tuple[str, ...] = ("vk", "ok", "telegram", "gosuslugi")


@dataclass(frozen=True, slots=True)
class Address:
    street: str
    street_type: str | None
    house: str | None

    def to_json(self) -> dict:
        return {"street": self.street, "street_type": self.street_type, "house": self.house}


@dataclass(frozen=True, slots=True)
class TriageVerdict:
    is_complaint: bool
    category: str | None
    address: Address | None
    district: str | None
    actionable: bool
    # Why it is not a complaint ("thanks", "advert", "question", ...) or why a complaint
    # is not actionable ("no_location", "street_only", ...); None when actionable.
    reason: str | None

    def to_json(self, id: str) -> dict:
        return {
            "id": id,
            "is_complaint": self.is_complaint,
            "category": self.category,
            "address": self.address.to_json() if self.address else None,
            "district": self.district,
            "actionable": self.actionable,
        }


class Triage(Protocol):
    def assess(self, text: str, channel: str) -> TriageVerdict: ...
