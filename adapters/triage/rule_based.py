"""The rule-based implementation of the triage port."""

from __future__ import annotations

from adapters.triage.address import AddressExtractor
from adapters.triage.classify import Classifier
from adapters.triage.document import make_document
from adapters.triage.morphology import Morphology
from adapters.triage.tokens import PUNCT
from application.triage import TriageVerdict

NO_WORDS = "no_words"  # emoji, a sticker, a photo without a caption
NO_LOCATION = "no_location"
AREA_ONLY = "area_only"  # a district or microdistrict, no street
STREET_ONLY = "street_only"


class RuleBasedTriage:
    def __init__(
        self,
        morph: Morphology,
        abbreviations: frozenset[str],
        extractor: AddressExtractor,
        classifier: Classifier,
    ) -> None:
        self._morph = morph
        self._abbreviations = abbreviations
        self._extractor = extractor
        self._classifier = classifier

    def assess(self, text: str, channel: str) -> TriageVerdict:
        doc = make_document(text, self._morph, self._abbreviations)
        if not any(t.kind != PUNCT for t in doc.tokens):
            return TriageVerdict(False, None, None, None, False, NO_WORDS)
        judgement = self._classifier.judge(doc, channel)
        location = self._extractor.locate(doc)
        actionable = judgement.is_complaint and location.locatable
        if not judgement.is_complaint:
            reason = judgement.reason
        elif actionable:
            reason = None
        elif location.address is not None:
            reason = STREET_ONLY
        elif location.area_named:
            reason = AREA_ONLY
        else:
            reason = NO_LOCATION
        return TriageVerdict(
            is_complaint=judgement.is_complaint,
            category=judgement.category,
            address=location.address,
            district=location.district,
            actionable=actionable,
            reason=reason,
        )
