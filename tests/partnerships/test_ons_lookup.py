import csv
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

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
from partnerships.ons_lookup import LookupFileError, import_lookup
from partnerships.selectors import membership_for
from partnerships.services import partnership_create
from plans.models import PoliceAndCrimePlanPriority
from tests.conftest import signed_in
from tests.factories import OrganisationFactory, PartnershipFactory
from tests.oversight.conftest import pcc_member

# ../shared/data beside the project (SOURCES.md), found from wherever the checkout sits.
DATA = next(
    folder / "shared" / "data" / "ons"
    for folder in Path(__file__).resolve().parents
    if (folder / "shared" / "data" / "ons").is_dir()
)
LOOKUP_2023 = DATA / "ons_LAD23_CSP23_PFA23_lookup_Dec2023.csv"
LOOKUP_2024 = DATA / "lookup_ltla24_csp24_pfa24.csv"

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Partnership.objects.count(),
        LocalAuthorityDistrict.objects.count(),
        PoliceForceArea.objects.count(),
        AuditEvent.objects.count(),
    )


def test_the_2023_lookup_yields_every_csp_and_force_area():
    result = import_lookup(LOOKUP_2023.read_text(encoding="utf-8-sig"))

    assert result.edition == "2023"
    assert Partnership.objects.count() == 314
    assert Counter(Partnership.objects.values_list("nation", flat=True)) == {
        "england": 293,
        "wales": 21,
    }
    assert PoliceForceArea.objects.filter(edition="2023").count() == 43
    assert LocalAuthorityDistrict.objects.filter(edition="2023").count() == 318
    cwm_taf = Partnership.objects.get(ons_code="W14000023")
    assert cwm_taf.name == "Cwm Taf"
    assert sorted(cwm_taf.districts.values_list("name", flat=True)) == [
        "Merthyr Tydfil",
        "Rhondda Cynon Taf",
    ]
    assert cwm_taf.police_force_area.name == "South Wales"
    # One district split across several CSPs: Bournemouth, Christchurch and Poole.
    bcp = LocalAuthorityDistrict.objects.get(code="E06000058", edition="2023")
    assert sorted(bcp.partnerships.values_list("name", flat=True)) == [
        "Bournemouth",
        "Dorset",
        "Poole",
    ]
    assert Partnership.objects.get(ons_code="E22000107").slug == "trafford"


def test_a_second_run_updates_and_never_duplicates():
    text = LOOKUP_2023.read_text(encoding="utf-8-sig")
    import_lookup(text)
    Partnership.objects.filter(ons_code="E22000107").update(name="Trafford (old name)")
    before = _counts()

    result = import_lookup(text)

    assert result.partnerships_created == []
    assert result.partnerships_updated == ["Trafford"]
    assert result.partnerships_unchanged == 313
    assert Partnership.objects.get(ons_code="E22000107").name == "Trafford"
    assert _counts()[:3] == before[:3]


def test_the_tidied_2024_header_style_is_read_and_moves_partnerships_to_that_edition():
    import_lookup(LOOKUP_2023.read_text(encoding="utf-8-sig"))

    result = import_lookup(LOOKUP_2024.read_text(encoding="utf-8-sig"))

    assert result.edition == "2024"
    assert PoliceForceArea.objects.filter(edition="2024").count() == 43
    trafford = Partnership.objects.get(ons_code="E22000107")
    assert trafford.ons_edition == "2024"
    assert list(trafford.districts.values_list("edition", flat=True)) == ["2024"]
    with LOOKUP_2024.open(encoding="utf-8-sig") as lookup:
        codes_2024 = {row["csp24_code"] for row in csv.DictReader(lookup)}
    assert Partnership.objects.filter(ons_code__in=codes_2024).count() == 314


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


def test_a_new_edition_carries_the_force_areas_data_to_its_records():
    import_lookup(LOOKUP_2023.read_text(encoding="utf-8-sig"))
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


def test_a_partnership_linked_to_two_editions_of_a_district_keeps_one_link():
    import_lookup(LOOKUP_2023.read_text(encoding="utf-8-sig"))
    import_lookup(LOOKUP_2024.read_text(encoding="utf-8-sig"))
    unlisted = _unlisted(
        PoliceForceArea.objects.get(code="E23000005", edition="2024"),
        LocalAuthorityDistrict.objects.filter(code="E08000009"),
    )

    import_lookup(LOOKUP_2024.read_text(encoding="utf-8-sig"))

    assert list(unlisted.districts.values_list("code", "edition")) == [("E08000009", "2024")]


