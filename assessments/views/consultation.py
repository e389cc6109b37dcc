"""Pages of an assessment's review comments: the log (read, and written while it is in review),
and the coordinator's response to each."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import include, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from partnerships.consultation import COMMENT_TRANSITIONS
from partnerships.consultation_views import comment_page
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


class CommentsView(AssessmentMixin, AssessmentFormView):
    """The review's consultation log, and the form to add to it while the version is in review."""

    permission_required = Perm.VIEW_ASSESSMENT_DRAFTS
    template_name = "assessments/comments.html"
    form_class = forms.ReviewCommentForm

    def check_object_access(self):
        if not AssessmentPolicy.allows(
            self.membership, AssessmentVerb.READ_COMMENTS, self.assessment
        ):
            raise Http404

    @cached_property
    def may(self):
        return AssessmentPolicy.may(self.membership, self.assessment)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "sections": list(self.assessment.sections.all()),
            "priorities": list(self.assessment.priorities.all()),
        }

    def post(self, request, *args, **kwargs):
        if not self.may["comment"]:
            # The form is not offered once the review closes; a late post is told why.
            form = self.get_form()
            form.is_valid()
            return self.refused(
                form,
                ValidationError(
                    AssessmentPolicy.not_now(
                        self.membership, AssessmentVerb.COMMENT, self.assessment
                    )
                    or _("You cannot comment on this assessment.")
                ),
            )
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        page, rows = comment_page(
            self.request,
            selectors.assessment_comments(membership=self.membership, assessment=self.assessment),
            document_field="assessment",
            document=self.assessment,
            may_respond=lambda comment: AssessmentCommentPolicy.can(
                self.membership, AssessmentCommentVerb.RESPOND, comment
            ),
            respond_url=respond_url,
        )
        kwargs.update(
            page=page,
            rows=rows,
            may=self.may,
            counts=selectors.assessment_comment_counts(assessment=self.assessment),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        consultation.assessment_comment_add(
            acting_user=self.request.user,
            assessment=self.assessment,
            body=form.cleaned_data["body"],
            part=form.cleaned_data["part"],
            submission=self.submission,
        )

    def get_success_url(self):
        return comments_url(self.assessment) + "#comments"

    success_message = _("Your comment has been sent. The coordinator will respond to it.")


class CommentRespondView(AssessmentMixin, AssessmentFormView):
    permission_required = Perm.MANAGE_ASSESSMENTS
    template_name = "consultation/comment_respond.html"
    form_class = forms.ReviewCommentResponseForm
    success_message = _("Response saved.")

    def get_target(self):
        return selectors.assessment_comment_for(
            membership=self.membership,
            assessment=self.assessment,
            comment_id=self.kwargs["comment_id"],
        )

    def check_object_access(self):
        if not AssessmentCommentPolicy.allows(
            self.membership, AssessmentCommentVerb.RESPOND, self.target
        ):
            raise Http404

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "outcomes": COMMENT_TRANSITIONS[self.target.status]}

    def get_context_data(self, **kwargs):
        self.target.assessment = self.assessment
        kwargs.update(
            comment=self.target,
            not_now=AssessmentCommentPolicy.not_now(
                self.membership, AssessmentCommentVerb.RESPOND, self.target
            ),
            cancel_url=comments_url(self.assessment),
            caption=str(self.assessment),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        consultation.assessment_comment_respond(
            acting_user=self.request.user,
            comment=self.target,
            outcome=form.cleaned_data["outcome"],
            response=form.cleaned_data["response"],
            submission=self.submission,
        )

    def get_success_url(self):
        return comments_url(self.assessment) + f"#comment-{self.target.pk}"


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
