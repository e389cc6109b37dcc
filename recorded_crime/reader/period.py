"""The period a table covers: 'year ending June 2025' in its title, or given by the importer."""

import calendar
import re
from datetime import date

# English month names, as the publication writes them (calendar's names follow the C locale).
MONTHS = {
    name.lower(): number
    for number, name in enumerate(
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
        start=1,
    )
}
MONTHS.update({name[:3]: number for name, number in list(MONTHS.items())})
TITLE_PERIOD = re.compile(r"\byear\s+ending\s+([A-Za-z]+)\.?\s+(\d{4})\b", re.IGNORECASE)
GIVEN_PERIOD = re.compile(
    r"^(?:(?:the\s+)?year\s+ending\s+|ye\s+)?([A-Za-z]+)\.?\s+(\d{4})$", re.IGNORECASE
)


def parse_period(text: str, *, title: bool = False) -> tuple[str, date] | None:
    """'year ending June 2025' (found inside a title, or given alone) -> (label, last day)."""
    text = " ".join(text.split())
    match = (TITLE_PERIOD.search if title else GIVEN_PERIOD.match)(text)
    if not match:
        return None
    month = MONTHS.get(match.group(1).lower())
    year = int(match.group(2))
    if month is None or not 1990 <= year <= 2100:
        return None
    end = date(year, month, calendar.monthrange(year, month)[1])
    return f"year ending {end:%B} {year}", end
