"""Grants of national oversight: made and ended by platform administrators, each audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from authorities.models import PoliceForceArea
from csp_portal.workflow import locked

from .models import NationalOversightGrant
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
