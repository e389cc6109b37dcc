"""The Home Office quality assurance panel's feedback on a returned review: every round with the
chair's answers; the coordinator adds each point the Home Office sent; the chair answers each."""

from django.contrib import messages
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .. import selectors
from ..forms import lifecycle as forms
from ..policies import ReviewVerb
from ..services import quality_assurance
from .base import ReviewFormView

V = ReviewVerb


def qa_url(review) -> str:
    return reverse(
        "reviews:qa", kwargs={"partnership_slug": review.partnership.slug, "review_id": review.pk}
    )


class QualityAssuranceView(ReviewFormView):
    """Every round of feedback and its answers; the form adds a point to the latest round."""

    template_name = "reviews/quality_assurance.html"
    form_class = forms.QualityAssuranceFeedbackForm
    verb = V.READ_QA
    post_verb = V.RECORD_QA_FEEDBACK
    read_label = _("Quality assurance feedback")

    def get_context_data(self, **kwargs):
        kwargs["rounds"] = selectors.qa_rounds(review=self.review)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        quality_assurance.qa_feedback_record(
            acting_user=self.request.user,
            review=self.review,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("The point is recorded for the chair to answer."))

    def get_success_url(self):
        return qa_url(self.review)


class QualityAssuranceAnswerView(ReviewFormView):
    template_name = "reviews/form_page.html"
    form_class = forms.QualityAssuranceAnswerForm
    verb = V.ANSWER_QA_FEEDBACK
    read_label = _("Answer to quality assurance feedback")

    @cached_property
    def item(self):
        return selectors.qa_item_for(review=self.review, item_id=self.kwargs["qa_item_id"])

    def verb_object(self):
        return self.item

    def get_initial(self):
        return {"answer": self.item.answer}

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Answer the panel's feedback"),
            intro=self.item.text,
            cancel_url=qa_url(self.review),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        quality_assurance.qa_feedback_answer(
            acting_user=self.request.user,
            item=self.item,
            **form.cleaned_data,
            submission=self.submission,
        )
        messages.success(self.request, _("Answer saved."))

    def get_success_url(self):
        return qa_url(self.review)


tenant_patterns = [
    path("reviews/<int:review_id>/quality-assurance/", QualityAssuranceView.as_view(), name="qa"),
    path(
        "reviews/<int:review_id>/quality-assurance/<int:qa_item_id>/answer/",
        QualityAssuranceAnswerView.as_view(),
        name="qa_answer",
    ),
]
