"""Steps for the channel specifications: real HTTP against the networks' fakes on loopback."""

from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID

import pytest
from litestar.testing import TestClient
from pytest_bdd import parsers, scenarios, step, then

from adapters.clock import ManualClock
from adapters.telegram.webhook import SECRET_HEADER
from application.commands import Resolve, Respond
from application.intake.flow import CLARIFICATION_QUESTION
from interfaces.bootstrap import Services, bootstrap
from interfaces.web.names import russian
from tests.fakes.networks import (
    CHAT,
    COMMUNITY,
    OK_GROUP,
    TG_SECRET,
    VK_SECRET,
    Networks,
)
from tests.fakes.triage import ScriptedTriage
from tests.fakes.vk import Fault
from tests.support.console_login import logged_in

scenarios("channels.feature")

OWNER = -COMMUNITY


class Story:
    def __init__(self) -> None:
        self.complaints: list[UUID] = []
        self.post: dict | None = None
        self.update: dict | None = None
        self.appeal: dict | None = None
        self.edit: dict | None = None
        self.comment: dict | None = None

    @property
    def complaint(self) -> UUID:
        assert self.complaints, "the scenario has registered no complaint yet"
        return self.complaints[-1]


@pytest.fixture
def story() -> Story:
    return Story()


@pytest.fixture
def services(networks: Networks, clock: ManualClock) -> Iterator[Services]:
    # The lease is short so that "проходит 3 минуты" reaches past it.
    built = bootstrap(
        networks.settings(channel_timeout_seconds=0.3, reply_lease_seconds=120), clock=clock, triage=ScriptedTriage()
    )
    yield built
    built.close()


def _poll(services: Services, name: str) -> None:
    poller = services.channels.poller()
    poller.poll_once(next(s for s in poller.sources if s.name == name))


def _taken(client: TestClient) -> None:
    # A webhook's post is taken from the intake outbox after the answer, by the app's worker.
    assert client.app.state.services.channels.intake_worker.idle(timeout=10)


def _telegram(client: TestClient, update: dict) -> None:
    assert client.post("/hooks/telegram", json=update, headers={SECRET_HEADER: TG_SECRET}).status_code == 200
    _taken(client)


@step("центр подключён к ВКонтакте, Telegram, Одноклассникам и платформе обратной связи")
def connected(client: TestClient) -> None:
    assert client.get("/health").status_code == 200


@step(parsers.parse('житель публикует на стене сообщества пост "{text}"'))
def vk_post(networks: Networks, story: Story, text: str) -> None:
    story.post = networks.vk.add_post(owner_id=OWNER, from_id=3105, text=text)


@step("ВКонтакте присылает центру событие о новом посте")
def vk_callback(client: TestClient, networks: Networks, story: Story, services: Services) -> None:
    answer = client.post("/hooks/vk", json=networks.vk.callback("wall_post_new", story.post, secret=VK_SECRET))
    assert answer.text == "ok"
    _taken(client)
    story.complaints.append(services.complaints.id_of("vk", f"wall{OWNER}_{story.post['id']}"))


@step("центр опрашивает стену сообщества")
def vk_poll(services: Services) -> None:
    _poll(services, f"vk:wall:{COMMUNITY}")


@step(parsers.parse('житель пишет в обсуждении Telegram "{text}"'))
def telegram_message(client: TestClient, networks: Networks, story: Story, text: str, services: Services) -> None:
    story.update = networks.telegram.message(chat_id=CHAT, from_id=42, text=text)
    _telegram(client, story.update)
    story.complaints.append(services.complaints.id_of("telegram", f"{CHAT}/{story.update['message']['message_id']}"))


@step("то же сообщение приходит ещё раз")
def telegram_again(client: TestClient, story: Story) -> None:
    _telegram(client, story.update)


@step(parsers.parse('через 2 часа другой житель пишет в обсуждении Telegram "{text}"'))
def later_telegram(
    client: TestClient, networks: Networks, story: Story, clock: ManualClock, text: str, services: Services
) -> None:
    clock.advance(timedelta(hours=2))
    update = networks.telegram.message(chat_id=CHAT, from_id=43, text=text)
    _telegram(client, update)
    story.complaints.append(services.complaints.id_of("telegram", f"{CHAT}/{update['message']['message_id']}"))


