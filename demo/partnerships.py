"""Demonstration data: six real CSPs from the 2023 ONS lookup, their authorities, and people in
every role. Everything goes through the services, and a second run changes nothing: it prints
the backup codes still unused, and issues new ones only when a demo user has spent them all.
"""

import io
from dataclasses import dataclass
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw

from accounts.models import User
from accounts.selectors import unused_backup_codes, user_requires_two_factor
from accounts.services import backup_codes_replace
from authorities.models import Nation, Organisation, OrganisationKind, PartnerSector
from authorities.services import organisation_create
from partnerships.models import Membership, PartnerOrganisation, Partnership, Role, Seat
from partnerships.ons_lookup import import_lookup
from partnerships.permissions import role_label
from partnerships.services import (
    membership_create,
    partner_organisation_add,
    partnership_identity_update,
)

DEMO_PASSWORD = "Demo-password-2026"  # noqa: S105  (printed by make run; demo data only)
EXTRACT = Path(__file__).parent / "data" / "ons_lookup_demo_extract_2023.csv"

K = OrganisationKind
E, W = Nation.ENGLAND, Nation.WALES

# Partnership ONS code -> (seat, organisation name, kind, nation[, sector]).
SEATS: dict[str, list[tuple]] = {
    "E22000107": [  # Trafford: an English metropolitan district
        (Seat.POLICE, "Greater Manchester Police", K.POLICE_FORCE, E),
        (Seat.LOCAL_AUTHORITY, "Trafford Council", K.LOCAL_AUTHORITY, E),
        (Seat.FIRE_AND_RESCUE, "Greater Manchester Fire and Rescue Service", K.FIRE_AND_RESCUE, E),
        (Seat.PROBATION, "Probation Service – Greater Manchester", K.PROBATION, E),
        (Seat.HEALTH, "NHS Greater Manchester Integrated Care Board", K.HEALTH, E),
        (Seat.INVITED, "Greater Manchester Combined Authority (Mayor's PCC functions)", K.PCC, E),
        (Seat.INVITED, "Trafford Housing Trust", K.INVITED_PARTNER, E, PartnerSector.HOUSING),
    ],
    "E22000175": [  # Lincoln: a two-tier district, two councils in the local authority seat
        (Seat.POLICE, "Lincolnshire Police", K.POLICE_FORCE, E),
        (Seat.LOCAL_AUTHORITY, "City of Lincoln Council", K.LOCAL_AUTHORITY, E),
        (Seat.LOCAL_AUTHORITY, "Lincolnshire County Council", K.LOCAL_AUTHORITY, E),
        (Seat.FIRE_AND_RESCUE, "Lincolnshire Fire and Rescue", K.FIRE_AND_RESCUE, E),
        (Seat.PROBATION, "Probation Service – East Midlands", K.PROBATION, E),
        (Seat.HEALTH, "NHS Lincolnshire Integrated Care Board", K.HEALTH, E),
        (Seat.INVITED, "Lincolnshire Police and Crime Commissioner", K.PCC, E),
    ],
    "E22000027": [  # Hartlepool: a unitary authority
        (Seat.POLICE, "Cleveland Police", K.POLICE_FORCE, E),
        (Seat.LOCAL_AUTHORITY, "Hartlepool Borough Council", K.LOCAL_AUTHORITY, E),
        (Seat.FIRE_AND_RESCUE, "Cleveland Fire Brigade", K.FIRE_AND_RESCUE, E),
        (Seat.PROBATION, "Probation Service – North East", K.PROBATION, E),
        (Seat.HEALTH, "NHS North East and North Cumbria Integrated Care Board", K.HEALTH, E),
    ],
    "E22000362": [  # East and Mid Devon: one CSP for two districts after a merger
        (Seat.POLICE, "Devon and Cornwall Police", K.POLICE_FORCE, E),
        (Seat.LOCAL_AUTHORITY, "East Devon District Council", K.LOCAL_AUTHORITY, E),
        (Seat.LOCAL_AUTHORITY, "Mid Devon District Council", K.LOCAL_AUTHORITY, E),
        (Seat.LOCAL_AUTHORITY, "Devon County Council", K.LOCAL_AUTHORITY, E),
        (Seat.FIRE_AND_RESCUE, "Devon and Somerset Fire and Rescue Service", K.FIRE_AND_RESCUE, E),
        (Seat.PROBATION, "Probation Service – South West", K.PROBATION, E),
        (Seat.HEALTH, "NHS Devon Integrated Care Board", K.HEALTH, E),
    ],
    "W14000015": [  # Cardiff: Welsh, with a local health board
        (Seat.POLICE, "South Wales Police", K.POLICE_FORCE, W),
        (Seat.LOCAL_AUTHORITY, "Cardiff Council", K.LOCAL_AUTHORITY, W),
        (Seat.FIRE_AND_RESCUE, "South Wales Fire and Rescue Service", K.FIRE_AND_RESCUE, W),
        (Seat.PROBATION, "Probation Service – Wales", K.PROBATION, W),
        (Seat.HEALTH, "Cardiff and Vale University Health Board", K.HEALTH, W),
        (Seat.INVITED, "South Wales Police and Crime Commissioner", K.PCC, W),
    ],
    "W14000023": [  # Cwm Taf: Welsh, one CSP for Rhondda Cynon Taf and Merthyr Tydfil
        (Seat.POLICE, "South Wales Police", K.POLICE_FORCE, W),
        (Seat.LOCAL_AUTHORITY, "Rhondda Cynon Taf County Borough Council", K.LOCAL_AUTHORITY, W),
        (Seat.LOCAL_AUTHORITY, "Merthyr Tydfil County Borough Council", K.LOCAL_AUTHORITY, W),
        (Seat.FIRE_AND_RESCUE, "South Wales Fire and Rescue Service", K.FIRE_AND_RESCUE, W),
        (Seat.PROBATION, "Probation Service – Wales", K.PROBATION, W),
        (Seat.HEALTH, "Cwm Taf Morgannwg University Health Board", K.HEALTH, W),
        (Seat.INVITED, "South Wales Police and Crime Commissioner", K.PCC, W),
    ],
}


