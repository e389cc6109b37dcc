"""A date set in the future is bounded, in the service, with a message for its field: a year typed
wrong (9999) is refused and changes nothing, in every family of forms that sets one."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments.models import SectionKind
from assessments.services import assessments as assessment_services
from assessments.services import contributions as contribution_services
from partnerships.models import Seat
from plans.models import PlanSectionKind
from plans.services import drafting
from reviews.services import action_plan, evidence, lifecycle
from tests.factories import organisation_in
from tests.plans.conftest import approved_assessment

pytest_plugins = ["tests.reviews.builders"]
pytestmark = pytest.mark.django_db

FAR = date(9999, 12, 31)


def _rows() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def _refused(call, field: str, message: str) -> None:
    before = _rows()
    with pytest.raises(ValidationError) as refused:
        call()
    assert refused.value.message_dict[field] == [message]
    assert _rows() == before


@pytest.fixture
def open_assessment(partnership, coordinator):
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=timezone.localdate().year
    )
    return assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )


def test_a_contribution_request_due_in_the_year_9999_is_refused_on_the_page(
    coordinator_client, partnership, open_assessment
):
    police = organisation_in(partnership, Seat.POLICE)
    form = reverse(
        "assessments:request_contributions",
        kwargs={"partnership_slug": partnership.slug, "assessment_id": open_assessment.pk},
    )
    before = _rows()

    response = coordinator_client.post(
        form,
        {
            "organisations": [police.pk],
            "title": "Violence data",
            "questions": "What changed?",
            "due_date_0": "31",
            "due_date_1": "12",
            "due_date_2": "9999",
        },
    )

    assert response.status_code == 400
    assert "The date must be within 1 year from today" in response.content.decode()
    assert _rows() == before
    assert mail.outbox == []


def test_a_contribution_request_is_due_within_a_year(partnership, coordinator, open_assessment):
    def send(due_date):
        return contribution_services.contribution_requests_send(
            acting_user=coordinator,
            assessment=open_assessment,
            organisations=[organisation_in(partnership, Seat.POLICE)],
            title="Violence data",
            questions="What changed?",
            data_requested="",
            due_date=due_date,
        )

    _refused(
        lambda: send(timezone.localdate() + timedelta(days=400)),
        "due_date",
        "The date must be within 1 year from today",
    )
    assert send(timezone.localdate() + timedelta(days=300))


def test_a_public_meeting_is_dated_within_a_year(coordinator, open_assessment):
    section = open_assessment.sections.get(kind=SectionKind.COMMUNITY)
    _refused(
        lambda: assessment_services.assessment_section_update(
            acting_user=coordinator,
            section=section,
            revision=section.revision,
            body="What residents said.",
            public_meeting_date=FAR,
        ),
        "public_meeting_date",
        "The date must be within 1 year from today",
    )


def test_a_plans_protocol_review_is_dated_within_five_years(partnership, coordinator):
    plan = drafting.plan_start(
        acting_user=coordinator,
        partnership=partnership,
        assessment=approved_assessment(partnership, coordinator),
    )
    section = plan.sections.get(kind=PlanSectionKind.INFORMATION_SHARING)
    _refused(
        lambda: drafting.plan_section_update(
            acting_user=coordinator,
            section=section,
            revision=section.revision,
            body="Signed by every authority.",
            protocol_title="Greater Manchester protocol",
            protocol_review_date=FAR,
        ),
        "protocol_review_date",
        "The date must be within 5 years from today",
    )


def test_an_agency_request_is_due_within_a_year(dhr, coordinator, police_org):
    _refused(
        lambda: evidence.agency_request_create(
            acting_user=coordinator,
            review=dhr,
            organisation=police_org,
            kind="chronology",
            due_date=FAR,
        ),
        "due_date",
        "The date must be within 1 year from today",
    )


def test_a_recommendation_is_due_within_five_years(dhr, coordinator, police_org):
    _refused(
        lambda: action_plan.recommendation_add(
            acting_user=coordinator,
            review=dhr,
            recommendation="Train front-line staff.",
            action="A training programme.",
            owner=police_org,
            due_date=FAR,
        ),
        "due_date",
        "The date must be within 5 years from today",
    )


def test_a_hold_is_expected_to_end_within_two_years(dhr, coordinator):
    _refused(
        lambda: lifecycle.review_hold(
            acting_user=coordinator,
            review=dhr,
            reason="Criminal proceedings",
            started_on=timezone.localdate(),
            expected_restart=FAR,
        ),
        "expected_restart",
        "The date must be within 2 years from today",
    )
