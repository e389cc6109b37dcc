"""Three partnerships at different points of their duties, and national oversight officers."""

from datetime import date, timedelta
from unittest import mock

from authorities.models import Nation, OrganisationKind
from national.models import NationalBody, OversightScope
from national.services import national_grant_create
from oversight.services import report_requests
from partnerships.models import Role
from partnerships.selectors import membership_for
from tests.factories import (
    DistrictFactory,
    OrganisationFactory,
    PartnershipFactory,
    PoliceForceAreaFactory,
    UserFactory,
    member,
)
from tests.oversight.conftest import pcc_member, published_plan
from tests.reviews.conftest import notify


def administrator():
    return UserFactory(is_staff=True)


def national_officer(scope=OversightScope.ALL, *, body=NationalBody.HOME_OFFICE, **area):
    user = UserFactory()
    national_grant_create(acting_user=administrator(), user=user, body=body, scope=scope, **area)
    return user


def duties():
    """Salford (England, Greater Manchester): every duty met, but a domestic homicide review past
    its decision clock and an open report request. Torfaen (Wales, Gwent): no seats, nothing
    done. Trafford (England, Greater Manchester): every duty met."""
    manchester = PoliceForceAreaFactory(name="Greater Manchester")
    gwent = PoliceForceAreaFactory(name="Gwent", code="W15000002")
    salford = PartnershipFactory(name="Salford", slug="salford", police_force_area=manchester)
    trafford = PartnershipFactory(name="Trafford", slug="trafford", police_force_area=manchester)
    torfaen = PartnershipFactory(
        name="Torfaen",
        slug="torfaen",
        nation=Nation.WALES,
        police_force_area=gwent,
        seats=False,
        districts=[DistrictFactory(name="Pontypool", code="W06000020")],
    )
    # Publishing queues the plan's PDFs; none is read here, so none is made (seconds each).
    with mock.patch("plans.services.documents.enqueue_on_commit", lambda *args: None):
        for partnership in (salford, trafford):
            coordinator = member(partnership, Role.COORDINATOR)
            published_plan(partnership, coordinator)
    coordinator = membership_for(
        user=salford.memberships.get(role=Role.COORDINATOR).user, partnership_slug="salford"
    ).user
    notify(salford, coordinator, pseudonym="Adult Secret")
    pcc = pcc_member(salford, OrganisationFactory(name="GM PCC", kind=OrganisationKind.PCC))
    report_requests.report_request_create(
        acting_user=pcc,
        membership=membership_for(user=pcc, partnership_slug="salford"),
        title="Secret concern",
        body="Secret body",
        due_date=date.today() + timedelta(days=14),
    )
    return {
        "salford": salford,
        "trafford": trafford,
        "torfaen": torfaen,
        "gwent": gwent,
        "officer": national_officer(),
        "welsh_officer": national_officer(
            OversightScope.NATION, body=NationalBody.WELSH_GOVERNMENT, nation=Nation.WALES
        ),
    }
