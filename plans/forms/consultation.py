"""Forms of a plan's consultation: its closing date, a comment, and the coordinator's response.
The part a comment is about is chosen from this version's own sections, priorities and actions
(never trust an id from the client); the service checks again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukDateField, GovukFormMixin
from partnerships.consultation import CommentStatus
from partnerships.consultation_forms import CommentResponseForm as SharedResponseForm
from partnerships.consultation_forms import comment_body_field

from ..models import PartnershipPlan

WHOLE_PLAN = "plan"


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


class CommentForm(GovukFormMixin, forms.Form):
    submit_label = _("Send comment")

    part = forms.ChoiceField(
        label=_("What is your comment about?"),
        error_messages={
            "required": _("Choose what your comment is about"),
            "invalid_choice": _("Choose a part of this plan"),
        },
    )
    body = comment_body_field()

    def __init__(self, *args, plan: PartnershipPlan, sections, priorities, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = {WHOLE_PLAN: None}
        choices = [(WHOLE_PLAN, _("The plan as a whole"))]
        groups = [
            (_("Sections"), "section", sections, lambda s: s.get_kind_display()),
            (_("Priorities"), "priority", priorities, lambda p: p.get_theme_display()),
            (_("Actions"), "action", actions, lambda a: a.description[:80]),
        ]
        for heading, prefix, rows, label in groups:
            options = []
            for row in rows:
                self.parts[f"{prefix}-{row.pk}"] = row
                options.append((f"{prefix}-{row.pk}", label(row)))
            if options:
                choices.append((heading, options))
        self.fields["part"].choices = choices

    def clean_part(self):
        return self.parts[self.cleaned_data["part"]]


class CommentResponseForm(SharedResponseForm):
    outcome_labels = {
        CommentStatus.ANSWERED: _("Answer it (no change to the plan)"),
        CommentStatus.ACCEPTED: _("Accept it (the plan changes)"),
        CommentStatus.DECLINED: _("Decline it"),
    }
