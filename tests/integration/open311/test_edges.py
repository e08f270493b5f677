"""What arrives at the edges of Open311: moments no date of the service can be, coordinates
Python's float() would read but a client cannot have meant, and a Host header the client chose."""

from collections.abc import Callable
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app
from tests.support.open311 import HOT_WATER, PUSHKINSKAYA, ROOT, errors_of

MOMENT = "must be a W3C date and time between 1970 and 2999, e.g. 2010-01-01T00:00:00Z"
FAR_MOMENTS = {
    "the last day of year 9999": "9999-12-31",
    "the last moment of year 9999": "9999-12-31T23:59:59.999999-23:59",
    "the first day of year 1": "0001-01-01",
    "the first moment of year 1, far east": "0001-01-01T00:00:00+23:59",
    "year 1 in UTC": "0001-01-01T00:00:00Z",
    "just before 1970": "1969-12-31T23:59:59Z",
    "year 3000": "3000-01-01T00:00:00Z",
}


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("path", ["requests", "servicerequestupdates"])
@pytest.mark.parametrize("name", ["start_date", "end_date"])
@pytest.mark.parametrize("case", list(FAR_MOMENTS))
def test_a_moment_beyond_the_services_years_is_a_bad_request(
    client: TestClient, fmt: str, path: str, name: str, case: str
) -> None:
    response = client.get(f"{ROOT}/{path}.{fmt}", params={name: FAR_MOMENTS[case]})
    assert response.status_code == 400, response.text
    assert errors_of(response) == [(400, f"{name} {MOMENT}")]


@pytest.mark.parametrize("path", ["requests", "servicerequestupdates"])
def test_the_edges_of_the_services_years_are_read(client: TestClient, path: str) -> None:
    for params in (
        {"start_date": "1970-01-01T00:00:00Z"},
        {"end_date": "1970-01-01T00:00:00Z"},
        {"start_date": "2999-12-31T23:59:59.999999+00:00"},
        {"end_date": "2999-12-31"},
    ):
        response = client.get(f"{ROOT}/{path}.json", params=params)
        assert (response.status_code, response.json()) == (200, []), params


COORDINATES = {
    "an underscore": ({"lat": "4_7.2", "long": "39.7"}, ["lat must be a decimal number of degrees"]),
    "not a number": ({"lat": "47.2", "long": "nan"}, ["long must be a decimal number of degrees"]),
    "infinity": (
        {"lat": "inf", "long": "-Infinity"},
        [f"{n} must be a decimal number of degrees" for n in ("lat", "long")],
    ),
    "an exponent": ({"lat": "4.72e1", "long": "39.7"}, ["lat must be a decimal number of degrees"]),
    "a hexadecimal float": ({"lat": "0x1p5", "long": "39.7"}, ["lat must be a decimal number of degrees"]),
    "digits of another script": ({"lat": "٤٧.٢", "long": "39.7"}, ["lat must be a decimal number of degrees"]),
    "inner spaces": ({"lat": "47. 2", "long": "39.7"}, ["lat must be a decimal number of degrees"]),
    "far south": ({"lat": "-90.0001", "long": "39.7"}, ["lat must be between -90 and 90"]),
    "far east": ({"lat": "47.2", "long": "180.5"}, ["long must be between -180 and 180"]),
    "a huge number": ({"lat": "1" * 400, "long": "39.7"}, ["lat must be between -90 and 90"]),
}


@pytest.mark.parametrize("case", list(COORDINATES))
def test_coordinates_are_read_strictly(post_request: Callable[..., Any], case: str) -> None:
    fields, descriptions = COORDINATES[case]
    response = post_request(**HOT_WATER, **PUSHKINSKAYA, **fields)
    assert response.status_code == 400, response.text
    assert errors_of(response) == [(400, description) for description in descriptions]


@pytest.mark.parametrize(
    ("lat", "long", "read"),
    [("47.2261", "39.7181", (47.2261, 39.7181)), ("-90", "+180", (-90.0, 180.0)), ("0", "-180.000", (0.0, -180.0))],
)
def test_decimal_degrees_are_read(
    post_request: Callable[..., Any], client: TestClient, lat: str, long: str, read: tuple[float, float]
) -> None:
    response = post_request(**HOT_WATER, **PUSHKINSKAYA, lat=lat, long=long)
    assert response.status_code == 201, response.text
    [request] = client.get(f"{ROOT}/requests/{response.json()[0]['service_request_id']}.json").json()
    assert (request["lat"], request["long"]) == read


def test_discovery_names_the_configured_public_url_whatever_the_host_header(clock: ManualClock) -> None:
    services = bootstrap(Settings(store="memory", public_url="https://311.rostov-gorod.ru/mcu/"), clock=clock)
    try:
        with TestClient(create_app(services)) as client:
            for fmt in ("json", "xml"):
                response = client.get(f"{ROOT}/discovery.{fmt}", headers={"Host": "attacker.example"})
                assert response.status_code == 200
                assert "attacker.example" not in response.text
            [endpoint] = client.get(f"{ROOT}/discovery.json", headers={"Host": "attacker.example"}).json()["endpoints"]
            assert endpoint["url"] == f"https://311.rostov-gorod.ru/mcu{ROOT}"
    finally:
        services.close()


def test_the_public_url_defaults_to_the_local_server(client: TestClient) -> None:
    [endpoint] = client.get(f"{ROOT}/discovery.json", headers={"Host": "attacker.example"}).json()["endpoints"]
    assert endpoint["url"] == f"http://127.0.0.1:8000{ROOT}"


@pytest.mark.parametrize("value", ["127.0.0.1:8000", "ftp://example.ru", "https://", "https://a b.ru", ""])
def test_a_public_url_must_be_an_http_url(value: str) -> None:
    with pytest.raises(ValueError, match="public_url"):
        Settings(store="memory", public_url=value)


def test_a_page_far_into_the_requests_is_refused_before_any_read(client: TestClient, services: Services) -> None:
    reads: list[Any] = []
    read = services.read_models.complaints
    services.read_models.complaints = lambda query: reads.append(query) or read(query)  # type: ignore[method-assign]
    for fmt in ("json", "xml"):
        response = client.get(f"{ROOT}/requests.{fmt}", params={"page": "10002", "page_size": "1"})
        assert (response.status_code, errors_of(response)) == (
            400,
            [(400, "a page may start at most 10000 requests in; narrow start_date and end_date")],
        )
    assert reads == []
    # The last page allowed is read with one read for the pages before it.
    response = client.get(f"{ROOT}/requests.json", params={"page": "10001", "page_size": "1"})
    assert (response.status_code, response.json(), len(reads)) == (200, [], 1)
