"""Progress on the plan in force: a person's own actions across their partnerships, one action's
quarterly updates, and the coordinator's dashboard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import get_template
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from csp_portal.changes import stamped_body
from csp_portal.views import my_list_page
from partnerships.permissions import Perm
from partnerships.selectors import person_kept_body
from partnerships.tenancy import PartnershipViewMixin, ServiceFormView

from .. import deadlines, governance
from ..charts import actions_by_status_chart
from ..forms.progress import (
    ProgressForm,
    actual_field_name,
    comment_field_name,
    plain_number,
    revisions_shown,
)
from ..models import ActionStatus, Quarter
from ..policies import ActionPolicy, ActionVerb
from ..selectors import progress as selectors
from ..services.progress import action_progress_report


def with_state_cells(lines: list[selectors.ActionLine]) -> list[selectors.ActionLine]:
    """Each line with its "This quarter's update" cell, rendered once for each different state
    (a handful), not once a row (issue 17)."""
    state_template = get_template("plans/progress/includes/reporting_state.html")
    rendered: dict[tuple, str] = {}
    for line in lines:
        if line.state_key not in rendered:
            rendered[line.state_key] = state_template.render(
                {"state": line.state, "action": line.action}
            )
        line.state_html = rendered[line.state_key]
    return lines


@login_required
def my_actions(request):
    """Every action this person's organisations lead, in every partnership they serve: the open
    ones first, the completed ones behind a link, a page of ``MY_LIST_PAGE_SIZE`` at a time.

    The list is worked out from the records of the partnerships they serve (the actions, plans,
    progress and grants), their memberships of them and the day, so it is kept under those
    partnerships' change stamps (csp_portal/changes.py), for this person alone: any audited
    change in one of them has the next request work it out again (issue 17)."""
    order = request.GET.get("order", "partnership")
    if order not in selectors.MY_ACTION_ORDERS:
        order = "partnership"
    show = "finished" if request.GET.get("show") == "finished" else "open"
    number = request.GET.get("page", "")[:12]
    today = deadlines.local_today()

    def render_body() -> str:
        context = _my_actions(request.user, order=order, show=show, number=number, today=today)
        return get_template("plans/progress/includes/my_actions_body.html").render(context)

    body = person_kept_body(
        user=request.user,
        name="plans.my_actions",
        parts=[today.isoformat(), show, order, number],
        render=render_body,
    )
    return render(request, "plans/progress/my_actions.html", {"body": body})


def _my_actions(user, *, order: str, show: str, number: str, today) -> dict:
    actions = selectors.my_actions_queryset(user=user, order=order)
    tally = selectors.my_action_counts(actions, today=today)
    listed = selectors.my_action_rows(actions)
    listed = (
        listed.filter(status=ActionStatus.COMPLETE)
        if show == "finished"
        else listed.exclude(status=ActionStatus.COMPLETE)
    )
    page = my_list_page(listed, count=tally[f"{show}_count"], number=number or None)
    return {
        "rows": with_state_cells(
            selectors.my_action_lines(selectors.with_states(page.object_list, today=today))
        ),
        "page": page,
        "order": order,
        "show": show,
        **tally,
    }


class ActionProgressView(ServiceFormView):
    """An action's progress: its history for everyone who may see it, and the quarter's update
    for those who may report on it."""

    permission_required = Perm.VIEW_PLANS
    template_name = "plans/progress/action.html"
    form_class = ProgressForm
    form_needs_partnership = False

    @cached_property
    def today(self):
        return deadlines.local_today()

    def get_target(self):
        return selectors.action_for_progress(
            membership=self.membership, action_id=self.kwargs["action_id"]
        )

    @cached_property
    def may(self) -> dict[str, bool]:
        return ActionPolicy.may(self.membership, self.target)

    @cached_property
    def can_report(self) -> bool:
        """May report now, and the plan period has begun (no quarter is reported before it
        starts): the form is shown."""
        return self.may[ActionVerb.REPORT_PROGRESS] and bool(self.quarters)

    @cached_property
    def quarters(self) -> list[Quarter]:
        return deadlines.reportable_quarters(plan=self.target.plan, today=self.today)

    def check_object_access(self):
        super().check_object_access()
        self.target  # noqa: B018 -- looked up now, so that a missing action is a 404 at once

    def post(self, request, *args, **kwargs):
        if not self.can_report:
            raise Http404
        return super().post(request, *args, **kwargs)

    def chosen_quarter(self) -> Quarter | None:
        """The quarter the form opens on: one asked for in the address, else the current one."""
        codes = {quarter.code: quarter for quarter in self.quarters}
        asked = codes.get(self.request.GET.get("quarter", ""))
        current = deadlines.reporting_quarter(plan=self.target.plan, today=self.today)
        return asked or current or (self.quarters[0] if self.quarters else None)

    def get_initial(self):
        quarter = self.chosen_quarter()
        if quarter is None:
            return {}
        update = selectors.update_for(self.target, quarter)
        shown = {u.period.code: u.revision for u in self.target.progress_updates.all()}
        initial = {
            "revisions": revisions_shown(shown, self.quarters),
            "quarter": quarter.code,
            "status": update.status if update else self.target.status,
            "narrative": update.narrative if update else "",
        }
        for measure in self.target.measures.all():
            actual = next((a for a in measure.actuals.all() if a.period == quarter), None)
            if actual is None:
                continue
            if measure.is_bound:
                initial[comment_field_name(measure)] = actual.comment
            else:
                initial[actual_field_name(measure)] = plain_number(actual.value)
        return initial

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "action": self.target, "quarters": self.quarters}

    def get_context_data(self, **kwargs):
        action = self.target
        kwargs.update(
            action=action,
            plan=action.plan,
            can_report=self.can_report,
            opens_on=(
                action.plan.starts_on
                if self.may[ActionVerb.REPORT_PROGRESS] and not self.quarters
                else None
            ),
            may=self.may,
            in_force=deadlines.is_in_force(action.plan),
            state=deadlines.reporting_state(action, today=self.today),
            updates=list(action.progress_updates.all()),
            histories=selectors.measure_histories(action),
            theirs=getattr(self, "theirs", None),
            group_decisions=governance.action_decisions(action, self.membership),
            # Grants funding the action: their spend is reported with the quarter's progress.
            grants=list(action.grants.order_by("pk")),
        )
        context = super().get_context_data(**kwargs)
        if not kwargs["can_report"]:
            context.pop("form", None)
        return context

    def perform(self, form):
        quarter = form.cleaned_data["quarter"]
        action_progress_report(
            acting_user=self.request.user,
            action=self.target,
            quarter=quarter,
            narrative=form.cleaned_data["narrative"],
            status=form.cleaned_data["status"],
            actuals=form.actuals(),
            comments=form.comments(),
            revision=form.cleaned_data["revision"],
            today=self.today,
            submission=self.submission,
        )
        messages.success(self.request, _("Progress for %(quarter)s saved.") % {"quarter": quarter})

    def refused(self, form, error):
        if getattr(error, "code", None) == "stale":
            # Show what the other person saved, and let the next save build on it.
            quarter = form.cleaned_data["quarter"]
            action = selectors.action_for_progress(
                membership=self.membership, action_id=self.target.pk
            )
            theirs = selectors.update_for(action, quarter)
            shown = {u.period.code: u.revision for u in action.progress_updates.all()}
            form.data = form.data.copy()
            form.data["revisions"] = revisions_shown(shown, self.quarters)
            self.theirs = {
                "update": theirs,
                "actuals": [
                    (measure, selectors.actuals_for(action, quarter).get(measure.pk))
                    for measure in action.measures.all()
                ],
            }
        return super().refused(form, error)

    def get_success_url(self):
        return reverse(
            "plans:action_progress",
            kwargs={"partnership_slug": self.partnership.slug, "action_id": self.target.pk},
        )


class ProgressDashboardView(PartnershipViewMixin, TemplateView):
    """Progress on one issued plan. Its body is worked out from the partnership's records, the day
    (this quarter, what is overdue) and nothing about the viewer but their role, so it is kept
    under the partnership's change stamp (csp_portal/changes.py): any audited change in the
    partnership (a progress update, an edit, a status) has the next request work it out again."""

    permission_required = Perm.VIEW_PLAN_PROGRESS
    template_name = "plans/progress/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = deadlines.local_today()
        plan = selectors.dashboard_plan(membership=self.membership, plan_id=self.kwargs["plan_id"])
        worked_out: dict = {}

        def render_body() -> str:
            worked_out.update(self._worked_out(plan, today))
            return get_template("plans/progress/includes/dashboard_body.html").render(
                {"partnership": self.partnership, **worked_out}
            )

        context["plan"] = plan
        context["body"] = stamped_body(
            name="plans.progress_dashboard",
            partnership_ids=[self.partnership.pk],
            parts=[plan.pk, self.membership.role, today.isoformat()],
            render=render_body,
        )
        # What the body was worked out from, when it was (not when it came from the cache).
        context.update(worked_out)
        return context

    def _worked_out(self, plan, today) -> dict:
        dashboard = selectors.progress_dashboard(
            membership=self.membership, plan_id=plan.pk, today=today
        )
        # The same chart as the plan's PDF, drawn from the numbers the table beside it shows.
        status_chart = actions_by_status_chart(
            "progress-by-status",
            [
                (row.priority.get_theme_display(), dict(zip(ActionStatus, row.counts, strict=True)))
                for row in dashboard.by_priority
            ],
        )
        lines = selectors.dashboard_lines(dashboard, partnership_slug=self.partnership.slug)
        if dashboard.in_force:
            with_state_cells([row for _theme, _label, rows in lines.actions for row in rows])
        return {"dashboard": dashboard, "lines": lines, "status_chart": status_chart}


tenant_patterns = [
    path(
        "plans/<int:plan_id>/progress/",
        ProgressDashboardView.as_view(),
        name="progress_dashboard",
    ),
    path(
        "actions/<int:action_id>/progress/",
        ActionProgressView.as_view(),
        name="action_progress",
    ),
]

site_patterns = [
    path("my-actions/", my_actions, name="my_actions"),
]
