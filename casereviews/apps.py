from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseReviewsConfig(AppConfig):
    name = "casereviews"
    verbose_name = _("ASB case reviews")

    def ready(self):
        from accounts.selectors import register_two_factor_rule
        from partnerships import hooks

        from .services import case_access_follow_membership

        # A person's grants end with their membership, or with a role that may not hold them.
        hooks.register(case_access_follow_membership)
        # Anyone granted an ASB case (the applicant's name and contact) signs in with two factors.
        register_two_factor_rule(lambda user: user.case_review_grants.exists())
