"""Review pages: the list (the reviews you hold access to, and counts for everyone), recording a
notification, the review itself with its clocks, each step of the process, holds, and access."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from partnerships.permissions import Perm
from partnerships.tenancy import PartnershipViewMixin, ServiceFormView

from .. import clocks, selectors
from ..forms import lifecycle as forms
from ..models import ReviewStatus
from ..policies import ReviewVerb
from ..services import lifecycle
from .base import ReviewFormView, ReviewMixin

S = ReviewStatus
V = ReviewVerb

# The button that takes a review to each status.
STEP_LABELS = {
    S.UNDER_CONSIDERATION: _("Start considering"),
    S.DECIDED: _("Record the decision"),
    S.HOME_OFFICE_NOTIFIED: _("Record that the Home Office was told"),
    S.COMMISSIONED: _("Commission: appoint the chair"),
    S.SCOPING: _("Start scoping"),
    S.EVIDENCE_GATHERING: _("Start gathering evidence"),
    S.DRAFTING: _("Start drafting"),
    S.PANEL_APPROVED: _("Record the panel's approval"),
    S.PARTNERSHIP_APPROVED: _("Record the partnership's approval"),
    S.SUBMITTED: _("Record submission to the Home Office"),
    S.RETURNED: _("Record that it was returned for changes"),
    S.HOME_OFFICE_APPROVED: _("Record the Home Office's approval"),
    S.PUBLISHED: _("Record publication"),
    S.MONITORING: _("Start monitoring the action plan"),
    S.CLOSED: _("Close the case"),
}


def criteria_answers(review) -> list[tuple[str, str]]:
    """The questions the review's type asked at notification, each with its answer in words."""
    answers = []
    for criterion in review.review_type.criteria_asked:
        value = getattr(review, criterion.field)
        if criterion.kind == "relationship":
            answer = review.get_relationship_display() if value else _("None of these")
        else:
            answer = {True: _("Yes"), False: _("No"), None: _("Not asked")}[value]
        answers.append((str(criterion.question), str(answer)))
    return answers


def review_url(review) -> str:
    return reverse(
        "reviews:detail",
        kwargs={"partnership_slug": review.partnership.slug, "review_id": review.pk},
    )


class ReviewListView(PartnershipViewMixin, TemplateView):
    template_name = "reviews/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        reviews = list(
            selectors.reviews_accessible(user=self.request.user, partnership=self.partnership)
        )
        # Each review listed shows its reference and pseudonym: a read of each.
        lifecycle.reviews_read(user=self.request.user, reviews=reviews, what=_("Review list"))
        context.update(
            reviews=[(review, clocks.review_clocks(review)) for review in reviews],
            counts=[
                {**row, "label": ReviewStatus(row["status"]).label}
                for row in selectors.review_counts(partnership=self.partnership)
            ],
        )
        return context


