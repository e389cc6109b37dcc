"""Agencies asked for their evidence on the review built in ``builders.reviews``: the police and
the council for chronologies, the police for an IMR.

PYTEST_DONT_REWRITE: see the package's docstring.
"""

from datetime import timedelta

import pytest

from reviews.models import AgencyRequestKind
from reviews.services import evidence

from .reviews import TODAY


def ask(review, coordinator, organisation, kind, *, days):
    return evidence.agency_request_create(
        acting_user=coordinator,
        review=review,
        organisation=organisation,
        kind=kind,
        due_date=TODAY + timedelta(days=days),
    )


@pytest.fixture
def police_chronology(dhr, coordinator, police_org):
    return ask(dhr, coordinator, police_org, AgencyRequestKind.CHRONOLOGY, days=14)


@pytest.fixture
def council_chronology(dhr, coordinator, council_org):
    return ask(dhr, coordinator, council_org, AgencyRequestKind.CHRONOLOGY, days=14)


@pytest.fixture
def police_imr(dhr, coordinator, police_org):
    return ask(dhr, coordinator, police_org, AgencyRequestKind.IMR, days=30)
