from django.conf import settings

from .kept import restored_drafts
from .languages import TOGGLE


def service(request):
    """Settings that pages describe to people, so the words follow the configuration."""
    return {
        "session_idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "invitation_valid_days": settings.INVITATION_VALID_FOR.days,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "session_idle_seconds": settings.SESSION_COOKIE_AGE,
        "timeout_warning_seconds": settings.CSP_TIMEOUT_WARNING_SECONDS,
        "language_toggle": TOGGLE,
        # Called by the template once the page's forms are made (csp_portal.kept).
        "restored_drafts": lambda: restored_drafts(request),
    }
