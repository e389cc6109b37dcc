"""A review's reference and pseudonym are DHR material too: every page that shows them logs the
read, the partnership's audit log keeps a review's events to those with access to it, and the
Django admin shows none of it."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEvent
from partnerships.models import Membership, Role, Seat
from reminders.models import Notification
from reminders.sweep import reminders_sweep
from reviews.models import (
    AccessGrant,
    AccessLogEntry,
    DomesticHomicideReview,
    ReviewUserObjectPermission,
)
from reviews.policies import ReviewPolicy
from reviews.services import lifecycle
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, UserFactory, member, organisation_in

from .builders import (
    TODAY,
    add_line,
    ask,
    attach_document,
    author,
    returned_with_feedback,
    review_gathering_evidence,
)
from .conftest import notify
from .test_views import QA_URLS, REVIEW_URLS, _arguments

pytest_plugins = ["tests.reviews.builders"]


@pytest.fixture(scope="module")
def _full_review(module_data):
    """A review with a record behind every one of its pages (a chronology and an IMR asked of
    the police, a line of the action plan, a document), the coordinator who recorded it and the
    police's agency author: built once for the module, in a partnership of its own."""

    def make():
        partnership = PartnershipFactory(name="Staged", slug="staged")
        coordinator = member(partnership, Role.COORDINATOR)
        review = review_gathering_evidence(partnership, coordinator)
        police = organisation_in(partnership, Seat.POLICE)
        ask(review, coordinator, police, "chronology", days=14)
        ask(review, coordinator, police, "imr", days=30)
        add_line(review, coordinator)
        attach_document(review, coordinator)
        police_author = author(review, coordinator, Seat.POLICE, full_name="Priya Constable")
        returned, chair, _item = returned_with_feedback(partnership, coordinator)
        return review.pk, coordinator.pk, police_author.pk, returned.pk, chair.pk

    return module_data.build(make)


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


@pytest.mark.parametrize(("name", "arguments"), REVIEW_URLS, ids=[n for n, _ in REVIEW_URLS])
def test_every_page_showing_the_review_logs_the_read(_full_review, db, name, arguments):
    """Each review page, opened by someone who may open it, shows the reference or pseudonym
    and logs exactly one read."""
    review_pk, coordinator_pk, police_author_pk, returned_pk, chair_pk = _full_review
    # The quality assurance pages are the returned review's; answering is its chair's.
    review = DomesticHomicideReview.objects.get(pk=returned_pk if name in QA_URLS else review_pk)
    coordinator, police_author, chair = (
        User.objects.get(pk=pk) for pk in (coordinator_pk, police_author_pk, chair_pk)
    )
    kwargs = _arguments(review, arguments)
    # The pages that answer a request are the police author's; the rest, the coordinator's.
    answering = name in {
        "reviews:chronology_entry_add",
        "reviews:imr_upload",
        "reviews:agency_request_submit",
    }
    if name == "reviews:imr_upload":
        kwargs["request_id"] = review.agency_requests.get(kind="imr").pk
    user = police_author if answering else chair if name == "reviews:qa_answer" else coordinator
    reads = AccessLogEntry.objects.filter(user=user, review=review).count()

    response = signed_in(user).get(reverse(name, kwargs=kwargs))

    if response.status_code == 405:  # POST only: a button, not a page
        assert AccessLogEntry.objects.filter(user=user).count() == reads
        return
    assert response.status_code == 200
    if response["Content-Type"].startswith("text/html"):
        text = response.content.decode()
        assert review.reference in text and review.victim_pseudonym in text
    assert AccessLogEntry.objects.filter(user=user, review=review).count() == reads + 1


def test_the_list_logs_one_read_per_review_shown_in_one_insert(partnership, coordinator):
    client = signed_in(coordinator)
    list_url = reverse("reviews:list", args=[partnership.slug])
    first = notify(partnership, coordinator, "Adult A")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(list_url).status_code == 200
        return len(captured)

    queries()  # the first visit to a partnership's page writes the session once
    few = queries()
    others = [notify(partnership, coordinator, f"Adult {letter}") for letter in "CDE"]
    hidden = notify(partnership, member(partnership, Role.COORDINATOR), "Adult F")
    AccessLogEntry.objects.all().delete()

    assert queries() == few
    logged = AccessLogEntry.objects.filter(user=coordinator, what="Review list")
    assert sorted(logged.values_list("review_id", flat=True)) == sorted(
        review.pk for review in [first, *others]
    )
    assert not AccessLogEntry.objects.filter(review=hidden).exists()


def _audit_log(client, partnership, **query):
    return client.get(reverse("partnerships:audit_log", args=[partnership.slug]), query)