class NotifyView(ServiceFormView):
    """The notification of a death, asking the criteria of the type of review it would be today:
    a domestic death by default, an offensive weapons homicide with ``?type=offensive-weapons``
    (a link on the page, so the choice needs no JavaScript)."""

    permission_required = Perm.RECORD_REVIEWS
    template_name = "reviews/notify.html"
    form_class = forms.NotificationForm
    KINDS = {"domestic": False, "offensive-weapons": True}

    @cached_property
    def offensive_weapons(self) -> bool:
        kind = self.request.GET.get("type", "domestic")
        if kind not in self.KINDS:
            raise Http404
        return self.KINDS[kind]

    @cached_property
    def review_type(self):
        return selectors.review_type_for_notification(
            notified_on=timezone.localdate(),
            partnership=self.partnership,
            offensive_weapons=self.offensive_weapons,
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "review_type": self.review_type}

    def other_kind_url(self, notify_url: str) -> str:
        """The form for the other kind of death; none where one type covers both (a single
        unified safeguarding review)."""
        kinds = selectors.notification_types(partnership=self.partnership, on=timezone.localdate())
        if kinds["domestic"] == kinds["offensive_weapons"]:
            return ""
        return notify_url if self.offensive_weapons else f"{notify_url}?type=offensive-weapons"

    def get_context_data(self, **kwargs):
        notify_url = reverse("reviews:notify", kwargs={"partnership_slug": self.partnership.slug})
        kwargs.update(
            heading=_("Record a notification of a death"),
            review_type=self.review_type,
            offensive_weapons=self.offensive_weapons,
            other_kind_url=self.other_kind_url(notify_url),
            decided_by=self.review_type.get_decided_by_display(),
            cancel_url=reverse("reviews:list", kwargs={"partnership_slug": self.partnership.slug}),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        self.created = lifecycle.review_notify(
            acting_user=self.request.user,
            partnership=self.partnership,
            **form.cleaned_data,
            offensive_weapons=self.offensive_weapons,
            submission=self.submission,
        )
        messages.success(
            self.request,
            _("Recorded as %(reference)s. Only you have access until you give it to others.")
            % {"reference": self.created.reference},
        )

    def get_success_url(self):
        return review_url(self.created)


class ReviewSettingsView(ServiceFormView):
    permission_required = Perm.RECORD_REVIEWS
    template_name = "reviews/form_page.html"
    form_class = forms.ReviewSettingsForm
    form_needs_partnership = False
    success_message = _("Saved.")

    def get_initial(self):
        from authorities.models import Nation

        return {
            "decision_maker": "regional_safeguarding_board"
            if self.partnership.nation == Nation.WALES
            else "partnership"
        }

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Who decides whether to review"),
            intro=_(
                "In Wales the regional safeguarding board decides, under the single unified "
                "safeguarding review. Currently: %(who)s."
            )
            % {"who": selectors.decision_maker(partnership=self.partnership)},
            cancel_url=reverse("reviews:list", kwargs={"partnership_slug": self.partnership.slug}),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        lifecycle.review_settings_update(
            acting_user=self.request.user, partnership=self.partnership, **form.cleaned_data
        )

    def get_success_url(self):
        return reverse("reviews:list", kwargs={"partnership_slug": self.partnership.slug})


class ReviewDetailView(ReviewMixin, TemplateView):
    template_name = "reviews/detail.html"
    read_label = _("Review page")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = selectors.review_detail(review=self.review)
        access = self.access
        context.update(
            review=review,
            clocks=clocks.review_clocks(review),
            next_steps=[
                (status, STEP_LABELS[status])
                for status in access.next_steps()
                if status in STEP_LABELS
            ],
            on_hold=review.status == S.ON_HOLD,
            current_hold=next((h for h in review.holds.all() if h.ended_on is None), None),
            # An agency author sees their own organisation's requests only.
            agency_requests=[
                agency_request
                for agency_request in review.agency_requests.all()
                if access.allows(V.READ_EVIDENCE, agency_request)
            ],
            extra_sections=self.extra_sections(),
            decision_maker=selectors.review_decision_maker(review=review),
            criteria=criteria_answers(review),
        )
        return context

    def extra_sections(self) -> list[str]:
        """Templates of the review's other parts that this reader may see, included in order
        with this page's context."""
        sections = [
            ("reviews/evidence/section.html", V.READ),
            ("reviews/action_plan/section.html", V.READ_ACTION_PLAN),
            ("reviews/exports/section.html", V.EXPORT),
        ]
        return [template for template, verb in sections if self.access.allows(verb)]


class AdvanceView(ReviewFormView):
    template_name = "reviews/form_page.html"
    form_class = forms.AdvanceForm
    verb = V.ADVANCE

    @cached_property
    def step(self) -> str:
        return self.kwargs["to"]

    def check_object_access(self):
        super().check_object_access()
        from django.http import Http404

        if self.step not in STEP_LABELS:
            raise Http404

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "step": self.step,
            "submit_label": STEP_LABELS[self.step],
            "reopening": self.review.status == S.CLOSED,
        }

    def get_context_data(self, **kwargs):
        kwargs.update(heading=STEP_LABELS[self.step], cancel_url=review_url(self.review))
        return super().get_context_data(**kwargs)

    def perform(self, form):
        lifecycle.review_advance(
            acting_user=self.request.user,
            review=self.review,
            to=self.step,
            **{name: value for name, value in form.cleaned_data.items() if value is not None},
        )
        messages.success(self.request, _("Saved."))


class HoldView(ReviewFormView):
    template_name = "reviews/form_page.html"
    form_class = forms.HoldForm
    verb = V.HOLD

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Put the review on hold"),
            intro=_("The completion clock stops until the review resumes."),
            cancel_url=review_url(self.review),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        lifecycle.review_hold(
            acting_user=self.request.user, review=self.review, **form.cleaned_data
        )
        messages.success(self.request, _("The review is on hold."))


