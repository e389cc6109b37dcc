import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from audit.models import AuditEvent
from demo.recorded_crime import EXTRACT, load_demo_release
from partnerships.models import Partnership
from partnerships.ons_lookup import import_lookup
from recorded_crime.models import AreaKind, CrimeArea, CrimeRelease
from recorded_crime.offences import OFFENCE_KEYS
from recorded_crime.reader import CrimeFileError, read_crime_file
from recorded_crime.selectors import crime_profile
from recorded_crime.services import crime_release_import
from tests.factories import PartnershipFactory, UserFactory

from .conftest import C2, LOOKUP_2023, csp_record, edited, file_counts, line_of, row_counts

pytestmark = pytest.mark.django_db

GWENT, SOUTH_WALES, SURREY, KENT = "W15000002", "W15000003", "E23000031", "E23000032"


def _import(data: bytes, file_name: str = C2.name, **kwargs):
    return crime_release_import(acting_user=None, data=data, file_name=file_name, **kwargs)


def _sums_by_force(release) -> tuple[dict, dict]:
    """Force code -> its force-total row's counts, and force code -> the sums of its other rows."""
    totals, sums = {}, defaultdict(lambda: dict.fromkeys(OFFENCE_KEYS, 0))
    for area in CrimeArea.objects.filter(release=release):
        if area.kind == AreaKind.FORCE_TOTAL:
            totals[area.force_code] = area.counts
        else:
            for key in OFFENCE_KEYS:
                sums[area.force_code][key] += area.counts[key] or 0
    return totals, sums


def test_every_partnership_of_the_2023_lookup_gets_its_figures_from_the_real_table(
    c2_bytes, c2_records
):
    import_lookup(LOOKUP_2023.read_text(encoding="utf-8-sig"))
    staff = UserFactory(is_staff=True)

    result = crime_release_import(acting_user=staff, data=c2_bytes, file_name=C2.name)

    release = result.release
    assert (release.period_label, release.period_end) == (
        "year ending June 2025",
        date(2025, 6, 30),
    )
    assert (result.csps, result.force_totals, result.context_rows) == (314, 42, 43)
    assert result.partnerships_matched == 314
    assert result.context_names == ["Manchester Airport"]
    assert release.imported_by == staff and release.source_file_name == C2.name
    event = AuditEvent.objects.get(action="recorded_crime.import")
    assert event.partnership is None and event.object_id == str(release.pk)
    assert event.changes["csp_rows"] == [0, 314]

    partnerships = list(Partnership.objects.all())
    assert len(partnerships) == 314
    profiles = {p.ons_code: crime_profile(partnership=p) for p in partnerships}
    assert all(profile is not None for profile in profiles.values())
    for code, profile in profiles.items():
        expected = file_counts(csp_record(c2_records, code))
        assert {row.key: row.count for row in profile.offences} == expected, code

    trafford = profiles["E22000107"]
    trafford_row = csp_record(c2_records, "E22000107")
    assert trafford.area_name == "Trafford" and trafford.force_code == "E23000005"
    assert trafford.total.count == int(trafford_row[6].strip().replace(",", ""))
    assert trafford.total.force_count == 316_913
    assert trafford.total.share_of_force == Decimal("5.7")  # 18,009 of 316,913
    assert trafford.previous_release is None and trafford.total.change is None
    assert [point.count for point in trafford.trend] == [trafford.total.count]

    cwm_taf = profiles["W14000023"]
    cwm_taf_row = csp_record(c2_records, "W14000023")
    assert cwm_taf.area_name == "Cwm Taf" and cwm_taf.force_name == "South Wales"
    assert cwm_taf_row[4] == "Combined Local Authorities"
    assert cwm_taf.total.count == int(cwm_taf_row[6].strip().replace(",", ""))
    assert cwm_taf.total.force_count == 109_798

    city = profiles["E22000180"]  # City of London: its one CSP is the whole force
    assert city.force_total_is_area and city.total.force_count == city.total.count
    assert city.total.share_of_force == 100


