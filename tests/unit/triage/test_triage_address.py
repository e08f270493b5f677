"""Address extraction: inflected street names, house numbers, intersections, districts."""

import pymorphy3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.triage.address import normalize_house

_morph = pymorphy3.MorphAnalyzer()


def where(triage, text):
    verdict = triage.assess(text, "vk")
    a = verdict.address
    return (a.street, a.street_type, a.house) if a else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Яма на Нагибина 30", ("Михаила Нагибина", "проспект", "30")),
        ("Ехал по Ленина 105, там яма", ("Ленина", "проспект", "105")),
        ("на Пушкинской 151 забилась канализация", ("Пушкинская", "улица", "151")),
        ("на улице Текучёва 234 разбита дорожка", ("Текучёва", "улица", "234")),
        ("в переулке Халтуринском 12 течёт крыша", ("Халтуринский", "переулок", "12")),
        ("На Жукова 18 нет горячей воды", ("Маршала Жукова", "проспект", "18")),
        ("на Б.Садовой у дома 47 табло не работает", ("Большая Садовая", "улица", "47")),
        ("Стачки 217 — стая собак", ("Стачки", "проспект", "217")),
        ("Комарова 28/5, во дворе лежит дерево", ("Комарова", "бульвар", "28/5")),
        ("по 20-й линии у дома 11 контейнеры увезли", ("20-я линия", "улица", "11")),
        ("вся 2-я Краснодарская в ямах", ("2-я Краснодарская", "улица", None)),
        ("ярмарка на Театральной площади", ("Театральная", "площадь", None)),
        ("пробка на Театральном проспекте", ("Театральный", "проспект", None)),
        ("на проспекте 40-летия Победы 81 пахнет газом", ("40-летия Победы", "проспект", "81")),
        ("в парке Горького сломан фонтан", ("парк Горького", None, None)),
        ("на Гребном канале мусор", ("Гребной канал", None, None)),
    ],
)
def test_street_forms_resolve_to_the_canonical_entry(triage, text, expected):
    assert where(triage, text) == expected


@pytest.mark.parametrize(
    ("text", "house"),
    [
        ("ул. Еременко, д. 85, корп. 4 не работает лифт", "85к4"),
        ("ул. Еременко, д. 14, к. 1 не работает лифт", "14к1"),
        ("ул. Еременко 56/3 не работает лифт", "56/3"),
        ("ул. Текучева, д. 181а — течёт крыша", "181а"),
        ("Зорге 12А — лифт стоит", "12а"),
        ("освещение во дворе домов № 41 и № 43 по ул. Зорге", "41"),
        ("у д. 52 по ул. Мечникова автобус не останавливается", "52"),
        ("на Профсоюзной у школы (дом 60) нет светофора", "60"),
    ],
)
def test_house_numbers_are_normalised(triage, text, house):
    assert where(triage, text)[2] == house


@pytest.mark.parametrize(
    "text",
    [
        "на Стачки 2 часа стоим в пробке",
        "на Малиновского 3 дня нет воды",
        "на Зорге в 18:00 концерт",
    ],
)
def test_numbers_that_are_not_houses(triage, text):
    assert where(triage, text)[2] is None


@pytest.mark.parametrize(
    "text",
    [
        "Посоветуйте стоматолога в Советском районе",
        "Смотрите, какой закат с Ворошиловского моста",
        "Ворошиловский р-н если что, записи нет",
        "какой автобус идёт от вокзала до Северного?",
    ],
)
def test_adjectives_of_other_nouns_and_routes_are_not_addresses(triage, text):
    assert where(triage, text) is None


def test_streets_missing_from_the_gazetteer_are_found_by_their_type_or_house(triage):
    assert where(triage, "Во дворе по ул. Селиванова, д. 15 не вывозят мусор") == ("Селиванова", "улица", "15")
    assert where(triage, "на Кривошлыковской улице 5 нет света") == ("Кривошлыковская", "улица", "5")
    assert where(triage, "в переулке Кривом 3 прорвало трубу") == ("Кривой", "переулок", "3")


_ADJECTIVAL = ["Пушкинская", "Красноармейская", "Орбитальная", "Металлургическая", "Социалистическая", "Береговая"]
_CASES = ["gent", "datv", "accs", "ablt", "loct"]


@settings(max_examples=60, deadline=None)
@given(street=st.sampled_from(_ADJECTIVAL), case=st.sampled_from(_CASES), house=st.integers(1, 399))
def test_any_case_form_of_an_adjectival_street_matches(triage, street, case, house):
    form = _morph.parse(street.lower())[0].inflect({case, "femn", "sing"}).word
    assert where(triage, f"Жители дома {form.capitalize()} {house} жалуются: нет воды") == (street, "улица", str(house))


_house = st.builds(
    lambda n, letter, slash: f"{n}{letter}{slash}",
    st.integers(1, 399),
    st.sampled_from(["", "а", "б", "в"]),
    st.sampled_from(["", "/1", "/2", "/5"]),
)


@settings(max_examples=80, deadline=None)
@given(house=_house, building=st.integers(1, 9), style=st.integers(0, 3))
def test_house_with_building_round_trips(triage, house, building, style):
    written = [
        f"ул. Зорге, д. {house.upper()}, корп. {building}",
        f"ул. Зорге, д. {house}, к. {building}",
        f"Зорге {house} корпус {building}",
        f"Зорге, дом {house}, корп.{building}",
    ][style]
    expected = f"{house}к{building}"
    assert where(triage, f"{written} — не работает лифт")[2] == expected
    assert normalize_house(expected) == expected


@given(raw=st.text(alphabet="0123456789абвк/. ", min_size=1, max_size=12))
def test_house_normalisation_is_idempotent_and_space_free(raw):
    once = normalize_house(raw)
    assert " " not in once
    assert normalize_house(once) == once


@pytest.mark.parametrize(
    ("text", "district"),
    [
        ("Яма на Зорге", "Советский"),
        ("Нет воды на Северном", "Ворошиловский"),
        ("остановка «Малиновского» на Стачки разбита", "Советский"),
        ("Стачки 217 — стая собак", None),
        ("в Первомайском районе нет врачей", "Первомайский"),
        ("напротив ТЦ «Горизонт» на Нагибина не работает светофор", "Ворошиловский"),
        ("На Темернике не вывозят мусор", None),
    ],
)
def test_district_only_when_certain(triage, text, district):
    assert triage.assess(text, "vk").district == district
