"""A line of the action plan of the review built in ``builders.reviews``.

PYTEST_DONT_REWRITE: see the package's docstring.
"""

from datetime import timedelta

import pytest

from partnerships.models import Seat
from reviews.services import action_plan
from tests.factories import organisation_in

from .reviews import TODAY


def add_line(review, coordinator):
    return action_plan.recommendation_add(
        acting_user=coordinator,
        review=review,
        recommendation="Share risk assessments at the daily safeguarding meeting.",
        action="Add the council's housing team to the daily meeting.",
        owner=organisation_in(review.partnership, Seat.LOCAL_AUTHORITY),
        due_date=TODAY + timedelta(days=90),
    )


@pytest.fixture
def action_line(dhr, coordinator):
    return add_line(dhr, coordinator)
