"""Pages of an assessment's review comments: the log (read, and written while it is in review),
and the coordinator's response to each."""

from django.http import Http404
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from partnerships.consultation_views import CommentLogMixin, CommentRespondMixin
from partnerships.permissions import Perm

from .. import forms, selectors
from ..policies import (
    AssessmentCommentPolicy,
    AssessmentCommentVerb,
    AssessmentPolicy,
    AssessmentVerb,
)
from ..services import consultation
from .assessments import AssessmentFormView, AssessmentMixin


def comments_url(assessment) -> str:
    return reverse(
        "assessments:comments",
        kwargs={"partnership_slug": assessment.partnership.slug, "assessment_id": assessment.pk},
    )


def respond_url(comment) -> str:
    return reverse(
        "assessments:comment_respond",
        kwargs={
            "partnership_slug": comment.assessment.partnership.slug,
            "assessment_id": comment.assessment_id,
            "comment_id": comment.pk,
        },
    )


class CommentsView(CommentLogMixin, AssessmentMixin, AssessmentFormView):
    """The review's consultation log, and the form to add to it while the version is in review."""

    permission_required = Perm.VIEW_ASSESSMENT_DRAFTS
    template_name = "assessments/comments.html"
    form_class = forms.ReviewCommentForm
    document_policy, comment_verb = AssessmentPolicy, AssessmentVerb.COMMENT
    comment_policy, respond_verb = AssessmentCommentPolicy, AssessmentCommentVerb.RESPOND
    document_field = "assessment"
    refusal = _("You cannot comment on this assessment.")

    def check_object_access(self):
        verb = AssessmentVerb.READ_COMMENTS
        if not AssessmentPolicy.allows(self.membership, verb, self.assessment):
            raise Http404

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "sections": list(self.assessment.sections.all()),
            "priorities": list(self.assessment.priorities.all()),
        }

    def comments(self):
        return selectors.assessment_comments(membership=self.membership, assessment=self.assessment)

    def counts(self) -> dict:
        return selectors.assessment_comment_counts(assessment=self.assessment)

    def respond_url(self, comment) -> str:
        return respond_url(comment)

    def comments_url(self) -> str:
        return comments_url(self.assessment)

    def perform(self, form):
        consultation.assessment_comment_add(
            acting_user=self.request.user,
            assessment=self.assessment,
            body=form.cleaned_data["body"],
            part=form.cleaned_data["part"],
            submission=self.submission,
        )


class CommentRespondView(CommentRespondMixin, AssessmentMixin, AssessmentFormView):
    permission_required = Perm.MANAGE_ASSESSMENTS
    form_class = forms.ReviewCommentResponseForm
    comment_policy, respond_verb = AssessmentCommentPolicy, AssessmentCommentVerb.RESPOND
    document_field = "assessment"

    def get_target(self):
        return selectors.assessment_comment_for(
            membership=self.membership,
            assessment=self.assessment,
            comment_id=self.kwargs["comment_id"],
        )

    def comments_url(self) -> str:
        return comments_url(self.assessment)

    def perform(self, form):
        consultation.assessment_comment_respond(
            acting_user=self.request.user,
            comment=self.target,
            outcome=form.cleaned_data["outcome"],
            response=form.cleaned_data["response"],
            submission=self.submission,
        )


assessment_patterns = [
    path("comments/", CommentsView.as_view(), name="comments"),
    path(
        "comments/<int:comment_id>/respond/",
        CommentRespondView.as_view(),
        name="comment_respond",
    ),
]
tenant_patterns = [
    path("assessments/<int:assessment_id>/", include(assessment_patterns)),
]
