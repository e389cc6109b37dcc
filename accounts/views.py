import base64
import re
from datetime import timedelta
from io import BytesIO
from urllib.parse import urlencode, urlsplit

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView
from django_otp import login as otp_login
from django_otp import match_token

from csp_portal.forms import ConfirmForm
from csp_portal.kept import DRAFT_MAX_CHARS, text_draft_save, text_drafts_discard
from csp_portal.languages import Language
from csp_portal.site import site_address
from csp_portal.views import SubmitOnceMixin

from . import forms
from .lockout import client_address
from .middleware import set_language_cookie
from .selectors import (
    api_token_of,
    api_tokens_of,
    memberships_of,
    two_factor_pending,
    two_factor_wait_seconds,
    user_has_two_factor,
)
from .services import (
    api_token_create,
    api_token_revoke,
    backup_codes_replace,
    password_change_record,
    password_reset_request,
    two_factor_begin,
    two_factor_confirm,
    user_language_set,
)

BACKUP_CODES_SESSION_KEY = "new_backup_codes"


def _safe_next(request, default: str) -> str:
    """``next`` when it is a page of this site (this host, or the site's own address, which the
    pages' absolute links use), else ``default``."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    own = {request.get_host(), urlsplit(site_address()).netloc}
    secure = request.is_secure()
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts=own, require_https=secure):
        return candidate
    return default


class LanguageView(View):
    """The language toggle in every page's header ("English | Cymraeg").

    GOV.UK's toggle is a pair of links (``hreflang`` belongs on a link, and a link works with
    JavaScript off and in every browser), so choosing is a GET to this small view rather than a
    POST to Django's ``set_language``. It sets the language cookie and goes back to ``next``
    when that is a page of this site. Signed in, it also stores the choice on the account
    (audited), so emails follow it and the next sign-in starts in it; someone still to pass
    two-factor authentication changes only the cookie (the view is reachable before, as the
    sign-in and verify pages have the toggle too).

    A GET that writes is acceptable here: it changes only the person's own language, the same
    value twice changes nothing, and the worst a link from elsewhere can do is switch the
    language, which the toggle on the page it lands on switches back.
    """

    def get(self, request):
        language = request.GET.get("to", "")
        if language not in Language.values:
            raise Http404
        # Someone who has given only their password changes the page, not the account.
        if request.user.is_authenticated and not two_factor_pending(request.user):
            user_language_set(acting_user=request.user, language=language)
        response = redirect(_safe_next(request, reverse("reminders:your_work")))
        set_language_cookie(response, language)
        return response


class LoginView(auth_views.LoginView):
    form_class = forms.LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    """GET asks, POST signs out: signing out changes state, so it is never a plain link."""

    template_name = "accounts/sign_out.html"
    http_method_names = ["get", "post", "options"]

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name)


class TwoFactorVerifyView(LoginRequiredMixin, FormView):
    form_class = forms.TokenForm
    template_name = "accounts/two_factor_verify.html"

    def form_valid(self, form):
        wait = two_factor_wait_seconds(self.request.user)
        if wait:
            # The code was not checked at all, so it is not called wrong.
            form.add_error(
                "token",
                ngettext(
                    "You have entered too many codes that were not right. Wait %(seconds)s "
                    "second, then enter your code again.",
                    "You have entered too many codes that were not right. Wait %(seconds)s "
                    "seconds, then enter your code again.",
                    wait,
                )
                % {"seconds": wait},
            )
            return self.form_invalid(form)
        device = match_token(self.request.user, form.cleaned_data["token"])
        if device is None:
            form.add_error("token", _("The security code is not right or has expired. Try again."))
            return self.form_invalid(form)
        otp_login(self.request, device)
        return redirect(_safe_next(self.request, reverse("reminders:your_work")))

    def get_context_data(self, **kwargs):
        kwargs["next"] = _safe_next(self.request, "")
        return super().get_context_data(**kwargs)


class TwoFactorSetupView(LoginRequiredMixin, FormView):
    """First set-up of two-factor authentication, or a new authenticator app in place of the old.

    First set-up needs only the password: that is how someone whose role needs two-factor
    authentication gets their first device. Someone who has it already replaces it only from a
    session that has passed it (they are sent to enter a code first, and no secret is made
    until they have), and with their password again.
    """

    template_name = "accounts/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        self.replacing = request.user.is_authenticated and user_has_two_factor(request.user)
        if self.replacing and not request.user.is_verified():
            verify = reverse("accounts:two_factor_verify")
            return redirect(f"{verify}?{urlencode({'next': request.get_full_path()})}")
        return super().dispatch(request, *args, **kwargs)

    def get_form_class(self):
        return forms.ReplaceAuthenticatorForm if self.replacing else forms.SetupTokenForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.replacing:
            kwargs["request"] = self.request
        return kwargs

    def get_context_data(self, **kwargs):
        device = two_factor_begin(acting_user=self.request.user)
        image = qrcode.make(
            device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8
        )
        buffer = BytesIO()
        image.save(buffer)
        kwargs.update(
            qr_svg_data=base64.b64encode(buffer.getvalue()).decode(),
            secret=base64.b32encode(device.bin_key).decode().rstrip("="),
            next=_safe_next(self.request, ""),
            replacing=self.replacing,
        )
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        device = two_factor_begin(acting_user=self.request.user)
        codes = two_factor_confirm(
            acting_user=self.request.user, device=device, token=form.cleaned_data["token"]
        )
        if codes is None:
            form.add_error(
                "token",
                _("The security code is not right. Check the time on your phone and try again."),
            )
            return self.form_invalid(form)
        otp_login(self.request, device)
        self.request.session[BACKUP_CODES_SESSION_KEY] = codes
        return redirect(reverse("accounts:backup_codes") + "?" + self.request.GET.urlencode())


class BackupCodesView(LoginRequiredMixin, View):
    """Shows freshly made backup codes once; POST makes a new set, replacing the old."""

    def get(self, request):
        codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
        return render(
            request,
            "accounts/backup_codes.html",
            {"codes": codes, "next": _safe_next(request, reverse("reminders:your_work"))},
        )

    def post(self, request):
        if not request.user.is_verified():
            return redirect("accounts:two_factor_verify")
        request.session[BACKUP_CODES_SESSION_KEY] = backup_codes_replace(acting_user=request.user)
        return redirect("accounts:backup_codes")


class AccountView(LoginRequiredMixin, View):
    def get(self, request):
        context = {
            "has_two_factor": user_has_two_factor(request.user),
            "memberships": memberships_of(user=request.user),
        }
        return render(request, "accounts/account.html", context)


class AccountLanguageView(LoginRequiredMixin, FormView):
    """The language preference on the account page: the same choice as the header's toggle,
    as a plain form."""

    form_class = forms.LanguageForm
    template_name = "accounts/form_page.html"
    extra_context = {"title": _("Language")}

    def get_initial(self):
        return {"language": self.request.user.language or translation.get_language()[:2]}

    def form_valid(self, form):
        language = form.cleaned_data["language"]
        user_language_set(acting_user=self.request.user, language=language)
        response = redirect("accounts:account")
        set_language_cookie(response, language)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = forms.PasswordChangeForm
    template_name = "accounts/form_page.html"
    success_url = reverse_lazy("accounts:account")
    extra_context = {"title": _("Change your password")}

    def form_valid(self, form):
        response = super().form_valid(form)
        password_change_record(acting_user=self.request.user, user=form.user, how="changed")
        messages.success(self.request, _("Your password has been changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Asks for an address and answers "check your email" whatever it is: the email, if any, is
    sent by a task (see ``password_reset_request``)."""

    form_class = forms.PasswordResetForm
    template_name = "accounts/form_page.html"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {
        "title": _("Reset your password"),
        "lead": _(
            "Enter the email address you sign in with. "
            "We will send you a link to choose a new password."
        ),
    }

    def form_valid(self, form):
        password_reset_request(
            email=form.cleaned_data["email"], client_address=client_address(self.request)
        )
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = forms.SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        password_change_record(acting_user=None, user=form.user, how="reset")
        return response


