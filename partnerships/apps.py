from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from accounts.selectors import register_two_factor_rule

        from .policies import MembershipPolicy

        # A coordinator signs in with two factors (MFA_ROLES, in the role table).
        register_two_factor_rule(MembershipPolicy.requires_two_factor)
