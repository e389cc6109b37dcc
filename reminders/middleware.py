"""Opening an item marks read the person's notifications about it.

A notification links to its item (the contribution, the action's quarter, the review). Whichever
way the person reaches that page (the notification, the email, Your work), the page itself is
the reading: a GET of a page whose address is a notification's marks that notification read.

It costs nothing more on a page that renders the header (which counts the unread notifications
anyway: the count is taken here and handed on), and it writes only for a person who has unread
notifications. It runs after the two-factor check, so an unverified session marks nothing.
"""

from . import services

# Addresses that are never a notification's item.
SKIPPED_PREFIXES = ("/api/", "/static/", "/admin/")


class NotificationReadOnVisitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if (
            request.method != "GET"
            or user is None
            or not user.is_authenticated
            or request.path.startswith(SKIPPED_PREFIXES)
        ):
            return None
        request.unread_notifications = services.notifications_read_on_visit(
            acting_user=user, path=request.path, full_path=request.get_full_path()
        )
        return None
