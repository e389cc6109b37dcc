from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Domestic homicide reviews")

    def ready(self):
        from partnerships import hooks

        from .services.membership import access_follow_membership

        # A person's grants end with their membership, or with a role that may not hold them.
        hooks.register(access_follow_membership)
