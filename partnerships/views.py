from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import RedirectView, TemplateView

from accounts.models import User, canonical_email
from accounts.selectors import account_exists
from audit.presentation import changes_in_words
from audit.selectors import audit_actions_for_partnership, audit_events_for_partnership
from csp_portal.downloads import private_image
from csp_portal.site import site_url

from . import forms, selectors, services
from .navigation import switch_url
from .permissions import Perm, label_roles
from .policies import IdentityPolicy, MembershipPolicy
from .tenancy import SESSION_KEY, ConfirmServiceView, PartnershipViewMixin, ServiceFormView


@login_required
def choose_partnership(request):
    """The partnerships a person serves, to choose the one to work in ("Change partnership")."""
    memberships = label_roles(selectors.memberships_of_user(user=request.user))
    current = request.session.get(SESSION_KEY)
    # The switcher keeps you on the same kind of page (the partnership plan, the people ...)
    # where your role there shows it, and takes you to the partnership's home where it does not.
    page = request.GET.get("page", "partnerships:home")
    for membership in memberships:
        membership.switch_url = switch_url(page, membership)
    return render(
        request,
        "partnerships/choose.html",
        {"memberships": memberships, "current_slug": current},
    )


class PartnershipHomeView(PartnershipViewMixin, RedirectView):
    """A partnership's home is its members' Your work in that partnership (the reminders app's
    page, reached by name: it reads the deadline registry, which sits above this app)."""

    http_method_names = ["get", "head", "options"]

    def get_redirect_url(self, *args, **kwargs):
        return f"{reverse('reminders:your_work')}?partnership={self.partnership.slug}"


class PartnershipAboutView(PartnershipViewMixin, TemplateView):
    """About this partnership: its codes, area, seats, invited partners and people."""

    template_name = "partnerships/about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            partnership=selectors.partnership_home(partnership_id=self.partnership.pk),
            seats=selectors.statutory_seats(partnership=self.partnership),
            invited=selectors.invited_partners(partnership=self.partnership),
            people_by_role=selectors.people_by_role(partnership=self.partnership),
            may=MembershipPolicy.may(self.membership),
            may_identity=IdentityPolicy.may(self.membership, self.partnership),
        )
        return context


class PeopleView(PartnershipViewMixin, TemplateView):
    permission_required = Perm.VIEW_PEOPLE
    template_name = "partnerships/people.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["people"] = label_roles(selectors.partnership_people(partnership=self.partnership))
        context["may"] = MembershipPolicy.may(self.membership)
        if context["may"]["withdraw_invitation"]:
            context["invitations"] = selectors.partnership_pending_invitations(
                partnership=self.partnership
            )
        return context


def _invitation_link(token: str) -> str:
    return site_url(reverse("partnerships:invitation_accept", kwargs={"token": token}))


class InviteView(ServiceFormView):
    permission_required = Perm.MANAGE_PEOPLE
    template_name = "partnerships/invite.html"
    form_class = forms.InvitationForm
    success_message = _("Invitation sent to %(email)s.")

    def perform(self, form):
        services.invitation_create(
            acting_user=self.request.user,
            partnership=self.partnership,
            accept_url=_invitation_link,
            **form.cleaned_data,
            submission=self.submission,
        )

    def get_success_url(self):
        return reverse("partnerships:people", kwargs={"partnership_slug": self.partnership.slug})


class MembershipEditView(ServiceFormView):
    permission_required = Perm.MANAGE_PEOPLE
    template_name = "partnerships/membership_edit.html"
    form_class = forms.MembershipForm
    success_message = _("Changes saved.")

    def get_target(self):
        return selectors.membership_in_partnership(
            partnership=self.partnership, membership_id=self.kwargs["membership_id"]
        )

    def get_initial(self):
        return {"role": self.target.role, "organisation": self.target.organisation}

    def get_context_data(self, **kwargs):
        kwargs["target"] = self.target
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.membership_update(
            acting_user=self.request.user, membership=self.target, **form.cleaned_data
        )

    def get_success_url(self):
        # A coordinator who changes their own role may no longer see the people page.
        name = (
            "partnerships:about" if self.target.pk == self.membership.pk else "partnerships:people"
        )
        return reverse(name, kwargs={"partnership_slug": self.partnership.slug})


