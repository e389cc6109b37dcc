from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NationalConfig(AppConfig):
    name = "national"
    verbose_name = _("National oversight")

    def ready(self):
        from accounts.selectors import register_two_factor_rule
        from partnerships.navigation import register_audience

        from .policies import NationalOversightPolicy

        # A national oversight officer signs in with two factors, always.
        register_two_factor_rule(NationalOversightPolicy.requires_two_factor)
        # Their one page, in the navigation (they hold no membership, so nothing else shows).
        register_audience("national", NationalOversightPolicy.requires_two_factor)
