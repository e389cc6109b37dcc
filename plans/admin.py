from django.contrib import admin

from authorities.services import police_force_areas_changed
from csp_portal.admin import ReadOnlyAdmin

from .models import PartnershipPlan, PoliceAndCrimePlanPriority


@admin.register(PoliceAndCrimePlanPriority)
class PoliceAndCrimePlanPriorityAdmin(admin.ModelAdmin):
    """Until PCC offices maintain their police and crime plans in the service, staff enter them
    here from each PCC's published plan."""

    list_display = ["title", "police_force_area", "position"]
    list_filter = ["police_force_area"]
    list_select_related = ["police_force_area"]
    search_fields = ["title"]

    # Pages kept under the change stamps of the area's partnerships show its priorities
    # (the force-area page): an edit here, which no service audits, moves them too.
    def save_model(self, request, obj, form, change):
        before = form.initial.get("police_force_area")
        super().save_model(request, obj, form, change)
        police_force_areas_changed({obj.police_force_area_id, before} - {None})

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        police_force_areas_changed([obj.police_force_area_id])

    def delete_queryset(self, request, queryset):
        areas = set(queryset.values_list("police_force_area_id", flat=True))
        super().delete_queryset(request, queryset)
        police_force_areas_changed(areas)


@admin.register(PartnershipPlan)
class PartnershipPlanAdmin(ReadOnlyAdmin):
    """Plans change only through their services (the plan pages)."""

    list_display = ["partnership", "period_start", "version", "status", "approved_at"]
    list_filter = ["status"]
    list_select_related = ["partnership"]
