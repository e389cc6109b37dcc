from collections.abc import Iterable
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal.changes import changed

from .models import (
    LocalPolicingBody,
    LocalPolicingBodyKind,
    Nation,
    Organisation,
    OrganisationKind,
    PoliceForceArea,
)
from .policing_bodies import periods_for


def police_force_areas_changed(police_force_area_ids: Iterable[int]) -> None:
    """Move the change stamp of every partnership of these force areas: what belongs to an area
    (its name, its bodies, its police and crime plan's priorities) shows on pages kept under the
    stamps of its partnerships (csp_portal/changes.py), and its audit event names no partnership."""
    for partnership_id in (
        PoliceForceArea.objects.filter(pk__in=list(police_force_area_ids))
        .exclude(partnerships=None)
        .values_list("partnerships", flat=True)
    ):
        changed(partnership_id)


@transaction.atomic
def organisation_create(
    *,
    acting_user: User | None,
    name: str,
    kind: OrganisationKind,
    nation: Nation,
    sector: str = "",
    ons_code: str = "",
    ons_edition: str = "",
) -> Organisation:
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        nation=nation,
        sector=sector,
        ons_code=ons_code,
        ons_edition=ons_edition,
    )
    organisation.full_clean(exclude=["group"])
    organisation.group = Group.objects.create(name=f"organisation:{organisation.name}"[:150])
    organisation.save()
    audit_record(
        acting_user=acting_user,
        partnership=None,
        action="organisation.create",
        target=organisation,
        changes={"name": [None, organisation.name], "kind": [None, organisation.kind]},
    )
    return organisation


@transaction.atomic
def local_policing_bodies_record(
    *, acting_user: User | None, areas: Iterable[PoliceForceArea]
) -> list[LocalPolicingBody]:
    """Give each force area that has none the bodies that have held its commissioner functions
    (``policing_bodies``): the ONS import calls it for the areas it creates."""
    areas = list(areas)
    have = set(
        LocalPolicingBody.objects.filter(police_force_area__in=areas).values_list(
            "police_force_area_id", flat=True
        )
    )
    made = LocalPolicingBody.objects.bulk_create(
        LocalPolicingBody(
            police_force_area=area,
            kind=period.kind,
            title=period.title,
            office=period.office,
            functions_from=period.functions_from,
            functions_until=until,
        )
        for area in areas
        if area.pk not in have
        for period, until in periods_for(area.code, area.name)
    )
    for body in made:
        audit_record(
            acting_user=acting_user,
            partnership=None,
            action="local_policing_body.record",
            target=body,
            changes={
                "title": [None, body.title],
                "functions_from": [None, str(body.functions_from)],
            },
        )
    police_force_areas_changed({body.police_force_area_id for body in made})
    return made


@transaction.atomic
def local_policing_body_succeed(
    *,
    acting_user: User | None,
    police_force_area: PoliceForceArea,
    kind: LocalPolicingBodyKind,
    title: str,
    office: str,
    functions_from: date,
) -> LocalPolicingBody:
    """A new body takes the area's commissioner functions on ``functions_from`` (a mayor, or the
    policing and crime board that replaces a commissioner): the one holding them now keeps its
    history and ends the day before. Platform administrators record it, when the law says so."""
    current = (
        LocalPolicingBody.objects.select_for_update()
        .filter(police_force_area=police_force_area, functions_until__isnull=True)
        .first()
    )
    if current is not None:
        if functions_from <= current.functions_from:
            raise ValidationError(
                {
                    "functions_from": _("The new body must take over after %(title)s began")
                    % {"title": current.title}
                }
            )
        current.functions_until = functions_from - timedelta(days=1)
        current.save(update_fields=["functions_until"])
    body = LocalPolicingBody(
        police_force_area=police_force_area,
        kind=kind,
        title=title.strip(),
        office=office.strip(),
        functions_from=functions_from,
    )
    body.full_clean()
    body.save()
    audit_record(
        acting_user=acting_user,
        partnership=None,
        action="local_policing_body.succeed",
        target=body,
        changes={
            "title": [current.title if current else None, body.title],
            "functions_from": [None, str(functions_from)],
        },
    )
    police_force_areas_changed([police_force_area.pk])
    return body
