"""Realistic demonstration data, made the way real data is: through the service's commands.

A discrete-event simulation over a ManualClock: every registration, reaction, assignment,
resolution and reopening happens at its simulated moment, in time order, so each event's
timestamp is business time and the projections see what production would. The proportions
follow the centre's published figures: ~2,200 complaints a month and growing; healthcare,
improvement and housing first; social networks and Gosuslugi; a reaction in about 2 hours,
with a tail past the 4-hour norm for what arrives at night.
"""

import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from application.commands import (
    Assign,
    Clarify,
    ComplaintCommand,
    Register,
    Reject,
    Reopen,
    RequestClarification,
    Resolve,
    Respond,
)
from application.complaints import ComplaintService
from application.projections.calendar import MOSCOW, month_key
from domain.complaint import Complaint

CATEGORIES = {
    "healthcare": 0.24,
    "improvement": 0.19,
    "housing_utilities": 0.16,
    "roads": 0.11,
    "public_transport": 0.08,
    "waste": 0.07,
    "education": 0.05,
    "social_support": 0.04,
    "ecology": 0.03,
    "safety": 0.02,
    "other": 0.01,
}
CHANNELS = {"vk": 0.41, "gosuslugi": 0.29, "telegram": 0.14, "ok": 0.11, "web": 0.05}
DISTRICTS = {
    "Ворошиловский": 0.17,
    "Первомайский": 0.15,
    "Советский": 0.15,
    "Октябрьский": 0.14,
    "Железнодорожный": 0.11,
    "Пролетарский": 0.11,
    "Ленинский": 0.09,
    "Кировский": 0.08,
}
ORGANISATIONS = {
    "healthcare": "Управление здравоохранения",
    "improvement": "Департамент ЖКХ и энергетики",
    "housing_utilities": "Управляющая компания",
    "roads": "Департамент автомобильных дорог",
    "public_transport": "Департамент транспорта",
    "waste": "Региональный оператор по обращению с отходами",
    "education": "Управление образования",
    "social_support": "Департамент социальной защиты",
    "ecology": "Департамент ЖКХ и энергетики",
    "safety": "Управление по делам ГО и ЧС",
    "other": "Администрация района",
}
PROBLEMS = {
    "healthcare": "не дозвониться в регистратуру поликлиники, запись к терапевту на месяц вперёд",
    "improvement": "во дворе сломаны качели и не горят фонари у подъезда",
    "housing_utilities": "третий день нет горячей воды, управляющая компания не отвечает",
    "roads": "яма на проезжей части, машины пробивают колёса",
    "public_transport": "автобус не ходит по расписанию, люди ждут по сорок минут",
    "waste": "мусорные баки переполнены, мусор не вывозят неделю",
    "education": "в школе не работает отопление в классах",
    "social_support": "не пришла выплата на ребёнка, в соцзащите не объясняют",
    "ecology": "вырубают деревья в сквере без объявлений",
    "safety": "на детской площадке открытый колодец",
    "other": "прошу разобраться с шумом от стройки ночью",
}
STREETS = [
    "ул. Большая Садовая",
    "пр. Ворошиловский",
    "ул. Пушкинская",
    "пр. Королёва",
    "ул. Малиновского",
    "пр. Стачки",
    "ул. Зорге",
    "ул. Текучёва",
    "пр. Шолохова",
]
ACTOR = "operator:demo"
# The centre works 07:00–23:00 Moscow time; what arrives outside waits for the morning shift.
SHIFT_START, SHIFT_END = 7, 23


@dataclass
class DemoSummary:
    """What the simulation did, tallied independently of the projections, to check them by."""

    registered: Counter[str] = field(default_factory=Counter)
    resolved: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    reacted: int = 0
    within_target: int = 0
    within_norm: int = 0
    reopened: int = 0

    @property
    def monthly_average(self) -> float:
        return sum(self.registered.values()) / len(self.registered)


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


