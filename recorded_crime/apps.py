from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordedCrimeConfig(AppConfig):
    name = "recorded_crime"
    verbose_name = _("Police recorded crime")
