"""Steps for the complaint specifications, run against the application on the in-memory store."""

from datetime import timedelta
from uuid import UUID

import pytest
from pytest_bdd import parsers, scenarios, step, then

from adapters.clock import ManualClock
from application.audit.history import ComplaintHistory
from application.commands import (
    Assign,
    Clarify,
    MarkDuplicate,
    Register,
    Reject,
    Reopen,
    RequestClarification,
    Resolve,
    Respond,
)
from application.complaints import ComplaintService
from application.errors import ApplicationError
from application.views import ComplaintView
from domain.errors import DomainError
from features.conftest import moscow_time
from interfaces.bootstrap import Services

OPERATOR = "operator:Анна"
EXECUTOR = "executor:Пролетарка"

scenarios("registration.feature", "reaction_clock.feature", "lifecycle.feature")


class Story:
    """What the scenario has done so far: the complaints it speaks of and the last refusal."""

    def __init__(self) -> None:
        self.current: UUID | None = None
        self.first: UUID | None = None
        self.refusal: Exception | None = None
        self.seen_version: int | None = None

    @property
    def complaint(self) -> UUID:
        assert self.current is not None, "the scenario has not registered a complaint yet"
        return self.current


@pytest.fixture
def story() -> Story:
    return Story()


@pytest.fixture
def complaints(services: Services) -> ComplaintService:
    return services.complaints


@pytest.fixture
def history(services: Services) -> ComplaintHistory:
    return services.history


def _attempt(story: Story, command) -> None:
    try:
        command()
    except (DomainError, ApplicationError) as refusal:
        story.refusal = refusal


@step(parsers.parse('житель пишет в канале "{channel}" сообщение "{ref}" в "{hhmm}" по Москве с текстом "{text}"'))
def citizen_posts(
    story: Story, complaints: ComplaintService, clock: ManualClock, channel: str, ref: str, hhmm: str, text: str
) -> None:
    registration = complaints.register(
        Register(
            channel=channel,
            source_ref=ref,
            author_ref=f"{channel}:author-1",
            text=text,
            received_at=moscow_time(clock, hhmm),
            actor=f"intake:{channel}",
        )
    )
    story.current = registration.complaint_id
    story.first = story.first or registration.complaint_id


def _again(view: ComplaintView, text: str) -> Register:
    return Register(
        channel=view.channel,
        source_ref=view.source_ref,
        author_ref=view.author_ref,
        text=text,
        received_at=view.received_at,
        actor=f"intake:{view.channel}",
    )


@step("тот же пост приходит ещё раз")
def same_post_again(story: Story, complaints: ComplaintService) -> None:
    view = complaints.get(story.complaint)
    again = complaints.register(_again(view, view.text))
    assert not again.created
    story.current = again.complaint_id


@step(parsers.parse('под той же ссылкой регистрируют другое сообщение "{text}"'))
def another_post_under_the_reference(story: Story, complaints: ComplaintService, text: str) -> None:
    view = complaints.get(story.complaint)
    _attempt(story, lambda: complaints.register(_again(view, text)))


@step(parsers.re(r"проходит (?P<hours>\d+) ч(?: (?P<minutes>\d+) мин)?"))
def time_passes(clock: ManualClock, hours: str, minutes: str | None) -> None:
    clock.advance(timedelta(hours=int(hours), minutes=int(minutes or 0)))


@step(parsers.parse('оператор назначает обращение организации "{organisation}"'))
def operator_assigns(story: Story, complaints: ComplaintService, organisation: str) -> None:
    complaints.handle(Assign(story.complaint, organisation=organisation, actor=OPERATOR))


@step(parsers.parse('другой оператор назначает обращение организации "{organisation}"'))
def another_operator_assigns(story: Story, complaints: ComplaintService, organisation: str) -> None:
    complaints.handle(Assign(story.complaint, organisation=organisation, actor="operator:Борис"))


@step(parsers.parse('оператор назначает обращение организации "{organisation}", опираясь на версию {version:d}'))
def operator_assigns_from_version(story: Story, complaints: ComplaintService, organisation: str, version: int) -> None:
    _attempt(
        story,
        lambda: complaints.handle(
            Assign(story.complaint, organisation=organisation, actor=OPERATOR, expected_version=version)
        ),
    )


@step(parsers.parse("оператор видит обращение в версии {version:d}"))
def operator_sees_version(story: Story, complaints: ComplaintService, version: int) -> None:
    assert complaints.get(story.complaint).version == version
    story.seen_version = version


@step(parsers.parse('оператор публикует ответ "{text}"'))
def operator_responds(story: Story, complaints: ComplaintService, text: str) -> None:
    complaints.handle(Respond(story.complaint, text=text, actor=OPERATOR))


@step(parsers.parse('исполнитель сообщает о решении "{text}"'))
def executor_resolves(story: Story, complaints: ComplaintService, text: str) -> None:
    complaints.handle(Resolve(story.complaint, text=text, actor=EXECUTOR))


