from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from partnerships.models import Partnership

from .models import AreaKind, CrimeArea, CrimeRelease
from .reader import read_crime_file


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
