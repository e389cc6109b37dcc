"""Forms for a review's lifecycle: the notification of a death, each step of the statutory
process, holds, who has access, and who decides whether to review."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from authorities.models import Organisation
from csp_portal.forms import GovukDateField, GovukFormMixin
from partnerships.models import Partnership

from ..models import (
    AccessGrant,
    CriteriaRelationship,
    Decision,
    DecisionMaker,
    ReviewStatus,
    ReviewType,
)
from ..review_types import Criterion
from . import NO_NAMES_HINT

PSEUDONYM_HINT = _(
    "A made-up first name, agreed with the family where possible. Never enter a real name."
)


class NotificationForm(GovukFormMixin, forms.Form):
    submit_label = _("Record the notification")

    victim_pseudonym = forms.CharField(
        label=_("Pseudonym of the person who died"),
        max_length=80,
        help_text=PSEUDONYM_HINT,
        error_messages={"required": _("Enter a pseudonym for the person who died")},
    )
    perpetrator_pseudonym = forms.CharField(
        label=_("Pseudonym of the alleged perpetrator (optional)"),
        max_length=80,
        required=False,
        help_text=PSEUDONYM_HINT,
    )
    death_month = GovukDateField(label=_("Date of death"), help_text=_("For example, 14 6 2026"))
    notified_on = GovukDateField(label=_("Date of the police notification"))
    notified_by = forms.ModelChoiceField(
        label=_("Notified by"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        error_messages={
            "required": _("Select who notified the partnership"),
            "invalid_choice": _("Select an organisation that sits on this partnership"),
        },
    )
    circumstances = forms.CharField(
        label=_("Circumstances (optional)"),
        help_text=NO_NAMES_HINT,
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, partnership: Partnership, review_type: ReviewType, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notified_by"].queryset = Organisation.objects.filter(
            partner_seats__partnership=partnership
        ).order_by("name")
        # The type's criteria, in its order, before the circumstances.
        circumstances = self.fields.pop("circumstances")
        for criterion in review_type.criteria_asked:
            self.fields[criterion.field] = _criterion_field(criterion)
        self.fields["circumstances"] = circumstances
        self.build_helper()

    def clean(self):
        cleaned = super().clean()
        death, notified = cleaned.get("death_month"), cleaned.get("notified_on")
        if death and notified and death > notified:
            self.add_error("death_month", _("The death must be before the notification"))
        return cleaned


def _criterion_field(criterion: Criterion) -> forms.Field:
    if criterion.kind == "relationship":
        return forms.ChoiceField(
            label=criterion.question,
            choices=[("", _("None of these")), *CriteriaRelationship.choices],
            required=False,
            widget=forms.RadioSelect,
        )
    if criterion.kind == "tick":
        return forms.BooleanField(label=criterion.question, required=False)
    return forms.TypedChoiceField(
        label=criterion.question,
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": format_lazy(_("Answer yes or no: {question}"), question=criterion.question)
        },
    )


_FIELDS = {
    "decision": lambda: forms.ChoiceField(
        label=_("Decision"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the decision")},
    ),
    "decision_reasons": lambda: forms.CharField(
        label=_("Reasons for the decision"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        error_messages={"required": _("Give the reasons for the decision")},
    ),
    "decided_on": lambda: GovukDateField(label=_("Date of the decision")),
    "home_office_notified_on": lambda: GovukDateField(label=_("Date the Home Office was told")),
    "chair_name": lambda: forms.CharField(
        label=_("Independent chair"),
        max_length=150,
        error_messages={"required": _("Enter the name of the independent chair")},
    ),
    "chair_independence": lambda: forms.CharField(
        label=_("Declaration of independence"),
        help_text=_("How the chair is independent of the agencies involved."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        error_messages={"required": _("Record the chair's declaration of independence")},
    ),
    "chair_appointed_on": lambda: GovukDateField(label=_("Date the chair was appointed")),
    "terms_of_reference": lambda: forms.CharField(
        label=_("Terms of reference"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=50_000,
        error_messages={"required": _("Write the terms of reference")},
    ),
    "family_notified_on": lambda: GovukDateField(
        label=_("Date the family was told (optional)"), required=False
    ),
    "submitted_on": lambda: GovukDateField(label=_("Date submitted")),
    "published_on": lambda: GovukDateField(label=_("Date published")),
}

# What each step asks for (the services check the same list).
STEP_FIELDS = {
    ReviewStatus.DECIDED: ("decision", "decision_reasons", "decided_on"),
    ReviewStatus.HOME_OFFICE_NOTIFIED: ("home_office_notified_on",),
    ReviewStatus.COMMISSIONED: ("chair_name", "chair_independence", "chair_appointed_on"),
    ReviewStatus.SCOPING: ("terms_of_reference", "family_notified_on"),
    ReviewStatus.SUBMITTED: ("submitted_on",),
    ReviewStatus.PUBLISHED: ("published_on",),
}


class AdvanceForm(GovukFormMixin, forms.Form):
    """The fields one step of the process needs; a step without fields is a confirmation."""

    def __init__(self, *args, step: str, submit_label: str, reopening: bool = False, **kwargs):
        self.submit_label = submit_label
        super().__init__(*args, **kwargs)
        for name in STEP_FIELDS.get(step, ()):
            if reopening and name == "decision":
                continue
            self.fields[name] = _FIELDS[name]()
        self.build_helper()


class HoldForm(GovukFormMixin, forms.Form):
    submit_label = _("Put the review on hold")

    reason = forms.CharField(
        label=_("Why is the review on hold?"),
        help_text=_("For example, criminal proceedings or an inquest."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5_000,
        error_messages={"required": _("Say why the review is on hold")},
    )
    started_on = GovukDateField(label=_("Date the hold started"))
    expected_restart = GovukDateField(label=_("Expected restart (optional)"), required=False)


class ResumeForm(GovukFormMixin, forms.Form):
    submit_label = _("Resume the review")

    ended_on = GovukDateField(label=_("Date the hold ended"))


class GrantForm(GovukFormMixin, forms.Form):
    submit_label = _("Give access")

    user = forms.ModelChoiceField(
        label=_("Who needs access?"),
        queryset=None,
        empty_label=_("Choose a person"),
        error_messages={
            "required": _("Select the person"),
            "invalid_choice": _("Select a member of this partnership who may hold access"),
        },
    )
    reason = forms.ChoiceField(
        label=_("Their role in the review"),
        choices=[c for c in AccessGrant.Reason.choices if c[0] != AccessGrant.Reason.CREATOR],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select their role in the review")},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        from accounts.models import User

        self.fields["user"].queryset = User.objects.filter(
            pk__in=[membership.user_id for membership in members]
        ).order_by("full_name")
        labels = {m.user_id: f"{m.user.full_name} ({m.organisation.name})" for m in members}
        self.fields["user"].label_from_instance = lambda user: labels.get(user.pk, str(user))


class ReviewSettingsForm(GovukFormMixin, forms.Form):
    submit_label = _("Save")

    decision_maker = forms.ChoiceField(
        label=_("Who decides whether to hold a review?"),
        choices=DecisionMaker.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select who decides")},
    )
    decision_maker_name = forms.CharField(
        label=_("Name of the board (if a board decides)"),
        required=False,
        max_length=200,
        help_text=_("For example, Cwm Taf Morgannwg Safeguarding Board"),
    )


class WelshGovernmentForm(GovukFormMixin, forms.Form):
    submit_label = _("Record the date")

    notified_on = GovukDateField(label=_("Date Welsh Government was told"))


class QualityAssuranceFeedbackForm(GovukFormMixin, forms.Form):
    submit_label = _("Add this point")

    text = forms.CharField(
        label=_("A point of the panel's feedback"),
        help_text=_("One point at a time, as the Home Office wrote it. Never enter a real name."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10_000,
        error_messages={"required": _("Enter the panel's feedback")},
    )


class QualityAssuranceAnswerForm(GovukFormMixin, forms.Form):
    submit_label = _("Save the answer")

    answer = forms.CharField(
        label=_("The chair's answer"),
        help_text=_("What was changed in the report, or why it was not."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10_000,
        error_messages={"required": _("Enter the chair's answer")},
    )
