"""POST Service Request with raw form-encoded bodies, as the specification shows them: what is
registered and routed, and each refusal with the specified status and body."""

import logging
from collections.abc import Callable
from typing import Any
from uuid import UUID
from xml.etree.ElementTree import fromstring

import pytest
from litestar.testing import TestClient

from application.open311.service import MAX_DESCRIPTION
from domain.access import Role
from interfaces.bootstrap import Services
from interfaces.http.auth import ROLES
from tests.support.open311 import FORM, HOT_WATER, PUSHKINSKAYA, ROOT, errors_of, form

CITIZEN = {
    "email": "Anna.Petrova@example.ru",
    "first_name": "Анна",
    "last_name": "Петрова",
    "phone": "+79185551234",
    "device_id": "phone-7f3a",
    "account_id": "fms-42",
}
FORMATS = ["json", "xml"]


def _events(services: Services) -> int:
    return services.complaints.recorder.max_notification_id() or 0


def test_the_specifications_example_is_registered_triaged_and_routed(client: TestClient, services: Services) -> None:
    key = services.access.issue_token(role="open311", name="fixmystreet")
    body = (
        "api_key=" + key + "&jurisdiction_id=rostov-gorod.ru&service_code=housing_utilities"
        "&attribute%5Butility%5D=hot_water&lat=47.2261&long=39.7181"
        "&address_string=%D1%83%D0%BB.+%D0%9F%D1%83%D1%88%D0%BA%D0%B8%D0%BD%D1%81%D0%BA%D0%B0%D1%8F%2C+150"
        "&email=smit333%40example.ru&device_id=tt222111&account_id=123456&first_name=john&last_name=smith"
        "&phone=111111111&description=%D0%9D%D0%B5%D1%82+%D0%B3%D0%BE%D1%80%D1%8F%D1%87%D0%B5%D0%B9+"
        "%D0%B2%D0%BE%D0%B4%D1%8B&media_url=http://example.ru/photos/2212426634.jpg"
    )
    response = client.post(f"{ROOT}/requests.xml", content=body, headers=FORM)

    assert response.status_code == 201, response.text
    request = fromstring(response.content).find("request")
    assert request is not None
    assert [element.tag for element in request] == ["service_request_id", "token", "service_notice", "account_id"]
    assert request.findtext("account_id") == "123456"
    assert request.findtext("service_notice") == "Первый ответ — в течение 4 ч, решение — в течение 30 сут."
    complaint_id = UUID(request.findtext("service_request_id"))
    complaint = services.complaints.get(complaint_id)
    assert (complaint.channel, complaint.source_ref) == ("open311", request.findtext("token"))
    assert (complaint.category, complaint.district, complaint.address) == (
        "housing_utilities",
        "Кировский",
        "улица Пушкинская, 150",
    )
    assert complaint.organisation == (
        "МКУ «Управление жилищно-коммунального хозяйства Кировского района» города Ростова-на-Дону"
    )
    assert complaint.text == (
        "Нет горячей воды\n\nЧто не работает: Горячая вода\nАдрес: ул. Пушкинская, 150\n"
        "Координаты: 47.2261, 39.7181\nФото: http://example.ru/photos/2212426634.jpg"
    )
    assert [(entry.type, entry.actor) for entry in services.history.entries(complaint_id)] == [
        ("Registered", "open311:fixmystreet"),
        ("Attached", "open311:fixmystreet"),
        ("Assigned", "open311:fixmystreet"),
    ]
    # The photo is the complaint's attachment, and the request's media_url is read from it.
    [photo] = complaint.attachments
    assert (photo.kind, photo.url) == ("photo", "http://example.ru/photos/2212426634.jpg")
    read = client.get(f"{ROOT}/requests/{complaint_id}.json").json()
    assert read[0]["media_url"] == "http://example.ru/photos/2212426634.jpg"


