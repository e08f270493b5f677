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
