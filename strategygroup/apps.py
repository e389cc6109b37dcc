from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyGroupConfig(AppConfig):
    name = "strategygroup"
    verbose_name = _("Strategy group meetings")