# Personal API tokens ---------------------------------------------------------------------------

NEW_API_TOKEN_SESSION_KEY = "new_api_token"  # noqa: S105 -- a session key


class ApiTokensView(LoginRequiredMixin, View):
    """The person's API tokens; a token just made is shown here once, and never again."""

    def get(self, request):
        new = request.session.pop(NEW_API_TOKEN_SESSION_KEY, None)
        return render(
            request,
            "accounts/api_tokens.html",
            {"tokens": api_tokens_of(user=request.user), "new_token": new},
        )


class ApiTokenCreateView(SubmitOnceMixin, LoginRequiredMixin, FormView):
    form_class = forms.ApiTokenForm
    template_name = "accounts/form_page.html"
    extra_context = {
        "title": _("Create an API token"),
        "lead": _(
            "Your organisation's systems use a token to read and answer your contribution "
            "requests, report progress on your actions and read published plans, as you."
        ),
    }

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "memberships": memberships_of(user=self.request.user),
            "default_days": settings.API_TOKEN_DEFAULT_DAYS,
            "max_days": settings.API_TOKEN_MAX_DAYS,
        }

    def form_valid(self, form):
        try:
            created = api_token_create(
                acting_user=self.request.user,
                name=form.cleaned_data["name"],
                memberships=list(form.cleaned_data["memberships"]),
                expires_on=timezone.localdate() + timedelta(days=form.cleaned_data["lasts_days"]),
                submission=self.submission,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        self.request.session[NEW_API_TOKEN_SESSION_KEY] = {
            "id": created.token.pk,
            "name": created.token.name,
            "secret": created.secret,
        }
        return redirect("accounts:api_tokens")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ApiTokenRevokeView(LoginRequiredMixin, FormView):
    """Asks, then revokes: the token stops working at once."""

    template_name = "accounts/api_token_revoke.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.token = api_token_of(user=request.user, token_id=kwargs["token_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        return ConfirmForm(
            **self.get_form_kwargs(),
            submit_label=_("Revoke token"),
            submit_classes="govuk-button--warning",
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(token=self.token, **kwargs)

    def form_valid(self, form):
        api_token_revoke(acting_user=self.request.user, token=self.token)
        messages.success(self.request, _("%(name)s has been revoked.") % {"name": self.token.name})
        return redirect("accounts:api_tokens")


class KeepAliveView(View):
    """ "Stay signed in" in the timeout warning: any request made while signed in starts the idle
    time again (SESSION_SAVE_EVERY_REQUEST), so this only answers. Signed out, 401, never a
    redirect to sign in (which would be kept as a form: csp_portal.kept)."""

    http_method_names = ["post", "options"]

    def post(self, request):
        if not request.user.is_authenticated:
            return HttpResponse(status=401)
        if request.headers.get("Accept", "").startswith("application/json"):
            # The times the warning counts from next, as the server has them now.
            return JsonResponse(
                {
                    "session_seconds": settings.SESSION_COOKIE_AGE,
                    "warning_seconds": settings.CSP_TIMEOUT_WARNING_SECONDS,
                }
            )
        return redirect(_safe_next(request, reverse("partnerships:choose")))


_DRAFT_FIELD = re.compile(r"^[\w-]{1,100}$")


class TextDraftView(View):
    """Autosave of long text (static/js/kept-text.mjs): the latest text of one field of one page,
    for the person writing it only. 204 when kept, 400 for what is not a draft, 401 signed out."""

    http_method_names = ["post", "options"]

    def post(self, request):
        if not request.user.is_authenticated or not request.user.is_verified():
            return HttpResponse(status=401)
        path = request.POST.get("path", "")
        field_name = request.POST.get("field", "")
        text = request.POST.get("text", "")
        if (
            not path.startswith("/")
            or path.startswith("//")
            or len(path) > 500
            or not _DRAFT_FIELD.match(field_name)
            or len(text) > DRAFT_MAX_CHARS
        ):
            return HttpResponse(status=400)
        text_draft_save(user_id=request.user.pk, path=path, field_name=field_name, text=text)
        return HttpResponse(status=204)


class TextDraftDiscardView(LoginRequiredMixin, View):
    """ "Discard" on the banner of a page whose text was restored from a draft: back to the
    saved text (works without JavaScript)."""

    http_method_names = ["post", "options"]

    def post(self, request):
        path = _safe_next(request, "")
        if not path.startswith("/") or path.startswith("//"):
            return HttpResponse(status=400)
        path = path.split("?")[0].split("#")[0]
        text_drafts_discard(user_id=request.user.pk, path=path)
        messages.success(request, _("The unsaved text has been discarded."))
        return redirect(path)
