"""A scripted triage with the real port's shape: a handful of streets and problem words.

Enough to drive intake through every branch without the real gazetteer; the real triage is
tested by its own suite.
"""

import re

from application.triage import Address, TriageVerdict

# street → (type, district when the street belongs to one district)
STREETS = {
    "Мясникяна": ("улица", "Пролетарский"),
    "Королёва": ("проспект", "Ворошиловский"),
    "Беляева": ("улица", "Ворошиловский"),
    "Космонавтов": ("проспект", "Ворошиловский"),
    "Стачки": ("проспект", None),
    "Ленина": ("проспект", None),
}
PROBLEMS = {
    "мусор": "waste",
    "яма": "roads",
    "ямы": "roads",
    "фонар": "improvement",
    "горяч": "housing_utilities",
    "воды": "housing_utilities",
    "поликлиник": "healthcare",
}
NOT_COMPLAINTS = {"спасибо": "thanks", "продам": "advert", "скидк": "advert"}
_ADDRESS = re.compile(r"(" + "|".join(STREETS) + r")(?:\s*,?\s*(?:д\.\s*)?(\d+[а-я]?))?", re.IGNORECASE)


class ScriptedTriage:
    def __init__(self) -> None:
        self.assessed: list[tuple[str, str]] = []

    def assess(self, text: str, channel: str) -> TriageVerdict:
        self.assessed.append((text, channel))
        lowered = text.lower()
        address, district = None, None
        if match := _ADDRESS.search(text):
            street = next(s for s in STREETS if s.lower() == match.group(1).lower())
            street_type, district = STREETS[street]
            address = Address(street=street, street_type=street_type, house=match.group(2))
        category = next((c for word, c in PROBLEMS.items() if word in lowered), None)
        refusal = next((r for word, r in NOT_COMPLAINTS.items() if word in lowered), None)
        if category is None or refusal is not None:
            return TriageVerdict(False, None, address, district, False, refusal or "no_problem")
        actionable = address is not None and address.house is not None
        return TriageVerdict(True, category, address, district, actionable, None if actionable else "no_location")
