"""Consultation in the app (comments on a version, the coordinator's responses, the log frozen
with the version and counted in its document) and sign-off that chases itself (each required
seat asked at once, then reminded by the sweep until it signs, the plan is approved or it goes
back to draft)."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments.services import assessments as assessment_services
from audit.models import AuditEvent
from partnerships.models import Role, Seat
from partnerships.selectors import membership_for
from plans.deadlines import plan_sign_off_due_on
from plans.documents import plan_context
from plans.models import CommentStatus, PlanComment, PlanStatus
from plans.services import approval, consultation
from reminders.models import Notification
from reminders.outbox import outbox_send
from reminders.sweep import reminders_sweep
from tests.assessments.conftest import complete
from tests.conftest import signed_in
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def consulting(plan_with_action, coordinator, signers, police_officer):
    return approval.plan_open_consultation(
        acting_user=coordinator,
        plan=plan_with_action,
        closes_on=timezone.localdate() + timedelta(days=10),
    )


def comments_url(plan):
    return reverse(
        "plans:comments", kwargs={"partnership_slug": plan.partnership.slug, "plan_id": plan.pk}
    )


def comment(plan, user, body="Add the night-time economy.", part=None):
    return consultation.plan_comment_add(acting_user=user, plan=plan, body=body, part=part)


def test_comments_are_refused_to_others_and_after_closing_and_nothing_changes(
    consulting, coordinator, police_officer, partnership, other_partnership
):
    priority = consulting.priorities.first()
    made = comment(consulting, police_officer, part=priority)
    assert (made.about, made.organisation_name) == (
        f"Priority: {priority.get_theme_display()}",
        police_officer.memberships.get().organisation.name,
    )
    assert AuditEvent.objects.filter(action="plan.comment").count() == 1
    scrutiny = member(partnership, Role.SCRUTINY)
    stranger = member(other_partnership, Role.COORDINATOR)
    for user in (scrutiny, stranger):
        with pytest.raises(PermissionDenied):
            comment(consulting, user)
    with pytest.raises(ValidationError, match="characters"):
        comment(consulting, police_officer, body="x" * 2001)
    with pytest.raises(ValidationError):
        comment(consulting, police_officer, body="   ")
    # Another version's part is not this plan's.
    other = consulting.priorities.model(plan_id=consulting.pk + 1000, pk=priority.pk)
    with pytest.raises(ValidationError):
        comment(consulting, police_officer, part=other)

    approval.plan_close_consultation(acting_user=coordinator, plan=consulting)
    with pytest.raises(ValidationError, match="closed"):
        comment(consulting, police_officer)
    # The closing date passing closes it too, whatever the coordinator did.
    type(consulting).objects.filter(pk=consulting.pk).update(
        consultation_closed_at=None, consultation_closes_on=timezone.localdate() - timedelta(1)
    )
    with pytest.raises(ValidationError, match="closed"):
        comment(consulting, police_officer)
    assert PlanComment.objects.count() == 1
    assert AuditEvent.objects.filter(action="plan.comment").count() == 1
    # Pages: another partnership's member finds nothing; a late post is refused, not saved.
    assert signed_in(stranger).get(comments_url(consulting)).status_code == 404
    assert signed_in(scrutiny).get(comments_url(consulting)).status_code == 404
    response = signed_in(police_officer).post(
        comments_url(consulting), {"part": "plan", "body": "Late"}
    )
    assert response.status_code == 400 and b"closed" in response.content
    assert PlanComment.objects.count() == 1


def test_responses_move_each_comment_once_and_the_log_freezes_with_the_version(
    consulting, coordinator, police_officer, signers, partnership
):
    partner = member(partnership, Role.CONTRIBUTOR, seat=Seat.FIRE_AND_RESCUE)
    first, second, third, fourth = (
        comment(consulting, police_officer),
        comment(consulting, partner, part=consulting.sections.first()),
        comment(consulting, partner, part=consulting.actions.first()),
        comment(consulting, police_officer),
    )
    with pytest.raises(PermissionDenied):
        consultation.plan_comment_respond(
            acting_user=police_officer, comment=first, outcome="accepted", response="Yes"
        )
    consultation.plan_comment_respond(
        acting_user=coordinator, comment=first, outcome="answered", response="Covered in 2."
    )
    consultation.plan_comment_respond(
        acting_user=coordinator, comment=first, outcome="accepted", response="Added after all."
    )
    with pytest.raises(ValidationError):
        consultation.plan_comment_respond(
            acting_user=coordinator, comment=first, outcome="declined", response="No"
        )
    with pytest.raises(ValidationError, match="response"):
        consultation.plan_comment_respond(
            acting_user=coordinator, comment=second, outcome="declined", response=""
        )
    consultation.plan_comment_respond(
        acting_user=coordinator, comment=second, outcome="declined", response="Out of scope."
    )
    consultation.plan_comment_respond(
        acting_user=coordinator, comment=third, outcome="answered", response="See action 1."
    )
    first.refresh_from_db()
    assert (first.status, first.response, first.responded_by_name) == (
        CommentStatus.ACCEPTED,
        "Added after all.",
        coordinator.full_name,
    )

    for user in signers.values():
        approval.plan_sign_off(
            acting_user=user,
            membership=membership_for(user=user, partnership_slug=partnership.slug),
            plan=consulting,
        )
    consulting.refresh_from_db()
    assert consulting.status == PlanStatus.APPROVED
    with pytest.raises(ValidationError, match="frozen"):
        consultation.plan_comment_respond(
            acting_user=coordinator, comment=fourth, outcome="accepted", response="Too late"
        )
    fourth.refresh_from_db()
    assert fourth.status == CommentStatus.OPEN
    assert plan_context(consulting)["consultation"] == {
        "total": 4,
        "organisations": 2,
        "open": 1,
        "answered": 1,
        "accepted": 1,
        "declined": 1,
    }


def test_opening_tells_commenters_and_each_seat_and_the_sweep_chases_each_seat_once(
    plan_with_action,
    coordinator,
    signers,
    police_officer,
    partnership,
    django_capture_on_commit_callbacks,
):
    scrutiny = member(partnership, Role.SCRUTINY, email="scrutiny@council.example")
    with django_capture_on_commit_callbacks(execute=True):
        plan = approval.plan_open_consultation(
            acting_user=coordinator,
            plan=plan_with_action,
            closes_on=timezone.localdate() + timedelta(days=20),
        )
    told = {(row.user.email, row.kind, row.url) for row in Notification.objects.filter(stage="new")}
    detail = reverse("plans:detail", args=[partnership.slug, plan.pk])
    for signer in signers.values():
        assert (signer.email, "plan_sign_off", detail) in told
    assert (police_officer.email, "plan_consultation", comments_url(plan)) in told
    assert not {email for email, *_rest in told} & {scrutiny.email}
    assert {message.to[0] for message in mail.outbox} >= {s.email for s in signers.values()}
    assert any("20" in message.body or "Comment" in message.subject for message in mail.outbox)

    # Two seats sign; the third is chased the day before its sign-off is due, once however
    # often the sweep runs.
    police, *others = list(signers)
    for seat in others:
        approval.plan_sign_off(
            acting_user=signers[seat],
            membership=membership_for(user=signers[seat], partnership_slug=partnership.slug),
            plan=plan,
        )
    mail.outbox.clear()
    day = plan_sign_off_due_on(plan) - timedelta(days=1)
    for _run in range(2):
        reminders_sweep(today=day)
        outbox_send(today=day)
    chased = [m.to[0] for m in mail.outbox if "sign off" in m.body.lower()]
    assert chased == [signers[police].email]

    # Back to draft: nothing is chased any more, and what was waiting is not sent.
    approval.plan_return_to_draft(acting_user=coordinator, plan=plan)
    mail.outbox.clear()
    later = day + timedelta(days=2)
    reminders_sweep(today=later)
    outbox_send(today=later)
    assert not [m for m in mail.outbox if signers[police].email in m.to]
    assert not Notification.objects.filter(kind="plan_sign_off", due_on__lt=later, stage="overdue")


def test_sending_an_assessment_for_review_asks_the_strategy_group_at_once(
    partnership, coordinator, django_capture_on_commit_callbacks
):
    strategy = member(partnership, Role.STRATEGY_MEMBER, email="strategy@council.example")
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=2027
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )
    complete(assessment, coordinator)
    assessment_services.priority_save(
        acting_user=coordinator,
        assessment=assessment,
        theme="anti_social_behaviour",
        rationale="Residents' first concern.",
        evidence="Survey.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        assessment_services.assessment_submit_for_review(
            acting_user=coordinator, assessment=assessment
        )
    assert Notification.objects.filter(
        user=strategy, kind="assessment_sign_off", stage="new"
    ).exists()
    assert strategy.email in {message.to[0] for message in mail.outbox}


def _token(page) -> str:
    import re

    return (
        re.search(rb'name="submission_token"\s+value="([0-9a-f]{32})"', page.content)
        .group(1)
        .decode()
    )


def test_the_pages_open_consultation_take_a_comment_once_and_record_the_response(
    plan_with_action, coordinator, coordinator_client, police_officer, signers, partnership
):
    url = reverse("plans:consultation", args=[partnership.slug, plan_with_action.pk])
    closes = timezone.localdate() + timedelta(days=21)
    past = timezone.localdate() - timedelta(days=1)
    refused = coordinator_client.post(
        url, {"closes_on_0": past.day, "closes_on_1": past.month, "closes_on_2": past.year}
    )
    assert refused.status_code == 400 and b"must be in the future" in refused.content
    coordinator_client.post(
        url, {"closes_on_0": closes.day, "closes_on_1": closes.month, "closes_on_2": closes.year}
    )
    plan_with_action.refresh_from_db()
    assert (plan_with_action.status, plan_with_action.consultation_closes_on) == (
        PlanStatus.CONSULTATION,
        closes,
    )

    partner = signed_in(police_officer)
    page = partner.get(comments_url(plan_with_action))
    assert page.status_code == 200 and b"Add a comment" in page.content
    action = plan_with_action.actions.get()
    too_long = partner.post(
        comments_url(plan_with_action),
        {"part": f"action-{action.pk}", "body": "x" * 2001, "submission_token": _token(page)},
    )
    assert too_long.status_code == 400 and b"2000 characters or fewer" in too_long.content
    foreign = partner.post(comments_url(plan_with_action), {"part": "action-999999", "body": "Hi"})
    assert foreign.status_code == 400 and b"Choose a part of this plan" in foreign.content
    sent = {
        "part": f"action-{action.pk}",
        "body": "Add a target.",
        "submission_token": _token(page),
    }
    assert partner.post(comments_url(plan_with_action), sent).status_code == 302
    assert partner.post(comments_url(plan_with_action), sent).status_code == 302  # a double click
    made = PlanComment.objects.get()
    assert (made.action, made.body) == (action, "Add a target.")

    respond = reverse(
        "plans:comment_respond", args=[partnership.slug, plan_with_action.pk, made.pk]
    )
    assert partner.get(respond).status_code == 404
    form = coordinator_client.get(respond)
    assert (
        coordinator_client.post(
            respond,
            {"outcome": "accepted", "response": "Target added.", "submission_token": _token(form)},
        ).status_code
        == 302
    )
    made.refresh_from_db()
    assert made.status == CommentStatus.ACCEPTED
    log = partner.get(comments_url(plan_with_action)).content.decode()
    assert "Target added." in log and "1 accepted" in log


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_comments_and_the_sign_off_panel_run_a_fixed_number_of_queries(
    consulting, coordinator, coordinator_client, police_officer, partnership
):
    detail = reverse("plans:detail", args=[partnership.slug, consulting.pk])

    def counts():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from reminders.cycles import due_items

        with CaptureQueriesContext(connection) as cycles:
            due_items(today=timezone.localdate(), kinds=["plan_sign_off", "plan_consultation"])
        return (
            _queries(coordinator_client, comments_url(consulting)),
            _queries(coordinator_client, detail),
            len(cycles),
        )

    comment(consulting, police_officer)
    counts()  # the first visit to a partnership's page writes the session once
    small = counts()
    for index in range(12):
        author = member(partnership, Role.CONTRIBUTOR, seat=Seat.HEALTH)
        made = comment(consulting, author, part=consulting.priorities.first())
        if index % 2:
            consultation.plan_comment_respond(
                acting_user=coordinator, comment=made, outcome="declined", response="No."
            )
        member(partnership, Role.STRATEGY_MEMBER, seat=Seat.HEALTH)
    assert counts() == small
