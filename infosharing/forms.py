from django import forms
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukDateField, GovukFormMixin
from partnerships.models import Partnership

from .models import TEXT_MAX_LENGTH, TITLE_MAX_LENGTH


class AgreementForm(GovukFormMixin, forms.Form):
    submit_label = _("Add to the register")

    title = forms.CharField(
        label=_("Title"),
        max_length=TITLE_MAX_LENGTH,
        help_text=_("For example, “Anti-social behaviour case information”."),
        error_messages={"required": _("Enter the title")},
    )
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose every organisation that shares under the agreement."),
        error_messages={"required": _("Choose at least two of the partnership's organisations")},
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What is shared, and what for."),
        error_messages={"required": _("Enter the purpose")},
    )
    legal_basis = forms.CharField(
        label=_("Legal basis"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "For example, “Crime and Disorder Act 1998 section 115; UK GDPR article 6(1)(e)”."
        ),
        error_messages={"required": _("Enter the legal basis")},
    )
    signed_on = GovukDateField(label=_("Date agreed"), help_text=_("For example, 27 3 2026."))
    review_due = GovukDateField(label=_("Review by"), help_text=_("For example, 27 3 2027."))

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        parties = self.fields["parties"]
        parties.queryset = partnership.partner_organisations.select_related(
            "organisation"
        ).order_by("organisation__name")
        parties.label_from_instance = lambda partner: partner.organisation.name


class ReviewForm(GovukFormMixin, forms.Form):
    submit_label = _("Record the review")

    reviewed_on = GovukDateField(label=_("Date reviewed"), help_text=_("For example, 27 3 2026."))
    review_due = GovukDateField(label=_("Next review by"), help_text=_("For example, 27 3 2027."))

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