@step(parsers.parse('житель исправляет своё сообщение в Telegram на "{text}"'))
def telegram_edit(client: TestClient, networks: Networks, story: Story, text: str) -> None:
    story.edit = networks.telegram.edit(story.update, text)
    _telegram(client, story.edit)


@step("то же исправление приходит ещё раз")
def telegram_edit_again(client: TestClient, story: Story) -> None:
    _telegram(client, story.edit)


@step(parsers.parse('житель комментирует пост сообщества "{text}"'))
def vk_comment(client: TestClient, networks: Networks, story: Story, text: str, services: Services) -> None:
    post = networks.vk.add_post(owner_id=OWNER, from_id=OWNER, text="Новости города")
    story.comment = networks.vk.add_comment(owner_id=OWNER, post_id=post["id"], from_id=3105, text=text)
    answer = client.post("/hooks/vk", json=networks.vk.callback("wall_reply_new", story.comment, secret=VK_SECRET))
    assert answer.text == "ok"
    _taken(client)
    story.complaints.append(services.complaints.id_of("vk", f"wall{OWNER}_{post['id']}/{story.comment['id']}"))


@step("модератор сообщества удаляет этот комментарий, и ВКонтакте присылает событие дважды")
def vk_comment_deleted(client: TestClient, networks: Networks, story: Story) -> None:
    event = networks.vk.callback(
        "wall_reply_delete", networks.vk.deletion(story.comment, deleter_id=9001), secret=VK_SECRET
    )
    for _ in range(2):
        assert client.post("/hooks/vk", json=event).text == "ok"
    _taken(client)


@step(parsers.parse('житель отвечает на сообщение центра "{text}"'))
def telegram_answer(client: TestClient, networks: Networks, story: Story, text: str) -> None:
    ours = {"message_id": 11, "date": 1, "chat": {"id": CHAT, "type": "supergroup"}}
    _telegram(client, networks.telegram.message(chat_id=CHAT, from_id=42, text=text, reply_to=ours))


@step(parsers.parse('житель публикует в группе Одноклассников тему "{text}"'))
def ok_topic(networks: Networks, story: Story, text: str, services: Services) -> None:
    topic = networks.ok.add_topic(author="user:571", text=text)
    story.complaints.append(services.complaints.id_of("ok", f"topic/{topic['id']}"))


@step("центр опрашивает группу Одноклассников")
def ok_poll(services: Services) -> None:
    _poll(services, f"ok:group:{OK_GROUP}")


@step(parsers.parse('на платформу обратной связи поступает обращение "{text}" с адресом "{address}"'))
def pos_appeal(networks: Networks, story: Story, text: str, address: str, services: Services) -> None:
    story.appeal = networks.pos.submit(text=text, address=address)
    story.complaints.append(services.complaints.id_of("gosuslugi", f"appeal/{story.appeal['id']}"))


@step("центр забирает новые обращения с платформы")
def pos_poll(services: Services) -> None:
    _poll(services, "gosuslugi:feed")


@step(parsers.parse('исполнитель отвечает "{text}" и обращение решено'))
def respond_and_resolve(services: Services, story: Story, text: str) -> None:
    services.complaints.handle(Respond(story.complaint, text=text, actor="executor:Пролетарка"))
    services.complaints.handle(Resolve(story.complaint, text=text, actor="executor:Пролетарка"))


@step(parsers.parse('житель опубликовал пост "{text}" и центр попросил уточнить адрес'))
def asked(client: TestClient, networks: Networks, story: Story, text: str, services: Services) -> None:
    vk_post(networks, story, text)
    vk_callback(client, networks, story, services)


@step("ВКонтакте принимает следующий комментарий, но не успевает ответить")
def vk_slow(networks: Networks) -> None:
    networks.vk.fail("wall.createComment", Fault(act_first=True, delay=1.0))


@step("центр отправляет ответы")
def send_replies(services: Services) -> None:
    services.channels.reply_worker().step()


