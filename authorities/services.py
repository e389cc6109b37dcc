from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import User
from audit.services import audit_record

from .models import Nation, Organisation, OrganisationKind


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
