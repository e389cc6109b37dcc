"""A form sent twice (a double click, the back button and "resend") or an API request retried is
acted on once: one action, one contribution request, one email, and the second lands where the
first did. A new form makes something new each time, and a refused form can be corrected."""

import re
import threading
import time
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from assessments.models import ContributionRequest
from assessments.services import assessments as assessment_services
from csp_portal.models import SubmissionToken
from csp_portal.tasks import expire_submissions
from partnerships.models import Invitation, Membership, Role, Seat
from plans import deadlines
from plans.models import PlanAction, ProgressUpdate
from plans.services import approval, drafting
from tests.api.conftest import api
from tests.conftest import signed_in
from tests.factories import member, organisation_in
from tests.plans.conftest import YEAR, add_action, approved_assessment, sign_off_by_every_seat

pytestmark = pytest.mark.django_db

ALREADY = "You sent this form more than once. It has been acted on once."


def token_of(page) -> str:
    """The one-time token a form page carries, as the browser would send it back."""
    return re.search(
        r'<input type="hidden"\s+name="submission_token"\s+value="([0-9a-f]{32})"',
        page.content.decode(),
    ).group(1)


@pytest.fixture
def plan(partnership, coordinator):
    return drafting.plan_start(
        acting_user=coordinator,
        partnership=partnership,
        assessment=approved_assessment(partnership, coordinator),
    )


def action_form(plan):
    priority = plan.priorities.first()
    url = reverse(
        "plans:action_add",
        kwargs={
            "partnership_slug": plan.partnership.slug,
            "plan_id": plan.pk,
            "plan_priority_id": priority.pk,
        },
    )
    data = {
        "description": "Patrol the town centre on Friday nights",
        "lead_organisation": organisation_in(plan.partnership, Seat.POLICE).pk,
        "start_date_0": "1",
        "start_date_1": "4",
        "start_date_2": str(YEAR),
        "due_date_0": "31",
        "due_date_1": "3",
        "due_date_2": str(YEAR + 1),
    }
    return url, data


def test_an_action_form_sent_twice_makes_one_action(coordinator_client, plan):
    url, data = action_form(plan)
    page = coordinator_client.get(url)
    token = token_of(page)
    assert 'data-prevent-double-click="true"' in page.content.decode()

    first = coordinator_client.post(url, {**data, "submission_token": token})
    second = coordinator_client.post(url, {**data, "submission_token": token})

    assert PlanAction.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]  # where the first one led
    landed = coordinator_client.get(second["Location"]).content.decode()
    assert ALREADY in landed


def test_a_new_form_makes_a_new_action(coordinator_client, plan):
    url, data = action_form(plan)
    for _ in range(2):
        token = token_of(coordinator_client.get(url))
        assert coordinator_client.post(url, {**data, "submission_token": token}).status_code == 302
    assert PlanAction.objects.count() == 2


def test_a_refused_form_corrected_and_sent_with_the_same_token_goes_through(
    coordinator_client, plan
):
    url, data = action_form(plan)
    token = token_of(coordinator_client.get(url))

    refused = coordinator_client.post(
        url, {**data, "due_date_2": str(YEAR + 9), "submission_token": token}
    )
    assert refused.status_code == 400
    assert token_of(refused) == token  # the form shown again keeps its token
    assert not SubmissionToken.objects.exists()

    assert coordinator_client.post(url, {**data, "submission_token": token}).status_code == 302
    assert PlanAction.objects.count() == 1


def test_someone_elses_token_is_not_theirs(partnership, coordinator_client, plan):
    url, data = action_form(plan)
    token = token_of(coordinator_client.get(url))
    coordinator_client.post(url, {**data, "submission_token": token})
    colleague = signed_in(member(partnership, Role.COORDINATOR, email="deputy@example.org"))

    response = colleague.post(url, {**data, "submission_token": token})

    assert response.status_code == 302
    assert PlanAction.objects.count() == 2


@pytest.fixture
def open_assessment(partnership, coordinator):
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=YEAR
    )
    return assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )


def test_contribution_requests_sent_twice_go_once_with_one_email(
    partnership, coordinator_client, open_assessment, django_capture_on_commit_callbacks
):
    member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, email="analyst@police.example")
    url = reverse(
        "assessments:request_contributions",
        kwargs={"partnership_slug": partnership.slug, "assessment_id": open_assessment.pk},
    )
    day = timezone.localdate() + timedelta(days=14)
    data = {
        "organisations": [organisation_in(partnership, Seat.POLICE).pk],
        "title": "Violence data",
        "questions": "What changed?",
        "due_date_0": str(day.day),
        "due_date_1": str(day.month),
        "due_date_2": str(day.year),
        "submission_token": token_of(coordinator_client.get(url)),
    }

    with django_capture_on_commit_callbacks(execute=True):
        first = coordinator_client.post(url, data)
        second = coordinator_client.post(url, data)

    assert ContributionRequest.objects.count() == 1
    assert [message.to for message in mail.outbox] == [["analyst@police.example"]]
    assert second["Location"] == first["Location"]


