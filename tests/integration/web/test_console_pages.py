"""The console's pages and forms through the app, on the in-memory store: what each page shows,
what each form records or refuses, and for whom."""

import re
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit
from uuid import UUID

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from domain.access import Role
from interfaces.bootstrap import Services
from interfaces.http.auth import PERSONAL_DATA_ROLES
from interfaces.web.card import MOVE_COMMANDS
from interfaces.web.names import MOVES
from interfaces.web.queue import PAGE_SIZE

Auth = Callable[..., dict[str, str]]
AUTHOR = "Иванова Мария Петровна"
ORGANISATION = "Департамент транспорта города Ростова-на-Дону"


def _register(client: TestClient, auth: Auth, clock: ManualClock, ref: str, minutes_ago: int, **extra: str) -> str:
    answer = client.post(
        "/api/v1/complaints",
        headers=auth("operator"),
        json={
            "channel": "phone",
            "source_ref": ref,
            "author_ref": "phone:+79001234567",
            "author_name": AUTHOR,
            "text": f"Не ходит автобус по маршруту, звонок {ref}",
            "received_at": (clock.now() - timedelta(minutes=minutes_ago)).isoformat(),
            **extra,
        },
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["id"]


def _ids(html: str) -> list[str]:
    return re.findall(r'<tr data-id="([0-9a-f-]{36})"', html)


def _forms(html: str) -> list[str]:
    return re.findall(r'<form method="post" action="/complaints/[0-9a-f-]{36}/([a-z-]+)"', html)


def test_the_home_page_leads_to_the_queue(client: TestClient) -> None:
    answer = client.get("/", follow_redirects=False)
    assert answer.status_code in (301, 302, 303, 307)
    assert answer.headers["location"] == "/queue"


def test_the_queue_shows_open_complaints_by_deadline_with_russian_names(
    client: TestClient, auth: Auth, person: Auth, clock: ManualClock
) -> None:
    late = _register(client, auth, clock, "call/1", 300, address="ул. Беляева, 22")
    fresh = _register(client, auth, clock, "call/2", 10)
    middle = _register(client, auth, clock, "call/3", 150)
    rejected = _register(client, auth, clock, "call/4", 400)
    client.post(f"/api/v1/complaints/{rejected}/rejection", headers=auth("operator"), json={"reason": "Спам"})

    page = client.get("/queue", headers=person("operator"))

    assert page.status_code == 200
    assert _ids(page.text) == [late, middle, fresh]
    assert 'class="clock overdue"' in page.text and "Просрочено на 1:00:00" in page.text
    assert 'class="clock past_target"' in page.text and 'class="clock within_target"' in page.text
    assert "Зарегистрировано" in page.text and "Телефон" in page.text and "ул. Беляева, 22" in page.text
    # Moscow time: received 300 minutes before 12:00 in Rostov.
    assert "28.11.2026 07:00" in page.text
    # A stopped clock is not among the running ones, however early its deadline was.
    everything = client.get("/queue?status=any", headers=person("operator"))
    assert _ids(everything.text) == [late, middle, fresh, rejected]


def test_the_filters_are_the_api_queues_filters_kept_in_the_url(
    client: TestClient, auth: Auth, person: Auth, clock: ManualClock
) -> None:
    assigned = _register(client, auth, clock, "call/1", 30)
    _register(client, auth, clock, "call/2", 40)
    client.post(
        f"/api/v1/complaints/{assigned}/assignment", headers=auth("operator"), json={"organisation": ORGANISATION}
    )

    by_body = client.get("/queue", params={"organisation": ORGANISATION}, headers=person("operator"))
    by_status = client.get(
        "/queue", params={"status": "assigned", "clock": "within_target"}, headers=person("operator")
    )

    assert _ids(by_body.text) == [assigned] == _ids(by_status.text)
    assert f'<option value="{ORGANISATION}" selected>' in by_body.text
    assert '<option value="assigned" selected>' in by_status.text


@pytest.mark.parametrize("query", ["status=lost", "clock=soon", "channel=fax", "after=not-a-cursor"])
def test_a_filter_out_of_its_values_is_a_problem(client: TestClient, auth: Auth, person: Auth, query: str) -> None:
    answer = client.get(f"/queue?{query}", headers=person("operator"))
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("application/problem+json")


def test_the_queue_pages_by_keyset_and_refreshes_its_rows_alone(
    client: TestClient, auth: Auth, person: Auth, clock: ManualClock
) -> None:
    ids = [_register(client, auth, clock, f"call/{n}", 200 - n) for n in range(PAGE_SIZE + 3)]

    first = client.get("/queue", headers=person("operator"))
    after = parse_qs(urlsplit(re.search(r'href="([^"]+)" rel="next"', first.text).group(1).replace("&amp;", "&")).query)
    second = client.get("/queue", params={"after": after["after"][0]}, headers=person("operator"))
    rows = client.get(
        "/queue", params={"after": after["after"][0]}, headers={**person("operator"), "HX-Request": "true"}
    )

    assert _ids(first.text) == ids[:PAGE_SIZE]
    assert _ids(second.text) == ids[PAGE_SIZE:]
    assert 'rel="next"' not in second.text
    assert rows.text.lstrip().startswith('<section id="queue-rows"') and "<html" not in rows.text
    assert _ids(rows.text) == ids[PAGE_SIZE:]
    assert "HX-Request" in rows.headers["vary"]


def test_the_queue_pages_through_running_clocks_then_stopped_ones_each_complaint_once(
    client: TestClient, auth: Auth, person: Auth, clock: ManualClock
) -> None:
    ids = [_register(client, auth, clock, f"call/{n}", 300 - 5 * n) for n in range(PAGE_SIZE + 5)]
    # The three oldest are answered or rejected, a minute apart, the second oldest last.
    stopped = [ids[0], ids[2], ids[1]]
    for complaint_id in stopped:
        clock.advance(timedelta(minutes=1))
        client.post(f"/api/v1/complaints/{complaint_id}/rejection", headers=auth("operator"), json={"reason": "Спам"})

    seen: list[str] = []
    url: str | None = "/queue?status=any"
    while url:
        page = client.get(url, headers=person("operator"))
        seen += _ids(page.text)
        found = re.search(r'href="([^"]+)" rel="next"', page.text)
        url = found.group(1).replace("&amp;", "&") if found else None

    assert seen == [i for i in ids if i not in stopped] + stopped[::-1]
    # The open queue holds the running clocks alone here, in the same order.
    assert _ids(client.get("/queue", headers=person("operator")).text) == seen[:PAGE_SIZE]


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.EXECUTOR, Role.SUPERVISOR, Role.AUDITOR])
def test_the_card_offers_the_moves_the_status_allows_and_the_role_may_make(
    client: TestClient, auth: Auth, person: Auth, clock: ManualClock, role: Role
) -> None:
    complaint = _register(client, auth, clock, "call/1", 30)
    client.post(
        f"/api/v1/complaints/{complaint}/assignment", headers=auth("operator"), json={"organisation": ORGANISATION}
    )

    card = client.get(f"/complaints/{complaint}", headers=person(role.value, organisation=ORGANISATION))

    assert card.status_code == 200
    offered = _forms(card.text)
    expected = {
        Role.OPERATOR: ["assignment", "response", "duplicate"],
        Role.SUPERVISOR: ["assignment", "response", "duplicate"],
        Role.EXECUTOR: ["response"],
        Role.AUDITOR: [],
    }[role]
    assert offered == expected
    assert ("Переназначить" in card.text) == ("assignment" in expected)
    assert "Назначен исполнитель" in card.text and "Зарегистрировано → Назначено" in card.text


