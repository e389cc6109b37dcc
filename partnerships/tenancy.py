"""The one place a request becomes (partnership, membership), and the views every app builds on.

Every view under ``/p/<partnership_slug>/`` inherits ``PartnershipViewMixin``. A visitor who is not
a member, or whose role lacks the view's permission, gets 404: nothing tells them the partnership
or the record exists. ``ServiceFormView`` (a form whose valid submission calls one service) and
``ConfirmServiceView`` (an "are you sure" page, then the service) are the shape of every page that
changes something.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import FormView

from csp_portal.forms import ConfirmForm
from csp_portal.views import MarkdownPreviewMixin, SubmitOnceMixin

from .models import Membership, Partnership
from .permissions import Perm, membership_can
from .selectors import membership_for

SESSION_KEY = "current_partnership"


class PartnershipViewMixin(LoginRequiredMixin):
    permission_required: Perm = Perm.VIEW_PARTNERSHIP
    partnership: Partnership
    membership: Membership

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.membership = membership_for(
            user=request.user, partnership_slug=kwargs["partnership_slug"]
        )
        if not membership_can(self.membership, self.permission_required):
            raise Http404
        self.partnership = self.membership.partnership
        request.membership = self.membership
        if request.session.get(SESSION_KEY) != self.partnership.slug:
            request.session[SESSION_KEY] = self.partnership.slug  # no write when it is the same
        self.check_object_access()
        return super().dispatch(request, *args, **kwargs)

    def check_object_access(self) -> None:
        """Raise Http404 when the role allows the view but not on this record (object rules)."""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("partnership", self.partnership)
        kwargs.setdefault("membership", self.membership)
        return super().get_context_data(**kwargs)


class ServiceFormView(MarkdownPreviewMixin, SubmitOnceMixin, PartnershipViewMixin, FormView):
    """A form whose valid submission calls one service; a ValidationError goes back on the form.
    A service that makes something is given ``submission=self.submission``: the form is then
    acted on once, however often it is sent (csp_portal.views.SubmitOnceMixin)."""

    success_message = ""

    @cached_property
    def target(self):
        """The record of this partnership the form acts on, if any (404 when not found here)."""
        return self.get_target()

    def get_target(self):
        return None

    # Forms whose choices come from the partnership (never trust an id) are given it.
    form_needs_partnership = True

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.form_needs_partnership:
            kwargs["partnership"] = self.partnership
        return kwargs

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as error:
            return self.refused(form, error)
        if self.success_message:
            messages.success(self.request, self.success_message % form.cleaned_data)
        return redirect(self.get_success_url())

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def refused(self, form, error: ValidationError):
        """The service said no: its reasons go on the form, which is shown again."""
        form.add_error(None, error)
        return self.form_invalid(form)

    def perform(self, form):
        raise NotImplementedError


class ConfirmServiceView(ServiceFormView):
    """A 'are you sure' page for one object of this partnership, then the service."""

    form_class = ConfirmForm
    template_name = "partnerships/confirm.html"
    submit_label = ""
    submit_classes = "govuk-button--warning"
    heading = ""
    # A sentence under the heading: what will happen (shown by partnerships/confirm.html).
    explanation = ""

    def get_form_kwargs(self):
        kwargs = super(ServiceFormView, self).get_form_kwargs()
        kwargs["submit_label"] = self.submit_label
        kwargs["submit_classes"] = self.submit_classes
        return kwargs

    def target_name(self) -> str:
        return str(self.target)

    def get_explanation(self) -> str:
        return self.explanation

    def get_context_data(self, **kwargs):
        kwargs.update(
            target=self.target,
            heading=self.heading % {"name": self.target_name()},
            explanation=self.get_explanation(),
        )
        return super().get_context_data(**kwargs)