def test_the_audit_log_keeps_a_reviews_events_to_those_with_access(
    dhr, coordinator, partnership, police_author
):
    colleague = member(partnership, Role.COORDINATOR, email="colleague@example.org")
    member(partnership, Role.CONTRIBUTOR, email="newcomer@example.org")
    review_events = AuditEvent.objects.filter(action__startswith="review.")
    assert review_events.count() > 5 and all(e.need_to_know for e in review_events)

    page = _audit_log(signed_in(colleague), partnership).content.decode()
    assert "newcomer@example.org" in page  # the partnership's own events are there
    for secret in (
        dhr.reference,
        dhr.victim_pseudonym,
        dhr.perpetrator_pseudonym,
        "Agency author",
        "review.advance",
        "Review moved to its next step",
        "Access to a review given",
    ):
        assert secret not in page
    filtered = _audit_log(signed_in(colleague), partnership, action="review.advance")
    assert dhr.reference not in filtered.content.decode()

    mine = _audit_log(signed_in(coordinator), partnership).content.decode()
    assert dhr.reference in mine and "Access to a review given" in mine


def test_the_audit_log_costs_the_same_however_many_review_events_it_hides(partnership, coordinator):
    colleague = member(partnership, Role.COORDINATOR)
    client = signed_in(colleague)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert _audit_log(client, partnership).status_code == 200
        return len(captured)

    queries()  # the first visit to a partnership's page writes the session once
    few = queries()
    for letter in "ABCDEFGH":
        notify(partnership, coordinator, f"Adult {letter}")
    lifecycle.access_grant(
        acting_user=coordinator,
        review=notify(partnership, coordinator, "Adult Z"),
        user=colleague,
        reason=AccessGrant.Reason.PANEL,
    )
    assert queries() == few
    assert "Adult Z" in _audit_log(client, partnership).content.decode()


def test_the_admin_shows_no_review_and_no_review_event(dhr, coordinator, partnership):
    reminders_sweep(today=TODAY + timedelta(days=400))
    assert Notification.objects.filter(kind="dhr_clock").exists()
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = signed_in(staff)
    event = AuditEvent.objects.filter(action="review.advance").first()

    pages = [
        client.get("/admin/"),
        client.get("/admin/audit/auditevent/"),
        client.get("/admin/audit/auditevent/", {"q": "Adult"}),
        client.get(f"/admin/audit/auditevent/{event.pk}/change/", follow=True),
        client.get("/admin/reminders/notification/"),
        client.get("/admin/reminders/notification/", {"q": "dhr"}),
    ]
    assert "0 results" in pages[2].content.decode()
    for response in pages:
        assert response.status_code == 200
        text = response.content.decode()
        assert dhr.reference not in text and dhr.victim_pseudonym not in text
    assert "Domestic homicide reviews" not in pages[0].content.decode()
    assert client.get(f"/admin/reviews/domestichomicidereview/{dhr.pk}/change/").status_code == 404
    # The partnership's other events are there for the platform administrators.
    assert "membership.create" in pages[1].content.decode()


def test_the_migration_marks_old_review_events_and_ends_grants_of_former_members(
    dhr, coordinator, partnership
):
    """Rows written before this release: audit rows unmarked, and grants whose holder had
    already left the partnership (or become scrutiny) when leaving did not end them."""
    gone = author(dhr, coordinator, Seat.POLICE, email="gone@example.org")
    councillor = author(dhr, coordinator, Seat.HEALTH, email="councillor@example.org")
    reminders_sweep(today=TODAY + timedelta(days=400))
    AuditEvent.objects.update(need_to_know="", need_to_know_id=None)
    Membership.objects.filter(user=gone).delete()
    Membership.objects.filter(user=councillor).update(role=Role.SCRUTINY)

    migration = importlib.import_module(
        "reviews.migrations.0002_mark_review_audit_rows_and_end_stale_grants"
    )
    migration.forwards(apps, None)

    # (The module's other review, _full_review's, is in a partnership of its own.)
    grants = AccessGrant.objects.filter(review=dhr)
    assert set(grants.values_list("user__email", flat=True)) == {coordinator.email}
    permissions = ReviewUserObjectPermission.objects.filter(content_object=dhr)
    assert not permissions.exclude(user=coordinator).exists()
    assert not Notification.objects.filter(user__in=[gone, councillor]).exists()
    ended = AuditEvent.objects.filter(partnership=partnership, action="review.access_end")
    assert sorted(e.changes["access"][0] for e in ended) == [
        "councillor@example.org (author)",
        "gone@example.org (author)",
    ]
    marked = AuditEvent.objects.filter(
        partnership=partnership, object_type="reviews.domestichomicidereview"
    )
    assert {(e.need_to_know, e.need_to_know_id) for e in marked} == {
        ("reviews.domestichomicidereview", dhr.pk)
    }
    # Coming back gives nothing.
    member(partnership, Role.CONTRIBUTOR, user=gone, seat=Seat.POLICE)
    assert not ReviewPolicy.has_access(gone, dhr)
