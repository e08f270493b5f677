"""Several VK communities send their Callback API events to one endpoint: the administration's
own and the big city publics. Each has its confirmation string, its secret where set, and its
token where it has one; replies under a community's post go out with that community's token."""

from collections.abc import Iterator
from uuid import uuid4

import pytest
from litestar.testing import TestClient
from pydantic import ValidationError

from adapters.clock import ManualClock
from adapters.config import Settings, VkCommunity
from application.replies.gateway import Confirmation, OutgoingReply
from interfaces.bootstrap import Services, bootstrap
from tests.fakes.triage import ScriptedTriage
from tests.integration.channels.conftest import COMMUNITY, VK_SECRET, Networks, taken

PUBLIC, PUBLIC_SECRET, PUBLIC_TOKEN = 88002, "public-secret", "public-token"
OPEN_PUBLIC = 88003  # a public that set no secret and gave us no token
RESIDENT = 3105


@pytest.fixture
def services(networks: Networks, clock: ManualClock, triage: ScriptedTriage) -> Iterator[Services]:
    networks.vk.add_community(PUBLIC, PUBLIC_TOKEN)
    communities = [
        VkCommunity(id=PUBLIC, confirmation_code="pub12345", secret=PUBLIC_SECRET, token=PUBLIC_TOKEN, relays=True),
        VkCommunity(id=OPEN_PUBLIC, confirmation_code="open6789"),
    ]
    built = bootstrap(networks.settings(vk_communities=communities), clock=clock, triage=triage)
    yield built
    built.close()


def complaint_of(services: Services, ref: str):
    return services.complaints.get(services.complaints.id_of("vk", ref))


@pytest.mark.parametrize(
    ("group_id", "code"), [(COMMUNITY, "a1b2c3d4"), (PUBLIC, "pub12345"), (OPEN_PUBLIC, "open6789")]
)
def test_vks_bare_confirmation_request_gets_that_communitys_string(
    client: TestClient, group_id: int, code: str
) -> None:
    # The body VK's Callback API documentation gives for the handshake: nothing more.
    answer = client.post("/hooks/vk", json={"type": "confirmation", "group_id": group_id})
    assert (answer.status_code, answer.text) == (200, code)


def test_a_confirmation_carrying_a_wrong_secret_or_for_an_unknown_community_is_refused(client: TestClient) -> None:
    assert client.post("/hooks/vk", json={"type": "confirmation", "group_id": 99999}).status_code == 403
    wrong = {"type": "confirmation", "group_id": PUBLIC, "secret": VK_SECRET}
    assert client.post("/hooks/vk", json=wrong).status_code == 403


@pytest.mark.parametrize(
    ("group_id", "secret"),
    [(PUBLIC, VK_SECRET), (PUBLIC, None), (COMMUNITY, PUBLIC_SECRET), (99999, VK_SECRET)],
    ids=["another community's secret", "no secret", "the public's secret for ours", "unknown community"],
)
def test_each_community_is_checked_by_its_own_secret(
    client: TestClient, networks: Networks, services: Services, triage: ScriptedTriage, group_id: int, secret
) -> None:
    post = networks.vk.add_post(owner_id=-group_id, from_id=RESIDENT, text="Мусор не вывозят, Мясникяна 12")
    event = networks.vk.callback("wall_post_new", post, secret=secret, group_id=group_id)
    answer = client.post("/hooks/vk", json=event)
    assert answer.status_code == 403
    assert services.channels.outbox.waiting() == 0 and triage.assessed == []


def test_a_residents_post_in_a_public_is_answered_by_that_public_with_its_own_token(
    client: TestClient, networks: Networks, services: Services
) -> None:
    post = networks.vk.add_post(owner_id=-PUBLIC, from_id=RESIDENT, text="Опять нет горячей воды, сколько можно")
    answer = client.post(
        "/hooks/vk", json=networks.vk.callback("wall_post_new", post, secret=PUBLIC_SECRET, group_id=PUBLIC)
    )
    assert (answer.status_code, answer.text) == (200, "ok")
    taken(services)
    assert complaint_of(services, f"wall-{PUBLIC}_{post['id']}").status == "clarification_requested"
    services.channels.reply_worker().step()
    # The fake takes a community's token only for comments from that community.
    [created] = networks.vk.created
    assert (created["owner_id"], created["from_group"], created["access_token"]) == (
        str(-PUBLIC),
        str(PUBLIC),
        PUBLIC_TOKEN,
    )
    [question] = networks.vk.comments_by(-PUBLIC)
    assert question["post_id"] == post["id"]