def test_an_invitation_sent_twice_goes_once(
    partnership, coordinator_client, django_capture_on_commit_callbacks
):
    url = reverse("partnerships:invite", kwargs={"partnership_slug": partnership.slug})
    data = {
        "full_name": "Sam Patel",
        "email": "sam.patel@nhs.example",
        "role": Role.CONTRIBUTOR,
        "organisation": organisation_in(partnership, Seat.HEALTH).pk,
        "submission_token": token_of(coordinator_client.get(url)),
    }

    with django_capture_on_commit_callbacks(execute=True):
        first = coordinator_client.post(url, data)
        second = coordinator_client.post(url, data)  # not "already invited": where it led

    assert (first.status_code, second.status_code) == (302, 302)
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_an_api_token_made_twice_is_made_once(coordinator, coordinator_client):
    url = reverse("accounts:api_token_create")
    data = {
        "name": "Case system",
        "lasts_days": "90",
        "memberships": [m.pk for m in Membership.objects.filter(user=coordinator)],
        "submission_token": token_of(coordinator_client.get(url)),
    }

    first = coordinator_client.post(url, data)
    second = coordinator_client.post(url, data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert ApiToken.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_the_same_moment_make_one_action(partnership, coordinator, monkeypatch):
    """Two requests with one token, on two connections at once: the second passes the first
    check (nothing is committed yet), then waits on the first's claim and finds it taken."""
    plan = drafting.plan_start(
        acting_user=coordinator,
        partnership=partnership,
        assessment=approved_assessment(partnership, coordinator),
    )
    url, data = action_form(plan)
    token = token_of(signed_in(coordinator).get(url))
    audit = drafting.audit_record

    def slow_audit(**kwargs):
        time.sleep(0.5)  # the first holds its transaction open while the second arrives
        return audit(**kwargs)

    monkeypatch.setattr(drafting, "audit_record", slow_audit)
    clients = [signed_in(coordinator), signed_in(coordinator)]
    start = threading.Barrier(2)
    responses = [None, None]

    def send(index):
        try:
            start.wait()
            responses[index] = clients[index].post(url, {**data, "submission_token": token})
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert PlanAction.objects.count() == 1
    assert [response.status_code for response in responses] == [302, 302]
    assert responses[0]["Location"] == responses[1]["Location"]


def test_an_api_retry_with_the_same_idempotency_key_reports_once(
    partnership, coordinator, monkeypatch
):
    monkeypatch.setattr(deadlines, "local_today", lambda: date(YEAR, 11, 15))

    plan = drafting.plan_start(
        acting_user=coordinator,
        partnership=partnership,
        assessment=approved_assessment(partnership, coordinator),
    )
    action = add_action(plan, coordinator)
    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    signers = {
        seat: member(partnership, Role.STRATEGY_MEMBER, seat=seat) for seat in Seat.statutory()
    }
    sign_off_by_every_seat(plan, signers)
    approval.plan_publish(acting_user=coordinator, plan=plan)
    officer = member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE)
    client = api(officer)
    url = f"/api/v1/p/{partnership.slug}/actions/{action.pk}/progress/"
    quarter = client.get(f"/api/v1/p/{partnership.slug}/actions/{action.pk}/").json()[
        "reportable_quarters"
    ][-1]
    body = {"quarter": quarter, "revision": 0, "status": "on_track", "narrative": "Done."}

    def send(key, **changes):
        return client.post(
            url, {**body, **changes}, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
        )

    first, retry = send("4b6f-retry"), send("4b6f-retry")
    assert (first.status_code, retry.status_code) == (200, 200)
    assert retry.json()["progress_updates"] == first.json()["progress_updates"]
    assert ProgressUpdate.objects.get().revision == 1  # not refused as stale, not saved twice

    assert send("x" * 65).status_code == 400
    assert "Idempotency-Key" in send("x" * 65).json()["fields"]
    # Without a key, or with a new one, a request is a new request.
    assert send("another", revision=1, narrative="More.").status_code == 200
    assert ProgressUpdate.objects.get().revision == 2


def test_claims_are_forgotten_after_a_day(coordinator):
    old = SubmissionToken.objects.create(
        user=coordinator, key="a" * 32, created_at=timezone.now() - timedelta(hours=25)
    )
    recent = SubmissionToken.objects.create(user=coordinator, key="b" * 32)

    assert expire_submissions.delay().get() == 1

    assert list(SubmissionToken.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not SubmissionToken.objects.filter(pk=old.pk).exists()


def test_a_form_without_a_token_still_works(coordinator_client, plan):
    """An old page (or a client that sends none) is acted on, as before: just not guarded."""
    url, data = action_form(plan)
    assert coordinator_client.post(url, data).status_code == 302
    assert PlanAction.objects.count() == 1
