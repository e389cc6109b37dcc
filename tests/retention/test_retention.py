"""The retention schedule, with time moved forward: what is past its time goes (with its file),
counted in the audit log; a review on hold or under legal hold keeps everything; the coordinator
sees what will go and when."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.models import ContributionDocument
from audit.models import AuditEvent
from partnerships.models import Role, Seat
from reminders.models import DeliveryStatus, Notification
from retention.models import RetentionRun
from retention.services import retention_apply
from retention.tasks import apply_retention
from reviews.models import ReviewDocument
from reviews.services import evidence, lifecycle
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, member
from tests.partnerships.test_check_media import _documents
from tests.reviews.builders import TO_EVIDENCE, TODAY, advance, pdf_upload

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def _review_with_document(partnership, coordinator, pseudonym):
    created = lifecycle.review_notify(
        acting_user=coordinator,
        partnership=partnership,
        victim_pseudonym=pseudonym,
        perpetrator_pseudonym="Sam",
        death_month=TODAY - timedelta(days=60),
        notified_on=TODAY - timedelta(days=40),
        notified_by=partnership.partner_organisations.get(seat=Seat.POLICE).organisation,
        aged_16_or_over=True,
        relationship="intimate_partner",
    )
    review = advance(created, coordinator, TO_EVIDENCE)
    document = evidence.review_document_upload(
        acting_user=coordinator,
        review=review,
        kind="terms_of_reference",
        upload=pdf_upload(f"{pseudonym}.pdf"),
    )
    return review, document


@pytest.fixture
def records(settings):
    """A contribution document, and three reviews with a document each: one running, one on
    hold, one under legal hold; all made now."""
    contribution_document, _report = _documents("trafford")
    partnership = contribution_document.contribution.assessment.partnership
    coordinator = partnership.memberships.get(role=Role.COORDINATOR).user
    running, running_document = _review_with_document(partnership, coordinator, "Alex")
    on_hold, on_hold_document = _review_with_document(partnership, coordinator, "Blake")
    lifecycle.review_hold(
        acting_user=coordinator, review=on_hold, reason="Criminal trial", started_on=TODAY
    )
    legal, legal_document = _review_with_document(partnership, coordinator, "Casey")
    lifecycle.review_legal_hold_set(
        acting_user=coordinator, review=legal, reason="Civil claim against the council"
    )
    return {
        "partnership": partnership,
        "coordinator": coordinator,
        "contribution_document": contribution_document,
        "running": running,
        "running_document": running_document,
        "held_documents": [on_hold_document, legal_document],
        "held_reviews": [on_hold, legal],
    }


def test_nothing_goes_before_its_time(records, settings):
    before = {model: model.objects.count() for model in (ContributionDocument, ReviewDocument)}
    days = settings.CSP_RETENTION_DAYS
    run = retention_apply(now=timezone.now() + min(days["contribution_documents"], 365) * DAY)
    assert {model: model.objects.count() for model in before} == before
    assert not any(run.counts[kind] for kind in ("contribution_documents", "review_documents"))


def test_seven_years_on_what_is_past_its_time_goes_with_its_file_and_held_reviews_keep_all(
    records, settings, django_capture_on_commit_callbacks
):
    later = timezone.now() + 7 * 365 * DAY + DAY
    contribution_document = records["contribution_document"]
    running_document = records["running_document"]
    storage = contribution_document.file.storage
    assert storage.exists(contribution_document.file.name)
    # Audit events of the held reviews are kept with them; the running review's go.
    held_ids = [review.pk for review in records["held_reviews"]]
    held_events = AuditEvent.objects.filter(need_to_know_id__in=held_ids).count()
    assert held_events > 0

    with (
        pytest.MonkeyPatch.context() as patch,
        django_capture_on_commit_callbacks(execute=True),  # files go once the rows have
    ):
        patch.setattr(timezone, "now", lambda: later)  # time moved forward
        run = apply_retention.delay().get()

    assert not ContributionDocument.objects.filter(pk=contribution_document.pk).exists()
    assert not storage.exists(contribution_document.file.name)
    assert not ReviewDocument.objects.filter(pk=running_document.pk).exists()
    assert not storage.exists(running_document.file.name)
    for kept in records["held_documents"]:
        assert ReviewDocument.objects.filter(pk=kept.pk).exists()
        assert storage.exists(kept.file.name)
    assert AuditEvent.objects.filter(need_to_know_id__in=held_ids).count() >= held_events

    assert run["contribution_documents"] == 1
    assert run["review_documents"] == 1
    # Counted in the audit log: the partnership's, and the whole service's.
    event = AuditEvent.objects.get(action="retention.applied", partnership=records["partnership"])
    assert event.changes["review_documents"] == [1, 0]
    assert event.actor_label == "system"
    service = AuditEvent.objects.get(action="retention.applied", partnership=None)
    assert service.changes["review_documents"] == [1, 0]
    assert RetentionRun.objects.get().finished_at is not None

    # A second run finds nothing to do.
    assert not any(retention_apply(now=later).counts.values())


def test_tokens_sessions_and_notifications_go_after_their_periods(settings, partnership):
    from accounts.services import api_token_create

    user = member(partnership, Role.COORDINATOR)
    api_token_create(
        acting_user=user,
        name="Reporting",
        memberships=list(user.memberships.all()),
        expires_on=timezone.localdate() + 10 * DAY,
    )
    session = SessionStore()
    session["x"] = 1
    session.set_expiry(60)
    session.create()

    soon = timezone.now() + 30 * DAY  # the token expired 20 days ago, the session long ago
    counts = retention_apply(now=soon).counts
    assert counts["sessions"] == 1 and counts["api_tokens"] == 0
    assert not Session.objects.filter(session_key=session.session_key).exists()

    later = timezone.now() + (10 + settings.CSP_RETENTION_DAYS["api_tokens"] + 1) * DAY
    assert retention_apply(now=later).counts["api_tokens"] == 1


def test_a_legal_hold_needs_the_reviews_grant_and_is_audited(records):
    stranger = member(records["partnership"], Role.COORDINATOR, seat=Seat.LOCAL_AUTHORITY)
    running = records["running"]
    with pytest.raises(PermissionDenied):
        lifecycle.review_legal_hold_set(acting_user=stranger, review=running, reason="No")
    running.refresh_from_db()
    assert running.legal_hold_reason == ""
    lifecycle.review_legal_hold_set(
        acting_user=records["coordinator"], review=running, reason="Inquiry"
    )
    lifecycle.review_legal_hold_set(acting_user=records["coordinator"], review=running, reason="")
    assert list(
        AuditEvent.objects.filter(action__startswith="review.legal_hold")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["review.legal_hold", "review.legal_hold", "review.legal_hold_lifted"]


def test_the_coordinator_sees_what_will_go_and_when(
    records, settings, django_assert_max_num_queries
):
    partnership = records["partnership"]
    page_url = reverse("retention:schedule", kwargs={"partnership_slug": partnership.slug})
    client = signed_in(records["coordinator"])
    with CaptureQueriesContext(connection) as few:
        assert client.get(page_url).status_code == 200
    for number in range(20):  # more records of every partnership kind: the same queries
        Notification.objects.create(
            user=records["coordinator"],
            partnership=partnership,
            kind="test",
            item_key=str(number),
            due_on=timezone.localdate(),
            stage="new",
            title="t",
            url="/",
            status=DeliveryStatus.SENT,
            sent_at=timezone.now(),
        )
    with django_assert_max_num_queries(len(few)):
        response = client.get(page_url)
    assert len(few) <= 30
    assert response.status_code == 200
    page = response.content.decode()
    assert "What is kept, and for how long" in page
    expected = timezone.now() + settings.CSP_RETENTION_DAYS["contribution_documents"] * DAY
    assert expected.strftime("%-d %B %Y") in page
    # A contributor does not see it; another partnership's coordinator gets 404.
    contributor = member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE)
    assert signed_in(contributor).get(page_url).status_code == 404
    other = PartnershipFactory(name="Bolton", slug="bolton")
    assert signed_in(member(other, Role.COORDINATOR)).get(page_url).status_code == 404
