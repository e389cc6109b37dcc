"""The one place a request becomes (partnership, membership).

Every view under ``/p/<partnership_slug>/`` inherits ``PartnershipViewMixin``. A visitor who is not
a member, or whose role lacks the view's permission, gets 404: nothing tells them the partnership
or the record exists.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404

from .models import Membership, Partnership
from .permissions import Perm, membership_can
from .selectors import membership_for

SESSION_KEY = "current_partnership"


class PartnershipViewMixin(LoginRequiredMixin):
    permission_required: Perm = Perm.VIEW_PARTNERSHIP
    partnership: Partnership
    membership: Membership

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.membership = membership_for(
            user=request.user, partnership_slug=kwargs["partnership_slug"]
        )
        if not membership_can(self.membership, self.permission_required):
            raise Http404
        self.partnership = self.membership.partnership
        request.membership = self.membership
        request.session[SESSION_KEY] = self.partnership.slug
        self.check_object_access()
        return super().dispatch(request, *args, **kwargs)

    def check_object_access(self) -> None:
        """Raise Http404 when the role allows the view but not on this record (object rules)."""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("partnership", self.partnership)
        kwargs.setdefault("membership", self.membership)
        return super().get_context_data(**kwargs)
