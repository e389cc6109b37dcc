"""The review's recommendations and their action plan: adding a line and keeping it up to date.
For those who run the review (404 for anyone else, whatever their role or grant)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from .. import selectors
from ..forms import action_plan as forms
from ..policies import ReviewVerb
from ..selectors import action_plan as action_plan_selectors
from ..services import action_plan
from .base import ReviewFormView


class RecommendationFormView(ReviewFormView):
    template_name = "reviews/action_plan/form.html"
    form_class = forms.RecommendationForm
    verb = ReviewVerb.MANAGE_ACTION_PLAN

    def get_form_kwargs(self):
        organisations = selectors.partnership_organisations(partnership=self.partnership)
        return {
            **super().get_form_kwargs(),
            "organisations": organisations,
            "wording_fixed": self.review.published_on is not None,
        }

    def get_context_data(self, **kwargs):
        kwargs.setdefault("cancel_url", self.get_success_url())
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        review_url = reverse(
            "reviews:detail",
            kwargs={"partnership_slug": self.partnership.slug, "review_id": self.review.pk},
        )
        return f"{review_url}#action-plan"


class RecommendationAddView(RecommendationFormView):
    def get_context_data(self, **kwargs):
        kwargs["heading"] = _("Add a recommendation to the action plan")
        return super().get_context_data(**kwargs)

    def perform(self, form):
        fields = {name: value for name, value in form.cleaned_data.items() if name != "based_on"}
        action_plan.recommendation_add(
            acting_user=self.request.user, review=self.review, **fields, submission=self.submission
        )
        messages.success(self.request, _("Recommendation added to the action plan."))


class RecommendationEditView(RecommendationFormView):
    stale_line = None

    @cached_property
    def line(self):
        return action_plan_selectors.recommendation_for(
            review=self.review, recommendation_id=self.kwargs["recommendation_id"]
        )

    def check_object_access(self):
        super().check_object_access()
        self.line  # noqa: B018  (404 unless it is this review's)

    @property
    def read_label(self) -> str:
        return _("Action plan: recommendation %(number)s") % {"number": self.line.position + 1}

    def get_initial(self):
        line = self.line
        return {
            "recommendation": line.recommendation,
            "action": line.action,
            "owner": line.owner,
            "due_date": line.due_date,
            "status": line.status,
            "progress": line.progress,
            "evidence_of_completion": line.evidence_of_completion,
            "based_on": action_plan.fingerprint(line),
        }

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Recommendation %(number)s") % {"number": self.line.position + 1},
            line=self.line,
            stale_line=self.stale_line,
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        try:
            action_plan.recommendation_update(
                acting_user=self.request.user, line=self.line, **form.cleaned_data
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "stale":
                # Show what the line says now; a second save, made knowing it, goes through.
                self.stale_line = action_plan_selectors.recommendation_for(
                    review=self.review, recommendation_id=self.line.pk
                )
                form.data = form.data.copy()
                form.data["based_on"] = action_plan.fingerprint(self.stale_line)
            raise
        messages.success(self.request, _("Saved."))


tenant_patterns = [
    path(
        "reviews/<int:review_id>/recommendations/new/",
        RecommendationAddView.as_view(),
        name="recommendation_add",
    ),
    path(
        "reviews/<int:review_id>/recommendations/<int:recommendation_id>/",
        RecommendationEditView.as_view(),
        name="recommendation_edit",
    ),
]
