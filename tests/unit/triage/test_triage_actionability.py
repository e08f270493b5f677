"""actionable = a complaint whose place a crew can find."""

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "На Тургеневской 45 с утра нет воды",  # street and house
        "Светофор на Соколова / Красноармейская не работает",  # intersection
        "Яма на пересечении Малиновского и Стачки",
        "на Пушкинской между Ворошиловским и Крепостным не горят фонари",  # segment
        "В парке Островского сломаны все лавочки",  # landmark
        "остановка «Сельмаш» по ул. Воровского — навес сорван",  # named stop on a street
        "напротив ТЦ «Горизонт» на Нагибина не работает светофор",  # mall on a street
        "остановку «Театральная площадь» перенесли и никого не предупредили",  # square
    ],
)
def test_locatable_complaints_are_actionable(triage, text):
    verdict = triage.assess(text, "vk")
    assert verdict.is_complaint
    assert verdict.actionable
    assert verdict.reason is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("вся Вятская в ямах, ездить невозможно", "street_only"),
        ("нет разметки на Шолохова, ездим наугад", "street_only"),
        ("на Западном опять нет света полдня", "area_only"),
        ("В Октябрьском районе вода из-под крана жёлтая и пахнет хлоркой", "area_only"),
        ("скорую ждали 2 часа 40 минут", "no_location"),
    ],
)
def test_unlocatable_complaints_are_not_actionable(triage, text, reason):
    verdict = triage.assess(text, "vk")
    assert verdict.is_complaint
    assert not verdict.actionable
    assert verdict.reason == reason


def test_route_is_not_a_location(triage):
    verdict = triage.assess("Дорогу-дублёр обещают пять лет, утром пробка от Жукова до Стачки на час", "vk")
    assert verdict.is_complaint
    assert verdict.address is None
    assert not verdict.actionable


def test_first_named_street_of_an_intersection_is_stored(triage):
    verdict = triage.assess("Яма на пересечении пр. Ворошиловского и ул. Большой Садовой", "vk")
    assert verdict.address is not None
    assert (verdict.address.street, verdict.address.house) == ("Ворошиловский", None)
