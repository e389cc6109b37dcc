from django.http import Http404

from accounts.middleware import two_factor_known_unneeded
from accounts.selectors import two_factor_pending

from .navigation import navigation, switch_target
from .permissions import role_label, role_permissions
from .selectors import membership_for, memberships_of_user
from .tenancy import SESSION_KEY


def _navigation_membership(request):
    """The partnership the page is about; on a person's own pages across partnerships (requests
    to them, their actions, the force area, their account) the one they were last working in, so
    that the navigation keeps its shape."""
    membership = getattr(request, "membership", None)
    if membership is not None:
        return membership
    slug = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
    if slug:
        try:
            return membership_for(user=request.user, partnership_slug=slug)
        except Http404:  # they have left it since
            pass
    # Not yet working in any: the first of theirs by name, so the menu has its usual shape.
    return memberships_of_user(user=request.user).first()


def current_partnership(request):
    """The partnership the page is about, what the current member may do there, and the service
    navigation (none until the person has passed two-factor authentication)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not two_factor_known_unneeded(request) and two_factor_pending(user):
        return {"two_factor_pending": True}
    context = {}
    membership = getattr(request, "membership", None)
    if membership is not None:
        context.update(
            current_partnership=membership.partnership,
            current_membership=membership,
            current_role_label=role_label(membership),
            can=role_permissions(membership),
        )
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match else ""
    navigation_membership = _navigation_membership(request)
    context.update(
        navigation(
            user=user, membership=navigation_membership, path=request.path, view_name=view_name
        ),
        navigation_partnership=navigation_membership.partnership if navigation_membership else None,
        switch_page=switch_target(view_name),
    )
    return context
