from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukFormMixin
from csp_portal.languages import radio_choices

from .models import canonical_email


class CanonicalEmailField(forms.EmailField):
    """An email address as accounts are matched on it (see ``canonical_email``), made canonical
    before it is checked, so that ``JO@example.org`` in fullwidth letters is ``jo@example.org``."""

    def to_python(self, value):
        return canonical_email(super().to_python(value))


class LoginForm(GovukFormMixin, auth_forms.AuthenticationForm):
    submit_label = _("Sign in")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email address")
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "email", "spellcheck": "false"}
        )
        self.error_messages["invalid_login"] = _(
            "Enter a correct email address and password. Both are case-sensitive except the email."
        )

    def clean_username(self):
        # The spelling that signs in is the one the lockout counts (accounts/lockout.py).
        return canonical_email(self.cleaned_data["username"])


class TokenForm(GovukFormMixin, forms.Form):
    """A six-digit code from an authenticator app, or a backup code: one text field for both, so
    a phone offers letters as well as digits (backup codes have letters)."""

    submit_label = _("Continue")
    token = forms.CharField(
        label=_("Security code"),
        max_length=16,
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": _("Enter your security code")},
    )

    def clean_token(self):
        return self.cleaned_data["token"].replace(" ", "").strip()


class SetupTokenForm(TokenForm):
    submit_label = _("Turn on two-factor authentication")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["token"].help_text = _("Enter the 6-digit code your authenticator app shows.")


class ReplaceAuthenticatorForm(SetupTokenForm):
    """A new authenticator in place of the old one: the password again, as well as a verified
    session, so that a session left open is not enough to take over the second factor."""

    submit_label = _("Use the new authenticator app")
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password")},
    )
    field_order = ["password", "token"]

    def __init__(self, *args, request, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        # Through authenticate(), so that wrong guesses count towards the sign-in lockout.
        user = authenticate(self.request, username=self.request.user.email, password=password)
        if user is None or user.pk != self.request.user.pk:
            raise forms.ValidationError(_("Your password is not right"), code="invalid")
        return password


class PasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    submit_label = _("Change password")


class PasswordResetForm(GovukFormMixin, forms.Form):
    """The address to send a reset link to; ``password_reset_request`` decides whether one goes."""

    submit_label = _("Send reset link")
    email = CanonicalEmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your email address"),
            "invalid": _("Enter an email address in the correct format, like name@example.gov.uk"),
        },
    )


class LanguageForm(GovukFormMixin, forms.Form):
    submit_label = _("Save language")

    language = forms.ChoiceField(
        label=_("Which language should the service use?"),
        help_text=_("Pages and emails will be in this language when you are signed in."),
        choices=radio_choices(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the language you want to use")},
    )


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    submit_label = _("Set password")


class ApiTokenForm(GovukFormMixin, forms.Form):
    """A new personal API token: what it is for, which partnerships, and how long it lasts."""

    submit_label = _("Create token")

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, such as the system that will use it."),
        error_messages={"required": _("Enter a name for the token")},
    )
    memberships = forms.ModelMultipleChoiceField(
        label=_("Partnerships"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The token acts only in these, with the role you hold there at the time. "
            "If you leave a partnership, the token stops working there."
        ),
        error_messages={
            "required": _("Select at least one partnership"),
            "invalid_choice": _("Select partnerships you are a member of"),
            "invalid_pk_value": _("Select partnerships you are a member of"),
        },
    )
    lasts_days = forms.TypedChoiceField(
        label=_("How long it lasts"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select how long the token lasts"),
            "invalid_choice": _("Select one of the listed lengths"),
        },
    )

    def __init__(self, *args, memberships, default_days: int, max_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["memberships"]
        field.queryset = memberships
        field.label_from_instance = lambda membership: (
            _("%(partnership)s (%(role)s)")
            % {
                "partnership": membership.partnership.name,
                "role": membership.get_role_display(),
            }
        )
        self.initial.setdefault("memberships", list(memberships))
        lengths = sorted({days for days in (30, default_days, 180, 365) if days <= max_days})
        self.fields["lasts_days"].choices = [
            (days, _("%(days)s days") % {"days": days}) for days in lengths
        ]
        self.initial.setdefault("lasts_days", default_days)