@step(parsers.parse("проходит {minutes:d} минуты"))
def time_passes(clock: ManualClock, minutes: int) -> None:
    clock.advance(timedelta(minutes=minutes))


@then(parsers.parse('обращение зарегистрировано по категории "{category}" по адресу "{address}"'))
def registered_with(services: Services, story: Story, category: str, address: str) -> None:
    view = services.complaints.get(story.complaint)
    assert (view.category, view.address) == (category, address)


@then(parsers.parse('обращение передано в "{organisation}"'))
def routed_to(services: Services, story: Story, organisation: str) -> None:
    view = services.complaints.get(story.complaints[0])
    assert (view.status, view.organisation) == ("assigned", organisation)


@then("по посту зарегистрировано одно обращение с одной передачей исполнителю")
def once(services: Services, story: Story) -> None:
    events = [type(e).__name__ for e in services.complaints.repository.event_store.get(story.complaint)]
    assert events == ["Registered", "Assigned"]


@then(parsers.parse('в истории обращения одна запись "{name}"'))
def one_history_entry(services: Services, story: Story, name: str) -> None:
    named = [russian(entry.type, "event") for entry in services.history.entries(story.complaint)]
    assert named.count(name) == 1, named


@then(parsers.parse('на карточке обращения оператор видит "{text}"'))
def on_the_card(client: TestClient, services: Services, story: Story, text: str) -> None:
    card = client.get(f"/complaints/{story.complaint}", headers=logged_in(client, services, "operator"))
    assert card.status_code == 200 and text in card.text


@then("обращение ожидает уточнения адреса")
def awaiting(services: Services, story: Story) -> None:
    assert services.complaints.get(story.complaint).status == "clarification_requested"


@then("в Telegram ответом на сообщение жителя отправлена просьба указать адрес")
def telegram_asked(networks: Networks, story: Story) -> None:
    [sent] = networks.telegram.sent
    assert sent["reply_parameters"]["message_id"] == story.update["message"]["message_id"]
    assert sent["text"].startswith(CLARIFICATION_QUESTION)


@then(parsers.parse('на платформе у обращения ответы со статусами "{statuses}"'))
def pos_answers(networks: Networks, story: Story, statuses: str) -> None:
    sent = [body["status"] for appeal_id, _, body in networks.pos.puts if appeal_id == story.appeal["id"]]
    assert sent == statuses.split(", ")


@then("обращение не зарегистрировано")
def not_registered(services: Services, story: Story) -> None:
    assert story.complaint not in services.complaints.repository


@then(
    parsers.parse('аудитор видит, что сегодня в канале "{channel}" отсеяно {count:d} сообщение по причине "{reason}"')
)
def screening_seen(client: TestClient, services: Services, channel: str, count: int, reason: str) -> None:
    token = services.access.issue_token(role="auditor", name="Контрольное управление")
    answer = client.get(
        "/api/v1/intake/screening", params={"channel": channel}, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200, answer.text
    [day] = answer.json()
    assert (day["dropped"], day["by_reason"]) == (count, {reason: count})


@then("под постом один комментарий центра")
def one_comment(networks: Networks) -> None:
    assert len(networks.vk.comments_by(-COMMUNITY)) == 1 and len(networks.vk.created) == 1


@then("доставка ответа отмечена отправленной")
def delivery_sent(client: TestClient, services: Services) -> None:
    token = services.access.issue_token(role="operator", name="Анна")
    answer = client.get("/api/v1/deliveries", params={"state": "sent"}, headers={"Authorization": f"Bearer {token}"})
    [delivery] = answer.json()["items"]
    assert (delivery["channel"], delivery["kind"], delivery["attempts"]) == ("vk", "clarification_request", 1)


@then("оба обращения входят в один инцидент")
def one_incident(client: TestClient, services: Services, story: Story) -> None:
    token = services.access.issue_token(role="supervisor", name="Дежурный")
    headers = {"Authorization": f"Bearer {token}"}
    first, second = (client.get(f"/api/v1/complaints/{c}/incident", headers=headers).json() for c in story.complaints)
    assert first["id"] == second["id"]
    assert first["complaint_ids"] == [str(c) for c in story.complaints]
