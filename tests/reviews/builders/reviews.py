"""Reviews built through the services: a review gathering evidence, the steps of the process,
agency authors, URLs of the review's pages, and a snapshot of every reviews and audit row.

PYTEST_DONT_REWRITE: see the package's docstring.
"""

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from partnerships.models import Role, Seat
from reviews.models import AccessGrant, Decision, ReviewStatus
from reviews.services import lifecycle
from tests.factories import member, organisation_in

S = ReviewStatus
TODAY = timezone.localdate()
CHAIR_NAME = "Dr Imogen Chairwoman"

# What each step of the process asks for, with dates that keep the statutory order.
STEP_FIELDS = {
    S.DECIDED: {
        "decision": Decision.REVIEW,
        "decision_reasons": "The criteria are met: an intimate partner.",
        "decided_on": TODAY - timedelta(days=30),
    },
    S.HOME_OFFICE_NOTIFIED: {"home_office_notified_on": TODAY - timedelta(days=29)},
    S.COMMISSIONED: {
        "chair_name": CHAIR_NAME,
        "chair_independence": "No link with any agency involved.",
        "chair_appointed_on": TODAY - timedelta(days=25),
    },
    S.SCOPING: {"terms_of_reference": "Contact with Adult Q from January 2023 onwards."},
    S.SUBMITTED: {"submitted_on": TODAY - timedelta(days=2)},
    S.PUBLISHED: {"published_on": TODAY - timedelta(days=1)},
}
TO_EVIDENCE = [
    S.UNDER_CONSIDERATION,
    S.DECIDED,
    S.HOME_OFFICE_NOTIFIED,
    S.COMMISSIONED,
    S.SCOPING,
    S.EVIDENCE_GATHERING,
]
EVIDENCE_TO_PUBLISHED = [
    S.DRAFTING,
    S.PANEL_APPROVED,
    S.PARTNERSHIP_APPROVED,
    S.SUBMITTED,
    S.HOME_OFFICE_APPROVED,
    S.PUBLISHED,
]


def advance(review, user, statuses):
    for status in statuses:
        review = lifecycle.review_advance(
            acting_user=user, review=review, to=status, **STEP_FIELDS.get(status, {})
        )
    return review


def url(name, review, **kwargs):
    return reverse(
        f"reviews:{name}",
        kwargs={"partnership_slug": review.partnership.slug, "review_id": review.pk, **kwargs},
    )


def author(review, granted_by, seat, **user_fields):
    """A member for the organisation in ``seat``, given access to the review as its author."""
    user = member(review.partnership, Role.CONTRIBUTOR, seat=seat, **user_fields)
    lifecycle.access_grant(
        acting_user=granted_by, review=review, user=user, reason=AccessGrant.Reason.AUTHOR
    )
    return user


def snapshot() -> dict:
    """Rows of every reviews and audit model, and the fields that change in place. Reads are left
    out: a form shown again with its errors shows the review, and that read is logged."""
    from reviews.models import AccessLogEntry, AgencyRequest, DomesticHomicideReview, Recommendation

    counts = {
        model._meta.label: model.objects.count()
        for app in ("reviews", "audit")
        for model in apps.get_app_config(app).get_models()
        if model is not AccessLogEntry
    }
    counts["requests"] = list(AgencyRequest.objects.order_by("pk").values_list("submitted_at"))
    counts["lines"] = list(
        Recommendation.objects.order_by("pk").values_list("status", "progress", "owner_id")
    )
    counts["reviews"] = list(DomesticHomicideReview.objects.order_by("pk").values_list("status"))
    return counts


@pytest.fixture
def police_org(partnership):
    return organisation_in(partnership, Seat.POLICE)


@pytest.fixture
def council_org(partnership):
    return organisation_in(partnership, Seat.LOCAL_AUTHORITY)


def review_gathering_evidence(partnership, coordinator):
    """A review gathering evidence; only the coordinator who recorded it has access. Its
    pseudonyms are no part of any name the factories make up, so a page that must not show them
    is never caught out by a generated "Alexandra" or "Samuel"."""
    created = lifecycle.review_notify(
        acting_user=coordinator,
        partnership=partnership,
        victim_pseudonym="Adult Q",
        perpetrator_pseudonym="Person R",
        death_month=TODAY - timedelta(days=60),
        notified_on=TODAY - timedelta(days=40),
        notified_by=organisation_in(partnership, Seat.POLICE),
        aged_16_or_over=True,
        relationship="intimate_partner",
    )
    return advance(created, coordinator, TO_EVIDENCE)


@pytest.fixture
def dhr(partnership, coordinator):
    """A review gathering evidence; only the coordinator who recorded it has access."""
    return review_gathering_evidence(partnership, coordinator)


@pytest.fixture
def police_author(dhr, coordinator):
    return author(dhr, coordinator, Seat.POLICE, full_name="Priya Constable")


@pytest.fixture
def council_author(dhr, coordinator):
    return author(dhr, coordinator, Seat.LOCAL_AUTHORITY, full_name="Colin Councilman")


def review_once_per_module():
    """Fixtures that build Trafford, its coordinator and the review gathering evidence (``dhr``)
    once for the test module that takes them (``_review_world, partnership, coordinator, dhr,
    media_root = review_once_per_module()``), in place of one each per test: the records are the
    ones the fixtures of tests/conftest.py and ``dhr`` make, read afresh for each test, which
    runs in a savepoint of the module's transaction (tests/conftest.py ``module_data``). For a
    module whose every test starts from that review."""
    from accounts.models import User
    from partnerships.models import Partnership
    from reviews.models import DomesticHomicideReview
    from tests.factories import PartnershipFactory

    @pytest.fixture(scope="module")
    def _review_world(module_data):
        def make():
            partnership = PartnershipFactory(name="Trafford", slug="trafford")
            coordinator = member(partnership, Role.COORDINATOR, email="coordinator@example.org")
            review = review_gathering_evidence(partnership, coordinator)
            return partnership.pk, coordinator.pk, review.pk

        return module_data.build(make)

    @pytest.fixture
    def partnership(_review_world, db):
        return Partnership.objects.get(pk=_review_world[0])

    @pytest.fixture
    def coordinator(_review_world, db):
        return User.objects.get(pk=_review_world[1])

    @pytest.fixture
    def dhr(_review_world, db):
        return DomesticHomicideReview.objects.get(pk=_review_world[2])

    @pytest.fixture
    def media_root(module_data):
        return module_data.media_root

    return _review_world, partnership, coordinator, dhr, media_root
