from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from authorities.models import (
    LocalAuthorityDistrict,
    PoliceForceArea,
)
from partnerships.models import Partnership
from partnerships.ons_lookup import LookupFileError, import_lookup
from tests.factories import PartnershipFactory

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
