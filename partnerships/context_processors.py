from .permissions import ROLE_PERMISSIONS


def current_partnership(request):
    """The partnership the page is about, and what the current member may do there."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    return {
        "current_partnership": membership.partnership,
        "current_membership": membership,
        "can": {perm.value: True for perm in ROLE_PERMISSIONS[membership.role]},
    }
