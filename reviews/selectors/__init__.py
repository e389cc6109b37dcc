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
    QualityAssuranceFeedback,
    ReviewDocument,
    ReviewType,
    ReviewTypeCode,
)
from ..policies import ReviewPolicy
from ..review_types import TYPES


def review_type_of(code: ReviewTypeCode) -> ReviewType:
    """The type's row (made from ``review_types`` if a test database was emptied of it)."""
    return ReviewType.objects.get_or_create(code=code, defaults=TYPES[code]._asdict())[0]


def _in_force(review_type: ReviewType, on: date) -> bool:
    return review_type.in_force_from is not None and review_type.in_force_from <= on


def review_type_for_notification(
    *, notified_on: date, partnership: Partnership | None = None, offensive_weapons: bool = False
) -> ReviewType:
    """The type of review the law in force on the day of notification gives the death. Where the
    regional safeguarding board decides (Wales), from the single unified safeguarding review's
    commencement, a single unified safeguarding review, whatever its criteria. Otherwise an
    offensive weapons homicide review for a homicide with an offensive weapon; and a death
    notified on the day the domestic abuse related death review comes into force, or later, is
    reviewed as one; before, as a domestic homicide review, and it keeps that name."""
    if partnership is not None and board_decides(partnership=partnership):
        susr = review_type_of(ReviewTypeCode.SUSR)
        if _in_force(susr, notified_on):
            return susr
    if offensive_weapons:
        return review_type_of(ReviewTypeCode.OWHR)
    dardr = review_type_of(ReviewTypeCode.DARDR)
    if _in_force(dardr, notified_on):
        return dardr
    return review_type_of(ReviewTypeCode.DHR)


def notification_types(*, partnership: Partnership, on: date) -> dict[str, ReviewType]:
    """What the notification form offers today: ``"domestic"`` and ``"offensive_weapons"``, each
    the type a death notified today would be."""
    return {
        "domestic": review_type_for_notification(notified_on=on, partnership=partnership),
        "offensive_weapons": review_type_for_notification(
            notified_on=on, partnership=partnership, offensive_weapons=True
        ),
    }


def reviews_accessible(*, user: User, partnership: Partnership) -> QuerySet:
    return (
        ReviewPolicy.visible(user)
        .filter(partnership=partnership)
        .select_related("review_type")
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


def qa_rounds(
    *, review: DomesticHomicideReview
) -> list[tuple[int, list[QualityAssuranceFeedback]]]:
    """The quality assurance panel's feedback by round, the latest first, with who recorded and
    who answered each point (one query)."""
    rounds: dict[int, list[QualityAssuranceFeedback]] = {}
    for item in review.qa_feedback.select_related("recorded_by", "answered_by").order_by(
        "-round", "pk"
    ):
        rounds.setdefault(item.round, []).append(item)
    return list(rounds.items())


def qa_item_for(*, review: DomesticHomicideReview, item_id: int) -> QualityAssuranceFeedback:
    try:
        return review.qa_feedback.select_related("review").get(pk=item_id)
    except QualityAssuranceFeedback.DoesNotExist:
        raise Http404 from None


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


def board_decides(*, partnership: Partnership) -> bool:
    """Whether the regional safeguarding board decides (by default in Wales)."""
    from authorities.models import Nation

    from ..models import DecisionMaker, ReviewSettings

    row = ReviewSettings.objects.filter(partnership=partnership).first()
    if row is None:
        return partnership.nation == Nation.WALES
    return row.decision_maker == DecisionMaker.REGIONAL_SAFEGUARDING_BOARD


def review_decision_maker(*, review: DomesticHomicideReview) -> str:
    """Who decides whether to review this death, in words: the type says (the relevant review
    partners for an offensive weapons homicide review, the regional safeguarding board for a
    single unified safeguarding review, named as the partnership recorded it); otherwise the
    partnership's setting."""
    from ..models import DecidedBy, ReviewSettings

    decided_by = review.review_type.decided_by
    if decided_by == DecidedBy.REVIEW_PARTNERS:
        return str(DecidedBy.REVIEW_PARTNERS.label)
    if decided_by == DecidedBy.REGIONAL_SAFEGUARDING_BOARD:
        row = ReviewSettings.objects.filter(partnership_id=review.partnership_id).first()
        return (row and row.decision_maker_name) or str(DecidedBy.REGIONAL_SAFEGUARDING_BOARD.label)
    return decision_maker(partnership=review.partnership)


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
