"""Who has held each police force area's police and crime commissioner functions since
commissioners were first elected (they took office on 22 November 2012), by ONS police force area
code. Plain data: migration 0002 reads it to give every existing force area its bodies, and the ONS
lookup import reads it for areas it creates. Add to it; never rewrite a past period.

Sources (checked December 2026): mayors took the functions in Greater Manchester on 8 May 2017,
West Yorkshire on 10 May 2021, and South Yorkshire and York and North Yorkshire on 7 May 2024;
London's have sat with the Mayor's Office for Policing and Crime since 16 January 2012 (Police
Reform and Social Responsibility Act 2011). Police, fire and crime commissioners: Essex (from
1 October 2017), Staffordshire (1 August 2018), North Yorkshire (15 November 2018, until its mayor),
Northamptonshire (1 January 2019) and Cumbria (1 April 2023). The City of London Police answers to
the Common Council of the City of London. On 13 November 2025 the Home Office announced that
commissioners are abolished at the end of their terms in May 2028, their functions going to
mayors where there are any and elsewhere to policing and crime boards of council leaders
(``LocalPolicingBodyKind.POLICING_AND_CRIME_BOARD``): no successor has a date in law yet, so none
is listed here.
"""

from datetime import date, timedelta
from typing import NamedTuple

COMMISSIONERS_FIRST_TOOK_OFFICE = date(2012, 11, 22)


class Period(NamedTuple):
    kind: str  # a LocalPolicingBodyKind value
    title: str
    office: str
    functions_from: date


def _commissioner(area: str) -> Period:
    return Period(
        "pcc",
        f"{area} Police and Crime Commissioner",
        f"Office of the {area} Police and Crime Commissioner",
        COMMISSIONERS_FIRST_TOOK_OFFICE,
    )


def _fire_commissioner(area: str, functions_from: date) -> Period:
    return Period(
        "pfcc",
        f"{area} Police, Fire and Crime Commissioner",
        f"Office of the {area} Police, Fire and Crime Commissioner",
        functions_from,
    )


# Each area's periods in order; a period ends the day before the next begins.
KNOWN: dict[str, list[Period]] = {
    "E23000001": [
        Period(
            "mayor",
            "Mayor of London",
            "Mayor's Office for Policing and Crime",
            date(2012, 1, 16),
        )
    ],
    "E23000002": [_commissioner("Cumbria"), _fire_commissioner("Cumbria", date(2023, 4, 1))],
    "E23000005": [
        _commissioner("Greater Manchester"),
        Period(
            "mayor",
            "Mayor of Greater Manchester",
            "Office of the Mayor of Greater Manchester",
            date(2017, 5, 8),
        ),
    ],
    "E23000009": [
        _commissioner("North Yorkshire"),
        _fire_commissioner("North Yorkshire", date(2018, 11, 15)),
        Period(
            "mayor",
            "Mayor of York and North Yorkshire",
            "Office of the Mayor of York and North Yorkshire",
            date(2024, 5, 7),
        ),
    ],
    "E23000010": [
        _commissioner("West Yorkshire"),
        Period(
            "mayor",
            "Mayor of West Yorkshire",
            "Office of the Mayor of West Yorkshire",
            date(2021, 5, 10),
        ),
    ],
    "E23000011": [
        _commissioner("South Yorkshire"),
        Period(
            "mayor",
            "Mayor of South Yorkshire",
            "South Yorkshire Mayoral Combined Authority (the Mayor's policing and crime functions)",
            date(2024, 5, 7),
        ),
    ],
    "E23000015": [
        _commissioner("Staffordshire"),
        _fire_commissioner("Staffordshire", date(2018, 8, 1)),
    ],
    "E23000022": [
        _commissioner("Northamptonshire"),
        _fire_commissioner("Northamptonshire", date(2019, 1, 1)),
    ],
    "E23000028": [_commissioner("Essex"), _fire_commissioner("Essex", date(2017, 10, 1))],
    "E23000034": [
        Period(
            "police_authority",
            "Common Council of the City of London",
            "City of London Police Authority Board",
            COMMISSIONERS_FIRST_TOOK_OFFICE,
        )
    ],
}


def periods_for(code: str, name: str) -> list[tuple[Period, date | None]]:
    """The area's periods, each with its last day (None for the one holding the functions now).
    An area not listed has had a police and crime commissioner throughout."""
    periods = KNOWN.get(code.upper()) or [_commissioner(name)]
    ends = [following.functions_from for following in periods[1:]]
    return [
        (period, end - timedelta(days=1) if end else None)
        for period, end in zip(periods, [*ends, None], strict=True)
    ]
