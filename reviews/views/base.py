"""What every review page shares: the review is resolved once, only for those with a grant on it
(404 for everyone else, whatever their role); the page then asks ReviewPolicy for its ``verb``
(404 again when that is not theirs to do, or to read, on this review), and every page it renders
logs the read, for it shows the review's reference and pseudonym at least."""

from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from partnerships.permissions import Perm
from partnerships.tenancy import PartnershipViewMixin, ServiceFormView

from .. import selectors
from ..policies import ReviewAccess, ReviewPolicy, ReviewVerb
from ..services import lifecycle


class ReviewMixin(PartnershipViewMixin):
    """Resolves ``review_id``. ``verb`` is what the page needs (``post_verb`` for a POST, when it
    differs); ``read_label`` is what the access log says was read (by default the heading)."""

    permission_required = Perm.VIEW_PARTNERSHIP
    verb = ReviewVerb.READ
    post_verb: ReviewVerb | None = None
    read_label = ""

    @cached_property
    def review(self):
        return selectors.review_for(
            user=self.request.user, partnership=self.partnership, review_id=self.kwargs["review_id"]
        )

    @cached_property
    def access(self) -> ReviewAccess:
        return ReviewPolicy.access(self.membership, self.review)

    def verb_object(self):
        """The record of the review the verb is asked about (a request, a document), if any."""
        return None

    def check_object_access(self):
        super().check_object_access()
        # Resolving the review is the first check: 404 without a grant.
        verb = self.post_verb if self.request.method == "POST" and self.post_verb else self.verb
        if not self.access.allows(verb, self.verb_object()):
            raise Http404

    def log_read(self, what: str) -> None:
        lifecycle.review_read(user=self.request.user, review=self.review, what=what)

    def get_context_data(self, **kwargs):
        # The page is about to show the review (a GET, or a form shown again with its errors):
        # log the read first, so that the access log page lists this read too.
        self.log_read(str(self.read_label or kwargs.get("heading") or _("Review page")))
        kwargs.setdefault("review", self.review)
        kwargs.setdefault("may", self.access.may())
        return super().get_context_data(**kwargs)


class ReviewFormView(ReviewMixin, ServiceFormView):
    form_needs_partnership = False

    def get_success_url(self):
        return reverse(
            "reviews:detail",
            kwargs={"partnership_slug": self.partnership.slug, "review_id": self.review.pk},
        )
