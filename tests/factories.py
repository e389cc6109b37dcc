"""Factories that build through the services, so no test data skips an invariant."""

import factory

from accounts.models import User
from authorities.models import LocalAuthorityDistrict, Nation, OrganisationKind, PoliceForceArea
from authorities.services import organisation_create
from partnerships.models import PartnerOrganisation, Role, Seat
from partnerships.services import membership_create, partner_organisation_add, partnership_create

DEFAULT_PASSWORD = "Correct-horse-battery-42"

STATUTORY_KINDS = {
    Seat.POLICE: OrganisationKind.POLICE_FORCE,
    Seat.LOCAL_AUTHORITY: OrganisationKind.LOCAL_AUTHORITY,
    Seat.FIRE_AND_RESCUE: OrganisationKind.FIRE_AND_RESCUE,
    Seat.PROBATION: OrganisationKind.PROBATION,
    Seat.HEALTH: OrganisationKind.HEALTH,
}


class UserFactory(factory.Factory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
    password = DEFAULT_PASSWORD

    @classmethod
    def _create(cls, model_class, email, password, **kwargs):
        return User.objects.create_user(email, password, **kwargs)


class PoliceForceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PoliceForceArea

    code = factory.Sequence(lambda n: f"E23{n:06d}")
    name = factory.Sequence(lambda n: f"Force area {n}")
    edition = "2023"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LocalAuthorityDistrict

    code = factory.Sequence(lambda n: f"E07{n:06d}")
    name = factory.Sequence(lambda n: f"District {n}")
    edition = "2023"


class OrganisationFactory(factory.Factory):
    class Meta:
        model = dict

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.LOCAL_AUTHORITY
    nation = Nation.ENGLAND
    sector = ""

    @classmethod
    def _create(cls, model_class, **kwargs):
        return organisation_create(acting_user=None, **kwargs)


class PartnershipFactory(factory.Factory):
    """A partnership with its five statutory seats filled (``seats=False`` leaves them empty)."""

    class Meta:
        model = dict

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    nation = Nation.ENGLAND
    ons_code = factory.Sequence(lambda n: f"E22{n:06d}")
    ons_edition = "2023"

    @classmethod
    def _create(cls, model_class, seats=True, police_force_area=None, districts=None, **kwargs):
        pfa = police_force_area or PoliceForceAreaFactory()
        partnership = partnership_create(
            acting_user=None,
            police_force_area=pfa,
            districts=districts or [DistrictFactory()],
            **kwargs,
        )
        if seats:
            for seat, kind in STATUTORY_KINDS.items():
                organisation = OrganisationFactory(
                    name=f"{partnership.name} {Seat(seat).label}", kind=kind
                )
                partner_organisation_add(
                    acting_user=None, partnership=partnership, organisation=organisation, seat=seat
                )
        return partnership


def organisation_in(partnership, seat: str = Seat.LOCAL_AUTHORITY):
    return (
        PartnerOrganisation.objects.filter(partnership=partnership, seat=seat)
        .select_related("organisation")
        .first()
        .organisation
    )


def member(
    partnership,
    role: str = Role.CONTRIBUTOR,
    user: User | None = None,
    seat: str = Seat.LOCAL_AUTHORITY,
    **user_fields,
):
    """A new (or given) user with a membership of the partnership in that role, representing
    the organisation in ``seat``."""
    user = user or UserFactory(**user_fields)
    membership_create(
        acting_user=None,
        partnership=partnership,
        user=user,
        role=role,
        organisation=organisation_in(partnership, seat),
    )
    return user
