"""One fictional domestic homicide review for the demonstration, made through the services.

Everything in it is invented: the pseudonyms, dates and text describe no real case.
"""

from datetime import date

from partnerships.models import Membership, Partnership, Role, Seat
from reviews.models import Decision, DomesticHomicideReview, ReviewStatus
from reviews.services import lifecycle

S = ReviewStatus


def seed_reviews(*, partnerships: dict[str, Partnership]) -> None:
    trafford = partnerships["E22000107"]
    if DomesticHomicideReview.objects.filter(partnership=trafford).exists():
        return
    coordinator = (
        Membership.objects.filter(partnership=trafford, role=Role.COORDINATOR)
        .select_related("user")
        .first()
        .user
    )
    police = trafford.partner_organisations.get(seat=Seat.POLICE).organisation
    review = lifecycle.review_notify(
        acting_user=coordinator,
        partnership=trafford,
        victim_pseudonym="Adult A",
        perpetrator_pseudonym="Adult B",
        death_month=date(2026, 5, 1),
        notified_on=date(2026, 5, 18),
        notified_by=police,
        aged_16_or_over=True,
        relationship="intimate_partner",
        circumstances="Fictional demonstration case. Adult A died at home; Adult B is charged.",
    )
    steps = [
        (S.UNDER_CONSIDERATION, {}),
        (
            S.DECIDED,
            {
                "decision": Decision.REVIEW,
                "decision_reasons": "The statutory criteria are met.",
                "decided_on": date(2026, 6, 10),
            },
        ),
        (S.HOME_OFFICE_NOTIFIED, {"home_office_notified_on": date(2026, 6, 12)}),
        (
            S.COMMISSIONED,
            {
                "chair_name": "Independent Chair (demo)",
                "chair_independence": "No involvement with any agency in Greater Manchester.",
                "chair_appointed_on": date(2026, 7, 1),
            },
        ),
        (
            S.SCOPING,
            {"terms_of_reference": "Agencies' contact with Adult A and Adult B since 2023."},
        ),
        (S.EVIDENCE_GATHERING, {}),
    ]
    for status, fields in steps:
        lifecycle.review_advance(acting_user=coordinator, review=review, to=status, **fields)
    lifecycle.review_hold(
        acting_user=coordinator,
        review=review,
        reason="Criminal proceedings against Adult B",
        started_on=date(2026, 9, 1),
        expected_restart=date(2027, 1, 15),
    )
    # The family's solicitors have written about a claim: whatever the retention schedule says,
    # nothing of the review is deleted (the coordinator's "What is kept" page says so).
    lifecycle.review_legal_hold_set(
        acting_user=coordinator,
        review=review,
        reason="Civil claim notified by the family's solicitors (demonstration)",
    )
