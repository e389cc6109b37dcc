from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("Domestic homicide reviews")

    def ready(self):
        from accounts.selectors import register_two_factor_rule
        from audit import need_to_know
        from partnerships import hooks

        from .policies import review_id_of, visible_review_ids
        from .services.membership import access_follow_membership

        # Anyone with access to a domestic homicide review signs in with two factors.
        register_two_factor_rule(lambda user: user.review_access_grants.exists())
        # A person's grants end with their membership, or with a role that may not hold them.
        hooks.register(access_follow_membership)
        # The audit log shows what happened to a review only to those who may see the review.
        need_to_know.register(
            need_to_know.NeedToKnow(
                scope="reviews.domestichomicidereview",
                record_of=review_id_of,
                visible=visible_review_ids,
            )
        )
