from django.contrib import admin

from csp_portal.admin import ReadOnlyAdmin

from .models import CrimeArea, CrimeRelease


@admin.register(CrimeRelease)
class CrimeReleaseAdmin(ReadOnlyAdmin):
    """Releases change only by importing the table again (national data, recorded_crime:upload)."""

    list_display = ["period_label", "period_end", "source_file_name", "imported_at", "imported_by"]
    list_select_related = ["imported_by"]
    fields = [*list_display, "warnings"]


@admin.register(CrimeArea)
class CrimeAreaAdmin(ReadOnlyAdmin):
    list_display = ["area_name", "kind", "csp_code", "force_code", "force_name", "release"]
    list_filter = ["release", "kind"]
    search_fields = ["area_name", "csp_code", "force_code", "force_name"]
    list_select_related = ["release"]
