"""Labelling conventions of the triage corpus (shared/data/triage/README.md)."""

import pytest


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # A problem inside a facility follows the facility's sector.
        ("В поликлинике на Ткачёва 13 вторую неделю не работает лифт", "healthcare"),
        ("В детском саду на Еляна 5 не работает отопление, дети мёрзнут", "education"),
        ("В школе на Добровольского 8 прорвало трубу в спортзале", "education"),
        ("В отделе соцзащиты на Королёва 5 нет пандуса, колясочник не может войти", "social_support"),
        # Access for disabled people; subsidised drugs are healthcare.
        ("Прошу установить пандус в подъезде дома по ул. Беляева, д. 24, живёт инвалид-колясочник", "social_support"),
        ("Льготные лекарства инвалидам не выдают третий месяц", "healthcare"),
        # Yard level, roadway, trees.
        ("Во дворе на Курсантов 3 сломаны качели и нет ни одной скамейки", "improvement"),
        ("На Вавилова 54 огромная яма на проезжей части, разбил колесо", "roads"),
        ("На Коммунистическом 44 вырубают аллею каштанов под парковку", "ecology"),
        ("Во дворе на Зорге 10 сухая ветка висит над детской площадкой", "improvement"),
        # Dangers to people.
        ("Стая бродячих собак на Доватора кидается на детей", "safety"),
        ("Котлован на Варфоломеева 240 не огорожен, рядом играют дети", "safety"),
        # Noise from a café, street markets, illegal posters.
        ("Кафе на Красноармейской 200 до утра гремит музыкой, жить невозможно", "other"),
        ("Весь центр завешан растяжками и незаконной рекламой", "other"),
        # Other sectors.
        ("Мусор на Ереванской 21 не вывозят неделю, контейнеры переполнены", "waste"),
        ("Автобус 96 не приходит по 40 минут, интервал никто не соблюдает", "public_transport"),
        ("На Волкова 9 в подъезде пятый день нет света", "housing_utilities"),
    ],
)
def test_category_conventions(triage, text, category):
    verdict = triage.assess(text, "vk")
    assert verdict.is_complaint
    assert verdict.category == category


@pytest.mark.parametrize(
    "text",
    [
        "Спасибо городу за новый бассейн на Ворошиловском: после дождя ливнёвка не справляется 🙃",
        "Спасибо администрации за новую плитку на Пушкинской, через неделю уже вся разбитая 👏",
        "врач пришёл через четыре дня 🤡 спасибо, очень оперативно",
    ],
)
def test_sarcastic_thanks_is_a_complaint(triage, text):
    assert triage.assess(text, "vk").is_complaint


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Огромное спасибо врачам горбольницы за маму ❤️", "thanks"),
        ("Какая же красота в парке Революции осенью 😍", "thanks"),
        ("Продам диван в хорошем состоянии, самовывоз. Звоните", "advert"),
        ("Требуются продавцы в магазин, з/п 50 000", "job_offer"),
        ("РОЗЫГРЫШ! Подпишись на канал и выиграй приз", "spam"),
        ("Всем доброго утра и хорошего дня!", "greeting"),
        ("Доллар опять вырос, куда катимся", "chatter"),
        ("Снова перед выборами кладут асфальт", "politics"),
        ("Всё равно ничего не изменится, пишем-пишем, а толку нет", "griping"),
        ("Пропал кот, серый, на Беляева. Помогите найти!", "lost_pet"),
        ("Ребята, на Шолохова авария, объезжайте через Вавилова", "traffic_tip"),
        ("Приглашаем всех на субботник в Левенцовский парк в субботу в 10:00!", "event"),
        ("Посоветуйте хорошего окулиста на ЗЖМ", "recommendation"),
        ("Подскажите, во сколько открывается МФЦ на Текучёва?", "question"),
    ],
)
def test_non_complaints_and_their_reason(triage, text, reason):
    verdict = triage.assess(text, "vk")
    assert not verdict.is_complaint
    assert verdict.category is None and not verdict.actionable
    assert verdict.reason == reason


def test_information_request_about_utilities_is_not_a_complaint(triage):
    verdict = triage.assess("Прошу сообщить сроки отключения горячей воды в домах по ул. Орбитальной.", "gosuslugi")
    assert not verdict.is_complaint
    assert verdict.reason == "info_request"


def test_request_to_act_is_a_complaint(triage):
    verdict = triage.assess(
        "Прошу разъяснить порядок начисления платы за отопление и провести перерасчёт.", "gosuslugi"
    )
    assert verdict.is_complaint
    assert verdict.category == "housing_utilities"


def test_non_complaint_keeps_the_place_it_names(triage):
    verdict = triage.assess("Спасибо за новую остановку на Космонавтов!", "ok")
    assert not verdict.is_complaint
    assert verdict.address is not None and verdict.address.street == "Космонавтов"
    assert verdict.district == "Ворошиловский"
