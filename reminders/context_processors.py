from django.utils.functional import SimpleLazyObject

from .selectors import unread_count


def notifications(request):
    """The unread count in the header: one query, and only on pages that show it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counted = getattr(request, "unread_notifications", None)
    if counted is not None:  # counted already, as the page was opened (reminders.middleware)
        return {"unread_notifications": counted}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user=user))}
