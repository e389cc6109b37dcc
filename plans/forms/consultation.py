"""Forms of a plan's consultation: its closing date, a comment, and the coordinator's response.
The part a comment is about is chosen from this version's own sections, priorities and actions
(never trust an id from the client); the service checks again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukDateField, GovukFormMixin
from partnerships.consultation import CommentStatus
from partnerships.consultation_forms import CommentForm as SharedCommentForm
from partnerships.consultation_forms import CommentResponseForm as SharedResponseForm

from ..models import PartnershipPlan


class ConsultationOpenForm(GovukFormMixin, forms.Form):
    closes_on = GovukDateField(
        label=_("Closing date for comments"),
        required=False,
        help_text=_(
            "Members who may read the plan are told at once and can comment until the end of "
            "this day. Left blank, it closes in four weeks. For example, 27 3 2027"
        ),
    )

    def __init__(self, *args, submit_label, submit_classes="", **kwargs):
        self.submit_label = submit_label
        self.submit_classes = submit_classes
        super().__init__(*args, **kwargs)


class CommentForm(SharedCommentForm):
    def __init__(self, *args, plan: PartnershipPlan, sections, priorities, actions, **kwargs):
        super().__init__(
            *args,
            whole_label=_("The plan as a whole"),
            groups=[
                (_("Sections"), "section", sections, lambda s: s.get_kind_display()),
                (_("Priorities"), "priority", priorities, lambda p: p.get_theme_display()),
                (_("Actions"), "action", actions, lambda a: a.description[:80]),
            ],
            invalid_part=_("Choose a part of this plan"),
            **kwargs,
        )


class CommentResponseForm(SharedResponseForm):
    outcome_labels = {
        CommentStatus.ANSWERED: _("Answer it (no change to the plan)"),
        CommentStatus.ACCEPTED: _("Accept it (the plan changes)"),
        CommentStatus.DECLINED: _("Decline it"),
    }
