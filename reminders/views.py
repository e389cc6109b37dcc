"""A person's own notifications and how they want them emailed, and their Your work: per person,
not per partnership, so these live outside /p/<partnership>/ (every lookup is narrowed to the
signed-in person, and another person's notification is simply not found). The cycle view is a
partnership's, under /p/<partnership>/cycle/."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from csp_portal.changes import stamped_body
from partnerships.permissions import Perm, label_roles, membership_can
from partnerships.tenancy import SESSION_KEY, PartnershipViewMixin

from . import selectors, services
from .cycles import cycles, label_for
from .forms import EmailPreferenceForm
from .outbox import status_text

PAGE_SIZE = 25


def _back(request) -> str:
    page = request.POST.get("page", "")
    url = reverse("reminders:list")
    return f"{url}?page={page}" if page.isdigit() and page != "1" else url


@login_required
def notification_list(request):
    page = Paginator(selectors.notification_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    rows = [
        {
            "notification": notification,
            "label": label_for(notification.kind),
            "status": status_text(
                stage=notification.stage, due_on=notification.due_on, today=today
            ),
        }
        for notification in page.object_list
    ]
    return render(
        request,
        "reminders/notifications.html",
        {
            "page": page,
            "rows": rows,
            "frequency": selectors.email_frequency(user=request.user),
        },
    )


@login_required
@require_POST
def notification_read(request, notification_id: int):
    notification = selectors.notification_for(user=request.user, notification_id=notification_id)
    services.notification_mark_read(acting_user=request.user, notification=notification)
    messages.success(request, _("Marked as read: %(title)s") % {"title": notification.title})
    return redirect(_back(request))


@login_required
@require_POST
def notifications_read_all(request):
    count = services.notifications_mark_all_read(acting_user=request.user)
    if count:
        messages.success(request, _("All your notifications are marked as read."))
    return redirect(_back(request))


@login_required
def email_settings(request):
    form = EmailPreferenceForm(
        request.POST or None,
        initial={"frequency": selectors.email_frequency(user=request.user)},
    )
    if request.method == "POST" and form.is_valid():
        services.email_preference_update(
            acting_user=request.user, frequency=form.cleaned_data["frequency"]
        )
        messages.success(request, _("Your email settings have been saved."))
        return redirect("reminders:list")
    status = 400 if form.errors else 200
    return render(request, "reminders/settings.html", {"form": form}, status=status)


@login_required
def your_work(request):
    """The home page: what is the person's to do, in every partnership they serve, or in one
    (``?partnership=<slug>``, where a partnership's own home leads).

    The list is worked out from every cycle of every partnership they serve (some twenty
    queries), so its rendering is kept under those partnerships' change stamps
    (``csp_portal.changes``) with everything else it depends on: the person, their memberships,
    the day, the partnership chosen and the page. Any audited change in one of them, or a new day,
    works it out afresh."""
    today = selectors.work_day()
    memberships = selectors.memberships_of(user=request.user)
    slug = request.GET.get("partnership", "")
    chosen = selectors.chosen_membership(memberships, slug)
    page_number = request.GET.get("page") or "1"
    # The partnership bar and the menu show the partnership chosen, else the one the person last
    # worked in (or their only one), as every other page does.
    current = chosen or next(
        (m for m in memberships if m.partnership.slug == request.session.get(SESSION_KEY)),
        memberships[0] if len(memberships) == 1 else None,
    )
    if current is not None:
        request.membership = current

    def render_work() -> str:
        work = selectors.your_work(
            user=request.user,
            today=today,
            partnership_slug=slug,
            page_number=page_number,
            memberships=memberships,
        )
        links = [
            (membership, membership_can(membership, Perm.VIEW_CYCLE))
            for membership in label_roles(work.memberships)
        ]
        return render_to_string(
            "reminders/includes/your_work_body.html",
            {"work": work, "today": today, "partnership_links": links},
        )

    served = [chosen] if chosen else memberships
    body = stamped_body(
        name="your_work",
        partnership_ids=[m.partnership_id for m in served],
        parts=[
            request.user.pk,
            today.isoformat(),
            ",".join(f"{m.pk}/{m.role}/{m.organisation_id}" for m in memberships),
            slug,
            page_number[:8],
        ],
        render=render_work,
    )
    return render(request, "reminders/your_work.html", {"body": body})


class CycleView(PartnershipViewMixin, TemplateView):
    """The partnership's year on one page: each cycle's open items, what is late, who owes it,
    each item one click away. ``?kind=`` shows one cycle in full (paged), ``?status=overdue``
    only what is late (where the coordinators' weekly digest leads)."""

    permission_required = Perm.VIEW_CYCLE
    template_name = "reminders/cycle.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kind = self.request.GET.get("kind", "")
        context["year"] = selectors.partnership_cycle(
            membership=self.membership,
            today=selectors.work_day(),
            kind=kind if kind in {cycle.kind for cycle in cycles(to_read=None)} else "",
            only_overdue=self.request.GET.get("status") == "overdue",
            page_number=self.request.GET.get("page"),
        )
        return context