def test_an_executor_works_only_with_their_organisation_s_complaints(
    client: TestClient, auth: Auth, person: Auth, clock: ManualClock, services: Services
) -> None:
    ours = _register(client, auth, clock, "call/1", 30)
    theirs = _register(client, auth, clock, "call/2", 20)
    for complaint, organisation in ((ours, ORGANISATION), (theirs, "ДГХ")):
        client.post(
            f"/api/v1/complaints/{complaint}/assignment", headers=auth("operator"), json={"organisation": organisation}
        )
    executor = person("executor", organisation=ORGANISATION)

    queue = client.get("/queue", params={"status": "any"}, headers=executor)
    asked_for_another = client.get("/queue", params={"organisation": "ДГХ"}, headers=executor)
    card = client.get(f"/complaints/{theirs}", headers=executor)
    answer = client.post(f"/complaints/{theirs}/response", headers=executor, data={"text": "Готово"})

    assert _ids(queue.text) == [ours]
    assert _ids(asked_for_another.text) == []
    assert card.status_code == 404 and answer.status_code == 404
    assert services.complaints.get(UUID(theirs)).version == 2
    assert client.get(f"/complaints/{ours}", headers=executor).status_code == 200


def test_every_move_has_a_russian_name_and_a_command() -> None:
    assert set(MOVES) == set(MOVE_COMMANDS)


