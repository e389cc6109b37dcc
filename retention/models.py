"""One row per run of the retention schedule: what it deleted, for the audit log and the page."""

from django.db import models
from django.utils import timezone


class RetentionRun(models.Model):
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # kind -> how many records (with their files) were deleted, over the whole service.
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"Retention run {self.started_at:%Y-%m-%d %H:%M}"
