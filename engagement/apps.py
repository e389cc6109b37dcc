from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = _("Community engagement")

    def ready(self):
        from assessments import community

        from .selectors import community_evidence_for

        # What the community said at the partnership's public meetings and consultations reads
        # into the next strategic assessment's community section, as links to each event.
        community.register(community_evidence_for)