def test_rows_that_are_not_partnerships_are_kept_and_every_force_adds_up_to_its_total(
    c2_bytes, c2_text, c2_records
):
    release = _import(c2_bytes).release

    airport = CrimeArea.objects.get(release=release, area_name="Manchester Airport")
    assert airport.kind == AreaKind.OTHER and airport.force_code == "E23000005"
    assert airport.counts["total_recorded_crime"] == 1516
    assert CrimeArea.objects.filter(release=release, kind=AreaKind.UNASSIGNED).count() == 42
    assert CrimeArea.objects.filter(release=release).count() == len(c2_records) - 8

    # The two rows whose code and name disagree are counted under the force they name...
    gwent_line, surrey_line = (
        line_of(c2_text, "Unassigned Gwent"),
        line_of(c2_text, "unassigned Surrey"),
    )
    assert (gwent_line, surrey_line) == (134, 344)
    unassigned_gwent = CrimeArea.objects.get(release=release, area_name="Unassigned Gwent")
    assert (unassigned_gwent.published_force_code, unassigned_gwent.force_code) == (
        SOUTH_WALES,
        GWENT,
    )
    assert unassigned_gwent.source_row == 134
    unassigned_surrey = CrimeArea.objects.get(release=release, area_name="unassigned Surrey")
    assert (unassigned_surrey.published_force_code, unassigned_surrey.force_code) == (KENT, SURREY)
    assert set(unassigned_surrey.counts.values()) == {None}
    # ... and said so, with their line numbers.
    assert any(w.startswith("Line 134:") and "Gwent (W15000002)" in w for w in release.warnings)
    assert any(w.startswith("Line 344:") and "Surrey (E23000031)" in w for w in release.warnings)
    assert any(w.startswith("Line 344:") and "no figures" in w for w in release.warnings)
    assert len(release.warnings) == 3  # no force fails to add up

    # Every force's rows add up to its force-total row in the file, for every column.
    file_totals = {r[0]: file_counts(r) for r in c2_records[8:] if not r[2] and not r[3]}
    assert len(file_totals) == 42 and "E23000034" not in file_totals  # City of London
    totals, sums = _sums_by_force(release)
    assert totals == file_totals
    for force, expected in file_totals.items():
        assert sums[force] == expected, force


def test_counted_by_code_alone_gwent_and_south_wales_would_be_off_by_one(c2_bytes):
    release = _import(c2_bytes).release
    CrimeArea.objects.filter(release=release, area_name="Unassigned Gwent").update(
        force_code=SOUTH_WALES
    )
    totals, sums = _sums_by_force(release)
    total = "total_recorded_crime"
    assert sums[GWENT][total] == totals[GWENT][total] - 1
    assert sums[SOUTH_WALES][total] == totals[SOUTH_WALES][total] + 1


def test_a_force_that_does_not_add_up_is_reported(c2_text, c2_records):
    # Synthetic edit: Trafford's total raised by 5, so Greater Manchester's rows exceed its total.
    total = csp_record(c2_records, "E22000107")[6]
    raised = f"{int(total.strip().replace(',', '')) + 5:,} "
    table = read_crime_file(
        edited(c2_text, f'Trafford,"{total}"', f'Trafford,"{raised}"'), file_name="c2.csv"
    )
    (warning,) = [w for w in table.warnings if "do not add up" in w]
    assert "Greater Manchester (E23000005)" in warning
    assert "Total recorded crime (excluding fraud)" in warning
    assert "Violence" not in warning


def test_importing_the_same_period_again_replaces_its_rows(c2_bytes):
    first = _import(c2_bytes).release
    before = CrimeArea.objects.count()

    result = _import(c2_bytes, file_name="again.csv")

    assert result.replaced and result.release.pk == first.pk
    assert CrimeRelease.objects.count() == 1
    assert CrimeArea.objects.count() == before == 399
    assert CrimeRelease.objects.get().source_file_name == "again.csv"
    assert AuditEvent.objects.filter(action="recorded_crime.import").count() == 2


def _synthetic_earlier_period(c2_text: str, records, year: int, factor: float) -> bytes:
    """SYNTHETIC, not published data: the real file's title and header with the period moved back
    to June ``year``, and only Trafford's and Cwm Taf's rows, every count scaled by ``factor``."""
    head = c2_text.split("\r\nE23000036", 1)[0] + "\r\n"
    head = head.replace("year ending June 2025", f"year ending June {year}")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for code in ("E22000107", "W14000023"):
        record = csp_record(records, code)
        counts = file_counts(record)
        writer.writerow(record[:6] + [f"{round(counts[key] * factor):,} " for key in OFFENCE_KEYS])
    return (head + out.getvalue()).encode("utf-8")


