from django.contrib import admin

from .cycles import cycles
from .models import EmailPreference, Notification, SweepRun


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The outbox, for platform administrators: but for need-to-know items (a domestic homicide
    review's clocks), whose titles name the review; only its own recipients read those."""

    list_display = ("title", "stage", "due_on", "user", "partnership", "status", "attempts")
    list_filter = ("status", "stage", "kind")
    search_fields = ("title", "item_key", "user__email")
    list_select_related = ("user", "partnership")
    readonly_fields = [field.name for field in Notification._meta.fields]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        need_to_know = [cycle.kind for cycle in cycles() if cycle.need_to_know]
        return super().get_queryset(request).exclude(kind__in=need_to_know)


@admin.register(EmailPreference)
class EmailPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "frequency", "updated_at")
    list_select_related = ("user",)


@admin.register(SweepRun)
class SweepRunAdmin(admin.ModelAdmin):
    list_display = ("day", "started_at", "finished_at", "items", "rows_written")
    readonly_fields = ("day", "started_at", "finished_at", "items", "rows_written")
