"""The intake flow on the in-memory store: screening, registration, clarification, routing, incidents."""

from datetime import timedelta

import pytest

from adapters.clock import ManualClock
from application.intake.flow import CLARIFICATION_QUESTION, Intake, Outcome
from application.intake.source import Post
from interfaces.bootstrap import Services
from tests.fakes.triage import ScriptedTriage
from tests.fixtures import START

ROSTOV_ROADS = "Департамент автомобильных дорог и организации дорожного движения города Ростова-на-Дону"
PROLETARSKY_WASTE = "Администрация Пролетарского района города Ростова-на-Дону"


def post(
    ref: str,
    text: str,
    *,
    author: str = "vk:id1",
    reply_to: tuple[str, ...] = (),
    channel: str = "vk",
    minutes_ago: int = 10,
) -> Post:
    return Post(
        channel=channel,
        source_ref=ref,
        author_ref=author,
        text=text,
        published_at=START - timedelta(minutes=minutes_ago),
        reply_to=reply_to,
    )


def events(services: Services, complaint_id) -> list[str]:
    return [type(e).__name__ for e in services.complaints.repository.event_store.get(complaint_id)]


@pytest.fixture
def intake(services: Services) -> Intake:
    return services.channels.intake


def test_a_post_that_is_no_complaint_is_counted_once_and_not_registered(intake: Intake, services: Services) -> None:
    thanks = post("wall-1_10", "Спасибо за новый сквер!")
    first, again = intake.receive(thanks), intake.receive(thanks)
    assert first.outcome == again.outcome == Outcome.DROPPED
    assert first.complaint_id is None
    [count] = services.channels.records.screening(channels=["vk"], first=START.date(), last=START.date())
    assert count.dropped == {"thanks": 1}


def test_an_actionable_complaint_is_registered_with_its_place_and_routed(intake: Intake, services: Services) -> None:
    result = intake.receive(post("wall-1_11", "Мусор не вывозят третий день, Мясникяна 12"))
    assert result.outcome == Outcome.ROUTED
    assert result.organisation == PROLETARSKY_WASTE
    view = services.complaints.get(result.complaint_id)
    assert (view.status, view.category, view.address, view.district) == (
        "assigned",
        "waste",
        "улица Мясникяна, 12",
        "Пролетарский",
    )
    assert view.organisation == PROLETARSKY_WASTE


def test_the_same_post_twice_is_one_complaint_moved_on_once(intake: Intake, services: Services) -> None:
    item = post("wall-1_12", "Яма на дороге, проспект Стачки 5")
    first, second = intake.receive(item), intake.receive(item)
    assert first.complaint_id == second.complaint_id
    assert first.organisation == ROSTOV_ROADS
    assert events(services, first.complaint_id) == ["Registered", "Assigned"]


def test_an_edited_post_delivered_again_is_still_its_one_complaint(intake: Intake, services: Services) -> None:
    first = intake.receive(post("wall-1_14", "Яма на дороге, проспект Стачки 5"))
    edited = intake.receive(post("wall-1_14", "Яма на дороге, проспект Стачки 5, глубокая"))
    assert edited.complaint_id == first.complaint_id
    # Read again by a poll, which sees only the latest version: the new text is the author's edit.
    assert events(services, first.complaint_id) == ["Registered", "Assigned", "SourceEdited"]
    intake.receive(post("wall-1_14", "Яма на дороге, проспект Стачки 5, глубокая"))
    assert len(events(services, first.complaint_id)) == 3


def test_a_post_dated_over_a_year_ago_is_screened_out_not_registered(intake: Intake, services: Services) -> None:
    result = intake.receive(post("wall-1_15", "Яма на дороге, проспект Стачки 5", minutes_ago=366 * 24 * 60))
    assert (result.outcome, result.reason, result.complaint_id) == (Outcome.DROPPED, "out_of_time", None)
    assert services.complaints.recorder.max_notification_id() is None


def test_a_complaint_without_a_place_gets_the_polite_question(intake: Intake, services: Services) -> None:
    result = intake.receive(post("wall-1_13", "Опять нет горячей воды, сколько можно"))
    assert result.outcome == Outcome.AWAITING_ADDRESS
    view = services.complaints.get(result.complaint_id)
    assert view.status == "clarification_requested"
    # What the citizen is asked, as the complaint keeps it: polite, and for the place.
    assert view.clarification_question == CLARIFICATION_QUESTION
    assert view.clarification_question.startswith("Здравствуйте!")
    assert "уточните, пожалуйста, адрес" in view.clarification_question


def test_the_authors_answer_in_the_thread_clarifies_and_routes(
    intake: Intake, services: Services, triage: ScriptedTriage
) -> None:
    asked = intake.receive(post("wall-1_14", "Опять нет горячей воды, сколько можно"))
    answer = post("wall-1_14/77", "Космонавтов 27", reply_to=("wall-1_14",))
    result = intake.receive(answer)
    assert result.outcome == Outcome.ROUTED
    assert result.complaint_id == asked.complaint_id
    view = services.complaints.get(asked.complaint_id)
    assert view.clarification == "Космонавтов 27"
    assert view.address == "проспект Космонавтов, 27"
    assert view.organisation.startswith("МКУ «Управление жилищно-коммунального хозяйства Ворошиловского")
    # The answer is read with the complaint it answers, so the problem and the place meet.
    assert triage.assessed[-1][0] == "Опять нет горячей воды, сколько можно\nКосмонавтов 27"
    assert intake.receive(answer).complaint_id == asked.complaint_id
    assert events(services, asked.complaint_id) == ["Registered", "ClarificationRequested", "Clarified", "Assigned"]