def test_the_citizens_contacts_are_sealed_and_never_answered_or_logged(
    post_request: Callable[..., Any], client: TestClient, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    posted = post_request(**HOT_WATER, **PUSHKINSKAYA, **CITIZEN, description="Нет горячей воды")
    complaint_id = posted.json()[0]["service_request_id"]
    read = client.get(f"{ROOT}/requests/{complaint_id}.json")

    author = services.complaints.author_of(UUID(complaint_id))
    assert author is not None
    assert (author.ref, author.name, author.phone, author.email) == (
        "open311:account:fms-42",
        "Анна Петрова",
        "+79185551234",
        "Anna.Petrova@example.ru",
    )
    assert services.complaints.get(UUID(complaint_id)).author_ref.startswith("pd2:")
    logged = " ".join(f"{record.getMessage()} {record.args}" for record in caplog.records)
    for value in ("Anna.Petrova", "Петрова", "+79185551234", "phone-7f3a"):
        assert value not in posted.text and value not in read.text and value not in logged


@pytest.mark.parametrize(
    ("contacts", "author_ref"),
    [
        ({"email": "Ivan@Example.ru", "phone": "+7900"}, "open311:email:ivan@example.ru"),
        ({"phone": "+7900", "device_id": "d-1"}, "open311:phone:+7900"),
        ({"device_id": "d-1"}, "open311:device:d-1"),
    ],
)
def test_the_author_is_the_strongest_identity_given(
    post_request: Callable[..., Any], services: Services, contacts: dict[str, str], author_ref: str
) -> None:
    posted = post_request(**HOT_WATER, **PUSHKINSKAYA, **contacts)
    author = services.complaints.author_of(UUID(posted.json()[0]["service_request_id"]))
    assert author is not None and author.ref == author_ref


def test_an_anonymous_request_stands_for_its_author(post_request: Callable[..., Any], services: Services) -> None:
    created = post_request(**HOT_WATER, **PUSHKINSKAYA).json()[0]
    author = services.complaints.author_of(UUID(created["service_request_id"]))
    assert author is not None and author.ref == f"open311:request:{created['token']}"


def test_the_answers_follow_the_definition_and_the_service_name_stands_for_a_missing_description(
    post_request: Callable[..., Any], services: Services
) -> None:
    posted = post_request(
        service_code="ecology",
        **{"attribute[issues][]": ["felling", "noise"]},
        address_id="fias-0c5b2444-70a0-4932-980c-b4dc0d3f02b5",
    )
    assert posted.status_code == 201, posted.text
    complaint = services.complaints.get(UUID(posted.json()[0]["service_request_id"]))
    assert complaint.text == (
        "Экология\n\nЧто происходит: Вырубка деревьев, Шум\nКод адреса: fias-0c5b2444-70a0-4932-980c-b4dc0d3f02b5"
    )
    # Only an address id: the routing table's city-wide row for the category decides.
    assert (complaint.address, complaint.district, complaint.status) == (None, None, "assigned")


def test_a_description_of_exactly_the_limit_is_taken(post_request: Callable[..., Any]) -> None:
    assert post_request(**HOT_WATER, **PUSHKINSKAYA, description="я" * MAX_DESCRIPTION).status_code == 201


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_a_key_may_submit_only_for_the_open311_role(
    post_request: Callable[..., Any], services: Services, role: Role
) -> None:
    channels = ["vk"] if role is Role.INTAKE else []
    key = services.access.issue_token(role=role.value, name=f"{role.value} system", channels=channels)
    response = post_request(api_key=key, **HOT_WATER, **PUSHKINSKAYA)
    if role in ROLES["createServiceRequest"]:
        assert response.status_code == 201, response.text
    else:
        assert response.status_code == 403
        assert errors_of(response) == [(403, f"the role {role.value} may not call createServiceRequest")]


REFUSALS: dict[str, tuple[dict[str, Any], int, list[str]]] = {
    "no key": ({"api_key": None, **HOT_WATER, **PUSHKINSKAYA}, 403, ["api_key was not provided"]),
    "an empty key": ({"api_key": "", **HOT_WATER, **PUSHKINSKAYA}, 403, ["api_key was not provided"]),
    "an unknown key": (
        {"api_key": "mcu_not-issued", **HOT_WATER, **PUSHKINSKAYA},
        403,
        ["api_key is invalid or revoked"],
    ),
    "no location": (
        {**HOT_WATER, "description": "Нет воды"},
        400,
        ["a location is required: lat and long, address_string or address_id"],
    ),
    "an unknown service": ({"service_code": "parking", **PUSHKINSKAYA}, 404, ["service_code parking was not found"]),
    "no service": ({**PUSHKINSKAYA}, 400, ["service_code was not provided"]),
    "another jurisdiction": (
        {"jurisdiction_id": "sfgov.org", **HOT_WATER, **PUSHKINSKAYA},
        404,
        ["jurisdiction_id sfgov.org was not found"],
    ),
    "an oversized description": (
        {**HOT_WATER, **PUSHKINSKAYA, "description": "я" * (MAX_DESCRIPTION + 1)},
        400,
        [f"description is longer than {MAX_DESCRIPTION} characters"],
    ),
    "HTML": (
        {**HOT_WATER, **PUSHKINSKAYA, "description": "Нет воды <script>alert(1)</script>"},
        400,
        ["description must be plain text, without HTML"],
    ),
    "a missing required answer": (
        {"service_code": "housing_utilities", **PUSHKINSKAYA},
        400,
        ["attribute[utility] is required: Что не работает"],
    ),
    "an answer not in the list": (
        {**HOT_WATER, "attribute[utility]": "wifi", **PUSHKINSKAYA},
        400,
        [
            (
                "attribute[utility] must be one of: heating, hot_water, cold_water, sewerage, "
                "electricity, gas, lift, building, management"
            )
        ],
    ),
    "a question of another service": (
        {**HOT_WATER, "attribute[defect]": "pothole", **PUSHKINSKAYA},
        400,
        ["attribute[defect] is not a question of the service housing_utilities"],
    ),
    "an answer to an informational line": (
        {"service_code": "safety", "attribute[emergency]": "да", **PUSHKINSKAYA},
        400,
        ["attribute[emergency] is informational and takes no answer"],
    ),
    "not a number": (
        {"service_code": "waste", "attribute[containers]": "много", **PUSHKINSKAYA},
        400,
        ["attribute[containers] must be a number"],
    ),
    "lat without long": ({**HOT_WATER, "lat": "47.22"}, 400, ["lat and long must be given together"]),
    "lat out of range": ({**HOT_WATER, "lat": "147.22", "long": "39.7"}, 400, ["lat must be between -90 and 90"]),
    "lat not a number": (
        {**HOT_WATER, "lat": "север", "long": "39.7"},
        400,
        ["lat must be a decimal number of degrees"],
    ),
    "a media_url that is no link": (
        {**HOT_WATER, **PUSHKINSKAYA, "media_url": "javascript:alert(1)"},
        400,
        ["media_url must be an http(s) URL of at most 2048 characters"],
    ),
    "several problems at once": (
        {"service_code": "housing_utilities", "description": "<b>Нет воды</b>"},
        400,
        [
            "a location is required: lat and long, address_string or address_id",
            "description must be plain text, without HTML",
            "attribute[utility] is required: Что не работает",
        ],
    ),
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", list(REFUSALS))
def test_each_refusal_has_the_specified_status_and_body_and_records_nothing(
    post_request: Callable[..., Any], services: Services, case: str, fmt: str
) -> None:
    fields, status, descriptions = REFUSALS[case]
    before = _events(services)
    response = post_request(fmt, **fields)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json" if fmt == "json" else "text/xml")
    assert errors_of(response) == [(status, description) for description in descriptions]
    assert _events(services) == before


def test_a_revoked_key_is_refused_at_once(post_request: Callable[..., Any], services: Services) -> None:
    key = services.access.issue_token(role="open311", name="retired app")
    assert post_request(api_key=key, **HOT_WATER, **PUSHKINSKAYA).status_code == 201
    services.access.revoke_token(key)
    response = post_request(api_key=key, **HOT_WATER, **PUSHKINSKAYA)
    assert (response.status_code, errors_of(response)) == (403, [(403, "api_key is invalid or revoked")])


def test_parameters_must_be_form_encoded(client: TestClient, services: Services) -> None:
    key = services.access.issue_token(role="open311", name="json app")
    response = client.post(f"{ROOT}/requests.json", json={"api_key": key, **HOT_WATER, **PUSHKINSKAYA})
    assert (response.status_code, errors_of(response)) == (
        400,
        [(400, "send the parameters form-encoded (application/x-www-form-urlencoded)")],
    )


def test_the_form_needs_no_bearer_token_and_an_empty_parameter_is_a_missing_one(
    client: TestClient, services: Services
) -> None:
    key = services.access.issue_token(role="open311", name="city app")
    body = form(api_key=key, **HOT_WATER, **PUSHKINSKAYA, lat="", long="", email="", description="")
    response = client.post(f"{ROOT}/requests.json", content=body, headers=FORM)
    assert response.status_code == 201, response.text
