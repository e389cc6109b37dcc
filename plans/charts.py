"""Geometry of the partnership plan's charts, drawn as inline SVG by
``plans/documents/includes/*_chart.html`` so that they appear in the PDF (and in any page that
includes them).

Python works out where things go; the templates write the SVG and every word in it (translatable),
as ``recorded_crime.charts`` does, whose palette, font and sizes these charts share. Each status
colour has at least 4.5:1 contrast against white (so the white count inside a segment is readable
and the segment itself passes the 3:1 non-text contrast): not started #505a5f 7.1:1, on track
#00703c 6.2:1, at risk #a34a00 5.9:1, off track #ca3535 5.2:1, complete #1d70b8 5.2:1. Segments
are separated by a white gap, so neighbouring colours need no contrast with each other; the legend
lists them in stacking order and the table after each chart gives the same numbers.

Colour is not the only sign: every status but "not started" also has a white pattern (lines one
way, dots, a cross-hatch, lines the other way), in its legend swatch and in a strip along the foot
of each of its segments (below the count, which stays white on the plain colour).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.functional import Promise

from recorded_crime.charts import AXIS, BAR, FONT_SIZE, MARGIN, TEXT, WIDTH

from .models import ActionStatus

FONT = "'DejaVu Sans', arial, sans-serif"
TRACK = "#e8e9ea"
STATUS_COLOURS = {
    ActionStatus.NOT_STARTED: "#505a5f",
    ActionStatus.ON_TRACK: "#00703c",
    ActionStatus.AT_RISK: "#a34a00",
    ActionStatus.OFF_TRACK: "#ca3535",
    ActionStatus.COMPLETE: "#1d70b8",
}
# The pattern of each status (``plans/documents/includes/actions_chart.html`` draws them).
STATUS_PATTERNS = {
    ActionStatus.NOT_STARTED: "",
    ActionStatus.ON_TRACK: "rising",
    ActionStatus.AT_RISK: "dots",
    ActionStatus.OFF_TRACK: "cross",
    ActionStatus.COMPLETE: "falling",
}
PATTERN_STRIP = 6
ROW_HEIGHT = 58
PROGRESS_ROW_HEIGHT = 48
BAR_HEIGHT = 24
PROGRESS_BAR_HEIGHT = 18
LEGEND_COLUMNS = 3
LEGEND_ROW_HEIGHT = 26
SWATCH = 16
# Room at the end of the longest bar for its total ("120").
TOTAL_LABEL_WIDTH = 48
# A segment this wide carries its count inside, in white.
MIN_SEGMENT_FOR_COUNT = 22
# A label longer than this is cut short in the chart (the table beside it has it whole).
MAX_LABEL_CHARACTERS = 64
# A measure's label shares its line with its progress ("... - 150% of the way").
MAX_MEASURE_LABEL_CHARACTERS = 44
# Progress beyond this share of the way to target is drawn at this length.
PROGRESS_CAP = 150


def _fit(label: str, limit: int = MAX_LABEL_CHARACTERS) -> str:
    label = str(label)
    if len(label) <= limit:
        return label
    return label[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class LegendItem:
    label: Promise
    colour: str
    pattern: str
    x: int
    y: int
    text_x: int
    text_y: int


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    pattern: str
    count: int
    show_count: bool
    count_x: float


@dataclass(frozen=True)
class StackedBar:
    label: str
    label_y: int
    bar_y: int
    segments: list[Segment]
    total: int
    total_x: float
    total_y: int


@dataclass(frozen=True)
class StackedBarChart:
    id: str
    width: int
    height: int
    x: int
    bar_height: int
    legend: list[LegendItem]
    bars: list[StackedBar]
    strip: int = PATTERN_STRIP
    text_colour: str = TEXT
    font: str = FONT
    font_size: int = FONT_SIZE


def actions_by_status_chart(
    chart_id: str, rows: Sequence[tuple[str, dict[str, int]]]
) -> StackedBarChart:
    """One horizontal bar per priority, its actions stacked by status in the order of
    ``ActionStatus``. ``rows`` are (label, {status: count}) pairs."""
    statuses = list(ActionStatus)
    column_width = (WIDTH - 2 * MARGIN) // LEGEND_COLUMNS
    legend = []
    for index, status in enumerate(statuses):
        row, column = divmod(index, LEGEND_COLUMNS)
        x = MARGIN + column * column_width
        y = MARGIN + row * LEGEND_ROW_HEIGHT
        legend.append(
            LegendItem(
                label=status.label,
                colour=STATUS_COLOURS[status],
                pattern=STATUS_PATTERNS[status],
                x=x,
                y=y,
                text_x=x + SWATCH + 8,
                text_y=y + SWATCH - 2,
            )
        )
    legend_height = -(-len(statuses) // LEGEND_COLUMNS) * LEGEND_ROW_HEIGHT + 12
    longest = max((sum(counts.values()) for _label, counts in rows), default=0) or 1
    usable = WIDTH - 2 * MARGIN - TOTAL_LABEL_WIDTH
    bars = []
    for index, (label, counts) in enumerate(rows):
        top = MARGIN + legend_height + index * ROW_HEIGHT
        bar_y = top + FONT_SIZE + 6
        x = float(MARGIN)
        segments = []
        for status in statuses:
            count = counts.get(status, 0)
            if not count:
                continue
            width = round(usable * count / longest, 1)
            segments.append(
                Segment(
                    x=round(x, 1),
                    # A white gap of 2 between segments keeps them apart without a border.
                    width=max(round(width - 2, 1), 1),
                    colour=STATUS_COLOURS[status],
                    pattern=STATUS_PATTERNS[status],
                    count=count,
                    show_count=width >= MIN_SEGMENT_FOR_COUNT,
                    count_x=round(x + (width - 2) / 2, 1),
                )
            )
            x += width
        total = sum(counts.values())
        bars.append(
            StackedBar(
                label=_fit(label),
                label_y=top + FONT_SIZE,
                bar_y=bar_y,
                segments=segments,
                total=total,
                total_x=round(x + 6, 1),
                total_y=bar_y + BAR_HEIGHT // 2 + 6,
            )
        )
    return StackedBarChart(
        id=chart_id,
        width=WIDTH,
        height=2 * MARGIN + legend_height + len(rows) * ROW_HEIGHT,
        x=MARGIN,
        bar_height=BAR_HEIGHT,
        legend=legend,
        bars=bars,
    )


@dataclass(frozen=True)
class ProgressBar:
    label: str
    label_y: int
    bar_y: int
    bar_width: float
    progress: int | None


@dataclass(frozen=True)
class ProgressChart:
    id: str
    width: int
    height: int
    x: int
    target_x: float
    # Baseline to target, drawn behind each bar (decoration: the bar and the target mark carry
    # the information).
    track_width: float
    top: int
    bar_height: int
    bars: list[ProgressBar]
    colour: str = BAR
    axis_colour: str = AXIS
    track_colour: str = TRACK
    text_colour: str = TEXT
    font: str = FONT
    font_size: int = FONT_SIZE


def progress_chart(chart_id: str, rows: Sequence[tuple[str, int | None]]) -> ProgressChart:
    """How far each measure has moved from its baseline (0%) to its target (100%), by its latest
    actual. ``rows`` are (label, percent or None when there is no actual yet). Each bar has one
    line of text above it, its label and its percentage: text is what costs most to draw."""
    usable = WIDTH - 2 * MARGIN
    scale = usable / PROGRESS_CAP
    header = FONT_SIZE + 12
    bars = []
    for index, (label, progress) in enumerate(rows):
        top = MARGIN + header + index * PROGRESS_ROW_HEIGHT
        bar_y = top + FONT_SIZE + 6
        drawn = 0 if progress is None else max(0, min(progress, PROGRESS_CAP))
        width = round(drawn * scale, 1)
        bars.append(
            ProgressBar(
                label=_fit(label, MAX_MEASURE_LABEL_CHARACTERS),
                label_y=top + FONT_SIZE,
                bar_y=bar_y,
                bar_width=width,
                progress=progress,
            )
        )
    return ProgressChart(
        id=chart_id,
        width=WIDTH,
        height=2 * MARGIN + header + len(rows) * PROGRESS_ROW_HEIGHT,
        x=MARGIN,
        target_x=round(MARGIN + 100 * scale, 1),
        track_width=round(100 * scale, 1),
        top=MARGIN + header,
        bar_height=PROGRESS_BAR_HEIGHT,
        bars=bars,
    )
