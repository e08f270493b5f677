"""The countersigning transcoder writes exactly what the library's JSON transcoder writes, and
reads back exactly what it reads; the countersigning mapper signs every unsealed event's envelope."""

import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, JSONTranscoder, Mapper, StoredEvent, UUIDAsHex
from hypothesis import given
from hypothesis import strategies as st

from application.countersign import (
    FIELD,
    CountersigningMapper,
    CountersigningTranscoder,
    countersign,
    envelope_seal,
)
from domain.access import ApiToken
from domain.service_request import ServiceRequest

KEY = b"k" * 32


def _transcoders() -> tuple[CountersigningTranscoder, JSONTranscoder]:
    ours, library = CountersigningTranscoder(KEY), JSONTranscoder()
    for transcoder in (ours, library):
        for transcoding in (UUIDAsHex(), DatetimeAsISO(), DecimalAsStr()):
            transcoder.register(transcoding)
    return ours, library


OURS, LIBRARY = _transcoders()
zones = st.sampled_from([UTC, timezone(timedelta(hours=3)), timezone(timedelta(hours=-5, minutes=-30))])
scalars = (
    st.text()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.booleans()
    | st.none()
    | st.uuids()
    | st.datetimes(timezones=zones)
    | st.decimals(allow_nan=False, allow_infinity=False)
    | st.floats(allow_nan=False, allow_infinity=False)
)
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3)
)


@given(st.dictionaries(st.text(), values, max_size=8), st.text(alphabet="0123456789abcdef", min_size=64, max_size=64))
def test_an_event_is_written_as_the_library_writes_it_plus_its_countersignature(state: dict, seal: str) -> None:
    state = {k: v for k, v in state.items() if k != FIELD}
    written = OURS.encode({**state, "seal": seal})
    assert written == LIBRARY.encode({**state, "seal": seal, FIELD: countersign(KEY, seal)})
    assert OURS.decode(written) == LIBRARY.decode(LIBRARY.encode({**state, "seal": seal}))


# JSON the library may have written or may be handed: transcoded objects nested in one another,
# objects that only look transcoded, and numbers msgspec leaves to Python's json.
look_alikes = st.fixed_dictionaries({"_type_": st.sampled_from(["uuid_hex", "other"]), "extra": st.integers()})
huge = st.integers(min_value=2**64, max_value=2**70) | st.sampled_from([float("inf"), float("-inf")])
documents = st.recursive(
    values | look_alikes | huge,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
)


@given(documents)
def test_a_document_is_read_back_exactly_as_the_library_reads_it(document: object) -> None:
    written = LIBRARY.encode(document)
    expected = LIBRARY.decode(written)
    if isinstance(expected, dict):
        expected.pop(FIELD, None)
    # repr tells apart what == does not: a datetime's offset, 1 from 1.0 from True.
    assert repr(OURS.decode(written)) == repr(expected)


def test_an_unsealed_object_is_written_unchanged() -> None:
    state = {"id": UUID(int=7), "at": datetime(2026, 11, 28, 12, tzinfo=UTC), "amount": Decimal("1.50")}
    assert OURS.encode(state) == LIBRARY.encode(state)


SIGNING, PLAIN = CountersigningMapper(OURS, KEY), Mapper(LIBRARY)
AT = datetime(2026, 11, 28, 12, tzinfo=UTC)


def _signature_holds(stored: StoredEvent) -> bool:
    fields = json.loads(stored.state)
    signature = fields.pop(FIELD)
    expected = envelope_seal(stored.originator_id, stored.originator_version, stored.topic, fields)
    return signature == countersign(KEY, expected)


@given(st.text().filter(str.strip), st.sampled_from(["operator", "supervisor", "auditor"]))
def test_an_unsealed_event_is_written_as_the_library_writes_it_plus_its_envelopes_countersignature(
    name: str, role: str
) -> None:
    token = ApiToken.issue(token_hash="a" * 64, role=role, name=name, at=AT)
    (issued,) = token.collect_events()
    ours, library = SIGNING.to_stored_event(issued), PLAIN.to_stored_event(issued)
    assert json.loads(ours.state) == {**json.loads(library.state), FIELD: json.loads(ours.state)[FIELD]}
    assert _signature_holds(ours)
    assert vars(SIGNING.to_domain_event(ours)) == vars(issued)


def test_the_countersignature_binds_the_aggregate_the_version_and_the_topic() -> None:
    token = ApiToken.issue(token_hash="a" * 64, role="operator", name="Анна", at=AT)
    token.revoke(at=AT)
    issued, revoked = (SIGNING.to_stored_event(e) for e in token.collect_events())
    moved = [
        StoredEvent(UUID(int=1), issued.originator_version, issued.topic, issued.state),
        StoredEvent(issued.originator_id, 3, issued.topic, issued.state),
        StoredEvent(revoked.originator_id, revoked.originator_version, issued.topic, revoked.state),
    ]
    assert _signature_holds(issued) and _signature_holds(revoked)
    assert not any(_signature_holds(event) for event in moved)


def test_a_float_written_by_pythons_encoder_is_signed_as_it_reads_back() -> None:
    request = ServiceRequest.submit(complaint_id=UUID(int=5), at=AT, lat=47.2221, long=39.7188)
    (submitted,) = request.collect_events()
    assert _signature_holds(SIGNING.to_stored_event(submitted))
