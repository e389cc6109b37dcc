"""Pages of a plan's consultation: the comments (read, and written while it is open), the
coordinator's response to each, and closing it early."""

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from partnerships.consultation_views import CommentLogMixin, CommentRespondMixin
from partnerships.permissions import Perm

from ..forms import consultation as forms
from ..policies import CommentPolicy, CommentVerb, PlanPolicy, PlanVerb
from ..selectors import consultation as selectors
from ..services import approval, consultation
from .approval import PlanTransitionView
from .drafting import PlanFormView, PlanMixin


def comments_url(plan) -> str:
    return reverse(
        "plans:comments", kwargs={"partnership_slug": plan.partnership.slug, "plan_id": plan.pk}
    )


def respond_url(comment) -> str:
    return reverse(
        "plans:comment_respond",
        kwargs={
            "partnership_slug": comment.plan.partnership.slug,
            "plan_id": comment.plan_id,
            "comment_id": comment.pk,
        },
    )


class CommentsView(CommentLogMixin, PlanMixin, PlanFormView):
    """The consultation log of a version, and the form to add to it while it is open."""

    permission_required = Perm.VIEW_PLAN_CONSULTATION
    template_name = "plans/comments.html"
    form_class = forms.CommentForm
    document_policy, comment_verb = PlanPolicy, PlanVerb.COMMENT
    comment_policy, respond_verb = CommentPolicy, CommentVerb.RESPOND
    document_field = "plan"
    refusal = _("You cannot comment on this plan.")

    def check_object_access(self):
        # A version never consulted on has no log to show.
        if not PlanPolicy.can(self.membership, PlanVerb.READ_COMMENTS, self.plan):
            raise Http404

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "plan": self.plan,
            **selectors.comment_parts(plan=self.plan),
        }

    def comments(self):
        return selectors.plan_comments(membership=self.membership, plan=self.plan)

    def counts(self) -> dict:
        return selectors.comment_counts(plan=self.plan)

    def respond_url(self, comment) -> str:
        return respond_url(comment)

    def comments_url(self) -> str:
        return comments_url(self.plan)

    def perform(self, form):
        consultation.plan_comment_add(
            acting_user=self.request.user,
            plan=self.plan,
            body=form.cleaned_data["body"],
            part=form.cleaned_data["part"],
            submission=self.submission,
        )


class CommentRespondView(CommentRespondMixin, PlanMixin, PlanFormView):
    permission_required = Perm.MANAGE_PLANS
    form_class = forms.CommentResponseForm
    comment_policy, respond_verb = CommentPolicy, CommentVerb.RESPOND
    document_field = "plan"

    def get_target(self):
        return selectors.comment_for(
            membership=self.membership, plan=self.plan, comment_id=self.kwargs["comment_id"]
        )

    def comments_url(self) -> str:
        return comments_url(self.plan)

    def perform(self, form):
        consultation.plan_comment_respond(
            acting_user=self.request.user,
            comment=self.target,
            outcome=form.cleaned_data["outcome"],
            response=form.cleaned_data["response"],
            submission=self.submission,
        )


class CloseConsultationView(PlanTransitionView):
    permission_required = Perm.MANAGE_PLANS
    submit_label = _("Close consultation")
    submit_classes = "govuk-button--warning"
    heading = _("Close consultation on the %(name)s?")
    explanation = _(
        "No more comments can be made. You can still respond to the comments already made, "
        "and the seats can still sign the plan off."
    )
    done_message = _("Consultation is closed.")

    def act(self):
        approval.plan_close_consultation(acting_user=self.request.user, plan=self.plan)

    def get_success_url(self):
        return comments_url(self.plan)


tenant_patterns = [
    path("plans/<int:plan_id>/comments/", CommentsView.as_view(), name="comments"),
    path(
        "plans/<int:plan_id>/comments/<int:comment_id>/respond/",
        CommentRespondView.as_view(),
        name="comment_respond",
    ),
    path(
        "plans/<int:plan_id>/close-consultation/",
        CloseConsultationView.as_view(),
        name="close_consultation",
    ),
]
