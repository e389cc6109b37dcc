"""Consultation on a strategic assessment in review: those who may read the version comment on
it, the coordinator answers, accepts or declines each comment, comments stop when the review
closes, and the log stays with the approved version (counted in its document's sign-off part).
The records are built once for the module; each test runs in a savepoint."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import documents
from assessments.models import AssessmentComment
from assessments.services import assessments as assessment_services
from assessments.services import consultation
from audit.models import AuditEvent
from partnerships.consultation import CommentStatus
from partnerships.models import Role, Seat
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, member

from .conftest import YEAR, complete

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(module_data):
    def make():
        partnership = PartnershipFactory(name="Wigan", slug="wigan")
        people = {
            "coordinator": member(partnership, Role.COORDINATOR, seat=Seat.LOCAL_AUTHORITY),
            "strategy member": member(partnership, Role.STRATEGY_MEMBER, seat=Seat.POLICE),
            "contributor": member(partnership, Role.CONTRIBUTOR, seat=Seat.HEALTH),
            "scrutiny": member(partnership, Role.SCRUTINY),
            "pcc office": member(partnership, Role.PCC_OFFICE, seat=Seat.POLICE),
        }
        elsewhere = PartnershipFactory(name="Bolton", slug="bolton")
        people["stranger"] = member(elsewhere, Role.COORDINATOR)
        coordinator = people["coordinator"]
        assessment = assessment_services.assessment_start(
            acting_user=coordinator, partnership=partnership, year_start=YEAR
        )
        assessment_services.assessment_open_contributions(
            acting_user=coordinator, assessment=assessment
        )
        complete(assessment, coordinator)
        assessment = assessment_services.assessment_submit_for_review(
            acting_user=coordinator, assessment=assessment
        )
        return {"partnership": partnership, "people": people, "assessment": assessment}

    return module_data.build(make)


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


def comments_url(assessment) -> str:
    return reverse("assessments:comments", args=[assessment.partnership.slug, assessment.pk])


def respond_url(comment) -> str:
    return reverse(
        "assessments:comment_respond",
        args=[comment.partnership.slug, comment.assessment_id, comment.pk],
    )


def comment(world, who="strategy member", body="Add the night-time economy.", part=None):
    return consultation.assessment_comment_add(
        acting_user=world["people"][who], assessment=world["assessment"], body=body, part=part
    )


def _token(page) -> str:
    return re.search(rb'name="submission_token"\s+value="([0-9a-f]{32})"', page.content)[1].decode()


def test_who_may_comment_and_read_the_log_and_nothing_changes_for_the_others(world):
    assessment = world["assessment"]
    section = assessment.sections.first()
    made = comment(world, part=section)
    assert (made.about, made.organisation_name, made.status) == (
        section.get_kind_display(),
        world["people"]["strategy member"].memberships.get().organisation.name,
        CommentStatus.OPEN,
    )
    comment(world, who="coordinator")
    for who in ("contributor", "scrutiny", "pcc office", "stranger"):
        with pytest.raises(PermissionDenied):
            comment(world, who=who)
        client = signed_in(world["people"][who])
        assert client.get(comments_url(assessment)).status_code == 404
        assert (
            client.post(comments_url(assessment), {"part": "whole", "body": "Hi"}).status_code
            == 404
        )
    assert AssessmentComment.objects.filter(assessment=assessment).count() == 2
    assert AuditEvent.objects.filter(action="assessment.comment").count() == 2
    with pytest.raises(ValidationError, match="characters"):
        comment(world, body="x" * 2001)
    # Another version's section is not this assessment's.
    foreign = section.__class__(pk=section.pk, assessment_id=assessment.pk + 1000)
    with pytest.raises(ValidationError):
        comment(world, part=foreign)

    # The detail page leads there; the page takes a comment on a recommended priority.
    member_client = signed_in(world["people"]["strategy member"])
    detail = member_client.get(reverse("assessments:detail", args=["wigan", assessment.pk]))
    assert b"Comment on this assessment" in detail.content
    page = member_client.get(comments_url(assessment))
    assert b"Add a comment" in page.content and b"2 comments" in page.content
    priority = assessment.priorities.get()
    refused = member_client.post(comments_url(assessment), {"part": "priority-999999", "body": "x"})
    assert refused.status_code == 400 and b"Choose a part of this assessment" in refused.content
    sent = {
        "part": f"priority-{priority.pk}",
        "body": "Rank it first.",
        "submission_token": _token(page),
    }
    assert member_client.post(comments_url(assessment), sent).status_code == 302
    assert member_client.post(comments_url(assessment), sent).status_code == 302  # a double click
    assert AssessmentComment.objects.filter(priority=priority).count() == 1


def test_the_coordinator_responds_and_the_log_is_kept_with_the_approved_version(world, monkeypatch):
    assessment = world["assessment"]
    people = world["people"]
    first, second = comment(world), comment(world, body="Say more about reoffending.")
    member_client = signed_in(people["strategy member"])
    assert member_client.get(respond_url(first)).status_code == 404
    with pytest.raises(PermissionDenied):
        consultation.assessment_comment_respond(
            acting_user=people["strategy member"], comment=first, outcome="accepted", response="Y"
        )
    coordinator = signed_in(people["coordinator"])
    form = coordinator.get(respond_url(first))
    assert b"Accept it (the assessment changes)" in form.content
    answered = coordinator.post(
        respond_url(first),
        {"outcome": "accepted", "response": "Added.", "submission_token": _token(form)},
    )
    assert answered.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.response) == (CommentStatus.ACCEPTED, "Added.")
    with pytest.raises(ValidationError):
        consultation.assessment_comment_respond(
            acting_user=people["coordinator"], comment=first, outcome="declined", response="No"
        )
    log = member_client.get(comments_url(assessment)).content.decode()
    assert "Added." in log and "1 accepted" in log

    # Approval closes the review: no more comments, and the log is kept as it stood.
    assessment_services.assessment_approve(
        acting_user=people["strategy member"], assessment=assessment
    )
    with pytest.raises(ValidationError, match="not in review"):
        comment(world)
    with pytest.raises(ValidationError, match="approved"):
        consultation.assessment_comment_respond(
            acting_user=people["coordinator"], comment=second, outcome="declined", response="No"
        )
    late = member_client.post(comments_url(assessment), {"part": "whole", "body": "Late"})
    assert late.status_code == 400 and b"not in review" in late.content
    assert AssessmentComment.objects.filter(assessment=assessment).count() == 2
    second.refresh_from_db()
    assert second.status == CommentStatus.OPEN
    page = member_client.get(comments_url(assessment)).content.decode()
    assert "Add a comment" not in page and "Say more about reoffending." in page
    assert "Respond" not in coordinator.get(comments_url(assessment)).content.decode()
    # The document's sign-off part counts them (its context, read before it is rendered).
    seen = {}
    monkeypatch.setattr(documents, "render_pdf", lambda **kwargs: seen.update(kwargs) or b"")
    documents.assessment_pdf(assessment)
    assert (
        seen["context"]["consultation"]["total"],
        seen["context"]["consultation"]["accepted"],
    ) == (2, 1)


def test_the_log_runs_a_fixed_number_of_queries(world):
    assessment = world["assessment"]
    client = signed_in(world["people"]["coordinator"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(comments_url(assessment)).status_code == 200
        return len(captured)

    comment(world)
    queries()  # the first visit writes the session once
    small = queries()
    for index in range(15):
        comment(world, body=f"Comment {index}")
    assert queries() == small