class ResumeView(ReviewFormView):
    template_name = "reviews/form_page.html"
    form_class = forms.ResumeForm
    verb = V.RESUME

    def get_context_data(self, **kwargs):
        kwargs.update(heading=_("Resume the review"), cancel_url=review_url(self.review))
        return super().get_context_data(**kwargs)

    def perform(self, form):
        lifecycle.review_resume(
            acting_user=self.request.user, review=self.review, **form.cleaned_data
        )
        messages.success(self.request, _("The review has resumed."))


class WelshGovernmentView(ReviewFormView):
    """The day Welsh Government was told that a review takes place (a single unified
    safeguarding review)."""

    template_name = "reviews/form_page.html"
    form_class = forms.WelshGovernmentForm
    verb = V.RECORD_WELSH_GOVERNMENT

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Record that Welsh Government was told"),
            intro=_("Welsh Government is told whenever a %(type)s takes place.")
            % {"type": self.review.review_type.get_code_display().lower()},
            cancel_url=review_url(self.review),
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        lifecycle.review_welsh_government_notified(
            acting_user=self.request.user, review=self.review, **form.cleaned_data
        )
        messages.success(self.request, _("Saved."))


class AccessView(ReviewFormView):
    """Who has access, and giving it to someone else of the partnership."""

    template_name = "reviews/access.html"
    form_class = forms.GrantForm
    verb = V.MANAGE_ACCESS
    read_label = _("Access")

    def get_form_kwargs(self):
        members = list(selectors.grantable_members(review=self.review))
        return {**super().get_form_kwargs(), "members": members}

    def get_context_data(self, **kwargs):
        kwargs["grants"] = list(self.review.access_grants.select_related("user", "granted_by"))
        return super().get_context_data(**kwargs)

    def perform(self, form):
        grant = lifecycle.access_grant(
            acting_user=self.request.user, review=self.review, **form.cleaned_data
        )
        messages.success(
            self.request, _("%(name)s now has access.") % {"name": grant.user.full_name}
        )

    def get_success_url(self):
        return reverse(
            "reviews:access",
            kwargs={"partnership_slug": self.partnership.slug, "review_id": self.review.pk},
        )


class RevokeView(ReviewMixin, TemplateView):
    """POST only: take someone's access away (a button on the access page)."""

    http_method_names = ["post"]
    verb = V.MANAGE_ACCESS

    def post(self, request, *args, **kwargs):
        from django.core.exceptions import ValidationError

        grant = selectors.grant_for(review=self.review, grant_id=self.kwargs["grant_id"])
        try:
            lifecycle.access_revoke(acting_user=request.user, grant=grant)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(name)s no longer has access.") % {"name": grant.user.full_name}
            )
        if grant.user_id == request.user.pk:
            return redirect("reviews:list", partnership_slug=self.partnership.slug)
        return redirect(
            "reviews:access", partnership_slug=self.partnership.slug, review_id=self.review.pk
        )


class AccessLogView(ReviewMixin, TemplateView):
    template_name = "reviews/access_log.html"
    verb = V.READ_ACCESS
    read_label = _("Access log")

    def get_context_data(self, **kwargs):
        from django.core.paginator import Paginator

        context = super().get_context_data(**kwargs)
        entries = selectors.access_log(review=self.review)
        context["page"] = Paginator(entries, 100).get_page(self.request.GET.get("page"))
        return context


tenant_patterns = [
    path("reviews/", ReviewListView.as_view(), name="list"),
    path("reviews/notify/", NotifyView.as_view(), name="notify"),
    path("reviews/decision-maker/", ReviewSettingsView.as_view(), name="settings"),
    path("reviews/<int:review_id>/", ReviewDetailView.as_view(), name="detail"),
    path("reviews/<int:review_id>/step/<slug:to>/", AdvanceView.as_view(), name="advance"),
    path("reviews/<int:review_id>/hold/", HoldView.as_view(), name="hold"),
    path("reviews/<int:review_id>/resume/", ResumeView.as_view(), name="resume"),
    path(
        "reviews/<int:review_id>/welsh-government/",
        WelshGovernmentView.as_view(),
        name="welsh_government",
    ),
    path("reviews/<int:review_id>/access/", AccessView.as_view(), name="access"),
    path(
        "reviews/<int:review_id>/access/<int:grant_id>/revoke/",
        RevokeView.as_view(),
        name="revoke",
    ),
    path("reviews/<int:review_id>/access-log/", AccessLogView.as_view(), name="access_log"),
]
