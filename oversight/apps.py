from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("Police and crime commissioner oversight")

    def ready(self):
        from partnerships import hooks

        from .selectors import combination_approved

        # A partnership in England merges only with the approval its PCC office records here.
        hooks.register_combination_approval(combination_approved)
