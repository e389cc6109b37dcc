"""What a new edition of the ONS lookup, or the same one again, does to partnerships imported
from the 2023 edition: every test here starts from that import, made once for the module (each
test runs in a savepoint of it), rather than importing 314 partnerships once per test."""

import csv

import pytest

from audit.models import AuditEvent
from authorities.models import (
    LocalAuthorityDistrict,
    LocalPolicingBody,
    Nation,
    OrganisationKind,
    PoliceForceArea,
)
from oversight.services.priorities import pcc_priority_add
from partnerships.models import Membership, Partnership
from partnerships.ons_lookup import import_lookup
from partnerships.selectors import membership_for
from partnerships.services import partnership_create
from plans.models import PoliceAndCrimePlanPriority
from tests.conftest import signed_in
from tests.factories import OrganisationFactory
from tests.oversight.conftest import pcc_member

from .test_ons_lookup import LOOKUP_2023, LOOKUP_2024, _counts


@pytest.fixture(scope="module")
def _imported(module_data):
    return module_data.build(lambda: import_lookup(LOOKUP_2023.read_text(encoding="utf-8-sig")))


@pytest.fixture
def imported_2023(_imported, db):
    return _imported


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


GM_PRIORITIES = ["Keeping people safe", "Reducing harm", "Strengthening communities"]


def _greater_manchester_pcc_with_priorities():
    """The PCC office serving Trafford, which adds the police and crime plan's priorities."""
    trafford = Partnership.objects.get(ons_code="E22000107")
    office = OrganisationFactory(name="Greater Manchester PCC", kind=OrganisationKind.PCC)
    pcc = pcc_member(trafford, office)
    membership = membership_for(user=pcc, partnership_slug=trafford.slug)
    for title in GM_PRIORITIES:
        pcc_priority_add(acting_user=pcc, membership=membership, title=title)
    return pcc


def _unlisted(police_force_area, districts):
    """A partnership made by hand, without an ONS code (no factory: its made-up area codes
    could be real ones)."""
    return partnership_create(
        acting_user=None,
        name="Unlisted",
        slug="unlisted",
        nation=Nation.ENGLAND,
        police_force_area=police_force_area,
        districts=districts,
    )


def test_a_second_run_updates_and_never_duplicates(imported_2023):
    text = LOOKUP_2023.read_text(encoding="utf-8-sig")
    Partnership.objects.filter(ons_code="E22000107").update(name="Trafford (old name)")
    before = _counts()

    result = import_lookup(text)

    assert result.partnerships_created == []
    assert result.partnerships_updated == ["Trafford"]
    assert result.partnerships_unchanged == 313
    assert Partnership.objects.get(ons_code="E22000107").name == "Trafford"
    assert _counts()[:3] == before[:3]


def test_the_tidied_2024_header_style_is_read_and_moves_partnerships_to_that_edition(
    imported_2023,
):
    result = import_lookup(LOOKUP_2024.read_text(encoding="utf-8-sig"))

    assert result.edition == "2024"
    assert PoliceForceArea.objects.filter(edition="2024").count() == 43
    trafford = Partnership.objects.get(ons_code="E22000107")
    assert trafford.ons_edition == "2024"
    assert list(trafford.districts.values_list("edition", flat=True)) == ["2024"]
    with LOOKUP_2024.open(encoding="utf-8-sig") as lookup:
        codes_2024 = {row["csp24_code"] for row in csv.DictReader(lookup)}
    assert Partnership.objects.filter(ons_code__in=codes_2024).count() == 314


