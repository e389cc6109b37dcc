"""How django-axes counts failed sign-ins here: which account, which address, and when to lock.

The policy, and why. Counting failures per account alone gives anyone who knows an address the
power to lock its owner out from everywhere; counting per account and client address alone gives
an attacker who rotates addresses as many guesses as they have addresses. So there are two
counts, both within ``AXES_COOLOFF_TIME``:

- the account at one address: locked after ``AXES_FAILURE_LIMIT`` failures (5). This is the lock
  a person who mistypes meets;
- the account from all addresses together: after ``CSP_LOGIN_ACCOUNT_FAILURE_LIMIT`` failures
  (20) the account is locked at every address where it has never signed in successfully. That
  caps the guesses anyone gets at the ceiling, however many addresses they use, while its
  owner, at an address they have signed in from before (axes' access log), is held only by the
  first limit there; an attacker cannot lock them out of the office by failing from elsewhere.

A successful sign-in clears its own address's count, not the account's: otherwise the owner
signing in would hand an attacker elsewhere a fresh allowance.

Both counts use one spelling of the account (``canonical_email``, the one that signs in) and the
client address behind trusted proxies (``client_address``).
"""

from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessLog
from django.db.models import Sum
from ipware.ip import get_client_ip

from .models import canonical_email


def lockout_username(request, credentials: dict | None) -> str:
    """The account a sign-in attempt is for, as django-axes counts failures against it: the
    same canonical email that ``User.objects.get_by_natural_key`` signs in with, so that
    ``DIRECTOR@``, ``director@`` in fullwidth letters and `` director@ `` share one count with
    ``director@``."""
    source = credentials if credentials is not None else request.POST
    return canonical_email(source.get("username") or "")


def client_address(request) -> str | None:
    """The address a request came from, for lockouts and rate limits.

    With ``CSP_TRUSTED_PROXY_COUNT`` proxies in front, each appending the address it was reached
    from to X-Forwarded-For, the client is that many entries from the right: what a client puts
    further left is its own claim and is ignored. With none, REMOTE_ADDR, and the header is
    ignored (anyone can send it). django-ipware reads the chain.
    """
    proxies = settings.CSP_TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return request.META.get("REMOTE_ADDR")
    # django-ipware counts the proxies between the client and the last one, whose own address
    # is REMOTE_ADDR rather than in the header: one fewer. Not strict: a longer chain is a
    # client's prefix, read past from the right.
    address, _routable = get_client_ip(
        request,
        proxy_count=proxies - 1,
        request_header_order=["HTTP_X_FORWARDED_FOR"],
        strict=False,
    )
    return address


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with the two counts above. ``AXES_LOCKOUT_PARAMETERS``
    lists them: the account at this address first, then the account anywhere."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        here, anywhere = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if anywhere >= settings.CSP_LOGIN_ACCOUNT_FAILURE_LIMIT and not self._known_address(
            request, credentials
        ):
            return max(here, get_failure_limit(request, credentials))
        return here

    def reset_user_attempts(self, request, credentials: dict | None = None) -> int:
        here, _anywhere = self.filter_user_attempts(request, credentials)
        count, _ = here.delete()
        return count

    @staticmethod
    def _known_address(request, credentials: dict | None) -> bool:
        """Whether the account has signed in successfully from this address before."""
        return AccessLog.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,
        ).exists()
