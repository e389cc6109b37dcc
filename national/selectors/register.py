"""The public register of partnerships and its open data: what anyone may know of a partnership
(its area, the organisations on it, how to contact it, its published plan and the date of its
last approved assessment), never a person or a review. Each read is a fixed number of queries."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from assessments.models import AssessmentStatus
from audit.models import AuditEvent
from partnerships.models import PartnerOrganisation, Partnership, Seat
from plans.models import PartnershipPlan, PlanPriority, PlanStatus


def _with_public_facts(partnerships: QuerySet[Partnership]) -> QuerySet[Partnership]:
    """Joined and annotated with what the register shows: three queries for any number."""
    published = PartnershipPlan.objects.filter(
        partnership=OuterRef("pk"), status=PlanStatus.PUBLISHED
    )
    return (
        partnerships.select_related("police_force_area", "merged_into")
        .prefetch_related(
            Prefetch("districts"),
            Prefetch(
                "partner_organisations",
                queryset=PartnerOrganisation.objects.select_related("organisation").order_by(
                    "seat", "organisation__name"
                ),
            ),
        )
        .annotate(
            has_published_plan=Exists(published),
            last_assessment_at=Max(
                "strategic_assessments__approved_at",
                filter=Q(strategic_assessments__status=AssessmentStatus.APPROVED),
            ),
        )
    )


def register_search(*, search: str = "") -> QuerySet[Partnership]:
    """Every partnership by name, active or merged; with ``search``, those whose name, public
    name or a district's name contains it (a district is the place name people know)."""
    partnerships = Partnership.objects.all()
    if search:
        matching = Partnership.objects.filter(
            Q(name__icontains=search)
            | Q(public_name__icontains=search)
            | Q(districts__name__icontains=search)
        ).values("pk")
        partnerships = partnerships.filter(pk__in=matching)
    return _with_public_facts(partnerships).order_by("name")


@dataclass(frozen=True)
class RegisterEntry:
    partnership: Partnership
    statutory: list[PartnerOrganisation]
    invited: list[PartnerOrganisation]
    last_assessment_on: date | None

    @property
    def successor(self) -> Partnership | None:
        """The partnership it merged into, followed to the one that is active now."""
        successor = self.partnership.merged_into
        seen = set()
        while successor is not None and successor.merged_into_id and successor.pk not in seen:
            seen.add(successor.pk)
            successor = successor.merged_into
        return successor


def _entry(partnership: Partnership) -> RegisterEntry:
    seats = list(partnership.partner_organisations.all())
    return RegisterEntry(
        partnership=partnership,
        statutory=[seat for seat in seats if seat.seat != Seat.INVITED],
        invited=[seat for seat in seats if seat.seat == Seat.INVITED],
        last_assessment_on=(
            timezone.localdate(partnership.last_assessment_at)
            if partnership.last_assessment_at
            else None
        ),
    )


def register_entry(*, slug: str) -> RegisterEntry:
    """A partnership's public page; Http404 for a slug no partnership has."""
    partnership = _with_public_facts(Partnership.objects.filter(slug=slug)).first()
    if partnership is None:
        raise Http404
    return _entry(partnership)


def register_records() -> list[RegisterEntry]:
    return [_entry(partnership) for partnership in register_search()]


def published_priorities() -> QuerySet[PlanPriority]:
    """The priorities of every published plan, by partnership and position (one query)."""
    return (
        PlanPriority.objects.filter(plan__status=PlanStatus.PUBLISHED)
        .select_related("plan__partnership")
        .order_by("plan__partnership__name", "position", "pk")
    )


def last_updated() -> datetime:
    """When anything the open data shows last changed: every change is audited, so the latest
    audit event bounds it (one indexed query); the epoch for an empty platform."""
    latest = AuditEvent.objects.aggregate(latest=Max("occurred_at"))["latest"]
    return latest or datetime(2020, 1, 1, tzinfo=UTC)
