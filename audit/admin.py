from django.contrib import admin

from csp_portal.admin import ReadOnlyAdmin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Platform administrators read the audit log here, but for rows about need-to-know records
    (domestic homicide reviews): those only the people with access to the review read, in the
    partnership's own audit log. Staff do not read DHRs without a grant either."""

    list_display = ["occurred_at", "actor_label", "partnership", "action", "object_repr"]
    list_filter = ["action"]
    search_fields = ["actor_label", "object_repr", "partnership__name"]
    list_select_related = ["partnership"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(need_to_know="")
