"""GET Service Request(s), tokens, definitions and the update history: what a client reads as
the complaint moves through its lifecycle, and every refusal in the specified shape."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import UUID
from xml.etree.ElementTree import fromstring

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from litestar.testing import TestClient

from adapters.clock import ManualClock
from application.commands import MarkDuplicate, Register, Reject, Reopen, RequestClarification, Resolve, Respond
from interfaces.bootstrap import Services
from tests.support.open311 import HOT_WATER, PUSHKINSKAYA, ROOT, errors_of

OPERATOR = "operator:Анна"
UNKNOWN = "00000000-0000-0000-0000-000000000001"


@pytest.fixture
def request_id(post_request: Callable[..., Any]) -> str:
    response = post_request(
        **HOT_WATER, **PUSHKINSKAYA, description="Нет горячей воды", media_url="https://example.ru/p/1.jpg"
    )
    assert response.status_code == 201, response.text
    return response.json()[0]["service_request_id"]


def _read(client: TestClient, complaint_id: str) -> dict[str, Any]:
    response = client.get(f"{ROOT}/requests/{complaint_id}.json")
    assert response.status_code == 200, response.text
    [request] = response.json()
    return request


def _updates(client: TestClient, **params: str) -> list[dict[str, Any]]:
    response = client.get(f"{ROOT}/servicerequestupdates.json", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_a_request_reads_as_its_complaint_moves(
    client: TestClient, services: Services, clock: ManualClock, request_id: str
) -> None:
    complaint_id = UUID(request_id)
    organisation = "МКУ «Управление жилищно-коммунального хозяйства Кировского района» города Ростова-на-Дону"
    assert _read(client, request_id) | {"description": None} == {
        "service_request_id": request_id,
        "status": "open",
        "status_notes": f"Передано в работу: {organisation}",
        "service_name": "ЖКХ",
        "service_code": "housing_utilities",
        "description": None,
        "agency_responsible": organisation,
        "service_notice": "Первый ответ — в течение 4 ч, решение — в течение 30 сут.",
        "requested_datetime": "2026-11-28T09:00:00Z",
        "updated_datetime": "2026-11-28T09:00:00Z",
        "expected_datetime": "2026-11-28T13:00:00Z",
        "address": "улица Пушкинская, 150",
        "address_id": None,
        "lat": None,
        "long": None,
        "media_url": "https://example.ru/p/1.jpg",
    }
    clock.advance(timedelta(hours=1))
    services.complaints.handle(Respond(complaint_id, text="Бригада выехала", actor=OPERATOR))
    answered = _read(client, request_id)
    # Answered: the reaction is done, the resolution deadline is what the citizen waits for.
    assert (answered["status"], answered["status_notes"], answered["expected_datetime"]) == (
        "open",
        "Бригада выехала",
        "2026-12-28T09:00:00Z",
    )
    clock.advance(timedelta(hours=5))
    services.complaints.handle(Resolve(complaint_id, text="Подача горячей воды восстановлена", actor=OPERATOR))
    resolved = _read(client, request_id)
    assert (resolved["status"], resolved["status_notes"], resolved["expected_datetime"]) == (
        "closed",
        "Подача горячей воды восстановлена",
        None,
    )
    assert resolved["updated_datetime"] == "2026-11-28T15:00:00Z"
    clock.advance(timedelta(days=1))
    services.complaints.handle(Reopen(complaint_id, reason="Вода снова пропала", actor=OPERATOR))
    assert _read(client, request_id)["status"] == "open"

    assert [(u["update_id"], u["status"], u["description"], u["media_url"]) for u in _updates(client)] == [
        (f"{request_id}-000001", "open", "Обращение зарегистрировано", None),
        # Version 2 attached the request's photo: no update of its own.
        (f"{request_id}-000003", "in_progress", f"Передано в работу: {organisation}", None),
        (f"{request_id}-000004", "in_progress", "Бригада выехала", None),
        (f"{request_id}-000005", "fixed", "Подача горячей воды восстановлена", None),
        (f"{request_id}-000006", "in_progress", "Работа возобновлена: Вода снова пропала", None),
    ]


def test_clarification_rejection_and_duplicates_read_in_fixmystreets_words(
    client: TestClient, services: Services, clock: ManualClock, request_id: str
) -> None:
    # Open311 requests are located, so routing takes them at once; one left to an operator
    # (as a routing table without a row would) is registered directly, after the other one.
    clock.advance(timedelta(minutes=10))
    waiting = services.complaints.register(
        Register(
            channel="open311",
            source_ref="manual-1",
            author_ref="open311:request:manual-1",
            text="Шумно",
            received_at=clock.now(),
            actor="intake:city app",
            category="other",
        )
    ).complaint_id
    clock.advance(timedelta(minutes=30))
    services.complaints.handle(RequestClarification(waiting, question="Уточните адрес", actor=OPERATOR))
    assert _read(client, str(waiting))["status_notes"] == "Запрошено уточнение: Уточните адрес"
    clock.advance(timedelta(minutes=30))
    services.complaints.handle(Reject(waiting, reason="Автор не ответил", actor=OPERATOR))
    clock.advance(timedelta(minutes=30))
    services.complaints.handle(MarkDuplicate(UUID(request_id), original_id=waiting, actor=OPERATOR))

    assert _read(client, str(waiting))["status"] == "closed"
    assert _read(client, request_id)["status_notes"] == f"Объединено с обращением {waiting}"
    statuses = [(u["service_request_id"], u["status"]) for u in _updates(client)]
    assert statuses[-4:] == [
        (str(waiting), "open"),
        (str(waiting), "investigating"),
        (str(waiting), "no_further_action"),
        (request_id, "duplicate"),
    ]


def test_updates_are_those_of_the_window_and_of_open311_only(
    client: TestClient, services: Services, clock: ManualClock, request_id: str
) -> None:
    complaint_id = UUID(request_id)
    services.complaints.register(
        Register(
            channel="vk",
            source_ref="wall-1_1",
            author_ref="vk:1",
            text="Яма",
            received_at=clock.now(),
            actor="intake:vk",
        )
    )
    clock.advance(timedelta(days=3))
    services.complaints.handle(Respond(complaint_id, text="Бригада выехала", actor=OPERATOR))
    clock.advance(timedelta(days=3))
    services.complaints.handle(Resolve(complaint_id, text="Готово", actor=OPERATOR))

    middle = _updates(client, start_date="2026-11-30T00:00:00+03:00", end_date="2026-12-02T00:00:00+03:00")
    assert [u["description"] for u in middle] == ["Бригада выехала"]
    assert [u["description"] for u in _updates(client, start_date="2026-12-03")] == ["Готово"]
    xml = client.get(f"{ROOT}/servicerequestupdates.xml", params={"end_date": "2026-11-29"})
    root = fromstring(xml.content)
    assert (root.tag, [child.tag for child in root]) == ("service_request_updates", ["request_update"] * 2)


def test_the_default_window_is_the_last_90_days_and_pages_follow(
    client: TestClient, clock: ManualClock, post_request: Callable[..., Any]
) -> None:
    old = post_request(**HOT_WATER, **PUSHKINSKAYA).json()[0]["service_request_id"]
    clock.advance(timedelta(days=91))
    recent = []
    for _ in range(5):
        clock.advance(timedelta(hours=1))
        recent.append(post_request(**HOT_WATER, **PUSHKINSKAYA).json()[0]["service_request_id"])
    newest_first = recent[::-1]

    def listed(**params: str) -> list[str]:
        response = client.get(f"{ROOT}/requests.json", params=params)
        assert response.status_code == 200, response.text
        return [request["service_request_id"] for request in response.json()]

    assert listed() == newest_first
    assert listed(start_date="2026-11-28") == [old]
    assert listed(end_date="2026-11-29") == [old]
    assert listed(page_size="2") == newest_first[:2]
    assert listed(page_size="2", page="2") == newest_first[2:4]
    assert listed(page_size="2", page="3") == newest_first[4:]
    assert listed(page_size="2", page="4") == []


def test_a_token_gives_the_request(client: TestClient, post_request: Callable[..., Any]) -> None:
    created = post_request(**HOT_WATER, **PUSHKINSKAYA).json()[0]
    response = client.get(f"{ROOT}/tokens/{created['token']}.xml")
    assert response.status_code == 200
    request = fromstring(response.content).find("request")
    assert request is not None
    assert (request.findtext("service_request_id"), request.findtext("token")) == (
        created["service_request_id"],
        created["token"],
    )


def test_a_service_without_questions_has_an_empty_definition(client: TestClient) -> None:
    assert client.get(f"{ROOT}/services/education.json").json() == {"service_code": "education", "attributes": []}
    root = fromstring(client.get(f"{ROOT}/services/education.xml").content)
    assert (root.tag, root.findtext("service_code"), list(root.find("attributes") or [])) == (
        "service_definition",
        "education",
        [],
    )


def test_discovery_names_the_endpoint_and_its_formats(client: TestClient) -> None:
    root = fromstring(client.get(f"{ROOT}/discovery.xml").content)
    assert root.tag == "discovery"
    assert root.findtext("endpoints/endpoint/url") == f"http://127.0.0.1:8000{ROOT}"
    assert [f.text for f in root.iter("format")] == ["text/xml", "application/json"]


def test_a_character_xml_cannot_carry_is_refused_before_it_is_recorded(post_request: Callable[..., Any]) -> None:
    # The domain refuses it (domain/text.py); the XML renderer still replaces one that an event
    # recorded before that rule holds.
    response = post_request(**HOT_WATER, **PUSHKINSKAYA, description="Нет воды\x07 совсем")
    assert response.status_code == 400
    assert errors_of(response) == [
        (400, "the complaint text must not contain a control or non-text character (U+0007)")
    ]


READ_REFUSALS: dict[str, tuple[str, int, list[str]]] = {
    "more than 90 days": (
        "requests.{fmt}?start_date=2026-01-01&end_date=2026-06-01",
        400,
        ["start_date and end_date may not span more than 90 days"],
    ),
    "start after end": (
        "requests.{fmt}?start_date=2026-06-01&end_date=2026-05-01",
        400,
        ["start_date must not be after end_date"],
    ),
    "not a date": (
        "requests.{fmt}?start_date=yesterday",
        400,
        ["start_date must be a W3C date and time between 1970 and 2999, e.g. 2010-01-01T00:00:00Z"],
    ),
    "an unknown status": ("requests.{fmt}?status=open,pending", 400, ["status must be open or closed, not pending"]),
    "an unknown service": (
        "requests.{fmt}?service_code=roads,parking",
        400,
        ["service_code parking is not a service here"],
    ),
    "page zero and an oversized page": (
        "requests.{fmt}?page=0&page_size=1001",
        400,
        ["page must be 1 or more", "page_size must be between 1 and 1000"],
    ),
    "a page that is no number": ("requests.{fmt}?page=two", 400, ["page must be a whole number"]),
    "updates over 90 days": (
        "servicerequestupdates.{fmt}?start_date=2026-01-01&end_date=2026-12-01",
        400,
        ["start_date and end_date may not span more than 90 days"],
    ),
    "another jurisdiction": (
        "services.{fmt}?jurisdiction_id=sfgov.org",
        404,
        ["jurisdiction_id sfgov.org was not found"],
    ),
    "an unknown request": (f"requests/{UNKNOWN}.{{fmt}}", 404, [f"service_request_id {UNKNOWN} was not found"]),
    "no request id": ("requests/not-an-id.{fmt}", 404, ["service_request_id not-an-id was not found"]),
    "an unknown token": ("tokens/no-such-token.{fmt}", 404, ["token no-such-token was not found"]),
    "an unknown service definition": ("services/parking.{fmt}", 404, ["service_code parking was not found"]),
}


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("case", list(READ_REFUSALS))
def test_each_reading_refusal_has_the_specified_status_and_body(client: TestClient, case: str, fmt: str) -> None:
    path, status, descriptions = READ_REFUSALS[case]
    response = client.get(f"{ROOT}/{path.format(fmt=fmt)}")
    assert response.status_code == status, response.text
    assert errors_of(response) == [(status, description) for description in descriptions]


def test_a_name_without_a_format_is_not_found(client: TestClient) -> None:
    response = client.get(f"{ROOT}/services/roads")
    assert (response.status_code, errors_of(response)) == (404, [(404, "roads was not found: add .json or .xml")])


def test_a_complaint_from_another_channel_is_not_an_open311_request(
    client: TestClient, services: Services, clock: ManualClock
) -> None:
    from_vk = services.complaints.register(
        Register(
            channel="vk",
            source_ref="wall-1_2",
            author_ref="vk:2",
            text="Яма",
            received_at=clock.now(),
            actor="intake:vk",
        )
    ).complaint_id
    response = client.get(f"{ROOT}/requests/{from_vk}.json")
    assert (response.status_code, errors_of(response)) == (404, [(404, f"service_request_id {from_vk} was not found")])
    assert client.get(f"{ROOT}/tokens/wall-1_2.json").status_code == 404


_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(["requests", "servicerequestupdates"]),
    fmt=st.sampled_from(["json", "xml"]),
    params=st.dictionaries(
        st.sampled_from(
            [
                "service_request_id",
                "service_code",
                "status",
                "start_date",
                "end_date",
                "page",
                "page_size",
                "jurisdiction_id",
            ]
        ),
        _TEXT,
    ),
)
def test_no_query_breaks_a_reading_call(client: TestClient, path: str, fmt: str, params: dict[str, str]) -> None:
    response = client.get(f"{ROOT}/{path}.{fmt}", params=params)
    assert response.status_code in {200, 400, 404}, response.text
    if response.status_code != 200:
        assert errors_of(response)
