"""VK through real HTTP: the Callback API endpoint, wall and search polling, replies, VK's errors."""

import pytest
from litestar.testing import TestClient

from adapters.vk.translate import parse_ref
from application.channels import ChannelRefused, ChannelUnavailable
from application.commands import Respond
from application.intake.flow import CLARIFICATION_QUESTION
from interfaces.bootstrap import Services, bootstrap
from tests.fakes.triage import ScriptedTriage
from tests.fakes.vk import Fault
from tests.integration.channels.conftest import COMMUNITY, VK_SECRET, Networks, taken

OWNER = -COMMUNITY
RESIDENT = 3105


def complaint_of(services: Services, ref: str):
    return services.complaints.get(services.complaints.id_of("vk", ref))


def test_the_confirmation_handshake_answers_the_code(client: TestClient, networks: Networks) -> None:
    event = {"type": "confirmation", "group_id": COMMUNITY, "event_id": "c1", "v": "5.199", "secret": VK_SECRET}
    networks.vk.schema.check("callback/objects.json#/definitions/callback_confirmation", event)
    answer = client.post("/hooks/vk", json=event)
    assert (answer.status_code, answer.text) == (200, "a1b2c3d4")


@pytest.mark.parametrize("change", [{"secret": "guess"}, {"group_id": 1}, {"secret": None}])
def test_a_callback_without_our_secret_or_for_another_community_is_refused(
    client: TestClient, networks: Networks, services: Services, change: dict
) -> None:
    post = networks.vk.add_post(owner_id=OWNER, from_id=RESIDENT, text="Мусор не вывозят, Мясникяна 12")
    event = {**networks.vk.callback("wall_post_new", post, secret=VK_SECRET), **change}
    answer = client.post("/hooks/vk", json={k: v for k, v in event.items() if v is not None})
    assert answer.status_code == 403
    assert services.channels.records.position("vk:wall:77001") is None
    with pytest.raises(Exception, match="no complaint"):
        complaint_of(services, f"wall{OWNER}_{post['id']}")


def test_a_wall_post_by_callback_and_again_by_polling_is_one_complaint(
    client: TestClient, networks: Networks, services: Services, source
) -> None:
    post = networks.vk.add_post(owner_id=OWNER, from_id=RESIDENT, text="Мусор не вывозят, Мясникяна 12")
    answer = client.post("/hooks/vk", json=networks.vk.callback("wall_post_new", post, secret=VK_SECRET))
    assert (answer.status_code, answer.text) == (200, "ok")
    taken(services)
    view = complaint_of(services, f"wall{OWNER}_{post['id']}")
    assert (view.status, view.address) == ("assigned", "улица Мясникяна, 12")
    assert services.complaints.author_of(view.id).ref == f"vk:id{RESIDENT}"
    again = services.channels.poller().poll_once(source("vk:wall:77001"))
    assert again == 1
    assert complaint_of(services, f"wall{OWNER}_{post['id']}").version == view.version


def test_polling_reads_new_posts_and_comments_under_the_latest_posts_once(
    networks: Networks, services: Services, source
) -> None:
    news = networks.vk.add_post(owner_id=OWNER, from_id=OWNER, text="Новости: открыт новый сквер")
    networks.vk.add_comment(
        owner_id=OWNER,
        post_id=news["id"],
        from_id=RESIDENT,
        text="А у нас яма на проспекте Стачки 5, объехать невозможно",
    )
    networks.vk.add_comment(owner_id=OWNER, post_id=news["id"], from_id=RESIDENT + 1, text="Спасибо за сквер!")
    poller = services.channels.poller()
    assert poller.poll_once(source("vk:wall:77001")) == 2  # the community's own news is not a post
    networks.vk.add_comment(
        owner_id=OWNER, post_id=news["id"], from_id=RESIDENT + 2, text="И фонари не горят на Беляева 22"
    )
    assert poller.poll_once(source("vk:wall:77001")) == 1
    routed = [c for c in networks.vk.comments[(OWNER, news["id"])] if "Стачки" in c["text"]][0]
    assert complaint_of(services, f"wall{OWNER}_{news['id']}/{routed['id']}").category == "roads"
    [dropped] = services.channels.records.screening(
        channels=["vk"], first=services.clock.now().date(), last=services.clock.now().date()
    )
    assert dropped.dropped == {"thanks": 1}


def test_keyword_search_reads_the_city_publics(networks: Networks, services: Services, source) -> None:
    public = networks.vk.add_post(
        owner_id=-555, from_id=-555, text="Пишет подписчица: в Ростове на Беляева 22 не горят фонари"
    )
    assert services.channels.poller().poll_once(source("vk:search:ростов")) == 1
    assert complaint_of(services, f"wall-555_{public['id']}").category == "improvement"


