"""Read paths for domestic homicide reviews. A review the user has no grant on is simply not
found (404), whatever their role: the same answer as for a review that does not exist.

A review's evidence is in ``selectors.evidence``, its action plan in ``selectors.action_plan``,
what its exports print in ``selectors.exports``."""

from datetime import date

from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404

from accounts.models import User
from authorities.models import Organisation
from partnerships.models import Membership, Partnership

from ..models import (
    AccessGrant,
    AccessLogEntry,
    AgencyRequest,
    DomesticHomicideReview,
    ReviewDocument,
    ReviewType,
    ReviewTypeCode,
)
from ..policies import ReviewPolicy
from ..review_types import TYPES


def review_type_of(code: ReviewTypeCode) -> ReviewType:
    """The type's row (made from ``review_types`` if a test database was emptied of it)."""
    return ReviewType.objects.get_or_create(code=code, defaults=TYPES[code]._asdict())[0]


def review_type_for_notification(*, notified_on: date) -> ReviewType:
    """A death notified on the day the domestic abuse related death review comes into force, or
    later, is reviewed as one; before, as a domestic homicide review, and it keeps that name."""
    dardr = review_type_of(ReviewTypeCode.DARDR)
    if dardr.in_force_from is not None and dardr.in_force_from <= notified_on:
        return dardr
    return review_type_of(ReviewTypeCode.DHR)


def reviews_accessible(*, user: User, partnership: Partnership) -> QuerySet:
    return (
        ReviewPolicy.visible(user)
        .filter(partnership=partnership)
        .prefetch_related("holds")
        .order_by("-notified_on", "-pk")
    )


def review_for(*, user: User, partnership: Partnership, review_id: int) -> DomesticHomicideReview:
    try:
        return (
            ReviewPolicy.visible(user)
            .filter(partnership=partnership)
            .select_related("partnership", "notified_by", "review_type")
            .get(pk=review_id)
        )
    except DomesticHomicideReview.DoesNotExist:
        raise Http404 from None


def review_detail(*, review: DomesticHomicideReview) -> DomesticHomicideReview:
    """The review with everything its page shows, in a fixed number of queries."""
    return (
        DomesticHomicideReview.objects.filter(pk=review.pk)
        .select_related("partnership", "notified_by", "review_type")
        .prefetch_related(
            "holds",
            Prefetch("access_grants", queryset=AccessGrant.objects.select_related("user")),
            Prefetch(
                "agency_requests",
                queryset=AgencyRequest.objects.select_related("organisation").prefetch_related(
                    "entries"
                ),
            ),
            "recommendations__owner",
            Prefetch("documents", queryset=ReviewDocument.objects.select_related("uploaded_by")),
        )
        .get()
    )


def grant_for(*, review: DomesticHomicideReview, grant_id: int) -> AccessGrant:
    try:
        return review.access_grants.select_related("user").get(pk=grant_id)
    except AccessGrant.DoesNotExist:
        raise Http404 from None


def grantable_members(*, review: DomesticHomicideReview) -> QuerySet[Membership]:
    """Members of the partnership who may be given access and do not have it yet."""
    return (
        ReviewPolicy.holding_members(review.partnership)
        .exclude(user__review_access_grants__review=review)
        .select_related("user", "organisation")
        .order_by("user__full_name")
    )


def partnership_organisations(*, partnership: Partnership) -> QuerySet[Organisation]:
    """The organisations that sit on the partnership: the only ones a review may ask or task."""
    return Organisation.objects.filter(partner_seats__partnership=partnership).order_by("name")


def access_log(*, review: DomesticHomicideReview) -> QuerySet[AccessLogEntry]:
    return review.access_log.all()


def review_counts(*, partnership: Partnership) -> list[dict]:
    """Reviews by year of notification and status: all that scrutiny and the public may know."""
    return list(
        DomesticHomicideReview.objects.filter(partnership=partnership)
        .annotate(year=ExtractYear("notified_on"))
        .values("year", "status")
        .annotate(count=Count("pk"))
        .order_by("-year", "status")
    )


def decision_maker(*, partnership: Partnership) -> str:
    """Who decides whether to review, in words: set per partnership, by default the partnership
    in England and the regional safeguarding board in Wales."""
    from authorities.models import Nation

    from ..models import DecisionMaker, ReviewSettings

    row = ReviewSettings.objects.filter(partnership=partnership).first()
    if row is None:
        return str(
            DecisionMaker.REGIONAL_SAFEGUARDING_BOARD.label
            if partnership.nation == Nation.WALES
            else DecisionMaker.PARTNERSHIP.label
        )
    return row.decision_maker_name or str(row.get_decision_maker_display())
