"""Random command sequences against an independent model of the lifecycle.

After every step: the status matches the model, a refused command recorded nothing, the
reaction clock never changes its reading once stopped, and the aggregate reloaded from the
event store equals the live one.
"""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from adapters.clock import ManualClock
from application.complaints import ComplaintService
from domain.complaint import Complaint
from domain.errors import MoveRefused
from domain.reaction import ReactionPolicy

R, CR, A, RS, DONE, REJ, DUP = (
    "registered",
    "clarification_requested",
    "assigned",
    "responded",
    "resolved",
    "rejected",
    "duplicate",
)
# Written out by hand from the regulation, not derived from domain.lifecycle, so it can disagree.
MODEL: dict[str, dict[str, str]] = {
    R: {"request_clarification": CR, "reject": REJ, "assign": A, "mark_duplicate": DUP},
    CR: {"clarify": R, "reject": REJ, "mark_duplicate": DUP},
    A: {"assign": A, "respond": RS, "mark_duplicate": DUP},
    RS: {"assign": RS, "respond": RS, "resolve": DONE, "mark_duplicate": DUP},
    DONE: {"reopen": A},
    REJ: {},
    DUP: {},
}
REPLIES = {"request_clarification", "reject", "respond"}

organisations = st.sampled_from(["ДГХ", "Водоканал", "Минздрав РО", "УК Северная"])
minutes = st.integers(min_value=0, max_value=600)


class LifecycleMachine(RuleBasedStateMachine):
    complaints = Bundle("complaints")

    @initialize()
    def start(self) -> None:
        self.clock = ManualClock(datetime(2026, 11, 28, 6, 0, tzinfo=UTC))
        self.app = ComplaintService(
            env={"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=self.clock, policy=ReactionPolicy()
        )
        self.live: dict = {}
        self.expected: dict = {}
        self.replied: dict = {}
        self.stopped_reading: dict = {}

    @rule(target=complaints, ago=minutes)
    def register(self, ago: int):
        complaint = Complaint.register(
            channel="telegram",
            source_ref=str(uuid4()),
            author_ref="tg:1",
            text="Нет света в подъезде",
            received_at=self.clock.now() - timedelta(minutes=ago),
            policy=self.app.policy,
            id_key=b"test",
            actor="intake:telegram",
            at=self.clock.now(),
        )
        self.app.save(complaint)
        self.live[complaint.id] = complaint
        self.expected[complaint.id] = R
        self.replied[complaint.id] = False
        return complaint.id

    @rule(by=minutes)
    def time_passes(self, by: int) -> None:
        self.clock.advance(timedelta(minutes=by))

    def _attempt(self, complaint_id, move: str, call) -> None:
        complaint = self.live[complaint_id]
        before = complaint.version
        next_state = MODEL[self.expected[complaint_id]].get(move)
        same_org = (
            move == "assign"
            and call.keywords.get("organisation") == complaint.organisation
            and complaint.executor is None
        )
        try:
            call(complaint)
        except MoveRefused:
            assert next_state is None or same_org, f"{move} refused from {self.expected[complaint_id]}"
            assert complaint.version == before and not complaint.pending_events
            return
        assert next_state is not None, f"{move} allowed from {self.expected[complaint_id]}"
        self.app.save(complaint)
        self.expected[complaint_id] = next_state
        if move in REPLIES:
            self.replied[complaint_id] = True

    @rule(complaint_id=complaints)
    def request_clarification(self, complaint_id) -> None:
        self._attempt(
            complaint_id,
            "request_clarification",
            _Call(lambda c: c.request_clarification("Уточните адрес", actor="operator:a", at=self.clock.now())),
        )

    @rule(complaint_id=complaints)
    def clarify(self, complaint_id) -> None:
        self._attempt(
            complaint_id,
            "clarify",
            _Call(lambda c: c.clarify("Ленина 5", address="Ленина, 5", actor="intake:tg", at=self.clock.now())),
        )

    @rule(complaint_id=complaints)
    def reject(self, complaint_id) -> None:
        self._attempt(
            complaint_id,
            "reject",
            _Call(lambda c: c.reject("Не в компетенции", actor="operator:a", at=self.clock.now())),
        )

    @rule(complaint_id=complaints, organisation=organisations)
    def assign(self, complaint_id, organisation: str) -> None:
        self._attempt(
            complaint_id,
            "assign",
            _Call(lambda c: c.assign(organisation, actor="operator:a", at=self.clock.now()), organisation=organisation),
        )

    @rule(complaint_id=complaints)
    def respond(self, complaint_id) -> None:
        self._attempt(
            complaint_id,
            "respond",
            _Call(lambda c: c.respond("Принято в работу", actor="operator:a", at=self.clock.now())),
        )

    @rule(complaint_id=complaints)
    def resolve(self, complaint_id) -> None:
        self._attempt(
            complaint_id, "resolve", _Call(lambda c: c.resolve("Устранено", actor="executor:b", at=self.clock.now()))
        )

    @rule(complaint_id=complaints)
    def reopen(self, complaint_id) -> None:
        self._attempt(
            complaint_id, "reopen", _Call(lambda c: c.reopen("Не устранено", actor="operator:a", at=self.clock.now()))
        )

    @rule(complaint_id=complaints, original=complaints)
    def mark_duplicate(self, complaint_id, original) -> None:
        if complaint_id != original:
            self._attempt(
                complaint_id,
                "mark_duplicate",
                _Call(lambda c: c.mark_duplicate(original, actor="operator:a", at=self.clock.now())),
            )

    @precondition(lambda self: hasattr(self, "live"))
    @invariant()
    def state_matches_the_model_and_the_store(self) -> None:
        for complaint_id, complaint in self.live.items():
            assert complaint.status.value == self.expected[complaint_id]
            assert (complaint.reacted_at is not None) == self.replied[complaint_id]
            assert self.app.repository.get(complaint_id) == complaint
            if not complaint.reaction.running:
                reading = complaint.reaction.state(self.clock.now())
                assert self.stopped_reading.setdefault(complaint_id, reading) == reading


class _Call:
    """A command with the arguments the model needs to judge a same-organisation reassignment."""

    def __init__(self, fn, **keywords) -> None:
        self.fn, self.keywords = fn, keywords

    def __call__(self, complaint) -> None:
        self.fn(complaint)


LifecycleMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=30, deadline=None)
test_lifecycle = LifecycleMachine.TestCase
