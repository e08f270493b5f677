"""Edits, deletions, restores and attachments through the webhooks and getUpdates, on the
fake networks (every delivery checked against VK's schema and the Bot API spec)."""

from litestar.testing import TestClient

from adapters.telegram.webhook import SECRET_HEADER
from interfaces.bootstrap import Services
from tests.integration.channels.conftest import CHAT, COMMUNITY, TG_SECRET, VK_SECRET, Networks, taken
from tests.support.console_login import logged_in

OWNER = -COMMUNITY
RESIDENT = 3105
MODERATOR = 9001


def vk_hook(client: TestClient, networks: Networks, kind: str, item: dict) -> None:
    answer = client.post("/hooks/vk", json=networks.vk.callback(kind, item, secret=VK_SECRET))
    assert (answer.status_code, answer.text) == (200, "ok")


def tg_hook(client: TestClient, update: dict) -> None:
    assert client.post("/hooks/telegram", json=update, headers={SECRET_HEADER: TG_SECRET}).json() == {"ok": True}


def history(services: Services, complaint_id) -> list[str]:
    return [entry.type for entry in services.history.entries(complaint_id)]


def test_a_vk_comment_edited_to_give_the_address_is_clarified_deleted_kept_and_restored(
    client: TestClient, networks: Networks, services: Services
) -> None:
    post = networks.vk.add_post(owner_id=OWNER, from_id=-COMMUNITY, text="Новости города")
    comment = networks.vk.add_comment(
        owner_id=OWNER, post_id=post["id"], from_id=RESIDENT, text="Опять нет горячей воды, сколько можно"
    )
    vk_hook(client, networks, "wall_reply_new", comment)
    taken(services)
    complaint_id = services.complaints.id_of("vk", f"wall{OWNER}_{post['id']}/{comment['id']}")
    assert services.complaints.get(complaint_id).status == "clarification_requested"

    edited = {
        **comment,
        "text": "Опять нет горячей воды, Космонавтов 27",
        "attachments": [networks.vk.photo(owner_id=RESIDENT)],
    }
    for _ in range(2):  # VK repeats an event it thinks undelivered
        vk_hook(client, networks, "wall_reply_edit", edited)
    taken(services)
    view = services.complaints.get(complaint_id)
    assert (view.status, view.address) == ("assigned", "проспект Космонавтов, 27")
    [photo] = view.attachments
    assert photo.ref.startswith(f"photo{RESIDENT}_") and photo.url.endswith("/z.jpg")

    deletion = networks.vk.deletion(comment, deleter_id=MODERATOR)
    for _ in range(2):
        vk_hook(client, networks, "wall_reply_delete", deletion)
    taken(services)
    view = services.complaints.get(complaint_id)
    assert (view.status, view.source_deleted) == ("assigned", True)

    vk_hook(client, networks, "wall_reply_restore", edited)
    taken(services)
    assert services.complaints.get(complaint_id).source_deleted is False
    assert history(services, complaint_id) == [
        "Registered",
        "ClarificationRequested",
        "Attached",
        "SourceEdited",
        "Clarified",
        "Assigned",
        "SourceDeleted",
        "SourceRestored",
    ]

    # The history API hides who deleted it, as it hides the author.
    token = services.access.issue_token(role="operator", name="t")
    read = client.get(f"/api/v1/complaints/{complaint_id}/history", headers={"Authorization": f"Bearer {token}"})
    [deleted] = [e for e in read.json() if e["type"] == "SourceDeleted"]
    assert deleted["data"]["deleter"] == "[personal data]" and deleted["data"]["by_author"] is False

    # The console's card: the photo as a link, the edit, the deletion and the restore, in Russian.
    card = client.get(f"/complaints/{complaint_id}", headers=logged_in(client, services, "operator")).text
    assert f'href="{photo.url}"' in card and ">Фото</a>" in card
    assert "Текст после правки автором" in card and "Опять нет горячей воды, Космонавтов 27" in card
    assert "Публикация удалена в соцсети" in card and "Удалил не автор" in card
    assert "Публикация восстановлена" in card
    assert 'id="source-deleted"' not in card  # restored: no longer shown as deleted now


def test_a_deletion_of_a_comment_never_registered_is_answered_ok_and_records_nothing(
    client: TestClient, networks: Networks, services: Services
) -> None:
    post = networks.vk.add_post(owner_id=OWNER, from_id=-COMMUNITY, text="Новости города")
    comment = networks.vk.add_comment(owner_id=OWNER, post_id=post["id"], from_id=RESIDENT, text="Спасибо!")
    vk_hook(client, networks, "wall_reply_delete", networks.vk.deletion(comment, deleter_id=RESIDENT))
    taken(services)
    assert services.complaints.recorder.max_notification_id() is None


def test_a_suggested_post_is_a_resident_s_post_and_becomes_a_complaint(
    client: TestClient, networks: Networks, services: Services
) -> None:
    post = networks.vk.add_post(
        owner_id=OWNER, from_id=RESIDENT, text="Мусор не вывозят, Мясникяна 12", post_type="suggest"
    )
    vk_hook(client, networks, "wall_post_new", post)
    taken(services)
    view = services.complaints.get(services.complaints.id_of("vk", f"wall{OWNER}_{post['id']}"))
    assert (view.status, view.address) == ("assigned", "улица Мясникяна, 12")


def test_a_telegram_edit_by_webhook_gives_the_address_and_an_edit_changing_nothing_records_nothing(
    client: TestClient, networks: Networks, services: Services
) -> None:
    update = networks.telegram.message(chat_id=CHAT, from_id=42, text="Опять нет горячей воды")
    tg_hook(client, update)
    taken(services)
    complaint_id = services.complaints.id_of("telegram", f"{CHAT}/{update['message']['message_id']}")
    edited = networks.telegram.edit(update, "Опять нет горячей воды, Космонавтов 27")
    tg_hook(client, edited)
    tg_hook(client, edited)
    tg_hook(client, networks.telegram.edit(edited, "Опять нет горячей воды, Космонавтов 27"))
    taken(services)
    assert services.complaints.get(complaint_id).status == "assigned"
    assert history(services, complaint_id) == [
        "Registered",
        "ClarificationRequested",
        "SourceEdited",
        "Clarified",
        "Assigned",
    ]


def test_getupdates_asks_for_edits_and_an_album_s_photos_make_one_complaint(
    networks: Networks, services: Services, source
) -> None:
    first = networks.telegram.message(
        chat_id=CHAT, from_id=42, text="Яма на дороге, проспект Стачки 5", photo="AgAD1", media_group_id="777"
    )
    networks.telegram.message(chat_id=CHAT, from_id=42, text="", photo="AgAD2", media_group_id="777")
    networks.telegram.edit(first, "Яма на дороге, проспект Стачки 5, глубокая")
    poller = services.channels.poller()
    assert poller.poll_once(source("telegram:updates")) == 3
    assert networks.telegram.calls[-1][1]["allowed_updates"] == ["message", "edited_message"]
    complaint_id = services.complaints.id_of("telegram", f"{CHAT}/{first['message']['message_id']}")
    view = services.complaints.get(complaint_id)
    assert [a.ref for a in view.attachments] == ["AgAD1-1280", "AgAD2-1280"]
    assert view.edited_text == "Яма на дороге, проспект Стачки 5, глубокая"
    assert services.complaints.recorder.max_notification_id() == len(history(services, complaint_id))
