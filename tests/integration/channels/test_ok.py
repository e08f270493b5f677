"""Odnoklassniki through real HTTP: signed calls, the group feed and comments, replies."""

import pytest

from adapters.ok.client import signature
from application.channels import ChannelRefused
from interfaces.bootstrap import Services
from tests.integration.channels.conftest import OK_GROUP, Networks


def test_every_call_is_signed_as_ok_documents(networks: Networks, services: Services, source) -> None:
    services.channels.poller().poll_once(source(f"ok:group:{OK_GROUP}"))
    call = networks.ok.calls[0]
    assert call["sig"] == networks.ok.expected_sig(call)
    assert call["application_key"] == "CBAFKEYABABABA" and call["format"] == "json"


def test_the_signature_of_a_known_request() -> None:
    # md5("application_key=Aformat=jsonmethod=users.getCurrentUser" + md5("token" + "secret"))
    params = {"application_key": "A", "format": "json", "method": "users.getCurrentUser"}
    assert signature(params, access_token="token", secret_key="secret") == "48643f60847d1312e438f6811204e94a"


def test_topics_and_comments_become_complaints_once(networks: Networks, services: Services, source) -> None:
    own = networks.ok.add_topic(author=f"group:{OK_GROUP}", text="Администрация: график вывоза мусора")
    resident = networks.ok.add_topic(author="user:571", text="Во дворе на Мясникяна 12 не вывозят мусор")
    comment = networks.ok.add_comment(topic_id=own["id"], author_id="572", text="А на Беляева 22 не горят фонари")
    poller = services.channels.poller()
    assert poller.poll_once(source(f"ok:group:{OK_GROUP}")) == 2
    assert poller.poll_once(source(f"ok:group:{OK_GROUP}")) >= 0
    topic_view = services.complaints.get(services.complaints.id_of("ok", f"topic/{resident['id']}"))
    comment_view = services.complaints.get(services.complaints.id_of("ok", f"topic/{own['id']}/{comment['id']}"))
    assert topic_view.status == "assigned"
    assert services.complaints.author_of(topic_view.id).ref == "ok:571"
    assert comment_view.category == "improvement"
    assert len(list(services.complaints.repository.event_store.get(topic_view.id))) == 2


def test_the_clarification_is_a_comment_in_the_topic_and_the_answer_proceeds(
    networks: Networks, services: Services, source
) -> None:
    topic = networks.ok.add_topic(author="user:571", text="Опять нет горячей воды")
    poller = services.channels.poller()
    poller.poll_once(source(f"ok:group:{OK_GROUP}"))
    services.channels.reply_worker().step()
    [posted] = networks.ok.posted
    assert posted["discussionId"] == topic["id"] and posted["method"] == "discussions.comment"
    networks.ok.add_comment(topic_id=topic["id"], author_id="571", text="Космонавтов 27")
    poller.poll_once(source(f"ok:group:{OK_GROUP}"))
    view = services.complaints.get(services.complaints.id_of("ok", f"topic/{topic['id']}"))
    assert (view.status, view.address) == ("assigned", "проспект Космонавтов, 27")


def test_flood_is_retried_and_a_denied_permission_is_refused(networks: Networks, services: Services, source) -> None:
    networks.ok.add_topic(author="user:571", text="Во дворе на Мясникяна 12 не вывозят мусор")
    networks.ok.fail("mediatopic.getTopics", 2)
    assert services.channels.poller().poll_once(source(f"ok:group:{OK_GROUP}")) == 1
    networks.ok.fail("mediatopic.getTopics", 10)
    with pytest.raises(ChannelRefused, match="error 10"):
        services.channels.poller().poll_once(source(f"ok:group:{OK_GROUP}"))
