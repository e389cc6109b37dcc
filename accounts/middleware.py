import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.core import signing
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from csp_portal.sessions import SESSION_REFRESH_MARGIN_SECONDS

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
    "accounts:language",
    "pages:accessibility",
    "pages:cookies",
    "pages:privacy",
}


def two_factor_known_unneeded(request) -> bool:
    """Whether the person was found, less than a minute ago, to have no authenticator and no
    rule asking for one: the page's navigation reads this answer too, rather than asking the
    four queries again (issue 17)."""
    session = getattr(request, "session", None)
    checked = session.get(TWO_FACTOR_NOT_NEEDED_KEY, 0) if session is not None else 0
    return time.time() - checked < SESSION_REFRESH_SECONDS


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
        # Someone with no authenticator, whom no rule asks for one, was found so less than a
        # minute ago: the four queries of the answer are not asked again on every request (a
        # role that starts needing two-factor takes effect within the minute).
        if two_factor_known_unneeded(request):
            return None
        if user_has_two_factor(user):
            return redirect(reverse("accounts:two_factor_verify") + next_query)
        if user_requires_two_factor(user):
            return redirect(reverse("accounts:two_factor_setup") + next_query)
        request.session[TWO_FACTOR_NOT_NEEDED_KEY] = int(time.time())
        return None


# The session row is written at most once a minute (not on every request, as
# SESSION_SAVE_EVERY_REQUEST did); its stored expiry is the idle time plus that minute
# (csp_portal.sessions), and the idle time itself is enforced to the second by a signed "last
# active" cookie that every response to a signed-in person renews, and that costs no write.
SESSION_REFRESH_SECONDS = SESSION_REFRESH_MARGIN_SECONDS
SESSION_SAVED_KEY = "_csp_saved_at"
TWO_FACTOR_NOT_NEEDED_KEY = "_csp_two_factor_not_needed_at"
ACTIVE_COOKIE = "csp_active"
_ACTIVE_SALT = "accounts.middleware.active"


class IdleTimeoutMiddleware:
    """Signs out whoever has been idle for longer than SESSION_COOKIE_AGE, exactly; keeps the
    session row alive with at most one write a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not self._active(request):
            logout(request)
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is None or user is None or not user.is_authenticated:
            if ACTIVE_COOKIE in request.COOKIES:
                response.delete_cookie(ACTIVE_COOKIE, samesite="Lax")
            return response
        now = int(time.time())
        if now - session.get(SESSION_SAVED_KEY, 0) >= SESSION_REFRESH_SECONDS:
            session[SESSION_SAVED_KEY] = now  # the row (and its expiry) is written once
        if session.session_key is None:
            session.save()  # a new session (sign-in): its key is what the cookie vouches for
        response.set_cookie(
            ACTIVE_COOKIE,
            signing.TimestampSigner(salt=_ACTIVE_SALT).sign(session.session_key),
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        return response

    @staticmethod
    def _active(request) -> bool:
        if ACTIVE_COOKIE not in request.COOKIES:
            # A session made outside the sign-in page (the test client's force_login): the
            # stored expiry bounds it, and the first response gives it the cookie.
            return True
        try:
            key = signing.TimestampSigner(salt=_ACTIVE_SALT).unsign(
                request.COOKIES.get(ACTIVE_COOKIE, ""), max_age=settings.SESSION_COOKIE_AGE
            )
        except signing.BadSignature:  # forged, or older than the idle time
            return False
        return key == request.session.session_key


class PreferredLanguageMiddleware:
    """Signed in, the person's own choice of language wins over the language cookie and the
    browser (django.middleware.locale.LocaleMiddleware chose from those before the person was
    known). The cookie is then set to the choice, so the pages they see once signed out (the
    sign-in page after a timeout) speak it too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        language = user.language if user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if (
            language
            and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language
            and settings.LANGUAGE_COOKIE_NAME not in response.cookies
        ):
            set_language_cookie(response, language)
        return response


def set_language_cookie(response, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
