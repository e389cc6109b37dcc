from crispy_forms_gds.choices import Choice
from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from accounts.forms import CanonicalEmailField
from audit.models import ACTION_LABELS
from authorities.models import Nation, Organisation
from csp_portal.forms import GovukDateField, GovukFormMixin
from csp_portal.languages import radio_choices
from csp_portal.text import PlainTextFormMixin

from .models import Partnership, Role, Seat
from .permissions import ROLE_DESCRIPTIONS


class _OrganisationChoiceMixin:
    """Limits the organisation field to those sitting on this partnership: never trust an id."""

    def _limit_organisations(self, partnership: Partnership) -> None:
        self.fields["organisation"].queryset = Organisation.objects.filter(
            partner_seats__partnership=partnership
        ).order_by("name")


# What each role may do, beside its radio button, so whoever invites knows what they give.
ROLE_CHOICES_WITH_HINTS = [
    Choice(value, label, hint=ROLE_DESCRIPTIONS[value]) for value, label in Role.choices
]


class InvitationForm(GovukFormMixin, _OrganisationChoiceMixin, forms.Form):
    submit_label = _("Send invitation")

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        error_messages={"required": _("Enter the person's full name")},
    )
    email = CanonicalEmailField(
        label=_("Email address"),
        help_text=_("We will send the invitation here. They will sign in with this address."),
        error_messages={
            "required": _("Enter the person's email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.gov.uk"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=ROLE_CHOICES_WITH_HINTS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the person's role")},
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation they represent"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        error_messages={
            "required": _("Select the organisation the person represents"),
            "invalid_choice": _("Select an organisation that sits on this partnership"),
        },
    )
    # Asked only for a Welsh partnership (the Welsh Language Standards: Welsh offered, not
    # waited to be asked for).
    language = forms.ChoiceField(
        label=_("Which language does the person prefer?"),
        help_text=_(
            "We will send the invitation in this language, and the service will use it when "
            "they sign in. They can change it at any time."
        ),
        choices=radio_choices(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the language the person prefers")},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_organisations(partnership)
        if partnership.nation != Nation.WALES:
            del self.fields["language"]


class MembershipForm(GovukFormMixin, _OrganisationChoiceMixin, forms.Form):
    submit_label = _("Save changes")

    role = InvitationForm.base_fields["role"]
    organisation = InvitationForm.base_fields["organisation"]

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_organisations(partnership)


class PartnerOrganisationForm(GovukFormMixin, forms.Form):
    submit_label = _("Add organisation")

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=_("Choose an organisation"),
        error_messages={
            "required": _("Select an organisation"),
            "invalid_choice": _("Select an organisation from the list"),
        },
    )
    seat = forms.ChoiceField(
        label=_("Seat"),
        choices=Seat.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the seat the organisation fills")},
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(
            partner_seats__partnership=partnership
        ).order_by("name")


class IdentityForm(GovukFormMixin, forms.Form):
    """The partnership's public name, logo and accent colour. The logo and the colour are checked
    by partnerships/identity.py, in the service, which gives the field-level reasons."""

    submit_label = _("Save identity")

    public_name = forms.CharField(
        label=_("Public name"),
        help_text=_(
            "The name the public knows the partnership by, like Safer Trafford. Leave it empty to "
            "use the partnership's name."
        ),
        max_length=120,
        required=False,
    )
    logo = forms.FileField(
        label=_("Logo"),
        help_text=_(
            "A PNG or JPEG, up to 512 KB, between 64 and 2,000 pixels wide and high. SVG files "
            "are not accepted."
        ),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    accent_colour = forms.CharField(
        label=_("Accent colour"),
        help_text=_(
            "A hex code like #1d70b8. It must be dark enough for text on white: a contrast of at "
            "least 4.5 to 1."
        ),
        max_length=7,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false", "class": "govuk-input--width-10"}),
    )
    contact_address = forms.CharField(
        label=_("How the public can contact the partnership"),
        help_text=_(
            "Shown on the partnership's page of the public register: an email address, a postal "
            "address or a web page. Not a person's own details."
        ),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        if not partnership.logo:
            del self.fields["remove_logo"]
            self.build_helper()


class AuditFilterForm(PlainTextFormMixin, forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    who = forms.CharField(label=_("Who (name or email)"), required=False, max_length=254)
    date_from = GovukDateField(label=_("From"), required=False)
    date_to = GovukDateField(label=_("To"), required=False)

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Any action"))] + [
            (action, ACTION_LABELS.get(action, action)) for action in actions
        ]

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("date_from")
            and cleaned.get("date_to")
            and cleaned["date_from"] > cleaned["date_to"]
        ):
            self.add_error("date_to", _("The end date must be the same as or after the start date"))
        return cleaned


class NewAccountPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    """An invited person new to CSP Portal chooses their password as they accept."""

    submit_label = _("Create account and accept")


class AcceptForm(GovukFormMixin, forms.Form):
    submit_label = _("Accept invitation")