def test_an_earlier_period_gives_the_change_and_the_trend(c2_bytes, c2_text, c2_records):
    partnership = PartnershipFactory(name="Trafford", slug="trafford", ons_code="E22000107")
    _import(_synthetic_earlier_period(c2_text, c2_records, 2024, 0.9), file_name="synthetic.csv")
    _import(c2_bytes)

    profile = crime_profile(partnership=partnership)

    real = file_counts(csp_record(c2_records, "E22000107"))
    earlier = {key: round(value * 0.9) for key, value in real.items()}
    assert profile.release.period_label == "year ending June 2025"
    assert profile.previous_release.period_label == "year ending June 2024"
    total = profile.total
    assert total.count == real["total_recorded_crime"]
    assert total.previous_count == earlier["total_recorded_crime"]
    assert total.change == real["total_recorded_crime"] - earlier["total_recorded_crime"]
    assert total.change_percent == Decimal(f"{100 * total.change / total.previous_count:.1f}")
    assert [(p.period_end.year, p.count) for p in profile.trend] == [
        (2024, earlier["total_recorded_crime"]),
        (2025, real["total_recorded_crime"]),
    ]
    assert profile.trend_chart is not None


def _xlsx_of(records: list[list[str]]) -> bytes:
    """The same table as a workbook: a cover sheet first, then the table with numbers as numbers."""
    workbook = Workbook()
    workbook.active.title = "Cover"
    workbook.active.append(["Police recorded crime, year ending June 2025"])
    sheet = workbook.create_sheet("Table C2")
    for index, record in enumerate(records):
        if index < 8:
            sheet.append([cell or None for cell in record])
            continue
        counts = file_counts(record)
        sheet.append(
            [cell.strip() or None for cell in record[:6]]
            + [counts[key] if counts[key] is not None else None for key in OFFENCE_KEYS]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_same_table_as_xlsx_imports_identically(c2_bytes, c2_records):
    def snapshot():
        return sorted(
            CrimeArea.objects.values_list(
                "kind",
                "force_code",
                "force_name",
                "published_force_code",
                "csp_code",
                "area_name",
                "counts",
            ),
            key=repr,
        )

    csv_release = _import(c2_bytes).release
    from_csv, csv_warnings = snapshot(), csv_release.warnings

    result = _import(_xlsx_of(c2_records), file_name="tableC2.xlsx")

    assert result.replaced
    assert (result.csps, result.force_totals, result.context_rows) == (314, 42, 43)
    assert snapshot() == from_csv
    # The spreadsheet has one row per record, so its row numbers are the CSV's lines less the
    # five line breaks inside the header's cells.
    assert [
        w.replace("Row 129", "Line 134").replace("Row 339", "Line 344")
        for w in result.release.warnings
    ] == csv_warnings
    assert CrimeArea.objects.get(area_name="Unassigned Gwent").source_row == 129


def _refused(data: bytes, file_name: str = "c2.csv", **kwargs) -> list[str]:
    before = row_counts()
    with pytest.raises(CrimeFileError) as refused:
        _import(data, file_name=file_name, **kwargs)
    assert row_counts() == before
    return refused.value.errors


def test_bad_files_are_refused_whole_with_row_numbers_and_change_nothing(c2_bytes, c2_text):
    _import(c2_bytes)
    release = CrimeRelease.objects.get()
    trafford_line = line_of(c2_text, "E22000107")
    stockport_line = line_of(c2_text, "E22000105")

    wakefield_line = line_of(c2_text, "E22000346")
    errors = _refused(edited(c2_text, '"41,521 "', '"41,52l "'))
    assert errors == [
        f"Line {wakefield_line}: '41,52l' under 'Total recorded crime (excluding "
        "fraud)' is not a number of offences."
    ]

    errors = _refused(edited(c2_text, "E22000107", "E2200010X"))
    assert errors == [
        f"Line {trafford_line}: 'E2200010X' is not a Community Safety Partnership code "
        "(E22… or W14…)."
    ]

    errors = _refused(edited(c2_text, "E22000105", "E22000107"))
    assert errors == [
        f"Line {trafford_line}: CSP code E22000107 appears again (first on line {stockport_line})."
    ]

    errors = _refused(edited(c2_text, ",Robbery,", ",Robberies,"))
    assert errors == [
        "Line 8: the table's layout has changed, so the file was not read (missing columns: "
        "Robbery; unexpected columns: Robberies)."
    ]

    records = list(csv.reader(io.StringIO(c2_text, newline="")))
    assert records[7][22] == "Shoplifting"
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(r[:22] + r[23:] for r in records)
    without_shoplifting = out.getvalue()
    errors = _refused(without_shoplifting.encode())
    assert errors[0].startswith("Line 8: the table's layout has changed")
    assert "missing columns: Shoplifting)" in errors[0]

    no_period = edited(c2_text, ", year ending June 2025 ", " ")
    errors = _refused(no_period)
    assert errors == [
        "The file's title does not say which period the figures cover; give the period, for "
        "example 'year ending June 2025'."
    ]
    assert _refused(no_period, period="sometime")[0].startswith("The period 'sometime'")
    assert CrimeRelease.objects.get() == release  # nothing replaced

    no_header = edited(c2_text, "Police Force\nArea code", "Force")
    assert _refused(no_header)[0].startswith("No header row was found")

    short_row = edited(c2_text, ',"41,521 "', "")
    assert _refused(short_row) == [f"Line {wakefield_line}: expected 29 values, found 28."]


def test_a_period_given_supplies_or_replaces_the_title_s(c2_text, c2_bytes):
    no_period = edited(c2_text, ", year ending June 2025 ", " ")
    release = _import(no_period, period="year ending March 2025").release
    assert (release.period_label, release.period_end) == (
        "year ending March 2025",
        date(2025, 3, 31),
    )

    release = _import(c2_bytes, period="YE Dec 2024").release
    assert (release.period_label, release.period_end) == (
        "year ending December 2024",
        date(2024, 12, 31),
    )
    assert "replaces the file title's year ending June 2025" in release.warnings[0]


def test_every_error_is_listed_not_just_the_first(c2_text):
    broken = c2_text.replace(",E22", ",X22").replace(",W14", ",X14")
    errors = _refused(broken.encode())
    assert len(errors) == 314
    assert all(error.startswith("Line ") for error in errors)


def test_the_command_prints_a_summary_and_refuses_with_the_row_errors(tmp_path, c2_text, capsys):
    call_command("import_recorded_crime", str(C2))
    out = capsys.readouterr().out
    assert "year ending June 2025" in out and "314 CSPs" in out and "Manchester Airport" in out
    assert "warning: Line 134:" in out

    bad = tmp_path / "bad.csv"
    bad.write_bytes(edited(c2_text, "E22000107", "E2200010X"))
    before = row_counts()
    with pytest.raises(CommandError, match="E2200010X") as refused:
        call_command("import_recorded_crime", str(bad))
    assert "nothing was changed" in str(refused.value)
    assert row_counts() == before

    no_period = tmp_path / "no_period.csv"
    no_period.write_bytes(edited(c2_text, ", year ending June 2025 ", " "))
    call_command("import_recorded_crime", str(no_period), "--period", "year ending June 2026")
    assert CrimeRelease.objects.filter(period_end=date(2026, 6, 30)).exists()


def test_the_demo_extract_is_the_real_rows_and_loads_once(c2_bytes):
    extract = EXTRACT.read_bytes()
    lines = extract.split(b"\r\n")
    assert extract.startswith(c2_bytes.split(b"\r\nE23000036", 1)[0] + b"\r\n")
    assert all(line + b"\r\n" in c2_bytes for line in lines if line)
    forces = {line.split(b",", 1)[0] for line in lines[8:] if line}
    assert forces == {
        b"E23000005",
        b"E23000020",
        b"E23000013",
        b"E23000035",
        b"W15000003",
        b"W15000002",
    }
    assert len([line for line in c2_bytes.split(b"\r\n") if line.split(b",", 1)[0] in forces]) == (
        len(lines) - 9
    )

    release = load_demo_release()
    counts = row_counts()
    assert load_demo_release() is None
    assert row_counts() == counts

    assert release.period_label == "year ending June 2025"
    assert CrimeArea.objects.filter(kind=AreaKind.CSP).count() == 40
    assert any("Unassigned Gwent" in w for w in release.warnings)
    assert len(release.warnings) == 1
    totals, sums = _sums_by_force(release)
    assert len(totals) == 6
    for force, expected in totals.items():
        assert sums[force] == expected, force
