"""The `georeport` package from PyPI, an existing Open311 client, reads a running server.

It speaks HTTP through `requests`, so the app runs under uvicorn on a loopback port. Requests
are posted as the specification shows them (the client itself cannot post), then read back
through the client in both formats, with the specification's filters.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest
import requests
from georeport import GeoReport

from application.commands import Register, Resolve, Respond
from application.triage import CATEGORIES
from tests.support.open311 import FORM, Live, form

FORMATS = ["json", "xml"]


@dataclass(frozen=True)
class Posted:
    hot_water: str
    pothole: str
    resolved: str
    later: str
    from_vk: UUID


def _post(live: Live, **fields: Any) -> str:
    response = requests.post(
        f"{live.root}/requests.json", data=form(api_key=live.key, **fields), headers=FORM, timeout=10
    )
    assert response.status_code == 201, response.text
    return response.json()[0]["service_request_id"]


@pytest.fixture(scope="module")
def posted(live: Live) -> Posted:
    hot_water = _post(
        live,
        service_code="housing_utilities",
        **{"attribute[utility]": "hot_water"},
        address_string="ул. Пушкинская, 150",
        lat="47.2261",
        long="39.7181",
        description="Третий день нет горячей воды во всём доме",
        email="anna@example.ru",
    )
    pothole = _post(
        live,
        service_code="roads",
        **{"attribute[defect]": "pothole"},
        lat="47.2221",
        long="39.7203",
        description="Глубокая яма на проезжей части",
    )
    resolved = _post(
        live,
        service_code="waste",
        address_string="проспект Королёва, 10",
        description="Контейнеры переполнены, мусор не вывозят",
    )
    from_vk = live.services.complaints.register(
        Register(
            channel="vk",
            source_ref="wall-1_777",
            author_ref="vk:id1",
            text="Не вывозят мусор на Королёва 10",
            received_at=live.clock.now(),
            actor="intake:vk",
            category="waste",
        )
    ).complaint_id
    live.clock.advance(timedelta(hours=1))
    complaints = live.services.complaints
    complaints.handle(Respond(UUID(resolved), text="Заявка передана региональному оператору", actor="operator:Анна"))
    complaints.handle(Resolve(UUID(resolved), text="Мусор вывезен, график восстановлен", actor="operator:Анна"))
    live.clock.advance(timedelta(days=2))
    later = _post(
        live, service_code="improvement", address_string="улица Мясникяна, 12", description="Не горят фонари у подъезда"
    )
    return Posted(hot_water, pothole, resolved, later, from_vk)


def _client(live: Live, fmt: str) -> GeoReport:
    return GeoReport(live.root, output_format=fmt)


def _items(found: Any) -> list[dict[str, Any]]:
    """xmltodict gives one element as a dict and several as a list; JSON is always a list."""
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


def _ids(found: Any) -> set[str]:
    return {item["service_request_id"] for item in _items(found)}


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_client_reads_the_services(live: Live, fmt: str) -> None:
    services = _items(_client(live, fmt).get_service_list())
    assert [service["service_code"] for service in services] == list(CATEGORIES)
    utilities = next(service for service in services if service["service_code"] == "housing_utilities")
    assert utilities["service_name"] == "ЖКХ"
    assert utilities["group"] == "Жилищно-коммунальное хозяйство"
    assert "отопление" in utilities["keywords"]
    assert utilities["type"] == "realtime"
    assert utilities["metadata"] in (True, "true")


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_client_reads_a_service_definition(live: Live, fmt: str) -> None:
    definition = _client(live, fmt).get_service_definition("housing_utilities")
    attributes = definition["attributes"] if fmt == "json" else _items(definition["attributes"]["attribute"])
    utility = attributes[0]
    assert definition["service_code"] == "housing_utilities"
    assert (utility["code"], utility["datatype"], utility["order"]) == (
        "utility",
        "singlevaluelist",
        1 if fmt == "json" else "1",
    )
    values = utility["values"] if fmt == "json" else utility["values"]["value"]
    assert {"key": "hot_water", "name": "Горячая вода"} in values


@pytest.mark.parametrize("fmt", FORMATS)
def test_posted_requests_are_in_the_clients_listing_and_other_channels_are_not(
    live: Live, posted: Posted, fmt: str
) -> None:
    listed = _items(_client(live, fmt).get_service_requests())
    assert [item["service_request_id"] for item in listed] == [
        posted.later,
        *sorted([posted.hot_water, posted.pothole, posted.resolved], reverse=True),
    ]
    assert str(posted.from_vk) not in _ids(listed)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_client_filters_by_service_status_and_dates(live: Live, posted: Posted, fmt: str) -> None:
    client = _client(live, fmt)
    assert _ids(client.get_service_requests(service_code="roads,waste")) == {posted.pothole, posted.resolved}
    assert _ids(client.get_service_requests(status="closed")) == {posted.resolved}
    assert _ids(client.get_service_requests(status="open", service_code="housing_utilities")) == {posted.hot_water}
    first_day = live.clock.now() - timedelta(days=3)
    assert _ids(
        client.get_service_requests(
            start_date=first_day.isoformat(), end_date=(first_day + timedelta(days=1)).isoformat()
        )
    ) == {posted.hot_water, posted.pothole, posted.resolved}
    assert _ids(client.get_service_requests(start_date=(live.clock.now() - timedelta(hours=1)).isoformat())) == {
        posted.later
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_list_of_ids_overrides_every_other_filter(live: Live, posted: Posted, fmt: str) -> None:
    found = _client(live, fmt).get_service_requests(
        service_request_id=f"{posted.pothole},{posted.resolved},{posted.from_vk}",
        status="open",
        service_code="healthcare",
    )
    assert [item["service_request_id"] for item in _items(found)] == [posted.pothole, posted.resolved]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_client_reads_one_request_as_the_centre_sees_it(live: Live, posted: Posted, fmt: str) -> None:
    request = _client(live, fmt).get_service_request(posted.hot_water)
    assert request["service_request_id"] == posted.hot_water
    assert request["status"] == "open"
    assert (request["service_code"], request["service_name"]) == ("housing_utilities", "ЖКХ")
    assert request["address"] == "улица Пушкинская, 150"
    assert float(request["lat"]) == 47.2261 and float(request["long"]) == 39.7181
    # Routed by the table: Pushkinskaya 150 is in the Kirovsky district.
    assert request["agency_responsible"] == (
        "МКУ «Управление жилищно-коммунального хозяйства Кировского района» города Ростова-на-Дону"
    )
    assert request["requested_datetime"] == "2026-11-28T09:00:00Z"
    # No answer yet: the next thing due is the reaction, 4 hours after the request.
    assert request["expected_datetime"] == "2026-11-28T13:00:00Z"
    assert "anna@example.ru" not in str(request)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_resolved_request_reads_closed_with_the_resolution(live: Live, posted: Posted, fmt: str) -> None:
    request = _client(live, fmt).get_service_request(posted.resolved)
    assert request["status"] == "closed"
    assert request["status_notes"] == "Мусор вывезен, график восстановлен"
    assert request["expected_datetime"] is None


def test_a_posted_request_is_in_the_centres_queue(live: Live, posted: Posted) -> None:
    token = live.services.access.issue_token(role="operator", name="Анна")
    response = httpx.get(
        f"{live.url}/api/v1/complaints",
        params={"channel": "open311", "category": "roads"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 200, response.text
    assert [item["id"] for item in response.json()["items"]] == [posted.pothole]
