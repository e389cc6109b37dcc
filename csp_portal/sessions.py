"""The database session store, kept a minute longer than the idle time: the row is rewritten
at most once a minute (accounts.middleware.IdleTimeoutMiddleware), so without the margin it could
lapse up to a minute before the idle time the middleware enforces exactly."""

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

SESSION_REFRESH_MARGIN_SECONDS = 60


class SessionStore(DatabaseSessionStore):
    def get_expiry_age(self, **kwargs) -> int:
        return super().get_expiry_age(**kwargs) + SESSION_REFRESH_MARGIN_SECONDS
