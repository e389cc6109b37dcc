from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders and notifications")

    def ready(self):
        # Each app's deadlines.py registers its cycles (see reminders.cycles).
        autodiscover_modules("deadlines")
        from . import metrics

        metrics.register()
