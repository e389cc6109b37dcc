"""Domestic homicide reviews built through the services."""

from datetime import date

import pytest

from partnerships.models import Role, Seat
from reviews.models import AccessGrant, Decision, ReviewStatus
from reviews.services import lifecycle
from tests.factories import member, organisation_in

NOTIFIED = date(2026, 3, 2)


def notify(partnership, coordinator, pseudonym="Adult A", *, notified_on=NOTIFIED, **kwargs):
    return lifecycle.review_notify(
        acting_user=coordinator,
        partnership=partnership,
        victim_pseudonym=pseudonym,
        perpetrator_pseudonym="Adult B",
        death_month=date(2026, 2, 14),
        notified_on=notified_on,
        notified_by=organisation_in(partnership, Seat.POLICE),
        aged_16_or_over=True,
        relationship="intimate_partner",
        **kwargs,
    )


def advance_to_commissioned(review, user):
    lifecycle.review_advance(acting_user=user, review=review, to=ReviewStatus.UNDER_CONSIDERATION)
    lifecycle.review_advance(
        acting_user=user,
        review=review,
        to=ReviewStatus.DECIDED,
        decision=Decision.REVIEW,
        decision_reasons="The criteria are met.",
        decided_on=date(2026, 3, 20),
    )
    lifecycle.review_advance(
        acting_user=user,
        review=review,
        to=ReviewStatus.HOME_OFFICE_NOTIFIED,
        home_office_notified_on=date(2026, 3, 23),
    )
    lifecycle.review_advance(
        acting_user=user,
        review=review,
        to=ReviewStatus.COMMISSIONED,
        chair_name="J. Independent",
        chair_independence="No prior involvement with any agency in the area.",
        chair_appointed_on=date(2026, 4, 1),
    )
    review.refresh_from_db()
    return review


@pytest.fixture
def review(partnership, coordinator):
    return notify(partnership, coordinator)


@pytest.fixture
def panel_member(partnership, coordinator, review):
    user = member(partnership, Role.CONTRIBUTOR, seat=Seat.HEALTH, email="panel@example.org")
    lifecycle.access_grant(
        acting_user=coordinator, review=review, user=user, reason=AccessGrant.Reason.PANEL
    )
    return user
