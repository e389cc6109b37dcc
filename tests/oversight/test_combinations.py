"""The PCC records approval of a combination of English partnerships of their force area; an
English merge needs it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from oversight.models import CombinationApproval
from partnerships.models import Partnership, Role
from partnerships.services import partnership_merge
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, member

from .conftest import pcc_member, welsh_partnership


def url(name, partnership):
    return reverse(f"oversight:{name}", kwargs={"partnership_slug": partnership.slug})


def _fields(partnerships, day=None, reference="PCC/2027/014"):
    day = day or date.today() - timedelta(days=2)
    return {
        "partnerships": [p.pk for p in partnerships],
        "approved_on_0": day.day,
        "approved_on_1": day.month,
        "approved_on_2": day.year,
        "reference": reference,
        "note": "Decision published on the PCC's website.",
    }


def _state():
    return (
        CombinationApproval.objects.count(),
        AuditEvent.objects.filter(action="combination.approve").count(),
        list(Partnership.objects.order_by("pk").values_list("status", "merged_into")),
    )


def test_the_pcc_records_an_approval_and_then_the_merge_goes_ahead(partnership, bolton, pcc):
    client = signed_in(pcc)
    with pytest.raises(ValidationError, match="has not recorded an approval"):
        partnership_merge(acting_user=None, partnership=bolton, into=partnership)

    response = client.post(url("combination_new", partnership), _fields([partnership, bolton]))
    assert response.status_code == 302
    approval = CombinationApproval.objects.get()
    assert set(approval.partnerships.all()) == {partnership, bolton}
    assert approval.reference == "PCC/2027/014"
    assert AuditEvent.objects.filter(action="combination.approve", partnership=bolton).exists()
    assert "PCC/2027/014" in client.get(url("combinations", partnership)).content.decode()

    partnership_merge(acting_user=None, partnership=bolton, into=partnership)
    bolton.refresh_from_db()
    assert (bolton.status, bolton.merged_into) == ("merged", partnership)


def test_welsh_partnerships_merge_without_a_pcc_approval(force_area):
    cardiff = welsh_partnership(force_area)
    vale = welsh_partnership(force_area, name="Vale of Glamorgan", slug="vale")
    partnership_merge(acting_user=None, partnership=vale, into=cardiff)
    vale.refresh_from_db()
    assert vale.status == "merged"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("one", "Select at least two partnerships to combine"),
        ("welsh", "Only partnerships in England are combined"),
        ("other_area", "Select partnerships of your police force area"),
        ("not_served", "Select partnerships of your police force area"),
        # A merged partnership is not offered; the service refuses one too (below).
        ("merged", "Select partnerships of your police force area"),
        ("future", "The date of approval must be today or in the past"),
        ("no_reference", "Enter the decision reference"),
    ],
)
def test_refused_combinations_change_nothing(
    partnership, bolton, force_area, pcc, pcc_organisation, case, message
):
    chosen = [partnership, bolton]
    extra = {}
    if case == "one":
        chosen = [partnership]
    elif case == "welsh":
        cardiff = welsh_partnership(force_area)
        pcc_member(cardiff, pcc_organisation, pcc)
        chosen = [partnership, cardiff]
    elif case == "other_area":
        lincoln = PartnershipFactory(name="Lincoln", slug="lincoln")
        pcc_member(lincoln, pcc_organisation, pcc)
        chosen = [partnership, lincoln]
    elif case == "not_served":
        chosen = [
            partnership,
            PartnershipFactory(name="Wigan", slug="wigan", police_force_area=force_area),
        ]
    elif case == "merged":
        salford = PartnershipFactory(name="Salford", slug="salford", police_force_area=force_area)
        pcc_member(salford, pcc_organisation, pcc)
        from oversight.services import combinations

        from .conftest import pcc_membership

        combinations.combination_approval_record(
            acting_user=pcc,
            membership=pcc_membership(pcc, partnership),
            partnerships=[salford, bolton],
            approved_on=date.today(),
            reference="R1",
        )
        partnership_merge(acting_user=None, partnership=salford, into=bolton)
        chosen = [partnership, salford]
    elif case == "future":
        extra = {"day": date.today() + timedelta(days=1)}
    elif case == "no_reference":
        extra = {"reference": ""}
    before = _state()
    response = signed_in(pcc).post(url("combination_new", partnership), _fields(chosen, **extra))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PCC_OFFICE])
def test_nobody_else_may_record_one(partnership, bolton, role):
    client = signed_in(member(partnership, role))
    before = _state()
    assert client.get(url("combinations", partnership)).status_code == 404
    assert (
        client.post(url("combination_new", partnership), _fields([partnership, bolton])).status_code
        == 404
    )
    assert _state() == before


def test_the_service_refuses_a_partnership_already_merged(
    partnership, bolton, force_area, pcc, pcc_organisation
):
    from oversight.services import combinations

    from .conftest import pcc_membership

    salford = PartnershipFactory(name="Salford", slug="salford", police_force_area=force_area)
    pcc_member(salford, pcc_organisation, pcc)
    membership = pcc_membership(pcc, partnership)
    combinations.combination_approval_record(
        acting_user=pcc,
        membership=membership,
        partnerships=[salford, bolton],
        approved_on=date.today(),
        reference="R1",
    )
    partnership_merge(acting_user=None, partnership=salford, into=bolton)
    before = _state()
    with pytest.raises(ValidationError, match="Salford has already merged"):
        combinations.combination_approval_record(
            acting_user=pcc,
            membership=membership,
            partnerships=[salford, partnership],
            approved_on=date.today(),
            reference="R2",
        )
    assert _state() == before
