"""Steps for the Open311 specification: an app's form posts and reads over HTTP (TestClient)."""

from typing import Any
from uuid import UUID

import pytest
from litestar.testing import TestClient
from pytest_bdd import parsers, scenarios, step, then

from application.commands import Resolve, Respond
from interfaces.bootstrap import Services
from tests.support.open311 import FORM, ROOT, errors_of, form

OPERATOR = "operator:Анна"

scenarios("open311.feature")


class App:
    """The city app of the scenario: its key, its last answer and the request it made."""

    def __init__(self) -> None:
        self.key: str | None = None
        self.response: Any = None
        self.request_id: str | None = None
        self.events_before = 0

    @property
    def complaint(self) -> UUID:
        assert self.request_id is not None, "the app has made no request yet"
        return UUID(self.request_id)


@pytest.fixture
def app() -> App:
    return App()


def _post(app: App, client: TestClient, services: Services, **fields: str) -> None:
    app.events_before = services.complaints.recorder.max_notification_id() or 0
    app.response = client.post(f"{ROOT}/requests.json", content=form(**fields), headers=FORM)
    if app.response.status_code == 201:
        app.request_id = app.response.json()[0]["service_request_id"]


def _read(app: App, client: TestClient) -> dict[str, Any]:
    response = client.get(f"{ROOT}/requests/{app.request_id}.json")
    assert response.status_code == 200, response.text
    return response.json()[0]


@step("городскому приложению выдан ключ для подачи заявок")
def key_issued(app: App, services: Services) -> None:
    app.key = services.access.issue_token(role="open311", name="городское приложение")


@step(
    parsers.re(
        r'приложение подаёт заявку на услугу "(?P<service>[^"]*)"'
        r'(?: с ответом "(?P<code>[^"]+)" = "(?P<answer>[^"]+)")?'
        r' по адресу "(?P<address>[^"]*)" с описанием "(?P<description>[^"]*)"'
    )
)
def app_posts(
    app: App,
    client: TestClient,
    services: Services,
    service: str,
    code: str | None,
    answer: str | None,
    address: str,
    description: str,
) -> None:
    answers = {f"attribute[{code}]": answer} if code and answer else {}
    _post(
        app,
        client,
        services,
        api_key=app.key or "",
        service_code=service,
        address_string=address,
        description=description,
        **answers,
    )


@step("приложение подаёт заявку без ключа")
def app_posts_without_key(app: App, client: TestClient, services: Services) -> None:
    _post(app, client, services, service_code="roads", address_string="проспект Стачки, 200", description="Яма")


@step(parsers.parse('оператор отвечает автору "{text}"'))
def operator_responds(app: App, services: Services, text: str) -> None:
    services.complaints.handle(Respond(app.complaint, text=text, actor=OPERATOR))


@step(parsers.parse('оператор закрывает обращение с решением "{text}"'))
def operator_resolves(app: App, services: Services, text: str) -> None:
    services.complaints.handle(Resolve(app.complaint, text=text, actor=OPERATOR))


@then("заявка принята")
def accepted(app: App) -> None:
    assert app.response.status_code == 201, app.response.text


@then(parsers.parse('в очереди центра обращение из канала "{channel}" по категории "{category}" в районе "{district}"'))
def in_the_queue(app: App, client: TestClient, services: Services, channel: str, category: str, district: str) -> None:
    token = services.access.issue_token(role="operator", name="Анна")
    response = client.get(
        "/api/v1/complaints",
        params={"channel": channel, "category": category},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    [item] = response.json()["items"]
    assert (item["id"], item["district"]) == (app.request_id, district)


@then(parsers.parse('обращение передано в "{organisation}"'))
def assigned_to(app: App, services: Services, organisation: str) -> None:
    assert services.complaints.get(app.complaint).organisation == organisation


@then(parsers.parse('приложение видит заявку открытой, ответ ожидается до "{moment}"'))
def reads_open(app: App, client: TestClient, moment: str) -> None:
    request = _read(app, client)
    assert (request["status"], request["expected_datetime"]) == ("open", moment)


@then(parsers.parse('приложение видит заявку закрытой с примечанием "{notes}"'))
def reads_closed(app: App, client: TestClient, notes: str) -> None:
    request = _read(app, client)
    assert (request["status"], request["status_notes"]) == ("closed", notes)


@then(parsers.parse('в истории заявки обновления "{statuses}"'))
def updates_read(app: App, client: TestClient, statuses: str) -> None:
    response = client.get(f"{ROOT}/servicerequestupdates.json")
    assert response.status_code == 200, response.text
    assert [u["status"] for u in response.json() if u["service_request_id"] == app.request_id] == [
        status.strip() for status in statuses.split(",")
    ]


@then(parsers.parse('заявка отклонена с кодом {status:d} и описанием "{description}"'))
def refused(app: App, status: int, description: str) -> None:
    assert app.response.status_code == status, app.response.text
    assert errors_of(app.response) == [(status, description)]


@then("в центре не появилось новых обращений")
def nothing_registered(app: App, services: Services) -> None:
    assert (services.complaints.recorder.max_notification_id() or 0) == app.events_before