def test_the_author_is_shown_on_request_to_those_who_answer_and_the_read_recorded(
    client: TestClient, auth: Auth, person: Auth, clock: ManualClock, services: Services
) -> None:
    complaint = _register(client, auth, clock, "call/1", 30)
    for role in Role:
        if role in (Role.INTAKE, Role.OPEN311):
            continue
        page = client.get(f"/complaints/{complaint}", headers=person(role.value))
        revealed = client.get(f"/complaints/{complaint}?author=1", headers=person(role.value))
        assert AUTHOR not in page.text
        assert (AUTHOR in revealed.text) == (role in PERSONAL_DATA_ROLES)
    reads = services.personal_data.reads(UUID(complaint))
    assert sorted(read.reader.split(":")[0] for read in reads) == ["operator", "supervisor"]


def test_a_form_builds_the_command_and_the_browser_is_sent_back_to_the_card(
    client: TestClient, auth: Auth, person: Auth, clock: ManualClock, services: Services
) -> None:
    complaint = _register(client, auth, clock, "call/1", 30)
    url = f"/complaints/{complaint}"

    assigned = client.post(
        f"{url}/assignment",
        headers=person("operator"),
        data={"version": "1", "organisation": ORGANISATION, "executor": "  ", "_csrf_token": ""},
        follow_redirects=False,
    )
    executor = person("executor", organisation=ORGANISATION)
    answered = client.post(
        f"{url}/response",
        headers=executor,
        data={"version": "2", "text": "Маршрут восстановлен"},
        follow_redirects=False,
    )

    assert assigned.status_code == 303 and assigned.headers["location"] == url
    assert answered.status_code == 303 and answered.headers["location"] == url
    assert "Дан ответ" in client.get(url, headers=executor).text
    view = services.complaints.get(UUID(complaint))
    assert (view.organisation, view.executor, view.responses) == (ORGANISATION, None, ("Маршрут восстановлен",))
    history = client.get(f"/api/v1/complaints/{complaint}/history", headers=auth("operator")).json()
    # People act under their accounts: the role, the name and the account's id.
    assert [event["actor"].split(":")[0] for event in history[1:]] == ["operator", "executor"]
    assert all("#" in event["actor"] for event in history[1:])
    # The card names them in Russian, the account's id on hover only.
    card = client.get(url, headers=person("operator")).text
    timeline = card[card.index('id="history-title"') :]
    operator_id, executor_id = (event["actor"].rpartition("#")[2] for event in history[1:])
    assert f'оператор <abbr title="учётная запись {operator_id}">Тест operator</abbr>' in timeline
    assert f'исполнитель <abbr title="учётная запись {executor_id}">Тест executor</abbr>' in timeline
    assert re.search(r'оператор <abbr title="[^"]+">test-operator</abbr>', timeline)  # by a token, registering
    assert "operator:" not in timeline and "executor:" not in timeline


def test_a_change_made_meanwhile_is_told_and_shown_never_overwritten(
    client: TestClient, auth: Auth, person: Auth, clock: ManualClock, services: Services
) -> None:
    complaint = _register(client, auth, clock, "call/1", 30)
    client.post(
        f"/api/v1/complaints/{complaint}/assignment", headers=auth("operator"), json={"organisation": ORGANISATION}
    )

    stale = client.post(
        f"/complaints/{complaint}/assignment",
        headers=person("operator"),
        data={"version": "1", "organisation": "Управление образования города Ростова-на-Дону"},
    )

    assert stale.status_code == 412
    assert "обращение изменили" in stale.text and "Ваше действие не записано" in stale.text
    assert f'<dd id="organisation">{ORGANISATION}</dd>' in stale.text
    # What was typed is kept, to be sent again if it still applies.
    assert 'value="Управление образования города Ростова-на-Дону"' in stale.text
    assert services.complaints.get(UUID(complaint)).version == 2


def test_a_move_the_status_no_longer_allows_is_told_in_words(
    client: TestClient, auth: Auth, person: Auth, clock: ManualClock
) -> None:
    complaint = _register(client, auth, clock, "call/1", 30)

    refused = client.post(f"/complaints/{complaint}/resolution", headers=person("operator"), data={"text": "Готово"})

    assert refused.status_code == 409
    assert "Это действие уже недоступно: обращение в статусе «Зарегистрировано»" in refused.text


