"""A column chart's axis is labelled in four equal steps that read as they are: whole numbers
for counts (a top of 2 in quarters read "0, 0, 1, 2, 2"), round ones for minutes."""

import re

import pytest

from interfaces.web import charts
from interfaces.web.charts import Series


def _axis_labels(svg: str) -> list[str]:
    return [
        label.replace("\u202f", "") for label in re.findall(r'<text class="axis"[^>]*text-anchor="end">([^<]*)<', svg)
    ]


@pytest.mark.parametrize(
    ("largest", "labels"),
    [
        (2, ["0", "1", "2", "3", "4"]),
        (10, ["0", "3", "6", "9", "12"]),
        (100, ["0", "25", "50", "75", "100"]),
        (759, ["0", "200", "400", "600", "800"]),
    ],
)
def test_a_count_axis_steps_by_whole_numbers(largest: int, labels: list[str]) -> None:
    svg = charts.columns("Обращения", ["дек 26"], [Series("Зарегистрировано", [largest], "s1")], charts.count)
    assert _axis_labels(svg) == labels


def test_a_minutes_axis_steps_by_round_numbers() -> None:
    svg = charts.columns("Реакция", ["с 30.11"], [Series("Медиана", [120.0], "s1")], charts.minutes)
    assert _axis_labels(svg) == ["0\u00a0мин", "50\u00a0мин", "100\u00a0мин", "150\u00a0мин", "200\u00a0мин"]
