"""One time convention in every output for programs: UTC with ``Z`` (application/moments.py),
whichever offset the moment came in with. Every endpoint's JSON, Open311's JSON and XML and
the audit export are walked, and every moment found in them must be so spelt; the CLI shows a
person Moscow time."""

import re
from collections.abc import Callable, Iterator
from datetime import timedelta, timezone
from typing import Any
from xml.etree.ElementTree import fromstring

import pytest
from click.testing import CliRunner
from litestar.testing import TestClient

from adapters.clock import ManualClock
from adapters.config import Settings
from application.audit.archive import export_events
from application.commands import Assign, Register
from application.intake.source import Post
from application.replies.heartbeat import Beat
from interfaces.bootstrap import Services, bootstrap
from interfaces.cli.main import main
from tests.fakes.vk import Fault
from tests.fixtures import START
from tests.integration.channels.conftest import Networks
from tests.support.open311 import FORM, HOT_WATER, PUSHKINSKAYA, ROOT, form

# Anything that starts like a date and a time is taken for a moment, so none can hide.
LOOKS_LIKE_A_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
OUR_SPELLING = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z")
YEKATERINBURG = timezone(timedelta(hours=5))


def _moments(value: Any) -> Iterator[str]:
    if isinstance(value, str) and LOOKS_LIKE_A_MOMENT.match(value):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _moments(item)
    elif isinstance(value, list):
        for item in value:
            yield from _moments(item)


def _all_ours(where: str, moments: list[str]) -> None:
    assert moments, f"{where} held no moment: the walk checked nothing"
    assert [m for m in moments if not OUR_SPELLING.fullmatch(m)] == [], where


@pytest.fixture
def story(
    client: TestClient,
    services: Services,
    networks: Networks,
    clock: ManualClock,
    auth: Callable[..., dict[str, str]],
) -> dict[str, str]:
    """A complaint for each way in and a reply failed and requeued, so that every kind of
    moment is somewhere: published with another offset, deadlines, events, retries."""
    supervisor = auth("supervisor")
    registered = client.post(
        "/api/v1/complaints",
        json={
            "channel": "phone",
            "source_ref": "call-1",
            "author_ref": "phone:1",
            "text": "Не горит фонарь во дворе",
            "category": "improvement",
            "received_at": (START - timedelta(minutes=20)).astimezone(YEKATERINBURG).isoformat(),
        },
        headers=supervisor,
    )
    assert registered.status_code == 201, registered.text
    complaint_id = registered.json()["id"]
    client.post(f"/api/v1/complaints/{complaint_id}/assignment", json={"organisation": "ДГХ"}, headers=supervisor)
    client.get(f"/api/v1/complaints/{complaint_id}", headers=supervisor)  # a recorded read of the author

    def post(ref: str, text: str) -> Post:
        return Post(
            channel="vk", source_ref=ref, author_ref="vk:id1", text=text, published_at=START - timedelta(minutes=5)
        )

    intake = services.channels.intake.receive(post("wall-1_5", "Мусор не вывозят, Мясникяна 12"))
    services.channels.intake.receive(post("wall-77001_999", "Нет горячей воды!"))
    networks.vk.fail("wall.createComment", Fault(error_code=15))
    services.channels.reply_worker().step()
    [failed] = client.get("/api/v1/deliveries", params={"state": "failed"}, headers=supervisor).json()["items"]
    client.post(f"/api/v1/deliveries/{failed['id']}/requeue", headers=supervisor)
    # A reply process's heartbeat, for the health details.
    beat = Beat("a reply process", clock.now().astimezone(YEKATERINBURG), ("vk",))
    services.channels.heartbeats.record(beat, forget_before=START - timedelta(days=1))
    key = services.access.issue_token(role="open311", name="city app")
    submitted = client.post(
        f"{ROOT}/requests.json", content=form(api_key=key, **HOT_WATER, **PUSHKINSKAYA), headers=FORM
    )
    assert submitted.status_code == 201, submitted.text
    return {
        "complaint": complaint_id,
        "vk_complaint": str(intake.complaint_id),
        "incident": str(intake.incident_id),
        "request": submitted.json()[0]["service_request_id"],
    }


def test_every_json_answer_writes_its_moments_in_utc_with_z(
    client: TestClient, auth: Callable[..., dict[str, str]], story: dict[str, str]
) -> None:
    headers = auth("supervisor")
    complaint = f"/api/v1/complaints/{story['complaint']}"
    for path in (
        complaint,
        f"{complaint}?version=1",
        f"{complaint}?as_of={(START + timedelta(hours=1)).isoformat().replace('+', '%2B')}",
        f"{complaint}/history",
        f"{complaint}/personal-data-reads",
        "/api/v1/complaints",
        "/api/v1/deliveries?state=retrying",
        f"/api/v1/incidents/{story['incident']}",
        f"/api/v1/complaints/{story['vk_complaint']}/incident",
        "/health/details",
    ):
        answer = client.get(path, headers=headers)
        assert answer.status_code == 200, (path, answer.text)
        _all_ours(path, list(_moments(answer.json())))
    received = client.get(complaint, headers=headers).json()["received_at"]
    assert received == (START - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_open311_writes_the_same_in_json_and_xml(client: TestClient, story: dict[str, str]) -> None:
    for path in (f"/requests/{story['request']}", "/requests", "/servicerequestupdates"):
        answer = client.get(f"{ROOT}{path}.json")
        assert answer.status_code == 200, answer.text
        _all_ours(f"{path}.json", list(_moments(answer.json())))
        document = fromstring(client.get(f"{ROOT}{path}.xml").content)
        _all_ours(
            f"{path}.xml", [text for e in document.iter() if (text := e.text) and LOOKS_LIKE_A_MOMENT.match(text)]
        )


def test_the_audit_export_writes_each_events_time_so(services: Services, story: dict[str, str]) -> None:
    # An event's stored state is exported byte for byte, as an import must reproduce it.
    _all_ours("audit export", [record["at"] for record in export_events(services.complaints)])


def test_the_cli_shows_a_person_moscow_time(tmp_path: Any, monkeypatch: pytest.MonkeyPatch, clock: ManualClock) -> None:
    monkeypatch.setenv("MCU_STORE", "sqlite")
    monkeypatch.setenv("MCU_DATA_DIR", str(tmp_path))
    services = bootstrap(Settings(), clock=clock)
    try:
        registration = services.complaints.register(
            Register(
                channel="phone",
                source_ref="call-2",
                author_ref="phone:2",
                text="Яма на дороге",
                received_at=START.astimezone(YEKATERINBURG),
                actor="operator:Анна",
            )
        )
        complaint_id = registration.complaint_id
        clock.advance(timedelta(minutes=30))
        services.complaints.handle(Assign(complaint_id, organisation="ДГХ", actor="operator:Анна"))
    finally:
        services.close()
    shown = CliRunner().invoke(main, ["history", str(complaint_id)])
    assert shown.exit_code == 0, shown.output
    moments = LOOKS_LIKE_A_MOMENT.findall(shown.output)
    assert moments and all(re.search(re.escape(m) + r":\d{2}\+03:00", shown.output) for m in moments), shown.output
    assert START.astimezone(timezone(timedelta(hours=3))).strftime("%Y-%m-%dT%H:%M:%S+03:00") in shown.output
    assert "+00:00" not in shown.output and "+05:00" not in shown.output
