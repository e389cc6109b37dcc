from django.contrib import admin

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


@admin.register(PartnershipPlan)
class PartnershipPlanAdmin(ReadOnlyAdmin):
    """Plans change only through their services (the plan pages)."""

    list_display = ["partnership", "period_start", "version", "status", "approved_at"]
    list_filter = ["status"]
    list_select_related = ["partnership"]
