from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from .selectors import user_has_two_factor, user_requires_two_factor

# Reachable before two-factor authentication is passed, so none of them may change a credential
# (password, authenticator, backup codes, memberships, API tokens, email) or verify a session
# without a code from a device the person already has: tests/accounts/test_two_factor.py posts to
# each as someone who has given only their password. Set-up is here for a first device only; it
# sends anyone who has one to verify first.
EXEMPT_URL_NAMES = {
    "accounts:login",
    "accounts:logout",
    "accounts:two_factor_verify",
    "accounts:two_factor_setup",
    "pages:accessibility",
    "pages:cookies",
    "pages:privacy",
}


class TwoFactorRequiredMiddleware:
    """Signed-in people who have, or must have, two-factor authentication verify it first.

    Someone with an authenticator always verifies it; someone whose role needs one and has none
    is sent to set it up. Only the sign-in, set-up and public pages are reachable before that.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        match = request.resolver_match
        if (
            match is None
            or match.view_name in EXEMPT_URL_NAMES
            or request.path.startswith("/static/")
        ):
            return None
        next_query = (
            "?" + urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
        )
        if user_has_two_factor(user):
            return redirect(reverse("accounts:two_factor_verify") + next_query)
        if user_requires_two_factor(user):
            return redirect(reverse("accounts:two_factor_setup") + next_query)
        return None