def test_someone_elses_answer_is_not_taken_as_the_clarification(intake: Intake, services: Services) -> None:
    asked = intake.receive(post("wall-1_15", "Опять нет горячей воды, сколько можно"))
    intake.receive(post("wall-1_15/78", "Космонавтов 27", author="vk:id2", reply_to=("wall-1_15",)))
    assert services.complaints.get(asked.complaint_id).status == "clarification_requested"


def test_an_answer_that_still_names_no_place_leaves_it_to_an_operator(intake: Intake, services: Services) -> None:
    asked = intake.receive(post("wall-1_16", "Опять нет горячей воды, сколько можно"))
    result = intake.receive(post("wall-1_16/79", "да у нас во дворе", reply_to=("wall-1_16",)))
    assert result.outcome == Outcome.AWAITING_OPERATOR
    view = services.complaints.get(asked.complaint_id)
    assert (view.status, view.clarification) == ("registered", "да у нас во дворе")


def test_a_post_without_words_is_not_registered(intake: Intake, services: Services) -> None:
    for ref, text in (("wall-1_50", "👍👍"), ("wall-1_51", ""), ("wall-1_52", "🤬 !!!")):
        result = intake.receive(post(ref, text))
        assert (result.outcome, result.complaint_id) == (Outcome.DROPPED, None)
    assert services.complaints.recorder.max_notification_id() is None


def test_a_photo_without_words_under_a_waiting_complaint_joins_it_and_answers_nothing(
    intake: Intake, services: Services
) -> None:
    asked = intake.receive(post("wall-1_53", "Опять нет горячей воды, сколько можно"))
    photo = intake.receive(post("wall-1_53/80", "", reply_to=("wall-1_53",)))
    assert (photo.outcome, photo.complaint_id) == (Outcome.JOINED, asked.complaint_id)
    assert services.complaints.get(asked.complaint_id).status == "clarification_requested"
    # The author's later answer in words still clarifies it.
    answer = intake.receive(post("wall-1_53/81", "Космонавтов 27", reply_to=("wall-1_53",)))
    assert answer.outcome == Outcome.ROUTED
    assert events(services, asked.complaint_id) == ["Registered", "ClarificationRequested", "Clarified", "Assigned"]


def test_a_sticker_in_a_routed_complaints_thread_joins_it_and_is_not_screened(
    intake: Intake, services: Services
) -> None:
    routed = intake.receive(post("wall-1_54", "Мусор не вывозят третий день, Мясникяна 12"))
    sticker = intake.receive(post("wall-1_54/82", "😡😡😡", author="vk:id9", reply_to=("wall-1_54",)))
    assert (sticker.outcome, sticker.complaint_id) == (Outcome.JOINED, routed.complaint_id)
    assert events(services, routed.complaint_id) == ["Registered", "Assigned"]
    assert services.channels.records.screening(channels=["vk"], first=START.date(), last=START.date()) == []


def test_a_reply_that_names_no_place_takes_the_place_its_thread_gives_and_is_not_asked(
    intake: Intake, services: Services
) -> None:
    first = intake.receive(post("wall-1_55", "Мусор не вывозят третий день, Мясникяна 12"))
    reply = intake.receive(
        post("wall-1_55/83", "а теперь ещё и яма у подъезда", author="vk:id3", reply_to=("wall-1_55",))
    )
    assert reply.outcome == Outcome.ROUTED
    assert reply.complaint_id != first.complaint_id
    view = services.complaints.get(reply.complaint_id)
    assert (view.category, view.address, view.district) == ("roads", "улица Мясникяна, 12", "Пролетарский")
    assert view.clarification_question is None


def test_a_reply_whose_thread_gives_no_place_either_is_asked(intake: Intake, services: Services) -> None:
    intake.receive(post("wall-1_56", "Опять нет горячей воды, сколько можно"))
    reply = intake.receive(post("wall-1_56/84", "и яма у подъезда", author="vk:id4", reply_to=("wall-1_56",)))
    assert reply.outcome == Outcome.AWAITING_ADDRESS


def test_posts_about_one_problem_at_one_place_join_one_incident(
    intake: Intake, services: Services, clock: ManualClock
) -> None:
    first = intake.receive(post("wall-1_20", "Мусор не вывозят, Мясникяна 12"))
    clock.advance(timedelta(hours=5))
    second = intake.receive(
        post("telegram-like", "мусор у дома Мясникяна 12 неделю!", channel="telegram", author="tg:5")
    )
    other_problem = intake.receive(post("wall-1_21", "Яма у дома Мясникяна 12"))
    assert first.incident_id == second.incident_id != other_problem.incident_id
    incident = services.channels.records.incident(first.incident_id)
    assert incident.complaint_ids == (first.complaint_id, second.complaint_id)


def test_after_a_quiet_window_the_same_place_opens_a_new_incident(
    intake: Intake, clock: ManualClock, services: Services
) -> None:
    first = intake.receive(post("wall-1_30", "Мусор не вывозят, Мясникяна 12"))
    clock.advance(timedelta(hours=services.settings.incident_window_hours + 1))
    later = intake.receive(post("wall-1_31", "Мусор опять не вывозят, Мясникяна 12", minutes_ago=1))
    assert later.incident_id != first.incident_id


def test_a_category_without_a_route_waits_for_an_operator(services: Services) -> None:
    from application.intake.routing import RoutingTable

    intake = Intake(
        complaints=services.complaints,
        records=services.channels.records,
        triage=ScriptedTriage(),
        routing=RoutingTable([]),
        messages=services.channels.replies,
        incident_window=timedelta(hours=1),
    )
    result = intake.receive(post("wall-1_40", "Мусор не вывозят, Мясникяна 12"))
    assert result.outcome == Outcome.AWAITING_OPERATOR
    assert services.complaints.get(result.complaint_id).status == "registered"
