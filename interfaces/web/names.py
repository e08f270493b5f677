"""Russian names of what the console shows: channels, categories, delivery states, moves.

A plain mapping, read by templates and exports; an unknown key is shown as it is stored."""

CHANNELS = {
    "vk": "ВКонтакте",
    "ok": "Одноклассники",
    "telegram": "Telegram",
    "gosuslugi": "Госуслуги (ПОС)",
    "web": "Сайт",
    "phone": "Телефон",
}

CATEGORIES = {
    "healthcare": "Здравоохранение",
    "improvement": "Благоустройство",
    "housing_utilities": "ЖКХ",
    "roads": "Дороги",
    "public_transport": "Общественный транспорт",
    "waste": "Мусор",
    "education": "Образование",
    "social_support": "Социальная поддержка",
    "ecology": "Экология",
    "safety": "Безопасность",
    "other": "Другое",
}

DELIVERY_STATES = {
    "scheduled": "запланирован",
    "sending": "отправляется",
    "retrying": "ждёт повтора",
    "sent": "отправлен",
    "unconfirmed": "не подтверждён",
    "failed": "не отправлен",
}

REPLY_KINDS = {
    "clarification_request": "запрос уточнения",
    "response": "ответ",
    "resolution": "решение",
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

STATUSES = {
    "registered": "зарегистрировано",
    "clarification_requested": "запрошено уточнение",
    "assigned": "назначено",
    "responded": "дан ответ",
    "resolved": "решено",
    "rejected": "отклонено",
    "duplicate": "дубликат",
}

# The complaint's events, as its history names them.
EVENTS = {
    "Registered": "зарегистрировано",
    "ClarificationRequested": "запрошено уточнение",
    "Clarified": "получено уточнение",
    "Rejected": "отклонено",
    "Assigned": "назначено",
    "Reassigned": "переназначено",
    "Responded": "дан ответ",
    "Resolved": "решено",
    "Reopened": "возобновлено",
    "MarkedDuplicate": "отмечено как дубликат",
}

# The fields an auditor compares between two moments of a complaint.
FIELDS = {
    "status": "состояние",
    "channel": "канал",
    "text": "текст",
    "address": "адрес",
    "category": "категория",
    "district": "район",
    "organisation": "организация",
    "executor": "исполнитель",
    "clarification_question": "вопрос об уточнении",
    "clarification": "уточнение",
    "rejection_reason": "причина отказа",
    "responses": "ответы",
    "resolution": "решение",
    "duplicate_of": "дубликат обращения",
    "reopen_count": "возобновлений",
    "reacted_at": "первая реакция",
    "closed_at": "закрыто",
}

# The logs the audit verifies, by their applications' names.
LOGS = {
    "Complaints": "Обращения",
    "Access": "Токены доступа",
    "Open311": "Open311",
    "Intake": "Приём сообщений",
    "Replies": "Ответы гражданам",
    "Audit": "Аудит (чтения персональных данных, контрольные точки)",
}
