"""Forms for ASB case reviews: the public application, the procedure, and each step of a case.
Choices that point at other rows are limited to the partnership (the services check again)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukDateField, GovukFormMixin

from .models import PROCEDURE_FIELDS, GrantReason, ReviewProcedure

HONEYPOT = "website"
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _text(label, required_message, *, rows=5, help_text="", max_length=10_000, required=True):
    return forms.CharField(
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        max_length=max_length,
        required=required,
        error_messages={"required": required_message},
    )


def _organisation(label, required_message):
    """One of the partnership's organisations (the queryset is given by the view)."""
    return forms.ModelChoiceField(
        label=label,
        queryset=None,
        empty_label=_("Choose an organisation"),
        error_messages={
            "required": required_message,
            "invalid_choice": _("Choose an organisation that sits on this partnership"),
        },
    )


def _yes_no(label, required_message):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": required_message},
    )


class ApplicationForm(GovukFormMixin, forms.Form):
    """The public form: anyone may apply (s104(1)(a)), for themselves or, with their consent,
    for someone else. ``website`` is a trap for scripts: hidden from people, and refused when
    filled in."""

    submit_label = _("Send application")

    applicant_name = forms.CharField(
        label=_("Your full name"),
        max_length=200,
        error_messages={"required": _("Enter your full name")},
    )
    applicant_email = forms.EmailField(
        label=_("Your email address"),
        help_text=_("We send your reference and our decisions here."),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
        },
    )
    applicant_phone = forms.CharField(
        label=_("Your phone number (optional)"), max_length=40, required=False
    )
    on_behalf_of = forms.CharField(
        label=_("If you are applying for someone else, their name (optional)"),
        help_text=_("You need their consent to apply for them."),
        max_length=200,
        required=False,
    )
    location = forms.CharField(
        label=_("Where does the behaviour happen?"),
        help_text=_("A street, an estate or an address."),
        max_length=300,
        error_messages={"required": _("Enter where the behaviour happens")},
    )
    behaviour = _text(
        _("What is the anti-social behaviour, and how does it affect you?"),
        _("Describe the anti-social behaviour"),
    )
    complaints_made = forms.IntegerField(
        label=_("How many times have you reported it in the last six months?"),
        min_value=0,
        max_value=99,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "required": _("Enter how many times you have reported it"),
            "invalid": _("Enter the number of reports as a number, like 3"),
            "min_value": _("The number of reports must be 0 or more"),
            "max_value": _("The number of reports must be 99 or fewer"),
        },
    )
    complaints_to = _text(
        _("Who did you report it to, and when?"),
        _("Say who you reported it to, and when"),
        rows=4,
        help_text=_("For example: the police on 3 March, the council on 20 March."),
    )
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def build_helper(self) -> None:
        # The page writes the <form> itself, with the trap outside the layout (hidden).
        super().build_helper()
        self.helper.form_tag = False
        self.helper.layout.fields.remove(HONEYPOT)

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("Leave this box empty"))
        return ""


class ProcedureForm(GovukFormMixin, forms.ModelForm):
    submit_label = _("Save the procedure")

    publish = forms.BooleanField(
        label=_("Publish the procedure, the application form and the yearly figures"),
        required=False,
    )

    class Meta:
        model = ReviewProcedure
        fields = list(PROCEDURE_FIELDS)
        widgets = {
            "other_grounds": forms.Textarea(attrs={"rows": 4}),
            "contact": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "threshold_complaints": {
                "max_value": _("The threshold can be at most three complaints (section 104(4))"),
                "min_value": _("The threshold must be at least one complaint"),
                "required": _("Enter the number of complaints"),
            },
            "contact": {"required": _("Enter the point of contact for applications")},
            "contact_email": {"required": _("Enter the contact email address")},
            "appeal_reviewer": {"required": _("Enter who reviews an appeal")},
        }

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish"].initial = bool(self.instance.published_at)


class ThresholdForm(GovukFormMixin, forms.Form):
    submit_label = _("Record the decision and tell the applicant")

    met = _yes_no(_("Is the threshold for a review met?"), _("Select whether it is met"))
    reasons = _text(
        _("Reasons"),
        _("Give the reasons for the decision"),
        help_text=_("The applicant is sent these words."),
    )


class MeetingForm(GovukFormMixin, forms.Form):
    submit_label = _("Save")

    meeting_date = GovukDateField(label=_("Date of the review meeting"))
    findings = _text(
        _("What the review found"),
        _("Enter what the review found"),
        help_text=_("The applicant is sent these words with the outcome."),
    )


class ResponseForm(GovukFormMixin, forms.Form):
    submit_label = _("Save the response")

    organisation = _organisation(_("Agency"), _("Select the agency"))
    response = _text(_("The agency's response"), _("Enter the agency's response"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class RecommendationForm(GovukFormMixin, forms.Form):
    submit_label = _("Add the recommendation")

    recommendation = _text(_("Recommendation"), _("Enter the recommendation"), rows=3)
    owner = _organisation(_("Owner"), _("Select the organisation that owns it"))
    due_date = GovukDateField(label=_("Due date"), help_text=_("For example, 14 6 2027"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = organisations


class AppealForm(GovukFormMixin, forms.Form):
    submit_label = _("Record the appeal")

    received_on = GovukDateField(label=_("Date the appeal was received"))
    grounds = _text(_("Grounds of the appeal"), _("Enter the grounds of the appeal"))


class AppealDecisionForm(GovukFormMixin, forms.Form):
    submit_label = _("Record the decision and tell the applicant")

    upheld = _yes_no(_("Is the appeal upheld?"), _("Select whether the appeal is upheld"))
    reasons = _text(
        _("The reviewer's reasons"),
        _("Give the reviewer's reasons"),
        help_text=_("The applicant is sent these words."),
    )


class GrantForm(GovukFormMixin, forms.Form):
    submit_label = _("Give access")

    membership = forms.ModelChoiceField(
        label=_("Person"),
        queryset=None,
        empty_label=_("Choose a person"),
        error_messages={
            "required": _("Select a person"),
            "invalid_choice": _("Choose someone who may be given this case"),
        },
    )
    reason = forms.ChoiceField(
        label=_("Their role in the case"),
        choices=GrantReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select their role in the case")},
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = members
        self.fields["membership"].label_from_instance = lambda m: (
            f"{m.user.full_name or m.user.email} ({m.organisation})"
        )