@step(parsers.parse('исполнитель пытается сообщить о решении "{text}"'))
def executor_tries_to_resolve(story: Story, complaints: ComplaintService, text: str) -> None:
    _attempt(story, lambda: complaints.handle(Resolve(story.complaint, text=text, actor=EXECUTOR)))


@step(parsers.parse('оператор пытается отклонить обращение по причине "{reason}"'))
def operator_tries_to_reject(story: Story, complaints: ComplaintService, reason: str) -> None:
    _attempt(story, lambda: complaints.handle(Reject(story.complaint, reason=reason, actor=OPERATOR)))


@step(parsers.parse('оператор просит уточнить адрес: "{question}"'))
def operator_asks_for_address(story: Story, complaints: ComplaintService, question: str) -> None:
    complaints.handle(RequestClarification(story.complaint, question=question, actor=OPERATOR))


@step(parsers.parse('автор уточняет: "{text}" с адресом "{address}"'))
def author_clarifies(story: Story, complaints: ComplaintService, text: str, address: str) -> None:
    complaints.handle(Clarify(story.complaint, text=text, address=address, actor="intake:vk"))


@step(parsers.parse('обращение решено организацией "{organisation}"'))
def resolved_by(story: Story, complaints: ComplaintService, organisation: str) -> None:
    complaints.handle(Assign(story.complaint, organisation=organisation, actor=OPERATOR))
    complaints.handle(Respond(story.complaint, text="Передано в работу", actor=OPERATOR))
    complaints.handle(Resolve(story.complaint, text="Устранено", actor=EXECUTOR))


@step(parsers.parse('житель сообщает, что проблема осталась: "{reason}"'))
def citizen_says_it_remains(story: Story, complaints: ComplaintService, reason: str) -> None:
    complaints.handle(Reopen(story.complaint, reason=reason, actor=OPERATOR))


@step("оператор отмечает его дубликатом первого обращения")
def operator_marks_duplicate(story: Story, complaints: ComplaintService) -> None:
    assert story.first is not None and story.first != story.complaint
    complaints.handle(MarkDuplicate(story.complaint, original_id=story.first, actor=OPERATOR))


@then(parsers.parse('обращение зарегистрировано в статусе "{status}"'))
@then(parsers.parse('обращение в статусе "{status}"'))
def status_is(story: Story, complaints: ComplaintService, status: str) -> None:
    assert complaints.get(story.complaint).status == status


@then(parsers.parse('срок реакции истекает в "{hhmm}" по Москве'))
def deadline_is(story: Story, complaints: ComplaintService, clock: ManualClock, hhmm: str) -> None:
    assert complaints.get(story.complaint).reaction.deadline == moscow_time(clock, hhmm)


@then(parsers.parse('целевой срок центра — "{hhmm}" по Москве'))
def target_is(story: Story, complaints: ComplaintService, clock: ManualClock, hhmm: str) -> None:
    assert complaints.get(story.complaint).reaction.target == moscow_time(clock, hhmm)


@then("это то же самое обращение")
def same_complaint(story: Story) -> None:
    assert story.current == story.first


@then(parsers.parse('в журнале обращения одно событие "{event_type}"'))
def one_event(story: Story, history: ComplaintHistory, event_type: str) -> None:
    assert [h.type for h in history.entries(story.complaint)] == [event_type]


@then(parsers.parse('в журнале обращения есть событие "{event_type}"'))
def has_event(story: Story, history: ComplaintHistory, event_type: str) -> None:
    assert event_type in [h.type for h in history.entries(story.complaint)]


@then("журнал обращения содержит по порядку:")
def history_in_order(story: Story, history: ComplaintHistory, datatable: list[list[str]]) -> None:
    expected = [tuple(row) for row in datatable[1:]]
    assert [(h.type, h.actor) for h in history.entries(story.complaint)] == expected


@then(parsers.parse('часы реакции показывают "{state}"'))
def clock_reads(story: Story, complaints: ComplaintService, state: str) -> None:
    assert complaints.get(story.complaint).reaction.state == state


@then("часы реакции остановлены")
def clock_stopped(story: Story, complaints: ComplaintService) -> None:
    assert not complaints.get(story.complaint).reaction.running


@then(parsers.parse("время реакции составило {hours:d} ч {minutes:d} мин"))
def reaction_took(story: Story, complaints: ComplaintService, hours: int, minutes: int) -> None:
    assert complaints.get(story.complaint).reaction.reaction_seconds == hours * 3600 + minutes * 60


@then(parsers.parse('действие отклонено: "{message}"'))
def refused_with(story: Story, message: str) -> None:
    assert story.refusal is not None and message in str(story.refusal)


@then("действие отклонено как устаревшее")
def refused_as_stale(story: Story) -> None:
    assert story.refusal is not None and "expected at version" in str(story.refusal)


@then(parsers.parse('адрес обращения "{address}"'))
def address_is(story: Story, complaints: ComplaintService, address: str) -> None:
    assert complaints.get(story.complaint).address == address


@then(parsers.parse('обращение назначено организации "{organisation}"'))
def assigned_to(story: Story, complaints: ComplaintService, organisation: str) -> None:
    assert complaints.get(story.complaint).organisation == organisation
