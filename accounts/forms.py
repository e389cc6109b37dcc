from django import forms
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _

from csp_portal.forms import GovukFormMixin


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


class TokenForm(GovukFormMixin, forms.Form):
    """A six-digit code from an authenticator app, or a backup code."""

    submit_label = _("Continue")
    token = forms.CharField(
        label=_("Security code"),
        max_length=16,
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
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


class NewAccountPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    submit_label = _("Create account and accept")


class PasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    submit_label = _("Change password")


class PasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    submit_label = _("Send reset link")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email address")
        self.fields["email"].error_messages["required"] = _("Enter your email address")


class SetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    submit_label = _("Set password")


class AcceptForm(GovukFormMixin, forms.Form):
    submit_label = _("Accept invitation")


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
