"""Geometry of the crime profile's two charts, drawn as inline SVG by
``recorded_crime/includes/crime_profile.html`` so that they appear in the page and in the PDF.

Python works out where things go; the template writes the SVG and every word in it (translatable).
Colours meet WCAG 2.2 non-text contrast (3:1) against white: ``BAR`` #1d70b8 is 5.2:1 (and white
text on it 5.2:1), ``AXIS`` #505a5f 7.0:1, ``TEXT`` #0b0c0c 19.6:1; gridlines are decoration only.
A chart is as wide as its column up to its natural 640px (``width="100%"`` and the
``app-chart-svg`` class's ``max-width``, without a height, is what both browsers and WeasyPrint
scale by the viewBox's proportions; a class, as the Content-Security-Policy refuses style
attributes). Text
is 16px at 640px, so still 12px on a screen that shrinks it to 480px; the table after each chart
holds the same numbers at any size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from django.utils.formats import date_format
from django.utils.functional import Promise

from csp_portal.templatetags.figures import figure


class CrimeProfile(Protocol):
    """What the charts read of a crime profile (``selectors.CrimeProfile``, which draws them):
    named here, so that the charts import nothing from the selectors."""

    csp_code: str
    trend: list[Any]

    @property
    def top_level(self) -> list[Any]: ...


BAR = "#1d70b8"
AXIS = "#505a5f"
GRID = "#b1b4b6"
TEXT = "#0b0c0c"
FONT = "arial, sans-serif"
FONT_SIZE = 16
WIDTH = 640
MARGIN = 8
ROW_HEIGHT = 58
BAR_HEIGHT = 24
INSIDE_LABEL_MIN_WIDTH = 300  # a bar this long carries its value inside, in white


@dataclass(frozen=True)
class Bar:
    label: Promise
    count: int | None
    share: Decimal | None
    label_y: int
    bar_y: int
    bar_width: float
    value_inside: bool
    value_x: float
    value_y: int


@dataclass(frozen=True)
class BarChart:
    id: str
    width: int
    height: int
    x: int
    bar_height: int
    bars: list[Bar]
    colour: str = BAR
    text_colour: str = TEXT
    font: str = FONT
    font_size: int = FONT_SIZE


def offence_bar_chart(profile: CrimeProfile) -> BarChart:
    """One bar per offence group that adds up to total recorded crime, each labelled above."""
    groups = profile.top_level
    longest = max((g.count or 0 for g in groups), default=0) or 1
    usable = WIDTH - 2 * MARGIN
    bars = []
    for index, group in enumerate(groups):
        top = MARGIN + index * ROW_HEIGHT
        bar_y = top + FONT_SIZE + 6
        bar_width = round(usable * (group.count or 0) / longest, 1)
        inside = bar_width >= INSIDE_LABEL_MIN_WIDTH
        bars.append(
            Bar(
                label=group.label,
                count=group.count,
                share=group.share_of_force,
                label_y=top + FONT_SIZE,
                bar_y=bar_y,
                bar_width=bar_width,
                value_inside=inside,
                value_x=MARGIN + bar_width - 8 if inside else MARGIN + bar_width + 6,
                value_y=bar_y + BAR_HEIGHT // 2 + 6,
            )
        )
    return BarChart(
        id=f"crime-{profile.csp_code.lower()}-offences",
        width=WIDTH,
        height=2 * MARGIN + len(groups) * ROW_HEIGHT,
        x=MARGIN,
        bar_height=BAR_HEIGHT,
        bars=bars,
    )


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Point:
    x: float
    y: float | None
    count: int | None
    period_label: str
    axis_label: str
    show_axis_label: bool


@dataclass(frozen=True)
class LineChart:
    id: str
    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    ticks: list[Tick]
    points: list[Point]
    path: str
    show_values: bool
    colour: str = BAR
    axis_colour: str = AXIS
    grid_colour: str = GRID
    text_colour: str = TEXT
    font: str = FONT
    font_size: int = FONT_SIZE


def trend_line_chart(profile: CrimeProfile) -> LineChart:
    """Total recorded crime at each imported period, oldest on the left, axis from zero."""
    height, left, right, top, bottom = 320, 92, WIDTH - 16, 40, 320 - 48
    inset = 48  # keeps the first and last values and periods clear of the axis and the edge
    known = [p.count for p in profile.trend if p.count is not None]
    step = _nice_step(max(known, default=0) / 4)
    ceiling = step * max(1, math.ceil(max(known, default=0) / step))
    ticks = [
        Tick(
            y=round(bottom - (bottom - top) * value / ceiling, 1),
            label=figure(value),
        )
        for value in range(0, ceiling + 1, step)
    ]
    count = len(profile.trend)
    spacing = (right - left - 2 * inset) / max(count - 1, 1)
    every = max(1, math.ceil(count / 8))
    points = []
    for index, trend in enumerate(profile.trend):
        y = (
            None
            if trend.count is None
            else round(bottom - (bottom - top) * trend.count / ceiling, 1)
        )
        points.append(
            Point(
                x=round(left + inset + index * spacing, 1),
                y=y,
                count=trend.count,
                period_label=trend.period_label,
                axis_label=date_format(trend.period_end, "M Y"),
                show_axis_label=index % every == 0 or index == count - 1,
            )
        )
    path, pen_down = [], False
    for point in points:
        if point.y is None:
            pen_down = False
            continue
        path.append(f"{'L' if pen_down else 'M'}{point.x} {point.y}")
        pen_down = True
    return LineChart(
        id=f"crime-{profile.csp_code.lower()}-trend",
        width=WIDTH,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        ticks=ticks,
        points=points,
        path=" ".join(path),
        show_values=count <= 6,
    )


def _nice_step(rough: float) -> int:
    """The smallest of 1, 2 or 5 times a power of ten (at least 1) that is not below ``rough``."""
    if rough <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(rough))
    for multiple in (1, 2, 5, 10):
        if rough <= multiple * magnitude:
            return int(multiple * magnitude)
    return int(10 * magnitude)


HIGHLIGHT = "#0b0c0c"  # the partnership itself among its similar areas: 19.6:1 against white


@dataclass(frozen=True)
class RateBar:
    label: str
    value: Decimal | None
    highlight: bool
    label_y: int
    bar_y: int
    bar_width: float
    value_x: float
    value_y: int


@dataclass(frozen=True)
class RateChart:
    id: str
    width: int
    height: int
    x: int
    bar_height: int
    bars: list[RateBar]
    colour: str = BAR
    highlight_colour: str = HIGHLIGHT
    text_colour: str = TEXT
    font: str = FONT
    font_size: int = FONT_SIZE


def similar_areas_chart(chart_id: str, areas: list[Any]) -> RateChart:
    """Total recorded crime per 1,000 residents of each similar area, highest first, the
    partnership itself in black; each value is written after its bar."""
    longest = max((area.total_rate or 0 for area in areas), default=0) or 1
    usable = WIDTH - 2 * MARGIN - 80  # room for the value after the longest bar
    bars = []
    for index, area in enumerate(areas):
        top = MARGIN + index * ROW_HEIGHT
        bar_y = top + FONT_SIZE + 6
        width = round(usable * float(area.total_rate or 0) / float(longest), 1)
        bars.append(
            RateBar(
                label=area.name,
                value=area.total_rate,
                highlight=area.is_self,
                label_y=top + FONT_SIZE,
                bar_y=bar_y,
                bar_width=width,
                value_x=MARGIN + width + 6,
                value_y=bar_y + BAR_HEIGHT // 2 + 6,
            )
        )
    return RateChart(
        id=chart_id,
        width=WIDTH,
        height=2 * MARGIN + len(areas) * ROW_HEIGHT,
        x=MARGIN,
        bar_height=BAR_HEIGHT,
        bars=bars,
    )
