"""Partners and insiders over HTTP: nobody registers a network's post ahead of the citizen,
and a machine token finds nothing outside its own channels, not even whether it exists."""

from collections.abc import Callable
from datetime import timedelta
from uuid import NAMESPACE_URL, uuid5

from litestar.testing import TestClient

from adapters.clock import ManualClock
from interfaces.bootstrap import Services

Auth = Callable[..., dict[str, str]]


def _post(channel: str, ref: str, clock: ManualClock) -> dict[str, object]:
    return {
        "channel": channel,
        "source_ref": ref,
        "author_ref": f"{channel}:42",
        "text": "Не горит фонарь у дома Стачки 10",
        "received_at": (clock.now() - timedelta(minutes=5)).isoformat(),
    }


def test_nobody_registers_a_network_s_post_but_that_network_s_intake(
    client: TestClient, auth: Auth, clock: ManualClock
) -> None:
    future_message = _post("telegram", "-100500/777", clock)
    for headers in (auth("operator"), auth("supervisor"), auth("intake", "vk"), auth("open311")):
        answer = client.post("/api/v1/complaints", json=future_message, headers=headers)
        assert answer.status_code == 403, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
    assert client.post("/api/v1/complaints", json=future_message, headers=auth("intake", "telegram")).status_code == 201
    assert (
        client.post("/api/v1/complaints", json=_post("phone", "call/1", clock), headers=auth("operator")).status_code
        == 201
    )


def test_a_machine_token_reads_only_its_own_channels_and_cannot_tell_others_exist(
    client: TestClient, auth: Auth, clock: ManualClock, services: Services
) -> None:
    appeal = client.post(
        "/api/v1/complaints", json=_post("gosuslugi", "appeal/1001", clock), headers=auth("intake", "gosuslugi")
    )
    appeal_url = appeal.headers["location"]
    vk = auth("intake", "vk")
    assert client.get(appeal_url, headers=vk).status_code == 404
    assert client.get(f"{appeal_url}?version=1", headers=vk).status_code == 404
    asked = client.post(f"{appeal_url}/clarification-request", json={"question": "Адрес?"}, headers=vk)
    assert asked.status_code == 404
    assert services.complaints.get(services.complaints.id_of("gosuslugi", "appeal/1001")).version == 1
    assert client.get(appeal_url, headers=auth("intake", "gosuslugi")).status_code == 200
    # An executor reads any channel, but only what is assigned to their organisation.
    assert client.get(appeal_url, headers=auth("executor")).status_code == 404
    client.post(f"{appeal_url}/assignment", json={"organisation": "ДГХ"}, headers=auth("operator"))
    assert client.get(appeal_url, headers=auth("executor", organisation="ДГХ")).status_code == 200
    assert client.get(appeal_url, headers=auth("executor", organisation="Водоканал")).status_code == 404


def test_an_open311_key_submits_through_open311_only(client: TestClient, auth: Auth, clock: ManualClock) -> None:
    partner = auth("open311")
    registered = client.post("/api/v1/complaints", json=_post("phone", "call/2", clock), headers=auth("operator"))
    assert client.get(registered.headers["location"], headers=partner).status_code == 403
    intake_key = auth("intake", "vk")["Authorization"].removeprefix("Bearer ")
    refused = client.post("/open311/v2/requests.json", data={"api_key": intake_key, "service_code": "x"})
    assert refused.status_code == 403


def test_complaint_ids_are_not_the_post_s_public_name_based_uuid(
    client: TestClient, auth: Auth, clock: ManualClock
) -> None:
    """ПОС numbers are sequential: ids computed from them alone found a private appeal in 600 guesses."""
    appeal = client.post(
        "/api/v1/complaints", json=_post("gosuslugi", "appeal/1002", clock), headers=auth("intake", "gosuslugi")
    )
    guessed = uuid5(uuid5(NAMESPACE_URL, "urn:mcu:complaint-source"), "gosuslugi\x1fappeal/1002")
    assert appeal.json()["id"] != str(guessed)
