from django.conf import settings


def service(request):
    """Settings that pages describe to people, so the words follow the configuration."""
    return {
        "session_idle_minutes": settings.SESSION_COOKIE_AGE // 60,
        "invitation_valid_days": settings.INVITATION_VALID_FOR.days,
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
