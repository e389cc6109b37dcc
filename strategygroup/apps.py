from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyGroupConfig(AppConfig):
    name = "strategygroup"
    verbose_name = _("Strategy group meetings")

    def ready(self):
        from plans import governance

        from .selectors import action_decisions_for, sign_off_decisions_for

        # A decision that records a plan's sign-off shows on the plan's page, and one about a plan
        # action on the action's page, as links to the meeting, for those who read the meetings.
        governance.register(sign_offs=sign_off_decisions_for, actions=action_decisions_for)
