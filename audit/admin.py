from django.contrib import admin

from csp_portal.admin import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "actor_label", "partnership", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_repr", "partnership__name"]
    list_select_related = ["partnership"]
