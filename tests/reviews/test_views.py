"""Need to know, proved on every review URL: without a grant on the review, every role (the
coordinator included) gets 404 by GET and POST and nothing changes; with a grant, every read is
logged."""

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.html import escape

from partnerships.models import Role, Seat
from reviews.models import AccessGrant, AccessLogEntry, DomesticHomicideReview
from tests.conftest import signed_in
from tests.factories import member
from tests.test_isolation import _tenant_patterns

from .builders import returned_with_feedback

pytestmark = pytest.mark.django_db

REVIEW_URLS = sorted(
    {
        name: frozenset(args)
        for name, args in _tenant_patterns()
        if name.startswith("reviews:") and "review_id" in args
    }.items()
)


def _arguments(review, names):
    """A value for each URL argument, naming a record of ``review`` where it is one."""
    grant = review.access_grants.first()
    makers = {
        "partnership_slug": lambda: review.partnership.slug,
        "review_id": lambda: review.pk,
        "to": lambda: "under_consideration",
        "grant_id": lambda: grant.pk,
    }
    makers.update(PART_ARGUMENTS)
    unknown = set(names) - set(makers)
    assert not unknown, f"Teach tests/reviews/test_views.py to fill {unknown}"
    return {
        name: maker() if name in makers and maker.__code__.co_argcount == 0 else maker(review)
        for name, maker in ((n, makers[n]) for n in names)
    }


# Arguments of the evidence and action plan pages: a record of the review for each.
PART_ARGUMENTS: dict = {
    "request_id": lambda review: review.agency_requests.first().pk,
    "recommendation_id": lambda review: review.recommendations.first().pk,
    "review_document_id": lambda review: review.documents.first().pk,
    "export": lambda: "executive-summary",
    "qa_item_id": lambda review: review.qa_feedback.get().pk,
}
# The quality assurance pages are walked on a returned review with a point of feedback.
QA_URLS = {"reviews:qa", "reviews:qa_answer"}

pytest_plugins = ["tests.reviews.builders"]


@pytest.fixture
def full_review(dhr, police_chronology, action_line, attached_document):
    """A review gathering evidence, with a request, a recommendation and a document."""
    return dhr


def _snapshot():
    counts = {model._meta.label: model.objects.count() for model in apps.get_models()}
    counts.pop("reviews.AccessLogEntry")
    counts["statuses"] = hash(tuple(DomesticHomicideReview.objects.values_list("pk", "status")))
    return counts


def test_the_walk_finds_the_review_urls():
    names = {name for name, _ in REVIEW_URLS}
    assert {"reviews:detail", "reviews:advance", "reviews:access", "reviews:access_log"} <= names


@pytest.fixture
def returned(partnership, coordinator):
    return returned_with_feedback(partnership, coordinator)[0]


@pytest.mark.parametrize("role", list(Role))
def test_without_a_grant_every_review_url_is_not_found(full_review, returned, partnership, role):
    user = member(partnership, role, seat=Seat.POLICE)
    client = signed_in(user)
    before = _snapshot()
    for name, arguments in REVIEW_URLS:
        review = returned if name in QA_URLS else full_review
        url = reverse(name, kwargs=_arguments(review, arguments))
        for method in (client.get, client.post):
            response = method(url, {"reason": "panel", "user": user.pk})
            assert response.status_code in (404, 405), f"{method.__name__} {url} as {role}"
            assert review.victim_pseudonym.encode() not in response.content
            assert b"anonymise" not in response.content
    assert _snapshot() == before
    assert not AccessLogEntry.objects.filter(user=user).exists()


def test_with_a_grant_reads_are_logged_and_visible_to_those_with_access(
    review, coordinator, panel_member, partnership
):
    client = signed_in(panel_member)
    assert (
        client.get(reverse("reviews:detail", args=[partnership.slug, review.pk])).status_code == 200
    )
    assert AccessLogEntry.objects.filter(user=panel_member, what="Review page").count() == 1
    log = signed_in(coordinator).get(
        reverse("reviews:access_log", args=[partnership.slug, review.pk])
    )
    assert panel_member.email in log.content.decode()


def test_grantees_must_pass_two_factor_before_they_read(review, panel_member, partnership):
    client = signed_in(panel_member, verified=False)
    response = client.get(reverse("reviews:detail", args=[partnership.slug, review.pk]))
    assert response.status_code == 302
    assert "two-factor" in response["Location"]
    assert not AccessLogEntry.objects.exists()


def test_the_list_shows_counts_to_everyone_and_content_only_to_grantees(
    review, partnership, coordinator
):
    councillor = member(partnership, Role.SCRUTINY)
    page = signed_in(councillor).get(reverse("reviews:list", args=[partnership.slug]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Notified" in text and ">1<" in text  # one review notified this year
    assert review.reference not in text and review.victim_pseudonym not in text
    mine = signed_in(coordinator).get(reverse("reviews:list", args=[partnership.slug]))
    assert review.reference in mine.content.decode()


def test_recording_a_notification_from_the_page(partnership, coordinator):
    from tests.factories import organisation_in

    client = signed_in(coordinator)
    data = {
        "victim_pseudonym": "Adult D",
        "death_month_0": "14",
        "death_month_1": "6",
        "death_month_2": "2026",
        "notified_on_0": "1",
        "notified_on_1": "6",
        "notified_on_2": "2026",
        "notified_by": organisation_in(partnership, Seat.POLICE).pk,
        "aged_16_or_over": "yes",
    }
    refused = client.post(reverse("reviews:notify", args=[partnership.slug]), data)
    assert refused.status_code == 400
    assert "The death must be before the notification" in refused.content.decode()
    assert not DomesticHomicideReview.objects.exists()
    data["death_month_0"] = "14"
    data["death_month_1"] = "5"
    response = client.post(reverse("reviews:notify", args=[partnership.slug]), data)
    review = DomesticHomicideReview.objects.get()
    assert response["Location"] == reverse("reviews:detail", args=[partnership.slug, review.pk])


def test_granting_access_from_the_page(review, coordinator, partnership):
    newcomer = member(partnership, Role.CONTRIBUTOR, seat=Seat.PROBATION)
    councillor = member(partnership, Role.SCRUTINY)
    client = signed_in(coordinator)
    access = reverse("reviews:access", args=[partnership.slug, review.pk])
    page = client.get(access).content.decode()
    # Names as the page writes them (a generated name may hold an apostrophe).
    assert escape(newcomer.full_name) in page and escape(councillor.full_name) not in page
    refused = client.post(access, {"user": councillor.pk, "reason": "panel"})
    assert refused.status_code == 400
    client.post(access, {"user": newcomer.pk, "reason": "panel"})
    assert AccessGrant.objects.filter(review=review, user=newcomer).exists()
    grant = AccessGrant.objects.get(review=review, user=newcomer)
    client.post(reverse("reviews:revoke", args=[partnership.slug, review.pk, grant.pk]))
    assert not AccessGrant.objects.filter(review=review, user=newcomer).exists()
