from django.conf import settings
from django.db import models
from django.utils import timezone


class SubmissionToken(models.Model):
    """A form (or an API request) that has been acted on: the same one sent again changes
    nothing and is shown where the first led. See csp_portal.submissions."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    # Where the first submission led (a form's redirect); empty for the API.
    result_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("user", "key", name="submission_token_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"


class KeptForm(models.Model):
    """What someone typed into a form that reached the server after their session had expired,
    encrypted, until they sign in again and it is put back in the form (csp_portal.kept)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    data = models.TextField()  # a Fernet token of the form's fields as JSON
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.user_id}: {self.path}"


class TextDraft(models.Model):
    """Long text autosaved while someone writes it, encrypted, until they save the form or
    discard the draft (csp_portal.kept)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=500)
    field = models.CharField(max_length=100)
    text = models.TextField()  # a Fernet token of the text
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("user", "path", "field", name="text_draft_once_per_field")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.path} {self.field}"
