"""Charts drawn on the server as inline SVG: no script, light, printable, offline.

Two shapes cover the centre's report: columns over time (months, weeks) and bars ranked by
a key (categories, channels, organisations). Each is given its series already computed by
the read models; nothing here counts anything.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import ceil, floor, log10

from markupsafe import Markup, escape

Number = int | float | None
Format = Callable[[float], str]

_FONT = 12


@dataclass(frozen=True, slots=True)
class Series:
    title: str
    values: Sequence[Number]
    css: str  # a class of console.css: the colour, the same on screen and in print


def count(value: float) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


def percent(value: float) -> str:
    return f"{value * 100:.1f}\u00a0%".replace(".", ",")


def minutes(value: float) -> str:
    return f"{value:.0f}\u00a0мин"


def _ceiling(largest: float) -> float:
    """A round top for the axis: 1, 2 or 5 times a power of ten, at or above the largest value."""
    if largest <= 0:
        return 1.0
    power = 10 ** int(log10(largest))
    for step in (1, 2, 5, 10):
        if largest <= step * power:
            return float(step * power)
    return float(ceil(largest))


# An axis has four equal steps, each of these times a power of ten.
_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)


def _axis_top(largest: float, *, whole: bool) -> float:
    """The top of a column chart's axis: four round steps up to it, whole ones for counts, whose
    labels have no fraction (a top of 2 in quarters read "0, 0, 1, 2, 2")."""
    if largest <= 0:
        return 4.0 if whole else 1.0
    need = largest / 4
    power = 10.0 ** floor(log10(need))
    step = next(m * power for m in _STEPS if need <= m * power)
    return 4 * (float(max(ceil(step), 1)) if whole else step)


def _legend(series: Sequence[Series], y: float) -> list[str]:
    parts, x = [], 0.0
    for one in series:
        parts.append(f'<rect class="{one.css}" x="{x:.1f}" y="{y - 10:.1f}" width="10" height="10"/>')
        parts.append(f'<text x="{x + 14:.1f}" y="{y:.1f}">{escape(one.title)}</text>')
        x += 24 + len(one.title) * 7
    return parts


def _svg(title: str, width: float, height: float, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" role="img" viewBox="0 0 {width:.0f} {height:.0f}" width="100%" '
        f'font-size="{_FONT}" xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def columns(
    title: str, labels: Sequence[str], series: Sequence[Series], fmt: Format, *, top: float | None = None
) -> Markup:
    """Grouped columns, one group per label (a month, a week), one column per series."""
    width, height, left, bottom, legend = 720.0, 260.0, 56.0, 36.0, 22.0
    plot_w, plot_h = width - left - 8, height - bottom - legend - 8
    values = [v for one in series for v in one.values if v is not None]
    high = top if top is not None else _axis_top(max(values, default=0), whole=fmt is count)
    body = _legend(series, 12)
    for tick in range(5):
        value = high * tick / 4
        y = legend + 8 + plot_h - plot_h * tick / 4
        body.append(f'<line class="grid" x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}"/>')
        body.append(f'<text class="axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(fmt(value))}</text>')
    group = plot_w / max(len(labels), 1)
    bar = min(group * 0.8 / max(len(series), 1), 48)
    for index, label in enumerate(labels):
        x0 = left + group * index + (group - bar * len(series)) / 2
        for number, one in enumerate(series):
            value = one.values[index]
            if value is None:
                continue
            h = plot_h * min(value, high) / high
            x, y = x0 + bar * number, legend + 8 + plot_h - h
            body.append(
                f'<rect class="{one.css}" x="{x:.1f}" y="{y:.1f}" width="{bar - 2:.1f}" height="{h:.1f}">'
                f"<title>{escape(label)}: {escape(one.title)} — {escape(fmt(value))}</title></rect>"
            )
            if bar >= 22:
                body.append(
                    f'<text class="value" x="{x + bar / 2 - 1:.1f}" y="{y - 3:.1f}" text-anchor="middle">'
                    f"{escape(fmt(value))}</text>"
                )
        body.append(
            f'<text class="axis" x="{left + group * (index + 0.5):.1f}" y="{height - bottom + 16:.1f}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    return _svg(title, width, height, body)


def bars(
    title: str, labels: Sequence[str], series: Sequence[Series], fmt: Format, *, top: float | None = None
) -> Markup:
    """Horizontal bars, one row per label in the order given (ranked by the caller)."""
    width, left, legend, row_gap = 760.0, 300.0, 22.0, 8.0
    bar = 16.0
    row = bar * len(series) + row_gap
    height = legend + row * max(len(labels), 1) + 4
    values = [v for one in series for v in one.values if v is not None]
    high = top if top is not None else _ceiling(max(values, default=0))
    plot_w = width - left - 90
    body = _legend(series, 12) if len(series) > 1 else []
    for index, label in enumerate(labels):
        y0 = legend + row * index
        body.append(
            f'<text class="axis" x="{left - 8}" y="{y0 + row / 2 + 2:.1f}" text-anchor="end">{escape(_short(label))}'
            f"<title>{escape(label)}</title></text>"
        )
        for number, one in enumerate(series):
            value = one.values[index]
            y = y0 + bar * number
            if value is None:
                body.append(f'<text class="value" x="{left + 4}" y="{y + 12:.1f}">нет данных</text>')
                continue
            w = plot_w * min(value, high) / high
            body.append(
                f'<rect class="{one.css}" x="{left}" y="{y:.1f}" width="{w:.1f}" height="{bar - 2:.1f}">'
                f"<title>{escape(label)}: {escape(one.title)} — {escape(fmt(value))}</title></rect>"
            )
            body.append(f'<text class="value" x="{left + w + 4:.1f}" y="{y + 12:.1f}">{escape(fmt(value))}</text>')
    return _svg(title, width, height, body)


def _short(label: str, longest: int = 40) -> str:
    return label if len(label) <= longest else label[: longest - 1] + "…"
