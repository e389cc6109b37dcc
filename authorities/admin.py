from django.contrib import admin

from csp_portal.admin import ReadOnlyAdmin

from .models import LocalAuthorityDistrict, LocalPolicingBody, Organisation, PoliceForceArea
from .services import organisation_create


@admin.register(PoliceForceArea, LocalAuthorityDistrict)
class AreaAdmin(ReadOnlyAdmin):
    list_display = ["name", "code", "edition"]
    list_filter = ["edition"]
    search_fields = ["name", "code"]


@admin.register(LocalPolicingBody)
class LocalPolicingBodyAdmin(ReadOnlyAdmin):
    """Who has held each force area's commissioner functions; a successor is recorded through
    ``local_policing_body_succeed``, which ends its predecessor's period."""

    list_display = ["title", "police_force_area", "kind", "functions_from", "functions_until"]
    list_filter = ["kind"]
    search_fields = ["title", "police_force_area__name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Platform administrators add organisations here; the service audits each one."""

    list_display = ["name", "kind", "sector", "nation", "ons_code"]
    list_filter = ["kind", "nation"]
    search_fields = ["name", "ons_code"]
    fields = ["name", "kind", "sector", "nation", "ons_code", "ons_edition"]

    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        created = organisation_create(acting_user=request.user, **form.cleaned_data)
        obj.pk, obj.group_id = created.pk, created.group_id