@pytest.mark.parametrize(
    ("segment", "form", "told"),
    [
        ("response", {"text": "   "}, "Проверьте поле «Текст»"),
        ("duplicate", {"original_id": "12345"}, "Проверьте поле «Номер исходного обращения»"),
        ("duplicate", {"original_id": "00000000-0000-0000-0000-000000000009"}, "с таким номером не найдено"),
    ],
)
def test_a_form_that_cannot_make_a_command_is_refused_on_the_card(
    client: TestClient, auth: Auth, person: Auth, clock: ManualClock, segment: str, form: dict[str, str], told: str
) -> None:
    complaint = _register(client, auth, clock, "call/1", 30)
    client.post(
        f"/api/v1/complaints/{complaint}/assignment", headers=auth("operator"), json={"organisation": ORGANISATION}
    )

    refused = client.post(f"/complaints/{complaint}/{segment}", headers=person("operator"), data=form)

    assert refused.status_code == 422
    assert 'role="alert"' in refused.text and told in refused.text and "Ваше действие не записано" in refused.text


def test_an_unknown_complaint_is_a_page_that_says_so(client: TestClient, auth: Auth, person: Auth) -> None:
    answer = client.get("/complaints/00000000-0000-0000-0000-000000000001", headers=person("operator"))
    assert answer.status_code == 404
    assert "Обращение не найдено" in answer.text


def test_a_role_the_matrix_does_not_admit_may_not_post_a_form(
    client: TestClient, auth: Auth, person: Auth, clock: ManualClock
) -> None:
    complaint = _register(client, auth, clock, "call/1", 30)
    answer = client.post(
        f"/complaints/{complaint}/assignment", headers=person("auditor"), data={"organisation": ORGANISATION}
    )
    assert answer.status_code == 403
    assert "недоступны для вашей роли" in answer.text  # a page in words, not the API's problem+json


def test_the_first_load_of_the_queue_weighs_at_most_300_kb(
    client: TestClient, auth: Auth, person: Auth, clock: ManualClock
) -> None:
    for n in range(PAGE_SIZE):
        _register(client, auth, clock, f"call/{n}", n)
    page = client.get("/queue", headers=person("operator"))
    assets = re.findall(r'(?:href|src)="(/static/[^"]+)"', page.text)
    weight = len(page.content) + sum(len(client.get(asset).content) for asset in assets)
    assert len(assets) == 3
    assert weight <= 300 * 1024


def test_consoles_refreshing_the_same_queue_share_one_reading_but_an_opened_page_is_fresh(
    client: TestClient, auth: Auth, person: Auth, clock: ManualClock, services: Services, monkeypatch
) -> None:
    _register(client, auth, clock, "call/1", 30)
    asked: list[object] = []
    read = services.read_models.complaints
    monkeypatch.setattr(services.read_models, "complaints", lambda query: asked.append(query) or read(query))
    refresh = {**person("operator"), "HX-Request": "true"}

    for _ in range(3):
        assert client.get("/queue", headers=refresh).status_code == 200
    opened = client.get("/queue", headers=person("operator"))

    assert len(asked) == 2 and len(_ids(opened.text)) == 1


SECTIONS = ["/queue", "/statistics", "/deliveries", "/audit", "/accounts"]
NAVIGATION = {
    Role.OPERATOR: ["/queue", "/statistics", "/deliveries"],
    Role.EXECUTOR: ["/queue"],
    Role.SUPERVISOR: SECTIONS,
    Role.AUDITOR: ["/queue", "/statistics", "/deliveries", "/audit"],
}


def _sections(html: str) -> list[str]:
    nav = html[html.index('aria-label="Разделы"') :]
    return re.findall(r'<a href="([^"]+)"', nav[: nav.index("</nav>")])


@pytest.mark.parametrize("role", list(NAVIGATION))
def test_the_navigation_links_only_the_sections_the_role_may_open(client: TestClient, person: Auth, role: Role) -> None:
    page = client.get("/queue", headers=person(role.value)).text

    assert _sections(page) == NAVIGATION[role]
    assert '<a href="/queue" aria-current="page">Очередь</a>' in page
    # No other link of the page leads to a section the role may not open (the replies banner's).
    linked = set(re.findall(r'href="(/[a-z]+)"', page)) & set(SECTIONS)
    assert "Ответы гражданам не отправляются" in page and linked == set(NAVIGATION[role])
    # Each link opens; each section left out is refused, on a page that still shows the person's.
    for path in SECTIONS:
        opened = client.get(path, headers=person(role.value))
        assert opened.status_code == (200 if path in NAVIGATION[role] else 403), path
        assert _sections(opened.text) == NAVIGATION[role]
