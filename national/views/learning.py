"""What published domestic homicide reviews found: recorded on a review by those who run it, and
counted nationally for national oversight officers (counts by year, never a review)."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from reviews.policies import ReviewVerb
from reviews.views.base import ReviewFormView

from .. import selectors
from ..exports import csv_response
from ..forms import ReviewLearningForm
from ..models import CHARACTERISTICS
from ..services import review_learning_record
from .compliance import NationalViewMixin


class ReviewLearningView(ReviewFormView):
    verb = ReviewVerb.ADVANCE
    template_name = "reviews/form_page.html"
    form_class = ReviewLearningForm
    success_message = _("Saved. Only counts across all reviews are ever shown.")

    def check_object_access(self):
        super().check_object_access()
        if self.review.published_on is None:
            raise Http404

    def get_initial(self):
        learning = selectors.learning_of(self.review)
        return {name: getattr(learning, name) for name in CHARACTERISTICS} if learning else {}

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("What the review found"),
            intro=_(
                "Tick each that the published review found. These are counted across all "
                "published reviews in England and Wales, by year of death; this review is never "
                "shown on its own."
            ),
            cancel_url=self.get_success_url(),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        review_learning_record(
            acting_user=self.request.user, review=self.review, characteristics=form.cleaned_data
        )


class LearningCountsView(NationalViewMixin, TemplateView):
    template_name = "national/learning.html"

    def get_context_data(self, **kwargs):
        rows = selectors.learning_counts()
        kwargs.update(
            characteristics=CHARACTERISTICS,
            rows=[
                {
                    "year": row["year_of_death"],
                    "reviews": row["reviews"],
                    "counts": [row[name] for name in CHARACTERISTICS],
                }
                for row in rows
            ],
            total=sum(row["reviews"] for row in rows),
        )
        return super().get_context_data(**kwargs)


class LearningCountsCsvView(NationalViewMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        return csv_response(
            (
                {
                    "year_of_death": row["year_of_death"],
                    "reviews": row["reviews"],
                    **{name: row[name] for name in CHARACTERISTICS},
                }
                for row in selectors.learning_counts()
            ),
            filename=f"dhr-learning-{timezone.localdate().isoformat()}.csv",
        )
