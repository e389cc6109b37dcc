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
