"""The Russian names people read on every page of the console: one table per kind of value.

A value without a name here (a category added to triage later, say) is shown as it is stored,
so nothing disappears from a page for want of a translation.
"""

from collections.abc import Mapping

from markupsafe import Markup, escape

from application.access import Actor
from domain.access import Role
from domain.complaint import Channel
from domain.delivery import DeliveryState
from domain.lifecycle import Move, Status
from domain.reaction import ClockState

ROLES: Mapping[str, str] = {
    Role.OPERATOR: "оператор",
    Role.EXECUTOR: "исполнитель",
    Role.SUPERVISOR: "старший смены",
    Role.AUDITOR: "аудитор",
    Role.INTAKE: "приём обращений",
    Role.OPEN311: "партнёр Open311",
}

# The console's sections, in the order its navigation shows them, by the operation of each
# section's page: where each is and who may open it are the routes' and the roles matrix's.
SECTIONS: Mapping[str, str] = {
    "consoleQueue": "Очередь",
    "consoleStatistics": "Статистика",
    "consoleDeliveries": "Ответы",
    "consoleAudit": "Аудит",
    "listAccounts": "Сотрудники",
}

STATUSES: Mapping[str, str] = {
    Status.REGISTERED: "Зарегистрировано",
    Status.CLARIFICATION_REQUESTED: "Запрошено уточнение",
    Status.ASSIGNED: "Назначено",
    Status.RESPONDED: "Дан ответ",
    Status.RESOLVED: "Решено",
    Status.REJECTED: "Отклонено",
    Status.DUPLICATE: "Дубликат",
}

CATEGORIES: Mapping[str, str] = {
    "healthcare": "Здравоохранение",
    "housing_utilities": "ЖКХ",
    "improvement": "Благоустройство",
    "roads": "Дороги",
    "public_transport": "Общественный транспорт",
    "waste": "Вывоз мусора",
    "education": "Образование",
    "social_support": "Социальная поддержка",
    "ecology": "Экология",
    "safety": "Безопасность",
    "other": "Прочее",
}

CHANNELS: Mapping[str, str] = {
    Channel.VK: "ВКонтакте",
    Channel.OK: "Одноклассники",
    Channel.TELEGRAM: "Telegram",
    Channel.GOSUSLUGI: "Госуслуги (ПОС)",
    Channel.WEB: "Сайт",
    Channel.PHONE: "Телефон",
    Channel.OPEN311: "Open311",
}

# Keyed as ComplaintView.allowed_moves names them: the Move's name in lower case.
MOVES: Mapping[str, str] = {
    Move.REQUEST_CLARIFICATION.name.lower(): "Запросить уточнение",
    Move.CLARIFY.name.lower(): "Внести уточнение автора",
    Move.REJECT.name.lower(): "Отклонить",
    Move.ASSIGN.name.lower(): "Назначить исполнителя",
    Move.REASSIGN.name.lower(): "Переназначить",
    Move.RESPOND.name.lower(): "Ответить",
    Move.RESOLVE.name.lower(): "Решено: сообщить автору",
    Move.REOPEN.name.lower(): "Переоткрыть",
    Move.MARK_DUPLICATE.name.lower(): "Отметить как дубликат",
}

CLOCK_STATES: Mapping[str, str] = {
    ClockState.WITHIN_TARGET: "В пределах 2 ч",
    ClockState.PAST_TARGET: "Больше 2 ч",
    ClockState.OVERDUE: "Просрочено (больше 4 ч)",
}

DELIVERY_STATES: Mapping[str, str] = {
    DeliveryState.SCHEDULED: "Ждёт отправки",
    DeliveryState.SENDING: "Отправляется",
    DeliveryState.SENT: "Опубликован",
    DeliveryState.RETRYING: "Повторная попытка",
    DeliveryState.UNCONFIRMED: "Не подтверждён: проверьте вручную",
    DeliveryState.FAILED: "Не доставлен",
}

