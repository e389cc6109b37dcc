"""DHR clocks in the reminders: due only from the people with access, named by reference and
pseudonym only, never in anyone else's digest, and silent while on hold."""

from datetime import timedelta

import pytest
from django.core import mail

from partnerships.models import Role
from reminders.cycles import due_items
from reminders.models import Notification
from reminders.outbox import outbox_send
from reminders.sweep import reminders_sweep, weekly_digests
from reviews.models import ReviewStatus
from reviews.services import lifecycle
from tests.factories import member

from .conftest import NOTIFIED, advance_to_commissioned

pytestmark = pytest.mark.django_db


def test_the_decision_clock_is_reminded_to_those_with_access_only(
    review, coordinator, panel_member, partnership
):
    other_coordinator = member(partnership, Role.COORDINATOR, email="other@example.org")
    a_week_before = NOTIFIED + timedelta(days=31 - 7)  # the decision is due on 2 April

    reminders_sweep(today=a_week_before)
    outbox_send(today=a_week_before)

    rows = Notification.objects.filter(kind="dhr_clock")
    assert {row.user.email for row in rows} == {coordinator.email, panel_member.email}
    assert {row.title for row in rows} == {
        "DHR-TRAFFORD-2026-01 (Adult A): Decision whether to review"
    }
    sent = [
        message
        for message in mail.outbox
        if "DHR-TRAFFORD-2026-01" in message.subject + message.body
    ]
    assert sorted(address for message in sent for address in message.to) == sorted(
        [coordinator.email, panel_member.email]
    )
    for message in sent:
        assert "Adult B" not in message.body  # nothing but the reference and pseudonym
    assert not Notification.objects.filter(user=other_coordinator, kind="dhr_clock").exists()


def test_an_overdue_review_never_appears_in_the_coordinators_weekly_digest(
    review, coordinator, partnership
):
    from django.utils import timezone

    from assessments.services import assessments as assessment_services
    from tests.assessments.conftest import send_request
    from tests.factories import organisation_in

    other = member(partnership, Role.COORDINATOR, email="other@example.org")
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=2027
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )
    send_request(assessment, coordinator, organisation_in(partnership), days=3, title="ASB data")
    later = timezone.localdate() + timedelta(days=30)
    monday = later - timedelta(days=later.weekday())

    (digest,) = weekly_digests(today=monday)

    assert other.pk in digest.recipients
    titles = [detail["title"] for detail in digest.details]
    assert titles == ["ASB data (Trafford Local authority)"]  # the request, not the review
    assert any(
        item.kind == "dhr_clock" and item.is_overdue(monday) for item in due_items(today=monday)
    )


def test_a_review_on_hold_is_not_reminded_of_completion(review, coordinator):
    advance_to_commissioned(review, coordinator)
    lifecycle.review_advance(
        acting_user=coordinator, review=review, to=ReviewStatus.SCOPING, terms_of_reference="T"
    )
    lifecycle.review_hold(
        acting_user=coordinator,
        review=review,
        reason="Inquest",
        started_on=NOTIFIED + timedelta(60),
    )
    keys = {item.key for item in due_items(today=NOTIFIED + timedelta(days=200))}
    assert f"dhr:{review.pk}:completion" not in keys
    lifecycle.review_resume(
        acting_user=coordinator, review=review, ended_on=NOTIFIED + timedelta(days=90)
    )
    keys = {item.key for item in due_items(today=NOTIFIED + timedelta(days=200))}
    assert f"dhr:{review.pk}:completion" in keys


def test_someone_who_loses_access_is_no_longer_reminded(review, coordinator, panel_member):
    reminders_sweep(today=NOTIFIED + timedelta(days=25))
    assert Notification.objects.filter(user=panel_member, kind="dhr_clock").exists()
    grant = review.access_grants.get(user=panel_member)
    lifecycle.access_revoke(acting_user=coordinator, grant=grant)
    # The reminders that named the review leave their list too.
    assert not Notification.objects.filter(user=panel_member, kind="dhr_clock").exists()
    assert Notification.objects.filter(user=coordinator, kind="dhr_clock").exists()
    (item,) = [i for i in due_items(today=NOTIFIED) if i.kind == "dhr_clock"]
    assert item.recipients == frozenset({coordinator.pk})
