"""Facts about a complaint's post on its network: edits, deletions, restores, attachments."""

from datetime import timedelta

import pytest

from domain.complaint import Attachment, Complaint
from domain.errors import DomainError
from domain.lifecycle import Status
from domain.seal import GENESIS, seal_of
from tests.unit.test_complaint import T0, registered

LATER = T0 + timedelta(minutes=5)
PHOTO = Attachment("photo", "photo-1_456", "https://sun9-1.userapi.com/x.jpg")


def recorded(complaint: Complaint) -> list[str]:
    return [type(event).__name__ for event in complaint.collect_events()]


def test_an_edit_records_the_new_text_and_the_same_text_again_records_nothing() -> None:
    complaint = registered()
    complaint.collect_events()
    assert complaint.record_edit("Яма на Стачки 200, глубокая", actor="intake:vk", at=LATER)
    assert not complaint.record_edit("Яма на Стачки 200, глубокая", actor="intake:vk", at=LATER)
    assert recorded(complaint) == ["SourceEdited"]
    assert (complaint.text, complaint.edited_text) == ("Яма на Стачки 200", "Яма на Стачки 200, глубокая")


def test_an_edit_back_to_the_registered_text_is_an_edit_but_the_registered_text_is_not() -> None:
    complaint = registered()
    assert not complaint.record_edit("Яма на Стачки 200", actor="intake:vk", at=LATER)
    assert complaint.record_edit("Яма", actor="intake:vk", at=LATER)
    assert complaint.record_edit("Яма на Стачки 200", actor="intake:vk", at=LATER)
    assert complaint.edited_text == "Яма на Стачки 200"


def test_a_deletion_keeps_the_complaint_and_is_recorded_once_until_a_restore() -> None:
    complaint = registered()
    complaint.assign("ДАД", actor="operator:Анна", at=LATER)
    complaint.collect_events()
    assert complaint.record_deletion(by_author=False, deleter="vk:id555", actor="intake:vk", at=LATER)
    assert not complaint.record_deletion(by_author=False, deleter="vk:id555", actor="intake:vk", at=LATER)
    assert complaint.source_deleted and complaint.status is Status.ASSIGNED
    assert complaint.record_restoration(actor="intake:vk", at=LATER)
    assert not complaint.record_restoration(actor="intake:vk", at=LATER)
    assert complaint.record_deletion(by_author=True, deleter=None, actor="intake:vk", at=LATER)
    assert recorded(complaint) == ["SourceDeleted", "SourceRestored", "SourceDeleted"]


def test_a_restore_of_a_post_never_deleted_records_nothing() -> None:
    complaint = registered()
    assert not complaint.record_restoration(actor="intake:vk", at=LATER)
    assert recorded(complaint) == ["Registered"]


def test_attachments_are_added_once_each() -> None:
    complaint = registered()
    complaint.collect_events()
    second = Attachment("document", "doc-1_7", None)
    assert complaint.attach([PHOTO, PHOTO], actor="intake:vk", at=LATER)
    assert complaint.attach([PHOTO, second], actor="intake:vk", at=LATER)
    assert not complaint.attach([second], actor="intake:vk", at=LATER)
    assert complaint.attachments == (PHOTO, second)
    assert [len(e.attachments) for e in complaint.collect_events()] == [1, 1]


@pytest.mark.parametrize("kind, ref", [("video", "video-1_1"), ("photo", " "), ("photo", "a\nb")])
def test_an_attachment_of_another_kind_or_without_an_id_is_refused(kind: str, ref: str) -> None:
    complaint = registered()
    with pytest.raises(DomainError):
        complaint.attach([Attachment(kind, ref)], actor="intake:vk", at=LATER)
    assert recorded(complaint) == ["Registered"]


def test_the_facts_are_sealed_into_the_chain_and_replay_to_the_same_state() -> None:
    complaint = registered()
    complaint.attach([PHOTO], actor="intake:vk", at=LATER)
    complaint.record_edit("Яма на Стачки 200!", actor="intake:vk", at=LATER)
    complaint.record_deletion(by_author=True, deleter=None, actor="intake:vk", at=LATER)
    events = complaint.collect_events()
    previous = GENESIS
    for event in events:
        fields = dict(vars(event))
        assert event.seal == seal_of(
            previous, event.originator_id, event.originator_version, type(event).__name__, fields
        )
        previous = event.seal
    replayed = None
    for event in events:
        replayed = event.mutate(replayed)
    assert replayed is not None
    assert (replayed.attachments, replayed.edited_text, replayed.source_deleted) == (
        (PHOTO,),
        "Яма на Стачки 200!",
        True,
    )