def test_a_post_without_an_address_is_asked_about_and_proceeds_after_the_answer(
    client: TestClient, networks: Networks, services: Services
) -> None:
    post = networks.vk.add_post(owner_id=OWNER, from_id=RESIDENT, text="Опять нет горячей воды, сколько можно")
    client.post("/hooks/vk", json=networks.vk.callback("wall_post_new", post, secret=VK_SECRET))
    taken(services)
    ref = f"wall{OWNER}_{post['id']}"
    assert complaint_of(services, ref).status == "clarification_requested"

    services.channels.reply_worker().step()
    [question] = networks.vk.comments_by(-COMMUNITY)
    assert question["text"].startswith(CLARIFICATION_QUESTION)
    [created] = networks.vk.created
    assert created["from_group"] == str(COMMUNITY) and created["guid"]

    answer = networks.vk.add_comment(
        owner_id=OWNER, post_id=post["id"], from_id=RESIDENT, text="Космонавтов 27", reply_to_comment=question["id"]
    )
    client.post("/hooks/vk", json=networks.vk.callback("wall_reply_new", answer, secret=VK_SECRET))
    taken(services)
    view = complaint_of(services, ref)
    assert (view.status, view.address, view.clarification) == ("assigned", "проспект Космонавтов, 27", "Космонавтов 27")

    services.complaints.handle(Respond(view.id, text="Аварийная бригада направлена", actor="operator:anna"))
    services.channels.reply_worker().step()
    response = networks.vk.comments_by(-COMMUNITY)[-1]
    assert response["text"].startswith("Аварийная бригада направлена")
    assert len(networks.vk.created) == 2


def test_a_repeated_send_of_one_delivery_is_one_comment_on_vk(networks: Networks, services: Services) -> None:
    from uuid import uuid4

    from application.replies.gateway import OutgoingReply

    post = networks.vk.add_post(owner_id=OWNER, from_id=RESIDENT, text="Мусор")
    reply = OutgoingReply(
        delivery_id=uuid4(),
        complaint_id=uuid4(),
        channel="vk",
        kind="response",
        source_ref=f"wall{OWNER}_{post['id']}",
        text="Ответ центра",
    )
    gateway = services.channels.gateways["vk"]
    first, second = gateway.send(reply), gateway.send(reply)
    assert first == second and len(networks.vk.comments_by(-COMMUNITY)) == 1
    assert gateway.confirm(reply) == first
    assert parse_ref(first)[:2] == (OWNER, post["id"])


def test_too_many_requests_per_second_is_retried_within_the_call(
    networks: Networks, services: Services, source
) -> None:
    networks.vk.add_post(owner_id=OWNER, from_id=RESIDENT, text="Мусор не вывозят, Мясникяна 12")
    networks.vk.fail("wall.get", Fault(error_code=6), Fault(http_status=502))
    assert services.channels.poller().poll_once(source("vk:wall:77001")) == 1


def test_a_rate_limit_makes_the_poller_wait_and_access_denied_is_refused(
    networks: Networks, services: Services, source
) -> None:
    poller = services.channels.poller()
    networks.vk.fail("wall.get", Fault(error_code=29))
    with pytest.raises(ChannelUnavailable) as limited:
        poller.poll_once(source("vk:wall:77001"))
    assert limited.value.retry_after == 3600
    networks.vk.fail("wall.get", Fault(error_code=9))
    calls = len(networks.vk.calls)
    poller.poll_due()  # the search source still goes; the wall waits
    poller.poll_due()
    wall_calls = [m for m, _ in networks.vk.calls[calls:] if m == "wall.get"]
    assert len(wall_calls) == 1  # flood control answers without an inline retry, then backoff
    for code in (15, 18, 30):
        networks.vk.fail("wall.get", Fault(error_code=code))
        with pytest.raises(ChannelRefused, match=f"error {code}"):
            poller.poll_once(source("vk:wall:77001"))


def test_a_vk_that_does_not_answer_in_time_is_unavailable(networks: Networks, clock) -> None:
    impatient = bootstrap(networks.settings(channel_timeout_seconds=0.2), clock=clock, triage=ScriptedTriage())
    try:
        networks.vk.fail("wall.get", *[Fault(delay=0.6)] * 3)
        wall = next(s for s in impatient.channels.sources if s.name == "vk:wall:77001")
        with pytest.raises(ChannelUnavailable, match="did not answer"):
            impatient.channels.poller().poll_once(wall)
    finally:
        impatient.close()
