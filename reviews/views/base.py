"""What every review page shares: the review is resolved once, only for those with a grant on it
(404 for everyone else, whatever their role), and a page that shows its content logs the read."""

from django.utils.functional import cached_property

from partnerships.permissions import Perm
from partnerships.tenancy import PartnershipViewMixin
from partnerships.views import ServiceFormView

from .. import selectors
from ..services import lifecycle


class ReviewMixin(PartnershipViewMixin):
    """Resolves ``review_id``; ``read_label`` (when set) is logged for every GET of the page."""

    permission_required = Perm.VIEW_PARTNERSHIP
    read_label = ""

    @cached_property
    def review(self):
        return selectors.review_for(
            user=self.request.user, partnership=self.partnership, review_id=self.kwargs["review_id"]
        )

    def check_object_access(self):
        super().check_object_access()
        self.review  # noqa: B018  (resolving it is the access check: 404 without a grant)

    def log_read(self, what: str) -> None:
        lifecycle.review_read(user=self.request.user, review=self.review, what=what)

    def get(self, request, *args, **kwargs):
        if self.read_label:
            self.log_read(str(self.read_label))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("review", self.review)
        return super().get_context_data(**kwargs)


class ReviewFormView(ReviewMixin, ServiceFormView):
    form_needs_partnership = False

    def get_success_url(self):
        from django.urls import reverse

        return reverse(
            "reviews:detail",
            kwargs={"partnership_slug": self.partnership.slug, "review_id": self.review.pk},
        )
