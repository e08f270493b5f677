from application.triage import Address, TriageVerdict


def test_verdict_json_has_the_corpus_fields_in_order():
    verdict = TriageVerdict(
        is_complaint=True,
        category="roads",
        address=Address("Стачки", "проспект", "217"),
        district=None,
        actionable=True,
        reason=None,
    )
    assert list(verdict.to_json("p-1").items()) == [
        ("id", "p-1"),
        ("is_complaint", True),
        ("category", "roads"),
        ("address", {"street": "Стачки", "street_type": "проспект", "house": "217"}),
        ("district", None),
        ("actionable", True),
    ]


def test_verdict_without_address_serialises_null():
    verdict = TriageVerdict(False, None, None, None, False, "thanks")
    assert verdict.to_json("x")["address"] is None
