"""The address of the site, for links that leave it (emails).

One setting, ``CSP_SITE_URL``, says it: a link made in a request, by the worker or by the
scheduler points to the same place, whichever address the request came in on (and a forged Host
header cannot steer a password reset link elsewhere).
"""

from django.conf import settings


def site_address() -> str:
    """CSP_SITE_URL without a trailing slash: "https://csp-portal.example"."""
    return settings.CSP_SITE_URL.rstrip("/")


def site_url(path: str) -> str:
    """``path`` ("/p/trafford/") as an absolute address on this site; an absolute URL as it is."""
    return path if "://" in path else site_address() + path
