"""ASB case reviews built through the services, as a resident and a coordinator would."""

import uuid
from datetime import date, timedelta

from django.utils import timezone

from casereviews import services
from partnerships.models import Seat
from tests.factories import organisation_in

APPLICATION = {
    "applicant_name": "Sam O'Neill",
    "applicant_email": "sam@example.org",
    "applicant_phone": "",
    "on_behalf_of": "",
    "location": "Ash Grove estate",
    "behaviour": "Loud parties every night and threats when asked to stop.",
    "complaints_made": 3,
    "complaints_to": "The police on 3 March, the council on 20 March.",
}


def publish_procedure(partnership, coordinator, **changes):
    fields = {
        "threshold_complaints": 3,
        "other_grounds": "",
        "contact": "Community Safety Team, Town Hall",
        "contact_email": "asb@example.org",
        "decision_days": 14,
        "review_days": 28,
        "appeal_reviewer": "The chair of the partnership",
        "appeal_window_days": 20,
        "appeal_decision_days": 20,
        **changes,
    }
    return services.procedure_save(
        acting_user=coordinator, partnership=partnership, publish=True, **fields
    )


def apply(partnership, *, source="", now=None, **changes):
    return services.application_submit(
        partnership=partnership,
        token=uuid.uuid4(),
        details={**APPLICATION, **changes},
        source=source,
        now=now,
    )


def decide(case, coordinator, met=True, reasons="Three qualifying complaints."):
    return services.threshold_decide(acting_user=coordinator, case=case, met=met, reasons=reasons)


def review_held(case, coordinator, *, recommendations=1):
    """The case reviewed: the meeting, the police's response and ``recommendations``."""
    police = organisation_in(case.partnership, Seat.POLICE)
    services.meeting_record(
        acting_user=coordinator,
        case=case,
        meeting_date=timezone.localdate(),
        findings="Reports were closed without a visit.",
    )
    services.response_record(
        acting_user=coordinator, case=case, organisation=police, response="Two visits logged."
    )
    for number in range(recommendations):
        services.recommendation_add(
            acting_user=coordinator,
            case=case,
            recommendation=f"Joint visit {number + 1}",
            owner=police,
            due_date=date.today() + timedelta(days=30),
        )
    return case


def concluded(partnership, coordinator, **changes):
    case = apply(partnership, **changes)
    decide(case, coordinator)
    review_held(case, coordinator)
    return services.case_conclude(acting_user=coordinator, case=case)
