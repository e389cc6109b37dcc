"""How far ahead a date someone sets may lie.

A year typed wrong (2207, 9999) would otherwise be stored and sit in every list, dashboard and
reminder for ever. Each service that takes a date in the future bounds it here, with a message for
the field; how far depends on what the date is for.
"""

from datetime import date

from django.utils import timezone
from django.utils.translation import ngettext


def years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_not_too_far(errors: dict, field: str, value: date | None, *, years: int) -> None:
    """Add a message for ``field`` to ``errors`` if ``value`` lies more than ``years`` years from
    today; a field that already has a message keeps it."""
    if value is None or field in errors:
        return
    if value > years_from(timezone.localdate(), years):
        errors[field] = ngettext(
            "The date must be within %(count)d year from today",
            "The date must be within %(count)d years from today",
            years,
        ) % {"count": years}
