"""Pages of a plan's consultation: the comments (read, and written while it is open), the
coordinator's response to each, and closing it early."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from partnerships.consultation import COMMENT_TRANSITIONS
from partnerships.consultation_views import comment_page
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


class CommentsView(PlanMixin, PlanFormView):
    """The consultation log of a version, and the form to add to it while it is open."""

    permission_required = Perm.VIEW_PLAN_CONSULTATION
    template_name = "plans/comments.html"
    form_class = forms.CommentForm

    def check_object_access(self):
        # A version never consulted on has no log to show.
        if not PlanPolicy.can(self.membership, PlanVerb.READ_COMMENTS, self.plan):
            raise Http404

    @cached_property
    def may(self):
        return PlanPolicy.may(self.membership, self.plan)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "plan": self.plan,
            **selectors.comment_parts(plan=self.plan),
        }

    def post(self, request, *args, **kwargs):
        if not self.may["comment"]:
            # The form is not offered once consultation closes; a late post is told why.
            form = self.get_form()
            form.is_valid()
            return self.refused(
                form,
                ValidationError(
                    PlanPolicy.not_now(self.membership, PlanVerb.COMMENT, self.plan)
                    or _("You cannot comment on this plan.")
                ),
            )
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        page, rows = comment_page(
            self.request,
            selectors.plan_comments(membership=self.membership, plan=self.plan),
            document_field="plan",
            document=self.plan,
            may_respond=lambda c: CommentPolicy.can(self.membership, CommentVerb.RESPOND, c),
            respond_url=respond_url,
        )
        kwargs.update(
            page=page,
            rows=rows,
            may=self.may,
            counts=selectors.comment_counts(plan=self.plan),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        consultation.plan_comment_add(
            acting_user=self.request.user,
            plan=self.plan,
            body=form.cleaned_data["body"],
            part=form.cleaned_data["part"],
            submission=self.submission,
        )

    def get_success_url(self):
        return comments_url(self.plan) + "#comments"

    success_message = _("Your comment has been sent. The coordinator will respond to it.")


class CommentRespondView(PlanMixin, PlanFormView):
    permission_required = Perm.MANAGE_PLANS
    template_name = "consultation/comment_respond.html"
    form_class = forms.CommentResponseForm
    success_message = _("Response saved.")

    def get_target(self):
        return selectors.comment_for(
            membership=self.membership, plan=self.plan, comment_id=self.kwargs["comment_id"]
        )

    def check_object_access(self):
        if not CommentPolicy.allows(self.membership, CommentVerb.RESPOND, self.target):
            raise Http404

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "outcomes": COMMENT_TRANSITIONS[self.target.status]}

    def get_context_data(self, **kwargs):
        kwargs.update(
            comment=self.target,
            not_now=CommentPolicy.not_now(self.membership, CommentVerb.RESPOND, self.target),
            cancel_url=comments_url(self.plan),
            caption=str(self.plan),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        consultation.plan_comment_respond(
            acting_user=self.request.user,
            comment=self.target,
            outcome=form.cleaned_data["outcome"],
            response=form.cleaned_data["response"],
            submission=self.submission,
        )

    def get_success_url(self):
        return comments_url(self.plan) + f"#comment-{self.target.pk}"


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