@dataclass(frozen=True)
class DemoPerson:
    email: str
    full_name: str
    memberships: tuple[tuple[str, Role, str], ...]  # (ONS code, role, organisation)
    staff: bool = False


PEOPLE = [
    DemoPerson(
        "coordinator@trafford.example",
        "Priya Shah",
        (("E22000107", Role.COORDINATOR, "Trafford Council"),),
    ),
    DemoPerson(
        "strategy@trafford.example",
        "Superintendent Alan Hughes",
        (("E22000107", Role.STRATEGY_MEMBER, "Greater Manchester Police"),),
    ),
    DemoPerson(
        "director@trafford.example",
        "Maria Costa",
        (("E22000107", Role.STRATEGY_MEMBER, "Trafford Council"),),
    ),
    DemoPerson(
        "partner@trafford.example",
        "Grace Okafor",
        (("E22000107", Role.CONTRIBUTOR, "Greater Manchester Fire and Rescue Service"),),
    ),
    DemoPerson(
        "scrutiny@trafford.example",
        "Councillor Joan Whitfield",
        (("E22000107", Role.SCRUTINY, "Trafford Council"),),
    ),
    DemoPerson(
        "pcc@greatermanchester.example",
        "Tom Ashworth",
        (
            (
                "E22000107",
                Role.PCC_OFFICE,
                "Greater Manchester Combined Authority (Mayor's PCC functions)",
            ),
        ),
    ),
    DemoPerson(
        "pcc@southwales.example",
        "Carys Lewis",
        (
            ("W14000015", Role.PCC_OFFICE, "South Wales Police and Crime Commissioner"),
            ("W14000023", Role.PCC_OFFICE, "South Wales Police and Crime Commissioner"),
        ),
    ),
    DemoPerson(
        "coordinator@cardiff.example",
        "Rhian Evans",
        (("W14000015", Role.COORDINATOR, "Cardiff Council"),),
    ),
    DemoPerson(
        "strategy@cardiff.example",
        "Gareth Hughes",
        (("W14000015", Role.STRATEGY_MEMBER, "South Wales Police"),),
    ),
    DemoPerson(
        "scrutiny@cardiff.example",
        "Councillor Elin Jenkins",
        (("W14000015", Role.SCRUTINY, "Cardiff Council"),),
    ),
    DemoPerson(
        "coordinator@cwmtaf.example",
        "Owain Price",
        (("W14000023", Role.COORDINATOR, "Rhondda Cynon Taf County Borough Council"),),
    ),
    DemoPerson(
        "strategy@cwmtaf.example",
        "Superintendent Bethan Rees",
        (("W14000023", Role.STRATEGY_MEMBER, "South Wales Police"),),
    ),
    DemoPerson(
        "analyst@southwales.example",
        "Dafydd Morgan",
        (
            ("W14000015", Role.CONTRIBUTOR, "South Wales Police"),
            ("W14000023", Role.CONTRIBUTOR, "South Wales Police"),
        ),
    ),
    DemoPerson("admin@csp-portal.example", "Platform Administrator", (), staff=True),
]


