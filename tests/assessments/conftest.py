"""Assessments built through the services, at each point of their life."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from assessments.models import SectionKind
from assessments.services import assessments as assessment_services
from assessments.services import contributions as contribution_services
from partnerships.models import Role, Seat
from tests.factories import member, organisation_in

YEAR = 2027


def due_in(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def complete(assessment, coordinator):
    """Write every section and recommend a priority, so the assessment can be approved."""
    for section in assessment.sections.all():
        assessment_services.assessment_section_update(
            acting_user=coordinator,
            section=section,
            revision=section.revision,
            body=f"What we found about {section.get_kind_display()}.",
            public_meeting_date=date(2026, 9, 14)
            if section.kind == SectionKind.COMMUNITY
            else None,
            public_meeting_attendance=62 if section.kind == SectionKind.COMMUNITY else None,
            public_meeting_issues="Street drinking"
            if section.kind == SectionKind.COMMUNITY
            else "",
        )
    assessment_services.priority_save(
        acting_user=coordinator,
        assessment=assessment,
        theme="vawdasv",
        rationale="Domestic abuse incidents rose by a fifth.",
        evidence="Police recorded crime; IDVA referrals.",
    )
    return assessment


def send_request(assessment, coordinator, organisation, *, days=14, title="Domestic abuse data"):
    (request,) = contribution_services.contribution_requests_send(
        acting_user=coordinator,
        assessment=assessment,
        organisations=[organisation],
        title=title,
        questions="How many incidents were reported?",
        data_requested="Monthly counts, 2025/26",
        due_date=due_in(days),
    )
    return request


@pytest.fixture
def strategy_member(partnership):
    return member(partnership, Role.STRATEGY_MEMBER, seat=Seat.POLICE, email="chief@example.org")


@pytest.fixture
def police_officer(partnership):
    return member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, email="analyst@example.org")


@pytest.fixture
def council_officer(partnership):
    return member(partnership, Role.CONTRIBUTOR, seat=Seat.LOCAL_AUTHORITY, email="asb@example.org")


@pytest.fixture
def scrutiny_member(partnership):
    return member(partnership, Role.SCRUTINY, seat=Seat.LOCAL_AUTHORITY, email="cllr@example.org")


@pytest.fixture
def draft(partnership, coordinator):
    return assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=YEAR
    )


@pytest.fixture
def open_assessment(draft, coordinator):
    return assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=draft
    )


@pytest.fixture
def police(partnership):
    return organisation_in(partnership, Seat.POLICE)


@pytest.fixture
def police_request(open_assessment, coordinator, police):
    return send_request(open_assessment, coordinator, police)


@pytest.fixture
def approved(open_assessment, coordinator, strategy_member, partnership):

    complete(open_assessment, coordinator)
    assessment_services.assessment_submit_for_review(
        acting_user=coordinator, assessment=open_assessment
    )
    return assessment_services.assessment_approve(
        acting_user=strategy_member,
        assessment=open_assessment,
        note="Agreed at the strategy group, 3 March 2027",
    )
