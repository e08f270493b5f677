"""The countersigning transcoder writes exactly what the library's JSON transcoder writes, and
reads back exactly what it reads."""

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from uuid import UUID

from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, JSONTranscoder, UUIDAsHex
from hypothesis import given
from hypothesis import strategies as st

from application.countersign import FIELD, CountersigningTranscoder, countersign

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
