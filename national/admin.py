from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from .models import NationalOversightGrant
from .services import national_grant_create, national_grant_end


@admin.register(NationalOversightGrant)
class NationalOversightGrantAdmin(admin.ModelAdmin):
    """Platform administrators grant national oversight here and end it with the action; both go
    through the services, which audit them. A grant is never edited or deleted: it is ended."""

    list_display = [
        "user",
        "body",
        "scope",
        "nation",
        "police_force_area",
        "granted_at",
        "ended_at",
    ]
    list_filter = ["body", "scope", "ended_at"]
    search_fields = ["user__email", "user__full_name"]
    fields = ["user", "body", "scope", "nation", "police_force_area"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["police_force_area"]
    list_select_related = ["user", "police_force_area"]
    actions = ["end_grants"]

    def has_change_permission(self, request, obj=None):
        return obj is None

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        created = national_grant_create(
            acting_user=request.user,
            **{name: form.cleaned_data[name] for name in self.fields},
        )
        obj.pk = created.pk

    @admin.action(description=_("End the selected grants"))
    def end_grants(self, request, queryset):
        for grant in queryset.filter(ended_at__isnull=True):
            national_grant_end(acting_user=request.user, grant=grant)
        messages.success(request, _("The selected grants have ended."))