class _Simulation:
    def __init__(
        self,
        service: ComplaintService,
        clock: Callable[[datetime], None],
        rng: random.Random,
        progress: Callable[[int], None],
    ) -> None:
        self.service = service
        self.set_clock = clock
        self.rng = rng
        self.progress = progress
        self.summary = DemoSummary()
        self._queue: list[tuple[datetime, int, Callable[[], None]]] = []
        self._sequence = 0

    def at(self, moment: datetime, action: Callable[[], None]) -> None:
        self._sequence += 1
        heapq.heappush(self._queue, (moment, self._sequence, action))

    def run(self, until: datetime) -> None:
        while self._queue and self._queue[0][0] <= until:
            moment, _, action = heapq.heappop(self._queue)
            self.set_clock(moment)
            action()

    def next_shift_moment(self, moment: datetime) -> datetime:
        local = moment.astimezone(MOSCOW)
        if SHIFT_START <= local.hour < SHIFT_END:
            return moment
        start = local.replace(hour=SHIFT_START, minute=0, second=0, microsecond=0)
        if local.hour >= SHIFT_END:
            start += timedelta(days=1)
        return start + timedelta(minutes=self.rng.uniform(0, 60))

    def complaint(self, number: int, received_at: datetime) -> None:
        rng = self.rng
        category = _pick(rng, CATEGORIES)
        district = _pick(rng, DISTRICTS)
        channel = _pick(rng, CHANNELS)
        street = rng.choice(STREETS)
        house = rng.randint(1, 180)
        registered_at = received_at + timedelta(minutes=rng.uniform(3, 25))

        def register() -> None:
            registration = self.service.register(
                Register(
                    channel=channel,
                    source_ref=f"demo-{number}",
                    author_ref=f"{channel}:demo{number % 9973}",
                    text=f"{district} район, {street}, {house}: {PROBLEMS[category]}",
                    received_at=received_at,
                    actor=ACTOR,
                    address=f"{street}, {house}",
                    category=category,
                    district=district,
                )
            )
            self.summary.registered[month_key(registered_at)] += 1
            self.summary.categories[category] += 1
            self.progress(1)
            self.react(registration.complaint_id, received_at, registered_at, category)

        self.at(registered_at, register)

    def react(self, complaint_id: UUID, received_at: datetime, registered_at: datetime, category: str) -> None:
        rng = self.rng
        # Most replies come within the first two hours of the shift; a few take much longer.
        delay = timedelta(minutes=min(rng.lognormvariate(3.9, 0.55), 600))
        reacted_at = max(self.next_shift_moment(registered_at), registered_at) + delay

        def reacted(command: ComplaintCommand) -> Callable[[], None]:
            def act() -> None:
                self.service.handle(command)
                reaction = reacted_at - received_at
                self.summary.reacted += 1
                self.summary.within_target += reaction <= timedelta(hours=2)
                self.summary.within_norm += reaction <= timedelta(hours=4)

            return act

        roll = rng.random()
        if roll < 0.04:
            self.at(
                reacted_at,
                reacted(Reject(complaint_id, reason="Сообщение не содержит описания проблемы", actor=ACTOR)),
            )
            return
        if roll < 0.10:
            self.at(
                reacted_at,
                reacted(RequestClarification(complaint_id, question="Уточните, пожалуйста, адрес", actor=ACTOR)),
            )
            clarified_at = reacted_at + timedelta(hours=rng.uniform(1, 20))
            self.at(
                clarified_at,
                lambda: self.service.handle(Clarify(complaint_id, text="Адрес указан в сообщении", actor=ACTOR)),
            )
            self.handle(complaint_id, clarified_at + timedelta(minutes=30), category, respond_first=True)
            return
        self.at(
            reacted_at - timedelta(minutes=rng.uniform(1, 10)),
            lambda: self.service.handle(Assign(complaint_id, organisation=ORGANISATIONS[category], actor=ACTOR)),
        )
        self.at(
            reacted_at,
            reacted(Respond(complaint_id, text="Обращение передано ответственной организации", actor=ACTOR)),
        )
        self.resolve(complaint_id, reacted_at)

    def handle(self, complaint_id: UUID, at: datetime, category: str, *, respond_first: bool) -> None:
        self.at(
            at, lambda: self.service.handle(Assign(complaint_id, organisation=ORGANISATIONS[category], actor=ACTOR))
        )
        if respond_first:
            self.at(
                at + timedelta(minutes=20),
                lambda: self.service.handle(
                    Respond(complaint_id, text="Обращение передано ответственной организации", actor=ACTOR)
                ),
            )
        self.resolve(complaint_id, at + timedelta(minutes=20))

    def resolve(self, complaint_id: UUID, responded_at: datetime) -> None:
        rng = self.rng
        if rng.random() > 0.88:
            return
        resolved_at = responded_at + timedelta(days=rng.uniform(0.5, 12))

        def resolve() -> None:
            self.service.handle(Resolve(complaint_id, text="Проблема устранена", actor=ACTOR))
            self.summary.resolved[month_key(resolved_at)] += 1

        self.at(resolved_at, resolve)
        if rng.random() < 0.06:
            reopened_at = resolved_at + timedelta(days=rng.uniform(0.5, 5))

            def reopen() -> None:
                self.service.handle(Reopen(complaint_id, reason="Проблема не устранена", actor=ACTOR))
                self.summary.reopened += 1

            self.at(reopened_at, reopen)
            answered_at = reopened_at + timedelta(hours=rng.uniform(2, 48))
            self.at(
                answered_at,
                lambda: self.service.handle(Respond(complaint_id, text="Работы возобновлены", actor=ACTOR)),
            )
            self.resolve(complaint_id, answered_at)


