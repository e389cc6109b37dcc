from django.contrib import admin

from .models import Partnership
from .services import partnership_create


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    """Platform administrators create partnerships here (most come from the ONS import)."""

    list_display = ["name", "ons_code", "ons_edition", "nation", "police_force_area", "status"]
    list_filter = ["nation", "status", "ons_edition"]
    search_fields = ["name", "ons_code", "slug"]
    fields = ["name", "slug", "ons_code", "ons_edition", "nation", "police_force_area", "districts"]
    autocomplete_fields = ["police_force_area", "districts"]
    list_select_related = ["police_force_area"]

    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = dict(form.cleaned_data)
        created = partnership_create(acting_user=request.user, **data)
        obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        """The service has already set the districts."""
