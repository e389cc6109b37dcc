from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Partnership plans")

    def ready(self):
        from . import metrics
        from .services import series

        metrics.register()
        series.register()
