"""A line of the action plan of the review built in ``builders.reviews``.

PYTEST_DONT_REWRITE: see the package's docstring.
"""

from datetime import timedelta

import pytest

from reviews.services import action_plan

from .reviews import TODAY


@pytest.fixture
def action_line(dhr, coordinator, council_org):
    return action_plan.recommendation_add(
        acting_user=coordinator,
        review=dhr,
        recommendation="Share risk assessments at the daily safeguarding meeting.",
        action="Add the council's housing team to the daily meeting.",
        owner=council_org,
        due_date=TODAY + timedelta(days=90),
    )