@dataclass
class SeededLogin:
    email: str
    roles: str
    backup_codes: list[str]


@transaction.atomic
def seed_demo() -> list[SeededLogin]:
    import_lookup(EXTRACT.read_text(encoding="utf-8-sig"))
    partnerships = {p.ons_code: p for p in Partnership.objects.filter(ons_code__in=SEATS)}
    for code, seats in SEATS.items():
        for seat, name, kind, nation, *sector in seats:
            organisation = _organisation(name, kind, nation, sector[0] if sector else "")
            if not PartnerOrganisation.objects.filter(
                partnership=partnerships[code], organisation=organisation
            ).exists():
                partner_organisation_add(
                    acting_user=None,
                    partnership=partnerships[code],
                    organisation=organisation,
                    seat=seat,
                )
    logins = []
    for person in PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is None:
            extra = {"is_staff": True, "is_superuser": True} if person.staff else {}
            user = User.objects.create_user(
                person.email, DEMO_PASSWORD, full_name=person.full_name, **extra
            )
        for code, role, organisation_name in person.memberships:
            if not Membership.objects.filter(user=user, partnership=partnerships[code]).exists():
                membership_create(
                    acting_user=None,
                    partnership=partnerships[code],
                    user=user,
                    role=role,
                    organisation=Organisation.objects.get(name=organisation_name),
                )

        codes = []
        if user_requires_two_factor(user):
            codes = unused_backup_codes(user=user) or backup_codes_replace(acting_user=user)
        # A PCC office by the body it works for ("Office of the Mayor of Greater Manchester").
        roles = (
            "; ".join(
                f"{role_label(user.memberships.get(partnership=partnerships[code]))}, "
                f"{partnerships[code].name}"
                for code, _role, _ in person.memberships
            )
            or "Platform administrator"
        )
        logins.append(SeededLogin(email=person.email, roles=roles, backup_codes=codes))
    _seed_identity(partnerships["E22000107"])
    return logins


TRAFFORD_IDENTITY = {"public_name": "Safer Trafford", "accent_colour": "#6f2c91"}


def demo_logo_png(colour: str = TRAFFORD_IDENTITY["accent_colour"]) -> bytes:
    """Safer Trafford's logo, drawn here rather than kept as a binary file: a shield on a disc."""
    size = 240
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, size - 4, size - 4), fill=colour)
    shield = [(120, 42), (186, 66), (180, 140), (120, 200), (60, 140), (54, 66)]
    draw.polygon(shield, fill="#ffffff")
    draw.polygon([(120, 62), (168, 80), (164, 136), (120, 180)], fill=colour)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _seed_identity(partnership: Partnership) -> None:
    """Trafford publishes as Safer Trafford, with a logo and an accent colour (set once, by its
    coordinator, through the service a person uses)."""
    if partnership.public_name:
        return
    coordinator = User.objects.get(email="coordinator@trafford.example")
    partnership_identity_update(
        acting_user=coordinator,
        partnership=partnership,
        logo=SimpleUploadedFile("safer-trafford.png", demo_logo_png(), "image/png"),
        **TRAFFORD_IDENTITY,
    )


def _organisation(name: str, kind: str, nation: str, sector: str) -> Organisation:
    existing = Organisation.objects.filter(name=name).first()
    if existing:
        return existing
    return organisation_create(acting_user=None, name=name, kind=kind, nation=nation, sector=sector)
