"""The statutory reviews this engine runs, as data: each one's name, statute, the criteria its
notification asks, who decides, its clocks, who is told and who is sent its report, what its
documents are called, and when it came (or comes) into force. Plain data: migrations 0004 and
0005 read it to make and fill the rows, and ``reviews.selectors.review_type_of`` makes a missing
row from it. An administrator may change a row (a clock, a date of commencement); the services
and the sweep read the row, never these constants.

- Domestic homicide reviews: Domestic Violence, Crime and Victims Act 2004 s9, in force since
  13 April 2011; the community safety partnership decides; the report goes to the Home Office.
  Clocks from the Home Office's multi-agency statutory guidance (2016): decide within one month of
  the police notification, tell the Home Office promptly (a week here), complete within six
  months of the decision.
- Domestic abuse related death reviews: the same s9 as substituted by the Victims and Prisoners Act
  2024 s19, which widens it to deaths that appear to have resulted from domestic abuse (suicides
  included) and requires the report to go to the Secretary of State and the Domestic Abuse
  Commissioner. legislation.gov.uk shows s19 as prospective (checked December 2026: no
  commencement regulations bring it into force), so it has no date here; an administrator sets
  ``in_force_from`` when regulations name one, and reviews notified from that day on are domestic
  abuse related death reviews while older ones stay domestic homicide reviews.
- Offensive weapons homicide reviews: Police, Crime, Sentencing and Courts Act 2022 s24 onwards.
  A review partner must join the other "relevant review partners" (s25 and the 2022 regulations:
  the chief officer of police, the local authority, and the integrated care board in England or
  the local health board in Wales, for the area where the death occurred) in arranging a review
  where the death was, or is likely to have been, a qualifying homicide in England or Wales of a
  person aged 18 or over, whose events involved or probably involved an offensive weapon, and one
  of the partners holds information relevant to the review; no review where another statutory
  review (a domestic homicide review among them) is required (s26). Piloted from 1 April 2023
  (SI 2023/227) with South Wales, the London boroughs of Barnet, Brent, Harrow, Lambeth and
  Southwark, and Birmingham and Coventry: ``OWHR_PILOT_AREAS``. The relevant review partners
  decide; the Home Office is told of the decision (s27) and sent the report.
- Single unified safeguarding review (Wales): Welsh Government statutory guidance, in effect from
  1 October 2024; one review in Wales wherever the criteria of a domestic homicide review, an
  offensive weapons homicide review (or an adult or child practice review, or a mental health
  homicide review) are met. The regional safeguarding board decides; Welsh Government is told
  whenever a review takes place; a domestic homicide review in Wales still goes to the Home Office
  for quality assurance.
"""

from datetime import date
from typing import NamedTuple

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as noop


class Criterion(NamedTuple):
    """A question the notification asks: ``field`` is the review's field that keeps the answer,
    ``kind`` ``"yes_no"`` (a required yes or no), ``"tick"`` (ticked or not) or
    ``"relationship"`` (a choice, may be none)."""

    field: str
    kind: str
    question: Promise


# Every criterion any type asks, by key (the review's field of the same name keeps the answer).
CRITERIA: dict[str, Criterion] = {
    "aged_16_or_over": Criterion(
        "aged_16_or_over", "yes_no", _("Was the person who died aged 16 or over?")
    ),
    "relationship": Criterion(
        "relationship",
        "relationship",
        _("The death may have resulted from violence, abuse or neglect by"),
    ),
    "suicide_with_domestic_abuse": Criterion(
        "suicide_with_domestic_abuse", "tick", _("A suicide where domestic abuse is a concern")
    ),
    "qualifying_homicide": Criterion(
        "qualifying_homicide",
        "yes_no",
        _(
            "Was the death, or is it likely to have been, a homicide (murder, manslaughter or "
            "infanticide) in England or Wales?"
        ),
    ),
    "aged_18_or_over": Criterion(
        "aged_18_or_over", "yes_no", _("Was the person who died aged 18 or over?")
    ),
    "offensive_weapon": Criterion(
        "offensive_weapon",
        "yes_no",
        _(
            "Did the events surrounding the death involve, or probably involve, the use of an "
            "offensive weapon?"
        ),
    ),
    "partner_holds_information": Criterion(
        "partner_holds_information",
        "yes_no",
        _(
            "Does a review partner hold, or could it be expected to hold, information about the "
            "person who died or the suspect that is relevant to a review?"
        ),
    ),
}
DOMESTIC_CRITERIA = ["aged_16_or_over", "relationship", "suicide_with_domestic_abuse"]
OWHR_CRITERIA = [
    "qualifying_homicide",
    "aged_18_or_over",
    "offensive_weapon",
    "partner_holds_information",
]