def test_a_send_whose_answer_was_lost_is_found_among_that_communitys_comments(
    networks: Networks, services: Services
) -> None:
    post = networks.vk.add_post(owner_id=-PUBLIC, from_id=RESIDENT, text="Мусор")
    reply = OutgoingReply(
        delivery_id=uuid4(),
        complaint_id=uuid4(),
        channel="vk",
        kind="response",
        source_ref=f"wall-{PUBLIC}_{post['id']}",
        text="Ответ центра",
    )
    gateway = services.channels.gateways["vk"]
    assert gateway.confirm(reply) == Confirmation.NOT_SENT
    sent = gateway.send(reply)
    assert gateway.confirm(reply) == sent


def test_a_public_that_relays_residents_complaints_has_its_own_posts_read_as_theirs(
    client: TestClient, networks: Networks, services: Services, triage: ScriptedTriage
) -> None:
    relayed = networks.vk.add_post(
        owner_id=-PUBLIC, from_id=-PUBLIC, text="Пишет подписчица: мусор не вывозят, Мясникяна 12"
    )
    signed = {**networks.vk.add_post(owner_id=-PUBLIC, from_id=-PUBLIC, text="Яма на Стачки 5"), "signer_id": 3107}
    # A public that does not relay: its posts are its own announcements.
    announced = networks.vk.add_post(owner_id=-OPEN_PUBLIC, from_id=-OPEN_PUBLIC, text="Мусор, Мясникяна 14")
    for post, secret in ((relayed, PUBLIC_SECRET), (signed, PUBLIC_SECRET), (announced, None)):
        group_id = -post["owner_id"]
        event = networks.vk.callback("wall_post_new", post, secret=secret, group_id=group_id)
        assert client.post("/hooks/vk", json=event).text == "ok"
    taken(services)
    assert len(triage.assessed) == 2
    relayed_view = complaint_of(services, f"wall-{PUBLIC}_{relayed['id']}")
    assert services.complaints.author_of(relayed_view.id).ref == f"vk:id-{PUBLIC}"
    signed_view = complaint_of(services, f"wall-{PUBLIC}_{signed['id']}")
    assert services.complaints.author_of(signed_view.id).ref == "vk:id3107"


def test_a_public_without_a_secret_or_a_token_sends_events_and_is_answered_by_the_administration(
    client: TestClient, networks: Networks, services: Services
) -> None:
    post = networks.vk.add_post(owner_id=-OPEN_PUBLIC, from_id=RESIDENT, text="Опять нет горячей воды")
    event = networks.vk.callback("wall_post_new", post, secret=None, group_id=OPEN_PUBLIC)
    assert client.post("/hooks/vk", json=event).text == "ok"
    taken(services)
    services.channels.reply_worker().step()
    [created] = networks.vk.created
    assert (created["owner_id"], created["from_group"]) == (str(-OPEN_PUBLIC), str(COMMUNITY))


def test_the_communities_are_a_list_in_the_environment_beside_the_single_community_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "MCU_VK_COMMUNITIES",
        '[{"id": 88002, "confirmation_code": "pub12345", "secret": "s", "token": "t", "relays": true},'
        ' {"id": 88003, "confirmation_code": "open6789"}]',
    )
    settings = Settings(_env_file=None, vk_community_id=COMMUNITY, vk_confirmation_code="a1b2c3d4")
    assert [(c.id, c.confirmation_code) for c in settings.callback_communities()] == [
        (COMMUNITY, "a1b2c3d4"),
        (88002, "pub12345"),
        (88003, "open6789"),
    ]
    assert settings.callback_communities()[1].secret.get_secret_value() == "s"
    assert [c.relays for c in settings.callback_communities()] == [False, True, False]
    with pytest.raises(ValidationError, match="configured twice"):
        Settings(_env_file=None, vk_community_id=88002)
    monkeypatch.setenv("MCU_VK_COMMUNITIES", '[{"id": 88002, "confirmation": "pub12345"}]')
    with pytest.raises(ValidationError, match="confirmation"):
        Settings(_env_file=None)
