"""The edge's pure parts: the JSON depth measure and the token buckets."""

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from interfaces.http.json_depth import nested_deeper_than
from interfaces.http.rate_limit import TokenBuckets

_SCALARS = st.none() | st.booleans() | st.integers() | st.text(alphabet='[]{}"\\ab\u2028')
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(alphabet='[{"\\'), inner, max_size=3),
    max_leaves=60,
)


def _depth(value: Any) -> int:
    if isinstance(value, list):
        return 1 + max((_depth(item) for item in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_depth(item) for item in value.values()), default=0)
    return 0


@given(_VALUES, st.integers(min_value=0, max_value=8))
def test_the_depth_is_measured_exactly_whatever_the_strings_hold(value: Any, limit: int) -> None:
    body = json.dumps(value, ensure_ascii=False).encode()
    assert nested_deeper_than(body, limit) == (_depth(value) > limit)


def _deepest_before_the_parser_fails(brackets: str) -> int:
    depth = deepest = 0
    for bracket in brackets:
        depth += 1 if bracket in "[{" else -1
        if depth < 0:
            break
        deepest = max(deepest, depth)
    return deepest


@given(st.text(alphabet="[]{} ", max_size=80), st.integers(min_value=0, max_value=8))
def test_malformed_json_never_takes_the_parser_deeper_than_the_limit(brackets: str, limit: int) -> None:
    if _deepest_before_the_parser_fails(brackets) > limit:
        assert nested_deeper_than(brackets.encode(), limit)


def test_thousands_of_levels_are_refused_and_brackets_in_text_are_not_nesting() -> None:
    assert nested_deeper_than(b"[" * 1000 + b"]" * 1000)
    assert nested_deeper_than(b"[[[]" * 1000)  # never closed, yet a valid prefix to descend
    assert nested_deeper_than(b'{"a":' * 33 + b"1" + b"}" * 33)
    assert not nested_deeper_than(b'{"a":' * 32 + b"1" + b"}" * 32)
    assert not nested_deeper_than(json.dumps({"text": "[[[[" * 100 + '"{{{{' * 100}).encode())


class _Monotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_admits_its_burst_then_its_rate_and_says_how_long_to_wait() -> None:
    monotonic = _Monotonic()
    buckets = TokenBuckets(per_minute=60, burst=3, monotonic=monotonic)
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == 1.0
    assert buckets.take("b") == 0.0  # another key has a bucket of its own
    monotonic.now += 0.5
    assert buckets.take("a") == 0.5
    monotonic.now += 0.5
    assert buckets.take("a") == 0.0
    monotonic.now += 3600
    assert [buckets.take("a") for _ in range(4)] == [0.0, 0.0, 0.0, 1.0]  # refilled to the burst, not beyond


def test_a_rate_of_zero_is_no_limit() -> None:
    buckets = TokenBuckets(per_minute=0, burst=1)
    assert all(buckets.take("a") == 0.0 for _ in range(100))


def test_buckets_of_a_flood_of_addresses_are_forgotten_not_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("interfaces.http.rate_limit._MAX_BUCKETS", 10)
    monotonic = _Monotonic()
    buckets = TokenBuckets(per_minute=60, burst=2, monotonic=monotonic)
    buckets.take("old")
    monotonic.now += 5  # "old" is full again
    for address in range(30):
        buckets.take(address)
        assert len(buckets._buckets) <= 10
    assert "old" not in buckets._buckets