def planned(months: int, per_month: int, growth: float) -> int:
    """How many complaints a simulation of these months will register."""
    return sum(round(per_month * (1 + growth) ** month) for month in range(months))


def months_before(moment: datetime, months: int) -> datetime:
    """The first moment (Moscow) of the month ``months`` calendar months before ``moment``'s."""
    local = moment.astimezone(MOSCOW)
    year, month = divmod(local.year * 12 + local.month - 1 - months, 12)
    return local.replace(year=year, month=month + 1, day=1, hour=0, minute=0, second=0, microsecond=0)


def month_starts(start: datetime, months: int) -> list[datetime]:
    """The first moments (Moscow) of ``months`` calendar months from the one holding ``start``,
    and of the month after them."""
    local = start.astimezone(MOSCOW).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    firsts = []
    for offset in range(months + 1):
        year, month = divmod(local.month - 1 + offset, 12)
        firsts.append(local.replace(year=local.year + year, month=month + 1))
    return firsts


def arrivals(rng: random.Random, firsts: list[datetime], per_month: int, growth: float) -> Iterator[datetime]:
    """Publication moments: a monthly volume growing by ``growth`` a month, spread over the
    days, mostly in the daytime (Moscow), with the evening peak social networks have."""
    hours = [
        0.3,
        0.2,
        0.15,
        0.1,
        0.1,
        0.2,
        0.5,
        1.0,
        1.5,
        1.8,
        1.8,
        1.7,
        1.6,
        1.6,
        1.6,
        1.6,
        1.6,
        1.7,
        1.8,
        1.9,
        1.9,
        1.6,
        1.1,
        0.6,
    ]
    for month, (first, following) in enumerate(itertools.pairwise(firsts)):
        days = (following.date() - first.date()).days
        for _ in range(round(per_month * (1 + growth) ** month)):
            day = first + timedelta(days=rng.randrange(days))
            hour = rng.choices(range(24), weights=hours)[0]
            yield day.replace(hour=hour) + timedelta(seconds=rng.uniform(0, 3600))


def generate(
    service: ComplaintService,
    set_clock: Callable[[datetime], None],
    *,
    start: datetime,
    months: int = 3,
    per_month: int = 2100,
    growth: float = 0.05,
    seed: int = 7,
    progress: Callable[[int], None] = lambda _: None,
) -> DemoSummary:
    """Simulates ``months`` calendar months from the one holding ``start`` and returns its tally.
    What falls due after the period (late resolutions) is left undone, as it would be."""
    rng = random.Random(seed)
    simulation = _Simulation(service, set_clock, rng, progress)
    firsts = month_starts(start, months)
    for number, received_at in enumerate(sorted(arrivals(rng, firsts, per_month, growth))):
        simulation.complaint(number, received_at)
    simulation.run(firsts[-1])
    return simulation.summary


def load_in_batches(
    service: ComplaintService,
    count: int,
    *,
    start: datetime,
    seed: int = 7,
    batch: int = 1000,
    progress: Callable[[int], None] = lambda _: None,
) -> int:
    """Records ``count`` complaints with their typical lives (~5 events each) much faster than
    the simulation: the aggregates' own commands, with explicit moments, saved many per
    transaction. For volume (benchmarks, replay tests), not for the figures' realism."""
    rng = random.Random(seed)
    pending: list[Complaint] = []
    spacing = timedelta(days=90) / count
    for number in range(count):
        category = _pick(rng, CATEGORIES)
        district = _pick(rng, DISTRICTS)
        received_at = start + spacing * number
        at = received_at + timedelta(minutes=rng.uniform(3, 25))
        complaint = Complaint.register(
            channel=_pick(rng, CHANNELS),
            source_ref=f"load-{seed}-{number}",
            author_ref=f"load:{number % 9973}",
            text=f"{district} район, {rng.choice(STREETS)}, {rng.randint(1, 180)}: {PROBLEMS[category]}",
            received_at=received_at,
            policy=service.policy,
            id_key=service.id_key,
            actor=ACTOR,
            at=at,
            address=None,
            category=category,
            district=district,
        )
        if rng.random() < 0.95:
            at += timedelta(minutes=rng.lognormvariate(3.9, 0.55))
            complaint.assign(ORGANISATIONS[category], actor=ACTOR, at=at)
            at += timedelta(minutes=rng.uniform(1, 10))
            complaint.respond("Обращение передано ответственной организации", actor=ACTOR, at=at)
            if rng.random() < 0.85:
                complaint.resolve("Проблема устранена", actor=ACTOR, at=at + timedelta(days=rng.uniform(0.5, 12)))
        pending.append(complaint)
        if len(pending) == batch:
            service.save(*pending)
            progress(len(pending))
            pending = []
    if pending:
        service.save(*pending)
        progress(len(pending))
    return service.recorder.max_notification_id() or 0
