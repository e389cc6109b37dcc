"""ASB case reviews for the demonstration, in Trafford and Cardiff, made through the services:
a published procedure each, and applications at each step (received, threshold not met, under
review, concluded with recommendations, appealed). Every name and address is invented."""

import uuid
from datetime import timedelta

from django.utils import timezone

from casereviews import services
from casereviews.models import CaseReview, ReviewProcedure
from partnerships.models import Membership, Partnership, Role, Seat

TRAFFORD, CARDIFF = "E22000107", "W14000015"

PROCEDURES = {
    TRAFFORD: {
        "threshold_complaints": 3,
        "other_grounds": "One report of a hate incident or crime in the last six months.",
        "contact": "Safer Trafford Partnership, Trafford Town Hall, Talbot Road, Stretford.",
        "contact_email": "asb.casereview@trafford.example.org",
        "appeal_reviewer": "The chair of the Safer Trafford Partnership",
    },
    CARDIFF: {
        "threshold_complaints": 3,
        "other_grounds": "",
        "contact": "Community Safety Team, Cardiff Council, County Hall, Atlantic Wharf.",
        "contact_email": "asb.casereview@cardiff.example.org",
        "appeal_reviewer": "The Police and Crime Commissioner's office for South Wales",
    },
}
DEFAULT_PERIODS = {
    "decision_days": 14,
    "review_days": 28,
    "appeal_window_days": 20,
    "appeal_decision_days": 20,
}
# Oldest first, so that the references run in the order the applications came in.
APPLICANTS = [
    ("Casey Fictional", "Elm Court flats", 5, 90),
    ("Morgan Invented", "Brook Street", 3, 60),
    ("Jordan Example", "Station Road", 1, 40),
    ("Riley Sample", "the Parade shops", 3, 20),
    ("Alex Demo", "Maple Close", 4, 3),
]


def _application(partnership: Partnership, name: str, place: str, reports: int, days_ago: int):
    return services.application_submit(
        partnership=partnership,
        token=uuid.uuid4(),
        details={
            "applicant_name": name,
            "applicant_email": f"{name.split()[0].lower()}@example.org",
            "applicant_phone": "",
            "on_behalf_of": "",
            "location": place,
            "behaviour": "Fictional demonstration case: noise, litter and threats late at night.",
            "complaints_made": reports,
            "complaints_to": "The police and the council, each within a week of the incident.",
        },
        now=timezone.now() - timedelta(days=days_ago),
    )


def _seed(partnership: Partnership, fields: dict) -> None:
    if ReviewProcedure.objects.filter(partnership=partnership).exists():
        return
    coordinator = (
        Membership.objects.filter(partnership=partnership, role=Role.COORDINATOR)
        .select_related("user")
        .first()
        .user
    )
    services.procedure_save(
        acting_user=coordinator,
        partnership=partnership,
        publish=True,
        **fields,
        **DEFAULT_PERIODS,
    )
    police = partnership.partner_organisations.get(seat=Seat.POLICE).organisation
    council = partnership.partner_organisations.get(seat=Seat.LOCAL_AUTHORITY).organisation
    cases: list[CaseReview] = [_application(partnership, *applicant) for applicant in APPLICANTS]
    concluded, appealed, not_met, reviewing, received = cases
    services.threshold_decide(
        acting_user=coordinator,
        case=not_met,
        met=False,
        reasons="One report in the last six months; the threshold is three.",
    )
    for case in (reviewing, concluded, appealed):
        services.threshold_decide(
            acting_user=coordinator,
            case=case,
            met=True,
            reasons="Three or more qualifying reports in the last six months.",
        )
    for case in (concluded, appealed):
        services.meeting_record(
            acting_user=coordinator,
            case=case,
            meeting_date=timezone.localdate() - timedelta(days=7),
            findings="Reports were answered one at a time; no agency saw the whole pattern.",
        )
        for organisation, response in (
            (police, "Four calls logged; two attended; no follow-up visit."),
            (council, "Noise team visited once; a warning letter was sent."),
        ):
            services.response_record(
                acting_user=coordinator, case=case, organisation=organisation, response=response
            )
        services.recommendation_add(
            acting_user=coordinator,
            case=case,
            recommendation="A joint visit by the neighbourhood team and the council.",
            owner=police,
            due_date=timezone.localdate() + timedelta(days=21),
        )
        services.case_conclude(acting_user=coordinator, case=case)
    services.appeal_record(
        acting_user=coordinator,
        case=appealed,
        received_on=timezone.localdate(),
        grounds="The landlord was not asked to the meeting.",
    )
    del received  # left waiting for its threshold decision


def seed_casereviews(*, partnerships: dict[str, Partnership]) -> None:
    for code, fields in PROCEDURES.items():
        if code in partnerships:
            _seed(partnerships[code], fields)