class MembershipRemoveView(ConfirmServiceView):
    permission_required = Perm.MANAGE_PEOPLE
    submit_label = _("Remove from partnership")
    heading = _("Remove %(name)s from this partnership?")

    def get_target(self):
        return selectors.membership_in_partnership(
            partnership=self.partnership, membership_id=self.kwargs["membership_id"]
        )

    def target_name(self) -> str:
        return str(self.target.user)

    def perform(self, form):
        target = self.target
        services.membership_remove(acting_user=self.request.user, membership=target)
        messages.success(self.request, _("%(name)s has been removed.") % {"name": target.user})

    def get_success_url(self):
        if self.target.pk == self.membership.pk:
            return reverse("partnerships:choose")
        return reverse("partnerships:people", kwargs={"partnership_slug": self.partnership.slug})


class _InvitationConfirmView(ConfirmServiceView):
    """Confirm, then act on one pending invitation of this partnership; back to the people."""

    permission_required = Perm.MANAGE_PEOPLE

    def get_target(self):
        return selectors.invitation_in_partnership(
            partnership=self.partnership, invitation_id=self.kwargs["invitation_id"]
        )

    def target_name(self) -> str:
        return self.target.email

    def get_success_url(self):
        return reverse("partnerships:people", kwargs={"partnership_slug": self.partnership.slug})


class InvitationRevokeView(_InvitationConfirmView):
    submit_label = _("Withdraw invitation")
    heading = _("Withdraw the invitation to %(name)s?")

    def perform(self, form):
        target = self.target
        services.invitation_revoke(acting_user=self.request.user, invitation=target)
        messages.success(
            self.request, _("Invitation to %(email)s withdrawn.") % {"email": target.email}
        )


class InvitationResendView(_InvitationConfirmView):
    submit_label = _("Send invitation again")
    submit_classes = ""
    heading = _("Send the invitation to %(name)s again?")
    explanation = _(
        "They will get an email with a new link, valid for another %(days)d days. "
        "The link in the earlier email will stop working."
    )

    def get_explanation(self) -> str:
        return self.explanation % {"days": settings.INVITATION_VALID_FOR.days}

    def perform(self, form):
        target = self.target
        services.invitation_resend(
            acting_user=self.request.user,
            invitation=target,
            accept_url=_invitation_link,
            submission=self.submission,
        )
        messages.success(
            self.request, _("Invitation sent again to %(email)s.") % {"email": target.email}
        )


class PartnerOrganisationAddView(ServiceFormView):
    permission_required = Perm.MANAGE_SEATS
    template_name = "partnerships/organisation_add.html"
    form_class = forms.PartnerOrganisationForm
    success_message = _("%(organisation)s added.")

    def perform(self, form):
        services.partner_organisation_add(
            acting_user=self.request.user,
            partnership=self.partnership,
            **form.cleaned_data,
            submission=self.submission,
        )

    def get_success_url(self):
        return reverse("partnerships:about", kwargs={"partnership_slug": self.partnership.slug})


class PartnerOrganisationRemoveView(ConfirmServiceView):
    permission_required = Perm.MANAGE_SEATS
    submit_label = _("Remove organisation")
    heading = _("Remove %(name)s from this partnership?")

    def get_target(self):
        return selectors.partner_organisation_in_partnership(
            partnership=self.partnership, partner_organisation_id=self.kwargs["partner_id"]
        )

    def target_name(self) -> str:
        return self.target.organisation.name

    def perform(self, form):
        target = self.target
        services.partner_organisation_remove(acting_user=self.request.user, partner=target)
        messages.success(self.request, _("%(name)s removed.") % {"name": target.organisation})

    def get_success_url(self):
        return reverse("partnerships:about", kwargs={"partnership_slug": self.partnership.slug})