def test_a_csp_under_a_new_code_keeps_its_partnership_and_people():
    import_lookup(LOOKUP_2023.read_text(encoding="utf-8-sig"))
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


def test_a_new_code_with_another_name_and_other_districts_is_a_new_partnership():
    import_lookup(LOOKUP_2023.read_text(encoding="utf-8-sig"))
    extra = "E06000999,Newtown,E22000998,Newtown,E23000005,Greater Manchester\n"

    result = import_lookup(LOOKUP_2024.read_text(encoding="utf-8-sig") + extra)

    assert result.partnerships_created == ["Newtown"]
    assert Partnership.objects.count() == 315


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty."),
        ("name,code\nTrafford,E22000107\n", "the header has no column for"),
        (
            "LAD23CD,LAD23NM,CSP23CD,CSP23NM,PFA23CD,PFA23NM\n"
            "E08000009,Trafford,E22000107,Trafford,E23000005,Greater Manchester\n"
            "E08000010,Wigan,E2200",
            "Row 3: expected at least 6 values, found 3.",
        ),
        (
            "LAD23CD,LAD23NM,CSP23CD,CSP23NM,PFA23CD,PFA23NM\n"
            "E08000009,Trafford,X22000107,Trafford,E23000005,Greater Manchester\n",
            "Row 2: 'X22000107' is not a valid Community Safety Partnership code.",
        ),
        (
            "LAD23CD,LAD23NM,CSP23CD,CSP23NM,PFA23CD,PFA23NM\n"
            "E08000009,,E22000107,Trafford,E23000005,Greater Manchester\n",
            "Row 2: local authority district name is missing.",
        ),
        (
            "LAD23CD,LAD23NM,CSP23CD,CSP23NM,PFA23CD,PFA23NM\n"
            "E07000040,East Devon,E22000362,East and Mid Devon,E23000035,Devon & Cornwall\n"
            "E07000042,Mid Devon,E22000362,Mid Devon,E23000035,Devon & Cornwall\n",
            "Row 3: E22000362 has a different name or police force area than on row 2.",
        ),
    ],
    ids=["empty", "wrong-layout", "truncated", "bad-code", "missing-name", "inconsistent-csp"],
)
def test_a_bad_file_is_refused_whole_with_row_numbers(text, message):
    PartnershipFactory(name="Existing", slug="existing")
    before = _counts()

    with pytest.raises(LookupFileError) as refused:
        import_lookup(text)

    assert any(message in error for error in refused.value.errors), refused.value.errors
    assert _counts() == before


def test_good_rows_are_not_kept_when_a_later_row_is_bad():
    lines = LOOKUP_2023.read_text(encoding="utf-8-sig").splitlines()
    lines[200] = lines[200].replace("E22", "Z22")

    with pytest.raises(LookupFileError) as refused:
        import_lookup("\n".join(lines))

    assert refused.value.errors == [
        f"Row 201: '{lines[200].split(',')[2]}' is not a valid Community Safety Partnership code."
    ]
    assert Partnership.objects.count() == 0


def test_the_command_reports_what_it_did(capsys):
    call_command("import_ons_lookup", str(LOOKUP_2023))
    call_command("import_ons_lookup", str(LOOKUP_2023))

    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("ONS 2023 edition: 314 partnerships created, 0 updated, 0 unchanged;")
    assert "43 police force areas created" in out[0]
    assert out[1].startswith("ONS 2023 edition: 0 partnerships created, 0 updated, 314 unchanged;")


def test_the_command_refuses_a_truncated_file_and_says_so(tmp_path):
    truncated = tmp_path / "lookup.csv"
    truncated.write_text(LOOKUP_2023.read_text(encoding="utf-8-sig")[:5000] + "\nE06000")

    with pytest.raises(CommandError, match=r"nothing was changed(.|\n)*Row \d+: expected"):
        call_command("import_ons_lookup", str(truncated))
    assert Partnership.objects.count() == 0
