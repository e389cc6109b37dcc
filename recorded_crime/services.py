from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from partnerships.models import Partnership

from . import hooks
from .models import (
    AreaKind,
    CrimeArea,
    CrimeRelease,
    DistrictNeighbours,
    DistrictPopulation,
    PopulationEdition,
    SimilarAreasEdition,
)
from .reader import read_crime_file
from .reader.population import read_neighbours_file, read_population_file


@dataclass
class ImportResult:
    release: CrimeRelease
    replaced: bool
    csps: int
    force_totals: int
    context_rows: int
    partnerships_matched: int
    context_names: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def crime_release_import(
    *, acting_user: User | None, data: bytes, file_name: str, period: str = ""
) -> ImportResult:
    """Read the whole file (CrimeFileError refuses it and writes nothing), then store it as the
    release of its period, replacing that period's rows if it was imported before."""
    table = read_crime_file(data, file_name=file_name, period=period)
    with transaction.atomic():
        release, created = CrimeRelease.objects.select_for_update().get_or_create(
            period_end=table.period_end,
            defaults={"period_label": table.period_label, "source_file_name": file_name[:255]},
        )
        before = {
            "period": None if created else release.period_label,
            "source_file_name": None if created else release.source_file_name,
            "csp_rows": 0 if created else release.areas.filter(kind=AreaKind.CSP).count(),
            "warnings": 0 if created else len(release.warnings),
        }
        if not created:
            release.areas.all().delete()
        release.period_label = table.period_label
        release.source_file_name = file_name[:255]
        release.imported_at = timezone.now()
        release.imported_by = acting_user
        release.warnings = table.warnings
        release.save()
        CrimeArea.objects.bulk_create(
            CrimeArea(
                release=release,
                kind=area.kind,
                force_code=area.force_code,
                force_name=area.force_name[:100],
                published_force_code=area.published_force_code,
                published_force_name=area.published_force_name[:100],
                csp_code=area.csp_code,
                area_name=area.area_name[:200],
                source_row=area.source_row,
                counts=area.counts,
            )
            for area in table.areas
        )
        after = {
            "period": table.period_label,
            "source_file_name": release.source_file_name,
            "csp_rows": table.count(AreaKind.CSP),
            "warnings": len(table.warnings),
        }
        audit_record(
            acting_user=acting_user,
            partnership=None,
            action="recorded_crime.import",
            target=release,
            changes={key: [before[key], after[key]] for key in before},
        )
        hooks.release_imported(release=release, acting_user=acting_user)
    matched = (
        Partnership.objects.filter(ons_code__in=table.csp_codes)
        .order_by()
        .values("ons_code")
        .distinct()
        .count()
    )
    return ImportResult(
        release=release,
        replaced=not created,
        csps=table.count(AreaKind.CSP),
        force_totals=table.count(AreaKind.FORCE_TOTAL),
        context_rows=table.count(AreaKind.UNASSIGNED, AreaKind.OTHER),
        partnerships_matched=matched,
        context_names=[a.area_name for a in table.areas if a.kind == AreaKind.OTHER],
        warnings=table.warnings,
    )


@dataclass
class PopulationImportResult:
    edition: PopulationEdition
    created: bool
    districts: int
    changed: int
    skipped_other_nations: int


def population_edition_import(
    *, acting_user: User | None, data: bytes, file_name: str, mid_year: int
) -> PopulationImportResult:
    """Read the whole file (CrimeFileError refuses it and writes nothing), then store it as the
    edition of its mid-year. Other mid-years are kept. Importing the same figures again changes
    nothing and writes no audit event; a corrected file changes only the districts that differ."""
    table = read_population_file(data)
    with transaction.atomic():
        edition, created = PopulationEdition.objects.select_for_update().get_or_create(
            mid_year=mid_year,
            defaults={"source_file_name": file_name[:255], "imported_by": acting_user},
        )
        current = {row.district_code: row for row in edition.districts.all()}
        incoming = {record.code: record for record in table.districts}
        stale = [row.pk for code, row in current.items() if code not in incoming]
        changed, fresh = [], []
        for record in table.districts:
            row = current.get(record.code)
            if row is None:
                fresh.append(
                    DistrictPopulation(
                        edition=edition,
                        district_code=record.code,
                        district_name=record.name[:200],
                        total=record.total,
                        ages=record.ages,
                        source_row=record.source_row,
                    )
                )
            elif (row.district_name, row.total, row.ages, row.source_row) != (
                record.name[:200],
                record.total,
                record.ages,
                record.source_row,
            ):
                row.district_name, row.total = record.name[:200], record.total
                row.ages, row.source_row = record.ages, record.source_row
                changed.append(row)
        difference = len(fresh) + len(changed) + len(stale)
        if difference:
            before_total = sum(row.total for row in current.values())
            DistrictPopulation.objects.filter(pk__in=stale).delete()
            DistrictPopulation.objects.bulk_create(fresh)
            DistrictPopulation.objects.bulk_update(
                changed, ["district_name", "total", "ages", "source_row"]
            )
            edition.source_file_name = file_name[:255]
            edition.imported_at = timezone.now()
            edition.imported_by = acting_user
            edition.save()
            audit_record(
                acting_user=acting_user,
                partnership=None,
                action="recorded_crime.population_import",
                target=edition,
                changes={
                    "districts": [len(current), len(incoming)],
                    "residents": [before_total, sum(r.total for r in table.districts)],
                    "districts_changed": [None, difference if not created else 0],
                },
            )
    return PopulationImportResult(
        edition=edition,
        created=created,
        districts=len(table.districts),
        changed=0 if created else difference,
        skipped_other_nations=table.skipped_other_nations,
    )


def similar_areas_import(
    *, acting_user: User | None, data: bytes, file_name: str, label: str
) -> tuple[SimilarAreasEdition, bool]:
    """Store ONS's nearest neighbours of local authorities as the edition ``label``; the same
    edition again replaces its rows only if they differ. Returns the edition and whether anything
    changed."""
    rows = read_neighbours_file(data)
    wanted = {code: (line, neighbours) for line, code, neighbours in rows}
    with transaction.atomic():
        edition, _created = SimilarAreasEdition.objects.select_for_update().get_or_create(
            label=label[:60], defaults={"source_file_name": file_name[:255]}
        )
        current = {
            row.district_code: (row.source_row, row.neighbours) for row in edition.districts.all()
        }
        if current == wanted:
            return edition, False
        edition.districts.all().delete()
        DistrictNeighbours.objects.bulk_create(
            DistrictNeighbours(
                edition=edition, district_code=code, neighbours=neighbours, source_row=line
            )
            for code, (line, neighbours) in wanted.items()
        )
        edition.source_file_name = file_name[:255]
        edition.imported_at = timezone.now()
        edition.imported_by = acting_user
        edition.save()
        audit_record(
            acting_user=acting_user,
            partnership=None,
            action="recorded_crime.similar_areas_import",
            target=edition,
            changes={"areas": [len(current), len(wanted)]},
        )
    return edition, True