def test_a_new_edition_carries_the_force_areas_data_to_its_records(imported_2023):
    pcc = _greater_manchester_pcc_with_priorities()
    gm_2023 = PoliceForceArea.objects.get(code="E23000005", edition="2023")
    # A partnership the new file does not list stays with its force area and its districts.
    unlisted = _unlisted(gm_2023, LocalAuthorityDistrict.objects.filter(code="E08000009"))

    result = import_lookup(LOOKUP_2024.read_text(encoding="utf-8-sig"))

    gm_2024 = PoliceForceArea.objects.get(code="E23000005", edition="2024")
    assert list(PoliceAndCrimePlanPriority.objects.values_list("police_force_area", "title")) == [
        (gm_2024.pk, title) for title in GM_PRIORITIES
    ]
    page = signed_in(pcc).get("/pcc/").content.decode()
    alignment = page[page.index('data-testid="alignment"') :]
    alignment = alignment[: alignment.index("</table>")]
    assert all(title in alignment for title in GM_PRIORITIES)
    unlisted.refresh_from_db()
    assert unlisted.police_force_area == gm_2024
    assert list(unlisted.districts.values_list("code", "edition")) == [("E08000009", "2024")]
    assert result.carried == {
        "police and crime plan priorities (police force areas)": 3,
        "partnerships (police force areas)": 1,
        "partnerships (local authority districts)": 1,
        # Every area's local policing bodies, with their history: none made twice.
        "local policing bodies (police force areas)": 52,
    }
    assert list(
        LocalPolicingBody.objects.filter(police_force_area=gm_2024).values_list("title", flat=True)
    ) == ["Greater Manchester Police and Crime Commissioner", "Mayor of Greater Manchester"]
    assert not LocalPolicingBody.objects.filter(police_force_area__edition="2023").exists()
    carried = AuditEvent.objects.get(
        action="policeforcearea.carry_to_edition", object_id=str(gm_2024.pk)
    )
    assert (carried.object_id, carried.changes) == (
        str(gm_2024.pk),
        {
            "edition": ["2023", "2024"],
            "police and crime plan priorities": [None, 3],
            "partnerships": [None, 1],
            "local policing bodies": [None, 2],
        },
    )

    before = _counts()
    again = import_lookup(LOOKUP_2024.read_text(encoding="utf-8-sig"))

    assert (again.partnerships_unchanged, again.carried) == (314, {})
    assert _counts() == before
    assert PoliceAndCrimePlanPriority.objects.filter(police_force_area=gm_2024).count() == 3


def test_an_area_renamed_by_the_lookup_shows_its_new_name_at_once(imported_2023):
    """The force-area page is kept under its partnerships' stamps; a renamed area's audit trail
    names no partnership, so the import moves them."""
    client = signed_in(_greater_manchester_pcc_with_priorities())
    assert "Greater Manchester" in client.get("/pcc/").content.decode()  # now kept
    renamed = LOOKUP_2023.read_text(encoding="utf-8-sig").replace(
        ",E23000005,Greater Manchester,", ",E23000005,Greater Manchester Police Area,"
    )

    import_lookup(renamed)

    assert "Greater Manchester Police Area" in client.get("/pcc/").content.decode()


def test_a_partnership_linked_to_two_editions_of_a_district_keeps_one_link(imported_2023):
    import_lookup(LOOKUP_2024.read_text(encoding="utf-8-sig"))
    unlisted = _unlisted(
        PoliceForceArea.objects.get(code="E23000005", edition="2024"),
        LocalAuthorityDistrict.objects.filter(code="E08000009"),
    )

    import_lookup(LOOKUP_2024.read_text(encoding="utf-8-sig"))

    assert list(unlisted.districts.values_list("code", "edition")) == [("E08000009", "2024")]


def test_a_csp_under_a_new_code_keeps_its_partnership_and_people(imported_2023):
    pcc = _greater_manchester_pcc_with_priorities()
    recoded = LOOKUP_2024.read_text(encoding="utf-8-sig").replace("E22000107", "E22000999")

    result = import_lookup(recoded)

    assert result.partnerships_created == []
    trafford = Partnership.objects.get(slug="trafford")
    assert (trafford.ons_code, trafford.ons_edition) == ("E22000999", "2024")
    assert Membership.objects.get(user=pcc).partnership == trafford
    page = signed_in(pcc).get("/pcc/").content.decode()
    assert all(title in page for title in GM_PRIORITIES)
    assert Partnership.objects.count() == 314
    update = AuditEvent.objects.get(action="partnership.update_from_ons", object_id=trafford.pk)
    assert update.changes["ons_code"] == ["E22000107", "E22000999"]


def test_a_new_code_with_another_name_and_other_districts_is_a_new_partnership(imported_2023):
    extra = "E06000999,Newtown,E22000998,Newtown,E23000005,Greater Manchester\n"

    result = import_lookup(LOOKUP_2024.read_text(encoding="utf-8-sig") + extra)

    assert result.partnerships_created == ["Newtown"]
    assert Partnership.objects.count() == 315
