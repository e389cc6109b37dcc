from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CspPortalConfig(AppConfig):
    """The project's shared machinery, as an app for the one table it keeps: the submissions
    already acted on (csp_portal.submissions)."""

    name = "csp_portal"
    verbose_name = _("CSP Portal")

    def ready(self):
        from .logs import stamp_records_with_request_id

        stamp_records_with_request_id()
