"""The statutory reviews this engine runs, as data: each one's name, its statute, who must be sent
its report, and when it came (or comes) into force. Plain data: migration 0004 reads it to make the
rows, and ``reviews.selectors.review_type_on`` makes a missing row from it.

- Domestic homicide reviews: Domestic Violence, Crime and Victims Act 2004 s9, in force since
  13 April 2011; the report goes to the Home Office.
- Domestic abuse related death reviews: the same s9 as substituted by the Victims and Prisoners Act
  2024 s19, which widens it to deaths that appear to have resulted from domestic abuse (suicides
  included) and requires the report to go to the Secretary of State and the Domestic Abuse
  Commissioner. legislation.gov.uk shows s19 as prospective (checked December 2026: no
  commencement regulations bring it into force), so it has no date here; an administrator sets
  ``in_force_from`` when regulations name one, and reviews notified from that day on are domestic
  abuse related death reviews while older ones stay domestic homicide reviews.
- Offensive weapons homicide reviews: Police, Crime, Sentencing and Courts Act 2022 s24 onwards
  (the review partners: the chief officer of police, the local authorities and the integrated
  care board or local health board for the area), piloted from 18 April 2023 in London, the West
  Midlands and Wales; the report goes to the Home Office.
"""

from datetime import date
from typing import NamedTuple


class Type(NamedTuple):
    name: str
    statute: str
    report_to_home_office: bool
    report_to_domestic_abuse_commissioner: bool
    in_force_from: date | None


DHR = "dhr"
DARDR = "dardr"
OWHR = "owhr"

TYPES: dict[str, Type] = {
    DHR: Type(
        "Domestic homicide review",
        "Domestic Violence, Crime and Victims Act 2004, section 9",
        True,
        False,
        date(2011, 4, 13),
    ),
    DARDR: Type(
        "Domestic abuse related death review",
        "Domestic Violence, Crime and Victims Act 2004, section 9, as substituted by the Victims "
        "and Prisoners Act 2024, section 19",
        True,
        True,
        None,
    ),
    OWHR: Type(
        "Offensive weapons homicide review",
        "Police, Crime, Sentencing and Courts Act 2022, sections 24 to 40",
        True,
        False,
        date(2023, 4, 18),
    ),
}
