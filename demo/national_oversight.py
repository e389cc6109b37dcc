"""Demonstration data for the national picture (issue 19): a Home Office officer with national
oversight of every partnership, granted by the platform administrator; the public contact
address of Trafford on the register; and the national counts of what published domestic
homicide reviews found, from the Home Office library as the Domestic Homicide Review Dataset
v1.0.0 records it (Cook and Cook, 2026, doi:10.5281/zenodo.21108268, CC BY 4.0; no person is
named in it). Through the services; a second run changes nothing."""

import csv
from pathlib import Path

from accounts.models import User
from accounts.selectors import unused_backup_codes
from accounts.services import backup_codes_replace
from national.models import NationalBody, NationalOversightGrant, OversightScope
from national.services import national_grant_create, review_learning_import
from partnerships.models import Partnership
from partnerships.services import partnership_identity_update

from .partnerships import DEMO_PASSWORD, SeededLogin

LIBRARY = Path(__file__).resolve().parent / "data" / "dhrd_incidents.csv"
NATIONAL_EMAIL = "national@homeoffice.example"
TRAFFORD_CONTACT = (
    "Safer Trafford, Trafford Town Hall, Talbot Road, Stretford M32 0TH\ncsp@trafford.example"
)


def seed_national_oversight() -> SeededLogin:
    administrator = User.objects.get(email="admin@csp-portal.example")
    officer = User.objects.filter(email=NATIONAL_EMAIL).first() or User.objects.create_user(
        NATIONAL_EMAIL, DEMO_PASSWORD, full_name="Sam Okoro"
    )
    if not NationalOversightGrant.objects.filter(user=officer, ended_at__isnull=True).exists():
        national_grant_create(
            acting_user=administrator,
            user=officer,
            body=NationalBody.HOME_OFFICE,
            scope=OversightScope.ALL,
        )
    trafford = Partnership.objects.get(ons_code="E22000107")
    if not trafford.contact_address:
        partnership_identity_update(
            acting_user=User.objects.get(email="coordinator@trafford.example"),
            partnership=trafford,
            public_name=trafford.public_name,
            accent_colour=trafford.accent_colour,
            contact_address=TRAFFORD_CONTACT,
        )
    with LIBRARY.open(encoding="utf-8") as library:
        review_learning_import(acting_user=None, rows=list(csv.DictReader(library)))
    codes = unused_backup_codes(user=officer) or backup_codes_replace(acting_user=officer)
    return SeededLogin(
        email=NATIONAL_EMAIL,
        roles="National oversight (Home Office), every partnership",
        backup_codes=codes,
    )