class DecidedBy:
    PARTNERSHIP = "partnership"
    REVIEW_PARTNERS = "review_partners"
    REGIONAL_SAFEGUARDING_BOARD = "regional_safeguarding_board"


class Type(NamedTuple):
    name: str
    statute: str
    report_to_home_office: bool
    report_to_domestic_abuse_commissioner: bool
    in_force_from: date | None
    # Added by migration 0005 (0004 makes the rows from the five fields above).
    criteria: list[str]
    decided_by: str
    decision_months: int
    home_office_notice_days: int
    completion_months: int
    welsh_government_notified: bool
    overview_report_name: str
    executive_summary_name: str
    applies_where: str


# SI 2023/227, regulation 2: the pilot partners' areas (their police area or local authority).
OWHR_PILOT_AREAS = (
    "South Wales",
    "Barnet",
    "Brent",
    "Harrow",
    "Lambeth",
    "Southwark",
    "Birmingham",
    "Coventry",
)
OWHR_PILOT = (
    "Piloted from 1 April 2023 (SI 2023/227) with the review partners of "
    + ", ".join(OWHR_PILOT_AREAS)
    + "; check the regulations in force for the area"
)

DHR = "dhr"
DARDR = "dardr"
OWHR = "owhr"
SUSR = "susr"

# The columns migration 0004 made; 0005 fills the rest.
FIRST_FIELDS = (
    "name",
    "statute",
    "report_to_home_office",
    "report_to_domestic_abuse_commissioner",
    "in_force_from",
)

# Names are stored in English; pages and documents translate them (``ReviewType.title`` and
# friends), so ``noop`` marks them for the catalogue.
TYPES: dict[str, Type] = {
    DHR: Type(
        noop("Domestic homicide review"),
        "Domestic Violence, Crime and Victims Act 2004, section 9",
        True,
        False,
        date(2011, 4, 13),
        DOMESTIC_CRITERIA,
        DecidedBy.PARTNERSHIP,
        1,
        7,
        6,
        False,
        noop("Overview report"),
        noop("Executive summary"),
        "",
    ),
    DARDR: Type(
        noop("Domestic abuse related death review"),
        "Domestic Violence, Crime and Victims Act 2004, section 9, as substituted by the Victims "
        "and Prisoners Act 2024, section 19",
        True,
        True,
        None,
        DOMESTIC_CRITERIA,
        DecidedBy.PARTNERSHIP,
        1,
        7,
        6,
        False,
        noop("Overview report"),
        noop("Executive summary"),
        "",
    ),
    OWHR: Type(
        noop("Offensive weapons homicide review"),
        "Police, Crime, Sentencing and Courts Act 2022, sections 24 to 40",
        True,
        False,
        date(2023, 4, 1),
        OWHR_CRITERIA,
        DecidedBy.REVIEW_PARTNERS,
        1,
        7,
        12,
        False,
        noop("Offensive weapons homicide review report"),
        noop("Summary of the offensive weapons homicide review"),
        OWHR_PILOT,
    ),
    SUSR: Type(
        noop("Single unified safeguarding review"),
        "Welsh Government statutory guidance on the single unified safeguarding review (2024), "
        "with the Domestic Violence, Crime and Victims Act 2004, section 9, and the Police, "
        "Crime, Sentencing and Courts Act 2022, section 24",
        True,
        False,
        date(2024, 10, 1),
        [*DOMESTIC_CRITERIA, *OWHR_CRITERIA],
        DecidedBy.REGIONAL_SAFEGUARDING_BOARD,
        1,
        7,
        6,
        True,
        noop("Single unified safeguarding review report"),
        noop("Learning summary"),
        "Wales, from 1 October 2024: the regional safeguarding board's area",
    ),
}
