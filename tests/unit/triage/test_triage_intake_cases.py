"""What intake got wrong (issue 15, "Triage"): an address heading the post, questions and
other non-complaints, posts without words, and categories by what the citizen means."""

import pytest


def where(triage, text):
    a = triage.assess(text, "telegram").address
    return (a.street, a.street_type, a.house) if a else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Streets of the gazetteer, however the post goes on after the address.
        ("Малюгиной 220 — четвёртый день нет холодной воды", ("Малюгиной", "улица", "220")),
        ("Филимоновская 45: у подъезда провалился асфальт", ("Филимоновская", "улица", "45")),
        ("Королёва 10/3, во дворе неделю не горят фонари", ("Королёва", "проспект", "10/3")),
        # Streets the gazetteer lacks: the name and a house number opening the post.
        ("Кривоколенная 18 — из подвала воняет канализацией", ("Кривоколенная", "улица", "18")),
        ("Пестеля 7. Контейнеры не вывозят с понедельника", ("Пестеля", "улица", "7")),
        ("Добрый вечер. Тихорецкая 31а — лифт опять стоит, пешком на девятый", ("Тихорецкая", "улица", "31а")),
        ("адрес: Кривоколенная 18, воняет канализацией", ("Кривоколенная", "улица", "18")),
    ],
)
def test_an_address_heading_the_post_is_its_address(triage, text, expected):
    assert where(triage, text) == expected
    verdict = triage.assess(text, "telegram")
    assert verdict.is_complaint and verdict.actionable


def test_a_street_adjective_no_dictionary_knows_is_a_street_even_in_lowercase(triage):
    assert where(triage, "на каменобродской второй день нет света") == ("Каменобродская", "улица", None)
    # An adjective that describes the noun after it is no street.
    assert where(triage, "на каменобродской лавке сидеть нельзя") is None


@pytest.mark.parametrize(
    "text",
    [
        "Как передать показания счётчика газа, если личный кабинет не открывается?",
        "как через госуслуги передать показания за воду?",
        "Куда обратиться за субсидией на оплату коммуналки?",
        "Где получить справку о составе семьи в Первомайском районе?",
        "До скольки работает МФЦ на Малиновского в субботу?",
        "Подскажите часы работы поликлиники на Ленина 99",
        "Когда в этом году отключат горячую воду на Зорге?",
        "Прошу разъяснить порядок перерасчёта платы за отопление при отсутствии общедомового прибора учёта.",
    ],
)
def test_a_question_about_how_where_or_when_is_not_a_complaint(triage, text):
    verdict = triage.assess(text, "gosuslugi" if text.startswith("Прошу") else "vk")
    assert not verdict.is_complaint
    assert verdict.category is None and not verdict.actionable


@pytest.mark.parametrize(
    "text",
    [
        "Когда починят лифт на Зорге 33? Вторую неделю пешком на девятый этаж",
        "Когда уже уберут свалку за домом на Беляева 20?",
        "Соседи, у кого тоже холодные батареи на Космонавтов 12? Куда смотрит управляйка?",
    ],
)
def test_a_question_that_reports_a_fault_is_a_complaint(triage, text):
    assert triage.assess(text, "vk").is_complaint


@pytest.mark.parametrize(
    "text",
    [
        "Огромное спасибо бригаде водоканала, за ночь устранили порыв на Ленина!",
        "Натяжные потолки недорого, замер бесплатно, пишите в личку",
        "РОЗЫГРЫШ! Подпишись на группу и выиграй сертификат в кафе на Пушкинской",
        "Требуются дворники в УК, зарплата от 30 тысяч",
    ],
)
def test_thanks_ads_and_giveaways_are_not_complaints(triage, text):
    assert not triage.assess(text, "vk").is_complaint


def test_a_quoted_advert_on_a_pasted_over_pole_is_a_complaint_about_it(triage):
    text = "Все остановки на Орбитальной обклеены листовками «куплю авто», «продам гараж», ужас"
    assert triage.assess(text, "vk").is_complaint


@pytest.mark.parametrize("text", ["", "👍", "😡😡😡", "🔥🔥🔥!!!", "   \n  "])
def test_a_post_without_words_is_not_a_complaint(triage, text):
    verdict = triage.assess(text, "telegram")
    assert (verdict.is_complaint, verdict.actionable, verdict.reason) == (False, False, "no_words")


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # The stop is named «Поликлиника»; the problem is a street market at it.
        ("у остановки «Поликлиника» на Ленина стихийный рынок, торгуют прямо с земли", "other"),
        # Plaster falling onto the pavement endangers passers-by.
        ("С фасада дома на Седова 4 сыпется штукатурка на тротуар, чуть не по голове", "safety"),
        # Healthy trees felled near a house: ecology, not the yard.
        ("Во дворе на Беляева 14 спилили двенадцать здоровых деревьев, зелёные насаждения под парковку", "ecology"),
        # A power cut, not felling.
        ("На Таганрогской 120 опять вырубило свет, третий раз за неделю", "housing_utilities"),
    ],
)
def test_the_category_is_what_the_citizen_means(triage, text, category):
    verdict = triage.assess(text, "vk")
    assert verdict.is_complaint
    assert verdict.category == category


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Ordinals typed without a hyphen, and a house named "N дома" after the street.
        ("в поликлинике на 1й конной армии 12 не работает лифт", ("1-й Конной Армии", "улица", "12")),
        ("на Беляева возле 17 дома разрыли яму и бросили", ("Беляева", "улица", "17")),
        ("на капустина у 8го дома сломали все скамейки", ("Капустина", "улица", "8")),
        # The author's own address first, the problem's after it.
        (
            "Я проживаю по адресу: ул. Зорге, д. 5, кв. 3. Прошу убрать аварийное дерево у дома по ул. Зорге, д. 9.",
            ("Зорге", "улица", "9"),
        ),
    ],
)
def test_house_numbers_as_people_type_them(triage, text, expected):
    assert where(triage, text) == expected