class IdentityView(ServiceFormView):
    """The partnership's public name, logo and accent colour (coordinators)."""

    permission_required = Perm.MANAGE_IDENTITY
    template_name = "partnerships/identity.html"
    form_class = forms.IdentityForm
    success_message = _("The partnership's identity has been saved.")

    def get_initial(self):
        return {
            "public_name": self.partnership.public_name,
            "accent_colour": self.partnership.accent_colour,
            "contact_address": self.partnership.contact_address,
        }

    def get_context_data(self, **kwargs):
        kwargs["identity"] = selectors.partnership_identity(partnership=self.partnership)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        services.partnership_identity_update(
            acting_user=self.request.user,
            partnership=self.partnership,
            public_name=form.cleaned_data["public_name"],
            accent_colour=form.cleaned_data["accent_colour"],
            logo=form.cleaned_data.get("logo") or None,
            remove_logo=form.cleaned_data.get("remove_logo", False),
            contact_address=form.cleaned_data["contact_address"],
        )

    def refused(self, form, error: ValidationError):
        # The identity rules name their field: the message goes by it (and in the summary).
        if hasattr(error, "error_dict"):
            for field, messages_ in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages_)
            return self.form_invalid(form)
        return super().refused(form, error)

    def get_success_url(self):
        return reverse("partnerships:identity", kwargs={"partnership_slug": self.partnership.slug})


class LogoView(PartnershipViewMixin, View):
    """The logo, for members (the identity page's preview): a private download."""

    def get(self, request, *args, **kwargs):
        logo = selectors.partnership_logo(partnership=self.partnership)
        if logo is None:
            raise Http404
        return private_image(logo, content_type=self.partnership.logo_content_type)


class AuditLogView(PartnershipViewMixin, TemplateView):
    permission_required = Perm.VIEW_AUDIT
    template_name = "partnerships/audit_log.html"
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = forms.AuditFilterForm(
            self.request.GET or None,
            actions=audit_actions_for_partnership(
                user=self.request.user, partnership=self.partnership
            ),
        )
        filters = form.cleaned_data if form.is_valid() else {}
        events = audit_events_for_partnership(
            user=self.request.user,
            partnership=self.partnership,
            action=filters.get("action", ""),
            actor_email=filters.get("who", ""),
            date_from=filters.get("date_from"),
            date_to=filters.get("date_to"),
        )
        page = Paginator(events, self.paginate_by).get_page(self.request.GET.get("page"))
        for event in page.object_list:
            event.changes_in_words = changes_in_words(event.changes)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(form=form, page=page, filter_query=query.urlencode())
        return context


class InvitationAcceptView(View):
    """The link in an invitation email. Works once; new people choose their password here."""

    template_name = "partnerships/invitation_accept.html"

    def dispatch(self, request, token):
        self.invitation = services.invitation_by_token(token)
        if self.invitation is None:
            return render(request, "partnerships/invitation_unusable.html", status=404)
        self.existing_account = account_exists(email=self.invitation.email)
        return super().dispatch(request, token)

    def _form(self, data=None):
        if self.request.user.is_authenticated or self.existing_account:
            return forms.AcceptForm(data)
        person = User(email=self.invitation.email, full_name=self.invitation.full_name)
        return forms.NewAccountPasswordForm(person, data)

    def _render(self, form, status=200):
        context = {
            "invitation": self.invitation,
            "form": form,
            "existing_account": self.existing_account,
            "wrong_user": self.request.user.is_authenticated
            and canonical_email(self.request.user.email) != canonical_email(self.invitation.email),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, token):
        return self._render(self._form())

    def post(self, request, token):
        form = self._form(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        if not request.user.is_authenticated and self.existing_account:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        user = request.user if request.user.is_authenticated else None
        try:
            membership = services.invitation_accept(
                token=token, user=user, password=form.cleaned_data.get("new_password1", "")
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(form, status=400)
        if user is None:
            login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("You are now a member of %(partnership)s.")
            % {"partnership": membership.partnership.name},
        )
        return redirect("partnerships:home", partnership_slug=membership.partnership.slug)
