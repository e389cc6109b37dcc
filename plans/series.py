"""The series a plan measure may be bound to: figures the portal imports for the partnership, so
that each import fills the measure's actual and nobody types it. Today the police recorded crime
offence groups (Table C2), as a count or per 1,000 residents; a later series plugs in by adding
its choices here and filling them from its import (``plans.services.series``)."""

from django.utils.translation import gettext_lazy as _

from recorded_crime.offences import OFFENCE_GROUPS

CRIME = "crime"
COUNT = "count"
RATE = "rate"


def crime_series(key: str, kind: str) -> str:
    return f"{CRIME}:{key}:{kind}"


def parse(series: str) -> tuple[str, str, str] | None:
    """(source, offence key, count or rate), or None for an unknown series."""
    parts = series.split(":")
    if len(parts) != 3 or series not in SERIES_LABELS:
        return None
    return parts[0], parts[1], parts[2]


_TEMPLATES = {
    COUNT: _("Police recorded crime: %(group)s, number of offences"),
    RATE: _("Police recorded crime: %(group)s, offences per 1,000 residents"),
}
# Series -> (kind, offence group); labels are made when asked, in the language of the request.
SERIES_LABELS = {
    crime_series(group.key, kind): (kind, group) for group in OFFENCE_GROUPS for kind in _TEMPLATES
}


def series_label(series: str) -> str:
    found = SERIES_LABELS.get(series)
    if not found:
        return ""
    kind, group = found
    return str(_TEMPLATES[kind]) % {"group": group.label}


def series_choices() -> list[tuple[str, str]]:
    return [("", str(_("Not filled automatically: the lead organisation reports it")))] + [
        (series, series_label(series)) for series in SERIES_LABELS
    ]
