"""Consultation comments through the API, on a plan in consultation and on an assessment in
review: the same rules as the pages (who reads and writes, when, the coordinator's answer), with
the audit trail, the retry of a request already acted on and a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import AssessmentComment
from assessments.services import assessments as assessment_services
from audit.models import AuditEvent
from partnerships.consultation import CommentStatus
from partnerships.models import Role, Seat
from plans.models import PlanComment
from plans.services import approval
from tests.assessments.conftest import complete
from tests.factories import member

from .conftest import api

pytestmark = pytest.mark.django_db


@pytest.fixture
def consulting(plan_with_action, coordinator, signers):
    return approval.plan_open_consultation(
        acting_user=coordinator,
        plan=plan_with_action,
        closes_on=timezone.localdate() + timedelta(days=10),
    )


@pytest.fixture
def in_review(partnership, coordinator):
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=2030
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )
    complete(assessment, coordinator)
    return assessment_services.assessment_submit_for_review(
        acting_user=coordinator, assessment=assessment
    )


def plan_comments_url(plan) -> str:
    return f"/api/v1/p/{plan.partnership.slug}/plans/{plan.pk}/comments/"


def assessment_comments_url(assessment) -> str:
    return f"/api/v1/p/{assessment.partnership.slug}/assessments/{assessment.pk}/comments/"


def post(client, url, body, **headers):
    return client.post(url, body, content_type="application/json", headers=headers)


def _state(model):
    return (
        list(model.objects.order_by("pk").values_list("pk", "status", "response")),
        AuditEvent.objects.count(),
    )


def test_a_partner_comments_on_a_plan_and_the_coordinator_answers(
    consulting, coordinator, police_officer, partnership
):
    partner = api(police_officer)
    action = consulting.actions.get()
    made = post(
        partner,
        plan_comments_url(consulting),
        {"part": f"action-{action.pk}", "body": "Add a target."},
        **{"Idempotency-Key": "c1"},
    )
    assert made.status_code == 201, made.json()
    assert (made.json()["about"], made.json()["status"]) == (
        f"Action: {action.description}",
        "open",
    )
    # The same request again (a retry) is answered with the comment, and makes no second one.
    again = post(
        partner,
        plan_comments_url(consulting),
        {"part": f"action-{action.pk}", "body": "Add a target."},
        **{"Idempotency-Key": "c1"},
    )
    assert (again.status_code, again.json()["id"]) == (200, made.json()["id"])
    assert PlanComment.objects.count() == 1
    refused = post(partner, plan_comments_url(consulting), {"part": "action-999999", "body": "x"})
    assert refused.status_code == 400 and "part" in refused.json()["fields"]
    unknown = post(partner, plan_comments_url(consulting), {"body": "x", "author": "me"})
    assert unknown.status_code == 400 and "author" in unknown.json()["fields"]

    # Only the coordinator responds; the partner is told nothing is there.
    respond = plan_comments_url(consulting) + f"{made.json()['id']}/response/"
    before = _state(PlanComment)
    assert post(partner, respond, {"outcome": "accepted", "response": "Y"}).status_code == 404
    assert _state(PlanComment) == before
    answered = post(api(coordinator), respond, {"outcome": "accepted", "response": "Added."})
    assert answered.status_code == 200
    assert (answered.json()["status"], answered.json()["response"]) == ("accepted", "Added.")
    assert AuditEvent.objects.filter(action="plan.comment_respond").count() == 1
    listed = partner.get(plan_comments_url(consulting)).json()
    assert [row["response"] for row in listed["results"]] == ["Added."]

    # Closed consultation: no more comments, and the refusal says why.
    approval.plan_close_consultation(acting_user=coordinator, plan=consulting)
    late = post(partner, plan_comments_url(consulting), {"body": "Late"})
    assert late.status_code == 400 and "closed" in str(late.json()["fields"])
    assert PlanComment.objects.count() == 1


def test_comments_on_an_assessment_in_review_follow_the_pages_rules(
    in_review, coordinator, police_officer, partnership
):
    strategy = member(partnership, Role.STRATEGY_MEMBER, seat=Seat.POLICE)
    client = api(strategy)
    section = in_review.sections.first()
    made = post(
        client, assessment_comments_url(in_review), {"part": f"section-{section.pk}", "body": "Hi"}
    )
    assert made.status_code == 201 and made.json()["about"] == section.get_kind_display()
    assert AuditEvent.objects.filter(action="assessment.comment").count() == 1
    # A contributor does not read the version in review: nothing is there for them.
    partner = api(police_officer)
    before = _state(AssessmentComment)
    assert partner.get(assessment_comments_url(in_review)).status_code == 404
    assert post(partner, assessment_comments_url(in_review), {"body": "x"}).status_code == 404
    assert _state(AssessmentComment) == before

    respond = assessment_comments_url(in_review) + f"{made.json()['id']}/response/"
    assert post(client, respond, {"outcome": "declined", "response": "N"}).status_code == 404
    coordinator_client = api(coordinator)
    answered = post(coordinator_client, respond, {"outcome": "answered", "response": "See 3."})
    assert answered.json()["status"] == CommentStatus.ANSWERED
    wrong = post(coordinator_client, respond, {"outcome": "open", "response": "x"})
    assert wrong.status_code == 400 and "outcome" in wrong.json()["fields"]

    assessment_services.assessment_approve(acting_user=strategy, assessment=in_review)
    late = post(client, assessment_comments_url(in_review), {"body": "Late"})
    assert late.status_code == 400 and "not in review" in str(late.json()["fields"])
    frozen = post(coordinator_client, respond, {"outcome": "accepted", "response": "x"})
    assert frozen.status_code == 400 and "approved" in str(frozen.json()["fields"])
    assert AssessmentComment.objects.get().status == CommentStatus.ANSWERED


def test_the_list_runs_a_fixed_number_of_queries(in_review, coordinator, partnership):
    client = api(coordinator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(assessment_comments_url(in_review)).status_code == 200
        return len(captured)

    post(client, assessment_comments_url(in_review), {"body": "First"})
    queries()  # the token's last use is written once a minute
    small = queries()
    for index in range(12):
        post(client, assessment_comments_url(in_review), {"body": f"Comment {index}"})
    assert client.get(assessment_comments_url(in_review)).json()["count"] == 13
    assert queries() == small
