from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScrutinyConfig(AppConfig):
    name = "scrutiny"
    verbose_name = _("Crime and disorder scrutiny")
