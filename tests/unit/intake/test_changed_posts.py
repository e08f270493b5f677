"""Intake of what happens to a post after it was published: edits, deletions, restores,
attachments and albums, on the in-memory store."""

from dataclasses import replace

import pytest

from application.commands import AttachmentRef
from application.intake.flow import Intake, Outcome
from application.intake.source import Change, Post, Removal
from interfaces.bootstrap import Services
from tests.fixtures import START
from tests.unit.intake.test_flow import events, post


@pytest.fixture
def intake(services: Services) -> Intake:
    return services.channels.intake


def edit(original: Post, text: str, revision: str = "e1") -> Post:
    return replace(original, text=text, change=Change.EDITED, revision=revision)


def test_an_edit_that_gives_the_awaited_address_clarifies_and_routes(intake: Intake, services: Services) -> None:
    original = post("wall-1_20", "Опять нет горячей воды, сколько можно")
    asked = intake.receive(original)
    assert asked.outcome == Outcome.AWAITING_ADDRESS
    result = intake.receive(edit(original, "Опять нет горячей воды, сколько можно. Космонавтов 27"))
    assert (result.outcome, result.complaint_id) == (Outcome.ROUTED, asked.complaint_id)
    view = services.complaints.get(asked.complaint_id)
    assert (view.status, view.address) == ("assigned", "проспект Космонавтов, 27")
    assert view.edited_text == "Опять нет горячей воды, сколько можно. Космонавтов 27"
    assert events(services, asked.complaint_id) == [
        "Registered",
        "ClarificationRequested",
        "SourceEdited",
        "Clarified",
        "Assigned",
    ]
    # The same edit delivered again changes nothing.
    intake.receive(edit(original, "Опять нет горячей воды, сколько можно. Космонавтов 27"))
    assert len(events(services, asked.complaint_id)) == 5


def test_an_edit_without_the_address_is_recorded_and_the_question_still_waits(
    intake: Intake, services: Services
) -> None:
    original = post("wall-1_21", "Опять нет горячей воды, сколько можно")
    asked = intake.receive(original)
    result = intake.receive(edit(original, "Опять нет горячей воды, третий день"))
    assert (result.outcome, result.complaint_id) == (Outcome.NOTED, asked.complaint_id)
    assert services.complaints.get(asked.complaint_id).status == "clarification_requested"
    assert events(services, asked.complaint_id)[-1] == "SourceEdited"


def test_an_edit_that_changes_nothing_records_nothing(intake: Intake, services: Services) -> None:
    original = post("wall-1_22", "Яма на дороге, проспект Стачки 5")
    first = intake.receive(original)
    again = intake.receive(edit(original, original.text))
    assert (again.outcome, again.complaint_id) == (Outcome.NOTED, first.complaint_id)
    assert events(services, first.complaint_id) == ["Registered", "Assigned"]


def test_an_edit_of_a_post_never_seen_is_a_new_post(intake: Intake, services: Services) -> None:
    result = intake.receive(edit(post("wall-1_23", "x"), "Яма на дороге, проспект Стачки 5"))
    assert result.outcome == Outcome.ROUTED
    assert events(services, result.complaint_id) == ["Registered", "Assigned"]


def test_a_deletion_keeps_the_complaint_records_who_deleted_it_and_a_restore_brings_it_back(
    intake: Intake, services: Services
) -> None:
    original = post("wall-1_24", "Яма на дороге, проспект Стачки 5")
    registered = intake.receive(original)
    deletion = Removal("vk", "wall-1_24", "vk:id555", revision="d1")
    assert intake.receive(deletion).outcome == Outcome.NOTED
    assert intake.receive(deletion).outcome == Outcome.NOTED
    view = services.complaints.get(registered.complaint_id)
    assert (view.status, view.source_deleted) == ("assigned", True)
    [deleted] = [
        e for e in services.complaints.repository.event_store.get(view.id) if type(e).__name__ == "SourceDeleted"
    ]
    # Someone else's reference, sealed under the citizen's key like the author's.
    assert deleted.by_author is False and deleted.deleter is not None and "555" not in deleted.deleter
    intake.receive(replace(original, change=Change.RESTORED, revision="r1"))
    assert services.complaints.get(view.id).source_deleted is False
    assert events(services, view.id) == ["Registered", "Assigned", "SourceDeleted", "SourceRestored"]


def test_a_deletion_by_the_author_is_recorded_as_theirs(intake: Intake, services: Services) -> None:
    registered = intake.receive(post("wall-1_25", "Яма на дороге, проспект Стачки 5", author="vk:id9"))
    intake.receive(Removal("vk", "wall-1_25", "vk:id9", revision="d2"))
    deleted = list(services.complaints.repository.event_store.get(registered.complaint_id))[-1]
    assert (deleted.by_author, deleted.deleter) == (True, None)


def test_a_deletion_of_a_post_never_registered_records_nothing(intake: Intake, services: Services) -> None:
    assert intake.receive(Removal("vk", "wall-1_26", "vk:id1", revision="d3")).outcome == Outcome.UNKNOWN_POST
    assert services.complaints.recorder.max_notification_id() is None


def test_photos_become_attachments_and_an_album_s_next_photo_joins_its_complaint(
    intake: Intake, services: Services
) -> None:
    first = replace(
        post("-100500/10", "Яма на дороге, проспект Стачки 5", channel="telegram", author="tg:42"),
        attachments=(AttachmentRef("photo", "AgAD-first"),),
        album="-100500/13571113",
    )
    registered = intake.receive(first)
    second = replace(first, source_ref="-100500/11", text="", attachments=(AttachmentRef("photo", "AgAD-second"),))
    joined = intake.receive(second)
    assert (joined.outcome, joined.complaint_id) == (Outcome.NOTED, registered.complaint_id)
    intake.receive(second)
    view = services.complaints.get(registered.complaint_id)
    assert [a.ref for a in view.attachments] == ["AgAD-first", "AgAD-second"]
    assert services.complaints.id_of("telegram", "-100500/11") not in services.complaints.repository


def test_a_photo_that_comes_before_its_album_s_complaint_waits_and_joins_it(intake: Intake, services: Services) -> None:
    """Telegram delivers an album's messages one each, in no promised order (a webhook's
    updates may be taken by different workers)."""
    early = Post(
        channel="telegram",
        source_ref="-100500/21",
        author_ref="tg:42",
        text="",
        published_at=START,
        attachments=(AttachmentRef("photo", "AgAD-early"),),
        album="-100500/2468",
    )
    assert intake.receive(early).outcome == Outcome.IN_ALBUM
    assert services.complaints.recorder.max_notification_id() is None
    captioned = replace(
        early,
        source_ref="-100500/20",
        text="Яма на дороге, проспект Стачки 5",
        attachments=(AttachmentRef("photo", "AgAD-captioned"),),
    )
    registered = intake.receive(captioned)
    assert registered.outcome == Outcome.ROUTED
    view = services.complaints.get(registered.complaint_id)
    assert [a.ref for a in view.attachments] == ["AgAD-captioned", "AgAD-early"]
    # Redelivered, neither adds anything.
    intake.receive(early)
    intake.receive(captioned)
    assert services.complaints.get(registered.complaint_id).version == view.version