def test_a_shop_named_by_the_spot_locates_the_problem(triage):
    verdict = triage.assess("Напротив «Пятёрочки» на Таганрогской неделю не чистят урны", "vk")
    assert verdict.address.street == "Таганрогская" and verdict.address.house is None
    assert verdict.actionable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Прошу заменить окна в подъезде дома по ул. Зорге, д. 14 Б.", ("Зорге", "улица", "14б")),
        # "в" after a number is a preposition, not a house letter.
        ("На Зорге 14 в подъезде не горит свет", ("Зорге", "улица", "14")),
        # A surname street followed by a noun is still the street.
        ("на Мечникова лужа по колено, не пройти", ("Мечникова", "улица", None)),
    ],
)
def test_house_letters_and_surname_streets(triage, text, expected):
    assert where(triage, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Прошу отремонтировать покрытие ул. Доватора на участке между ул. Каширской и ул. Белорусской",
        "На Мясникяна между 30-й и 33-й линией не работают фонари",
    ],
)
def test_a_segment_between_two_cross_streets_is_a_location(triage, text):
    verdict = triage.assess(text, "vk")
    assert verdict.is_complaint and verdict.actionable


@pytest.mark.parametrize(
    "text",
    [
        # Thanks in scare quotes is sarcasm.
        "Спасибо управе за «ремонт» тротуара на Зорге: плитка отвалилась через неделю",
        # Who will fix it, asked in capitals.
        "КТО-НИБУДЬ УБЕРЁТ СВАЛКУ ЗА ДОМОМ НА БЕЛЯЕВА 20??",
        "Третий день сидим без света на Тимошенко 12",
    ],
)
def test_irony_and_pleas_are_complaints(triage, text):
    assert triage.assess(text, "vk").is_complaint


@pytest.mark.parametrize(
    "text",
    [
        "С понедельника на Малиновского начнут менять трубы, подробности на сайте администрации",
        "Открылся обновлённый сквер у ДК на Сельмаше: новые качели и фонтан",
        "Мэр снова рассказал про метро к 2030 году. Ну-ну 😂",
    ],
)
def test_announcements_and_political_chatter_are_not_complaints(triage, text):
    assert not triage.assess(text, "vk").is_complaint


@pytest.mark.parametrize(
    ("text", "expected", "actionable"),
    [
        # Streets the gazetteer lacks, as people write them.
        ("на пешкова 15 вторую неделю течёт крыша", ("Пешкова", "улица", "15"), True),
        ("на нижегородской 15 третий день нет воды", ("Нижегородская", "улица", "15"), True),
        ("вся Тельмана в ямах, ездить невозможно", ("Тельмана", "улица", None), False),
        ("в школе на Зеленодольской третий день нет отопления", ("Зеленодольская", "улица", None), False),
        ("на перекрёстке Тельмана и Пешкова не работает светофор", ("Тельмана", "улица", None), True),
        # An adjective that belongs to its noun names no street.
        ("на Центральной площади не горят фонари", ("Центральная", "площадь", None), True),
    ],
)
def test_streets_off_the_gazetteer(triage, text, expected, actionable):
    assert where(triage, text) == expected
    assert triage.assess(text, "vk").actionable is actionable


@pytest.mark.parametrize(
    "text",
    [
        "Внимание! С 10 по 20 июля на Шолохова будут менять трубы, воды не будет",
        "Ничего в этом городе не меняется, пиши не пиши",
    ],
)
def test_planned_works_and_griping_are_not_complaints(triage, text):
    assert not triage.assess(text, "vk").is_complaint


def test_felling_healthy_trees_without_a_permit_is_an_ecology_complaint(triage):
    verdict = triage.assess("Во дворе на Малиновского 66 спилили три здоровых тополя без всякого разрешения", "vk")
    assert (verdict.is_complaint, verdict.category, verdict.actionable) == (True, "ecology", True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ТЕЛЬМАНА 22 — НЕТ ВОДЫ ТРЕТИЙ ДЕНЬ", ("Тельмана", "улица", "22")),
        ("тельмана 22 - нет воды третий день", ("Тельмана", "улица", "22")),
        # The flat's number follows the house's.
        ("Ленина 99 кв 12, нет отопления", ("Ленина", "проспект", "99")),
    ],
)
def test_an_address_heading_the_post_in_any_letters(triage, text, expected):
    assert where(triage, text) == expected
    assert triage.assess(text, "telegram").actionable


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Открытый люк посреди дороги на Вавилова 60", "roads"),
        ("Пахнет газом в подъезде на Варфоломеева 200", "housing_utilities"),
        # Fare benefits and a blocked card are social support, not transport.
        ("Отменили льготный проезд пенсионерам, карту заблокировали", "social_support"),
        ("Автобус 77 ходит раз в час, стоим на остановке по 50 минут", "public_transport"),
        ("Торгуют с рук у остановки «Рынок» на Сержантова, мусор повсюду", "other"),
        # A broken pavement people fall on is the yard's; concrete falling onto it endangers them.
        ("На Нагибина напротив ТЦ «Горизонт» разбит тротуар, люди падают", "improvement"),
        ("С балкона на Текучёва 200 падают куски бетона прямо на тротуар", "safety"),
    ],
)
def test_more_conventions_of_the_corpus(triage, text, category):
    verdict = triage.assess(text, "vk")
    assert (verdict.is_complaint, verdict.category) == (True, category)
