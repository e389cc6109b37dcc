"""The national picture as records: the same columns in the compliance CSV, the open data CSV and
its JSON, so that what a national officer downloads and what anyone downloads agree."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse
from django.urls import reverse

from csp_portal.site import site_url
from reviews.models import ReviewStatus

from .selectors.compliance import ComplianceRow
from .selectors.register import RegisterEntry


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def compliance_record(row: ComplianceRow) -> dict:
    partnership = row.partnership
    return {
        "partnership": partnership.name,
        "slug": partnership.slug,
        "ons_code": partnership.ons_code,
        "nation": partnership.nation,
        "police_force_area": partnership.police_force_area.name,
        "assessment_approved_this_year_on": _iso(row.assessment_approved_on),
        "plan_in_force": row.plan_period or None,
        "plan_refresh_due_on": _iso(row.refresh_due_on),
        "summary_published_on": _iso(row.summary_published_on),
        "last_progress_report_issued_on": _iso(row.last_report_issued_on),
        "statutory_seats_filled": row.seats_filled,
        **{
            f"reviews_{status}": row.reviews_by_status.get(status, 0)
            for status in ReviewStatus.values
        },
        "reviews_past_their_clocks": row.reviews_past_clock,
        "pcc_report_requests_open": row.requests_open,
        "pcc_report_requests_overdue": row.requests_overdue,
        "quarterly_returns_due": row.returns_due,
        "quarterly_returns_late": row.returns_late,
        "late_on": list(row.late_on),
    }


def register_record(entry: RegisterEntry) -> dict:
    partnership = entry.partnership
    successor = entry.successor
    return {
        "partnership": partnership.name,
        "slug": partnership.slug,
        "ons_code": partnership.ons_code,
        "ons_edition": partnership.ons_edition,
        "nation": partnership.nation,
        "police_force_area": partnership.police_force_area.name,
        "police_force_area_code": partnership.police_force_area.code,
        "districts": [district.name for district in partnership.districts.all()],
        "district_codes": [district.code for district in partnership.districts.all()],
        "responsible_authorities": [seat.organisation.name for seat in entry.statutory],
        "invited_partners": [seat.organisation.name for seat in entry.invited],
        "contact": partnership.contact_address,
        "plan_summary_url": (
            site_url(reverse("plans:public_summary", kwargs={"slug": partnership.slug}))
            if partnership.has_published_plan
            else None
        ),
        "last_assessment_approved_on": _iso(entry.last_assessment_on),
        "merged_into": successor.slug if successor else None,
    }


def csv_response(records: Iterable[dict], *, filename: str) -> HttpResponse:
    """Records as a CSV download (UTF-8 with a byte order mark, for spreadsheets); a list value
    becomes its items joined by semicolons."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = None
    for record in records:
        if writer is None:
            writer = csv.DictWriter(response, fieldnames=list(record))
            writer.writeheader()
        writer.writerow(
            {
                key: ";".join(value)
                if isinstance(value, list)
                else ("" if value is None else value)
                for key, value in record.items()
            }
        )
    return response