# The complaint's events as the history names them (their class names).
EVENTS: Mapping[str, str] = {
    "Registered": "Зарегистрировано",
    "ClarificationRequested": "Запрошено уточнение",
    "Clarified": "Получено уточнение",
    "Rejected": "Отклонено",
    "Assigned": "Назначен исполнитель",
    "Reassigned": "Переназначено",
    "Responded": "Опубликован ответ",
    "Resolved": "Решено",
    "Reopened": "Переоткрыто",
    "MarkedDuplicate": "Отмечено как дубликат",
    "SourceEdited": "Автор изменил публикацию",
    "SourceDeleted": "Публикация удалена в соцсети",
    "SourceRestored": "Публикация восстановлена",
    "Attached": "Добавлены вложения",
}

# The complaint's fields as the history's changes name them.
FIELDS: Mapping[str, str] = {
    "status": "Статус",
    "channel": "Канал",
    "source_ref": "Публикация",
    "author_ref": "Автор",
    "text": "Текст",
    "address": "Адрес",
    "category": "Категория",
    "district": "Район",
    "organisation": "Организация",
    "executor": "Исполнитель",
    "clarification_question": "Вопрос автору",
    "clarification": "Уточнение",
    "rejection_reason": "Причина отказа",
    "responses": "Ответы",
    "resolution": "Решение",
    "duplicate_of": "Дубликат обращения",
    "reopen_count": "Переоткрыто раз",
    "reacted_at": "Первая реакция",
    "closed_at": "Закрыто",
    "edited_text": "Текст после правки",
    "source_deleted": "Публикация удалена",
    "attachments": "Вложения",
    # The card's form fields, named as the commands name them.
    "question": "Вопрос автору",
    "reason": "Причина",
    "original_id": "Номер исходного обращения",
}

ATTACHMENT_KINDS: Mapping[str, str] = {"photo": "Фото", "document": "Документ"}

REPLY_KINDS: Mapping[str, str] = {
    "clarification_request": "Запрос уточнения",
    "response": "Ответ",
    "resolution": "Решение",
}

MONTHS = (
    "январь",
    "февраль",
    "март",
    "апрель",
    "май",
    "июнь",
    "июль",
    "август",
    "сентябрь",
    "октябрь",
    "ноябрь",
    "декабрь",
)

# The logs the audit verifies, by their applications' names.
LOGS: Mapping[str, str] = {
    "Complaints": "Обращения",
    "Access": "Токены доступа",
    "Open311": "Open311",
    "Intake": "Приём сообщений",
    "Replies": "Ответы гражданам",
    "Audit": "Аудит (чтения персональных данных, контрольные точки)",
}

KINDS: Mapping[str, Mapping[str, str]] = {
    "role": ROLES,
    "status": STATUSES,
    "category": CATEGORIES,
    "channel": CHANNELS,
    "move": MOVES,
    "clock": CLOCK_STATES,
    "delivery": DELIVERY_STATES,
    "event": EVENTS,
    "field": FIELDS,
    "reply_kind": REPLY_KINDS,
    "attachment": ATTACHMENT_KINDS,
    "log": LOGS,
}


def russian(value: object, kind: str) -> str:
    """The value's Russian name, or the value itself when it has none; "—" for no value."""
    if value is None or value == "":
        return "—"
    return KINDS[kind].get(str(value), str(value))


def who(recorded: str) -> Markup:
    """Who acted, as a person reads it: the role in Russian and the name («оператор Анна
    Петрова»; an adapter by its channel, «приём обращений ВКонтакте»). The account's id, which
    keeps two people of one name apart, is on hover; the history keeps the words as recorded,
    and words of no known form are shown as they are."""
    actor = Actor.parse(recorded)
    if not actor.role:
        return escape(recorded)
    role = ROLES.get(actor.role, actor.role)
    name = CHANNELS.get(actor.name, actor.name) if actor.role == Role.INTAKE else actor.name
    if actor.account_id is None:
        return escape(f"{role} {name}")
    return Markup('{} <abbr title="учётная запись {}">{}</abbr>').format(role, actor.account_id, name)
