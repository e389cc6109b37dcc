"""Demonstration data for PCC oversight: South Wales's police and crime plan priorities (Greater
Manchester's come with the plans demo) and one open report request to Trafford. Through the
services; a second run changes nothing.

The South Wales titles follow the themes of the published police and crime plan but are
paraphrased: treat them as plausible demonstration text, not a quotation.
"""

from datetime import timedelta

from django.utils import timezone

from oversight.models import ReportRequest
from oversight.services.priorities import pcc_priority_add
from oversight.services.report_requests import report_request_answer, report_request_create
from partnerships.models import Membership, Partnership, Role
from plans.models import PoliceAndCrimePlanPriority

SOUTH_WALES_PRIORITIES = [
    ("Safer communities", "Reducing and preventing crime and anti-social behaviour."),
    (
        "Supporting victims and vulnerable people",
        "Putting victims first and protecting those most at risk of harm.",
    ),
    (
        "Tackling violence against women and girls",
        "Domestic abuse, sexual violence and exploitation, with partners across Wales.",
    ),
    (
        "A fair and effective criminal justice system",
        "Reducing reoffending and diverting young people from crime.",
    ),
]

TRAFFORD_REQUEST = {
    "title": "Anti-social behaviour around Stretford Mall",
    "body": (
        "The Mayor's office has had repeated complaints about anti-social behaviour around "
        "Stretford Mall in the evenings.\n\nPlease report:\n\n"
        "* what the partnership knows of the pattern since April;\n"
        "* what each partner is doing about it;\n"
        "* whether the plan's anti-social behaviour actions are on track."
    ),
}


def _pcc_membership(email: str, ons_code: str) -> Membership | None:
    return (
        Membership.objects.select_related("partnership", "organisation", "user")
        .filter(user__email=email, partnership__ons_code=ons_code, role=Role.PCC_OFFICE)
        .first()
    )


def seed_oversight(*, partnerships: dict[str, Partnership]) -> None:
    cardiff = _pcc_membership("pcc@southwales.example", "W14000015")
    if (
        cardiff
        and not PoliceAndCrimePlanPriority.objects.filter(
            police_force_area=cardiff.partnership.police_force_area
        ).exists()
    ):
        for title, description in SOUTH_WALES_PRIORITIES:
            pcc_priority_add(
                acting_user=cardiff.user, membership=cardiff, title=title, description=description
            )
    trafford = _pcc_membership("pcc@greatermanchester.example", "E22000107")
    if trafford and not ReportRequest.objects.filter(partnership=trafford.partnership).exists():
        report_request_create(
            acting_user=trafford.user,
            membership=trafford,
            due_date=timezone.localdate() + timedelta(days=21),
            **TRAFFORD_REQUEST,
        )
    if cardiff and not ReportRequest.objects.filter(partnership=cardiff.partnership).exists():
        # Answered by Cardiff's coordinator: on the South Wales PCC office's Your work to read,
        # then close or ask for more.
        request = report_request_create(
            acting_user=cardiff.user,
            membership=cardiff,
            due_date=timezone.localdate() + timedelta(days=14),
            title="Serious violence duty: the strategy's first year",
            body="What the partnership's serious violence strategy has achieved this year.",
        )
        coordinator = (
            Membership.objects.select_related("user")
            .filter(partnership=cardiff.partnership, role=Role.COORDINATOR)
            .first()
        )
        if coordinator is not None:
            report_request_answer(
                acting_user=coordinator.user,
                membership=coordinator,
                report_request=request,
                body="The strategy's first-year review went to the strategy group in June; "
                "violence with injury in the city centre fell by a tenth.",
            )
