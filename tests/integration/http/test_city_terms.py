"""A complaint's category and district are the city's terms: enumerations in the OpenAPI
document, read from the configured catalogue and city data, and a value outside them is
refused with 422 naming the allowed values, on registration and in the queue's filters."""

from dataclasses import replace
from typing import Any

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.open311 import load_catalogue
from adapters.triage import city_districts
from application.city import CityTerms
from interfaces.bootstrap import Services
from interfaces.http.app import create_app
from tests.integration.http.test_complaints_api import post_body

Auth = Any
CATEGORIES = [service.code for service in load_catalogue().services]
DISTRICTS = list(city_districts())


def _refused_naming(answer: Any, term: str, allowed: list[str]) -> None:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    problem = answer.json()
    assert problem["detail"] == f"{term} must be one of: {', '.join(allowed)}"
    assert problem["errors"] == [{"key": term, "message": problem["detail"], "allowed": allowed}]


def test_the_document_enumerates_the_configured_categories_and_districts(client: TestClient) -> None:
    document = client.get("/schema/openapi.json").json()
    registration = document["components"]["schemas"]["RegisterComplaint"]["properties"]
    assert registration["category"]["oneOf"][0]["enum"] == CATEGORIES
    assert registration["district"]["oneOf"][0]["enum"] == DISTRICTS
    filters = {p["name"]: p["schema"] for p in document["paths"]["/api/v1/complaints"]["get"]["parameters"]}
    assert filters["category"]["oneOf"][0]["items"]["enum"] == CATEGORIES
    assert filters["district"]["oneOf"][0]["items"]["enum"] == DISTRICTS
    assert len(DISTRICTS) == 8 and "roads" in CATEGORIES


def test_the_document_follows_another_citys_configuration(services: Services) -> None:
    other = replace(services, terms=CityTerms(categories=("potholes",), districts=("Центральный",)))
    with TestClient(create_app(other)) as client:
        registration = client.get("/schema/openapi.json").json()["components"]["schemas"]["RegisterComplaint"]
    assert registration["properties"]["category"]["oneOf"][0]["enum"] == ["potholes"]
    assert registration["properties"]["district"]["oneOf"][0]["enum"] == ["Центральный"]


def test_an_unknown_category_is_not_registered(client: TestClient, auth: Auth, clock: ManualClock) -> None:
    answer = client.post("/api/v1/complaints", json=post_body(clock, category="unicorns"), headers=auth("operator"))
    _refused_naming(answer, "category", CATEGORIES)
    assert client.get("/api/v1/complaints", headers=auth("operator")).json()["items"] == []


def test_a_made_up_district_is_not_registered_nor_echoed(client: TestClient, auth: Auth, clock: ManualClock) -> None:
    answer = client.post("/api/v1/complaints", json=post_body(clock, district="Заречный-13"), headers=auth("operator"))
    _refused_naming(answer, "district", DISTRICTS)
    assert "Заречный" not in answer.text


def test_the_citys_terms_are_registered(client: TestClient, auth: Auth, clock: ManualClock) -> None:
    answer = client.post(
        "/api/v1/complaints", json=post_body(clock, category="roads", district="Кировский"), headers=auth("operator")
    )
    assert answer.status_code == 201, answer.text
    assert (answer.json()["category"], answer.json()["district"]) == ("roads", "Кировский")


@pytest.mark.parametrize(
    ("query", "term", "allowed"),
    [
        ("category=roads&category=unicorns", "category", CATEGORIES),
        ("district=Кировский&district=Атлантида", "district", DISTRICTS),
    ],
)
def test_the_queue_refuses_a_filter_outside_the_terms(
    client: TestClient, auth: Auth, query: str, term: str, allowed: list[str]
) -> None:
    _refused_naming(client.get(f"/api/v1/complaints?{query}", headers=auth("supervisor")), term, allowed)


def test_the_queue_filters_by_the_terms(client: TestClient, auth: Auth, clock: ManualClock) -> None:
    client.post(
        "/api/v1/complaints", json=post_body(clock, category="roads", district="Кировский"), headers=auth("operator")
    )
    page = client.get("/api/v1/complaints?category=roads&district=Кировский", headers=auth("supervisor"))
    assert page.status_code == 200 and len(page.json()["items"]) == 1
