"""Grants of national oversight (made and ended by platform administrators, each audited), and
what published domestic homicide reviews found, recorded to be counted nationally."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from authorities.models import PoliceForceArea
from csp_portal.workflow import locked
from reviews.models import DomesticHomicideReview
from reviews.policies import ReviewPolicy, ReviewVerb

from .models import CHARACTERISTICS, NationalOversightGrant, ReviewLearning
from .policies import NationalOversightPolicy


@transaction.atomic
def national_grant_create(
    *,
    acting_user: User,
    user: User,
    body: str,
    scope: str,
    nation: str = "",
    police_force_area: PoliceForceArea | None = None,
) -> NationalOversightGrant:
    """Give ``user`` national oversight of the partnerships ``scope`` covers. One open grant a
    person: end the old one first to change it."""
    NationalOversightPolicy.require_administrator(acting_user)
    if NationalOversightGrant.objects.filter(user=user, ended_at__isnull=True).exists():
        raise ValidationError(
            {"user": _("This person already has national oversight: end it first to change it")}
        )
    grant = NationalOversightGrant(
        user=user,
        body=body,
        scope=scope,
        nation=nation,
        police_force_area=police_force_area,
        granted_by=acting_user,
    )
    grant.full_clean()
    grant.save()
    audit_record(
        acting_user=acting_user,
        partnership=None,
        action="national.grant_create",
        target=grant,
        changes={
            "user": [None, user.email],
            "body": [None, body],
            "area": [None, grant.area_label],
        },
    )
    return grant


@transaction.atomic
def national_grant_end(
    *, acting_user: User, grant: NationalOversightGrant
) -> NationalOversightGrant:
    NationalOversightPolicy.require_administrator(acting_user)
    grant = locked(grant)
    if grant.ended_at is not None:
        return grant
    grant.ended_at = timezone.now()
    grant.ended_by = acting_user
    grant.save(update_fields=["ended_at", "ended_by"])
    audit_record(
        acting_user=acting_user,
        partnership=None,
        action="national.grant_end",
        target=grant,
        changes={"ended_at": [None, grant.ended_at.isoformat()]},
    )
    return grant


# What published reviews found, counted nationally --------------------------------------------


@transaction.atomic
def review_learning_record(
    *, acting_user: User, review: DomesticHomicideReview, characteristics: dict[str, bool]
) -> ReviewLearning:
    """Record, on a published review, the characteristics the national counts are made of (yes
    or no each; the year comes from the month of death). Those who run the review may record
    and correct them; the audit event belongs to the review, so only its people see it."""
    review = locked(review)
    ReviewPolicy.require(acting_user, ReviewVerb.ADVANCE, review)
    if review.published_on is None:
        raise ValidationError(_("Record what the review found once it has been published."))
    unknown = set(characteristics) - set(CHARACTERISTICS)
    if unknown:
        raise ValidationError(_("Unknown characteristics: %(names)s") % {"names": sorted(unknown)})
    learning = ReviewLearning.objects.filter(review=review).first() or ReviewLearning(review=review)
    before = {name: getattr(learning, name) for name in CHARACTERISTICS} if learning.pk else {}
    learning.year_of_death = review.death_month.year
    learning.recorded_by = acting_user
    for name in CHARACTERISTICS:
        setattr(learning, name, bool(characteristics.get(name, False)))
    learning.full_clean()
    learning.save()
    audit_record(
        acting_user=acting_user,
        partnership=review.partnership,
        action="review.learning_record",
        target=review,
        changes={
            name: [before.get(name), getattr(learning, name)]
            for name in CHARACTERISTICS
            if before.get(name) != getattr(learning, name)
        },
    )
    return learning


@dataclass(frozen=True)
class LibraryImport:
    added: int
    already_there: int


def _year(death_date: str) -> int:
    """ "September 2018" or "2018" -> 2018."""
    return int(death_date.strip().split()[-1])


@transaction.atomic
def review_learning_import(
    *, acting_user: User | None, rows: list[dict[str, str]]
) -> LibraryImport:
    """The public DHR library's reviews (the dataset's CSV rows) as learning records: all or
    nothing, a row-numbered error for each bad row; a row already imported is left as it is.
    ``acting_user=None`` is the platform itself (the demo, the command)."""
    if acting_user is not None:
        NationalOversightPolicy.require_administrator(acting_user)
    errors, records = [], []
    for number, row in enumerate(rows, start=2):
        try:
            values = {
                name: {"True": True, "False": False}[row[name].strip()] for name in CHARACTERISTICS
            }
            records.append(
                ReviewLearning(
                    source_reference=row["incident_id"].strip(),
                    year_of_death=_year(row["death_date"]),
                    **values,
                )
            )
        except (KeyError, ValueError, IndexError):
            errors.append(_("Row %(number)s is not a review of the library") % {"number": number})
    if errors:
        raise ValidationError(errors)
    existing = set(
        ReviewLearning.objects.filter(
            source_reference__in=[record.source_reference for record in records]
        ).values_list("source_reference", flat=True)
    )
    new = [record for record in records if record.source_reference not in existing]
    ReviewLearning.objects.bulk_create(new)
    return LibraryImport(added=len(new), already_there=len(records) - len(new))
