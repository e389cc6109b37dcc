"""Pages for reading and writing a plan: the list of versions, the plan itself, and the forms
for its sections, priorities, actions and measures."""

from django.contrib import messages
from django.http import Http404
from django.template.loader import get_template
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from csp_portal.changes import stamped_body
from csp_portal.frozen import fill_slots, frozen_body, frozen_key, slot
from partnerships.models import Seat
from partnerships.permissions import Perm, role_permissions
from partnerships.tenancy import ConfirmServiceView, PartnershipViewMixin, ServiceFormView

from .. import deadlines, governance, selectors
from ..bilingual import is_bilingual, missing_welsh
from ..evidence import evidence_release_key, plan_evidence
from ..forms import drafting as forms
from ..models import ActionStatus, PlanPriority, PlanSectionKind, PlanStatus
from ..policies import GrantPolicy, PlanPolicy, PlanVerb, required_seats
from ..selectors import consultation, versions
from ..selectors.grants import grants_funding
from ..services import drafting


def plan_url(plan) -> str:
    return reverse(
        "plans:detail", kwargs={"partnership_slug": plan.partnership.slug, "plan_id": plan.pk}
    )


class PlanFormView(ServiceFormView):
    """Plan forms take their choices from the plan, not from the partnership."""

    form_needs_partnership = False


class PlanMixin:
    """Resolves ``plan_id`` within this partnership, as far as this member may see."""

    @cached_property
    def plan(self):
        return selectors.plan_for(membership=self.membership, plan_id=self.kwargs["plan_id"])

    def get_success_url(self):
        return plan_url(self.plan)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("plan", self.plan)
        return super().get_context_data(**kwargs)


class StaleAwareFormView(PlanFormView):
    """On a stale edit, show the other person's version and let the next save build on it."""

    template_name = "plans/form_page.html"
    heading = ""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("heading", self.heading)
        kwargs.setdefault("cancel_url", self.get_success_url())
        return super().get_context_data(**kwargs)

    def refused(self, form, error):
        if getattr(error, "code", None) == "stale":
            self.target.refresh_from_db()
            form.data = form.data.copy()
            form.data["revision"] = self.target.revision
            self.stale = True
        return super().refused(form, error)


class PlanListView(PlanFormView):
    permission_required = Perm.VIEW_PLANS
    template_name = "plans/list.html"
    form_class = forms.PlanStartForm

    @cached_property
    def plans(self):
        return list(selectors.plan_list(membership=self.membership))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["assessments"] = selectors.approved_assessments(partnership=self.partnership)
        return kwargs

    def post(self, request, *args, **kwargs):
        if not PlanPolicy.can(self.membership, PlanVerb.START):
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.update(
            plans=self.plans,
            may=PlanPolicy.may(self.membership),
            # A partnership starts one plan; each later version is a refresh.
            none_started=not self.plans,
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        self.started = drafting.plan_start(
            acting_user=self.request.user,
            partnership=self.partnership,
            assessment=form.cleaned_data["assessment"],
            submission=self.submission,
        )

    def get_success_url(self):
        return plan_url(self.started)


class PlanDetailView(PartnershipViewMixin, TemplateView):
    """A plan version. Its contents are rendered once and cached while the version is frozen
    (issued: approved, published or superseded; csp_portal/frozen.py); what is live in them (each
    priority's evidence, flagged when it changes after approval; the actions' statuses; the
    grants) and the page around them (status, buttons, sign-offs) are worked out from the
    partnership's records, the day, the newest crime release and the viewer's membership, so for
    a frozen version the whole page body is kept under the partnership's change stamp
    (csp_portal/changes.py), one for each member: it shows buttons only some may use."""

    permission_required = Perm.VIEW_PLANS
    template_name = "plans/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = selectors.plan_heading(membership=self.membership, plan_id=self.kwargs["plan_id"])
        context["plan"] = plan
        if not plan.is_issued:
            context["page"] = self._page(plan.pk)
            return context
        membership = self.membership
        context["page"] = stamped_body(
            name="plans.plan_page",
            partnership_ids=[self.partnership.pk],
            parts=[
                plan.pk,
                plan.content_revision,
                membership.pk,
                membership.role,
                membership.organisation_id,
                deadlines.local_today().isoformat(),  # a grant's late returns
                evidence_release_key(plan),
            ],
            render=lambda: self._page(plan.pk),
        )
        return context

    def _page(self, plan_id: int) -> str:
        """The page's body: the version's status, buttons and sign-offs, then its contents."""
        plan = selectors.plan_page(membership=self.membership, plan_id=plan_id)
        signed = {sign_off.seat: sign_off for sign_off in plan.sign_offs.all()}
        asked = {waiting.seat: waiting.people for waiting in consultation.sign_off_panel(plan=plan)}
        may = PlanPolicy.may(self.membership, plan)
        key = None
        if plan.is_issued:
            key = frozen_key(
                plan,
                revision=plan.content_revision,
                stamp=plan.approved_at,
                role=self.membership.role,
            )
        loaded: list[PlanPriority] = []

        def contents() -> dict:
            selectors.plan_contents(plan)
            order = {kind: index for index, kind in enumerate(PlanSectionKind.values)}
            loaded.extend(plan.priorities.all())
            for priority in loaded:
                priority.evidence_slot = slot(f"evidence-{priority.pk}")
                for action in priority.actions.all():
                    action.status_slot = slot(f"action-status-{action.pk}")
            return {
                "partnership": self.partnership,
                "plan": plan,
                "sections": sorted(plan.sections.all(), key=lambda section: order[section.kind]),
                "priorities": loaded,
                "may_edit": may[PlanVerb.EDIT],
                "information_sharing": PlanSectionKind.INFORMATION_SHARING,
                "resources": PlanSectionKind.RESOURCES,
                "grants_slot": slot("grants"),
                "bilingual": is_bilingual(self.partnership),
            }

        body = frozen_body(key=key, template_name="plans/includes/plan_body.html", context=contents)
        return get_template("plans/includes/plan_page.html").render(
            {
                "partnership": self.partnership,
                "plan": plan,
                # What the role may do, as the layout's ``can`` says it (plan_links.html).
                "can": role_permissions(self.membership),
                "body": fill_slots(
                    body,
                    {
                        **self._evidence(plan, loaded or None),
                        **self._action_statuses(plan),
                        "grants": self._grants(plan),
                    },
                ),
                "sign_off_rows": [
                    (
                        Seat(seat).label,
                        signed.get(seat),
                        [name for _pk, name in asked.get(seat, ())],
                    )
                    for seat in required_seats(self.partnership)
                ],
                "sign_off_decisions": governance.sign_off_decisions(plan, self.membership),
                "may": may,
                "statuses": PlanStatus,
                # Listed while it can still be entered (drafting), and to whoever enters it.
                "missing_welsh": missing_welsh(plan) if plan.is_editable else [],
                "may_edit_welsh": may["edit"],
                "bilingual": is_bilingual(self.partnership),
            }
        )

    def _grants(self, plan) -> str:
        """The resources section's grants: they change while the version stands, so live."""
        return get_template("plans/grants/includes/plan_section.html").render(
            {
                "partnership": self.partnership,
                "grant_rows": grants_funding(plan),
                "may_grants": GrantPolicy.may(self.membership),
            }
        )

    @staticmethod
    def _action_statuses(plan) -> dict[str, str]:
        """Each action's status tag: progress updates change it on a plan in force (one query)."""
        template = get_template("plans/includes/action_status.html")
        return {
            f"action-status-{pk}": template.render(
                {"status": status, "label": ActionStatus(status).label}
            )
            for pk, status in selectors.action_statuses(plan).items()
        }

    @staticmethod
    def _evidence(plan, priorities) -> dict[str, str]:
        """Each priority's "Why this is a priority", rendered now (its slot's filling)."""
        if priorities is None:
            priorities = selectors.priorities_for_evidence(plan)
        evidence = plan_evidence(plan, priorities)
        template = get_template("plans/includes/why_priority.html")
        fillings = {}
        for priority_id, items in evidence.items():
            fillings[f"evidence-{priority_id}"] = template.render(
                {
                    "items": items,
                    "changed": any(item.changed for item in items),
                    "heading_level": 4,
                    "links": True,
                }
            )
        return fillings


class SectionEditView(PlanMixin, StaleAwareFormView):
    permission_required = Perm.MANAGE_PLANS
    form_class = forms.PlanSectionForm
    success_message = _("Section saved.")

    def get_target(self):
        if self.kwargs["kind"] not in PlanSectionKind.values:
            raise Http404
        return selectors.section_for(plan=self.plan, kind=self.kwargs["kind"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "section": self.target}

    def get_context_data(self, **kwargs):
        kwargs.update(heading=self.target.get_kind_display(), current_text=self.target.body)
        return super().get_context_data(**kwargs)

    def perform(self, form):
        data = form.cleaned_data
        drafting.plan_section_update(
            acting_user=self.request.user,
            section=self.target,
            revision=data["revision"],
            body=data["body"],
            body_cy=data.get("body_cy", ""),
            protocol_title=data.get("protocol_title", ""),
            protocol_signatories=data.get("protocol_signatories", ""),
            protocol_review_date=data.get("protocol_review_date"),
        )

    def get_success_url(self):
        return plan_url(self.plan) + f"#section-{self.target.kind}"


class PriorityEditView(PlanMixin, StaleAwareFormView):
    permission_required = Perm.MANAGE_PLANS
    form_class = forms.PlanPriorityForm
    success_message = _("Priority saved.")

    def get_target(self):
        if "plan_priority_id" not in self.kwargs:
            return None
        return selectors.priority_for(plan=self.plan, priority_id=self.kwargs["plan_priority_id"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan, "priority": self.target}

    def get_context_data(self, **kwargs):
        kwargs["heading"] = _("Change a priority") if self.target else _("Add a priority")
        if self.target:
            kwargs["current_text"] = self.target.rationale
        return super().get_context_data(**kwargs)

    def perform(self, form):
        data = form.cleaned_data
        drafting.plan_priority_save(
            acting_user=self.request.user,
            plan=self.plan,
            priority=self.target,
            revision=data.get("revision"),
            theme=data["theme"],
            rationale=data["rationale"],
            objectives=data["objectives"],
            objectives_cy=data.get("objectives_cy", ""),
            rationale_cy=data.get("rationale_cy", ""),
            pcc_priorities=list(data.get("pcc_priorities") or []),
            submission=self.submission,
        )


class PriorityRemoveView(PlanMixin, ConfirmServiceView):
    permission_required = Perm.MANAGE_PLANS
    submit_label = _("Remove priority")
    heading = _("Remove the priority %(name)s and its actions?")

    def get_target(self):
        return selectors.priority_for(plan=self.plan, priority_id=self.kwargs["plan_priority_id"])

    def perform(self, form):
        drafting.plan_priority_remove(acting_user=self.request.user, priority=self.target)
        messages.success(self.request, _("Priority removed."))


class ActionEditView(PlanMixin, StaleAwareFormView):
    permission_required = Perm.MANAGE_PLANS
    form_class = forms.PlanActionForm
    success_message = _("Action saved.")

    def get_target(self):
        if "action_id" not in self.kwargs:
            return None
        return selectors.action_for(plan=self.plan, action_id=self.kwargs["action_id"])

    @cached_property
    def priority(self):
        if self.target is not None:
            return self.target.priority
        return selectors.priority_for(plan=self.plan, priority_id=self.kwargs["plan_priority_id"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan, "action": self.target}

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Change an action") if self.target else _("Add an action"),
            caption=self.priority.get_theme_display(),
        )
        if self.target:
            kwargs["current_text"] = self.target.description
        return super().get_context_data(**kwargs)

    def perform(self, form):
        data = form.cleaned_data
        drafting.plan_action_save(
            acting_user=self.request.user,
            priority=self.priority,
            action=self.target,
            revision=data.get("revision"),
            description=data["description"],
            description_cy=data.get("description_cy", ""),
            lead_organisation=data["lead_organisation"],
            supporting_organisations=list(data["supporting_organisations"]),
            start_date=data["start_date"],
            due_date=data["due_date"],
            resources=data["resources"],
            resources_cy=data.get("resources_cy", ""),
            submission=self.submission,
        )

    def get_success_url(self):
        return plan_url(self.plan) + f"#priority-{self.priority.pk}"


class ActionRemoveView(PlanMixin, ConfirmServiceView):
    permission_required = Perm.MANAGE_PLANS
    submit_label = _("Remove action")
    heading = _("Remove the action “%(name)s”?")

    def get_target(self):
        return selectors.action_for(plan=self.plan, action_id=self.kwargs["action_id"])

    def perform(self, form):
        drafting.plan_action_remove(acting_user=self.request.user, action=self.target)
        messages.success(self.request, _("Action removed."))


class MeasureEditView(PlanMixin, StaleAwareFormView):
    permission_required = Perm.MANAGE_PLANS
    form_class = forms.MeasureForm
    success_message = _("Measure saved.")

    def get_target(self):
        if "measure_id" not in self.kwargs:
            return None
        return selectors.measure_for(plan=self.plan, measure_id=self.kwargs["measure_id"])

    @cached_property
    def action(self):
        if self.target is not None:
            return self.target.action
        return selectors.action_for(plan=self.plan, action_id=self.kwargs["action_id"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "plan": self.plan, "measure": self.target}

    def get_context_data(self, **kwargs):
        kwargs.update(
            heading=_("Change a measure") if self.target else _("Add a measure"),
            caption=self.action.description,
        )
        return super().get_context_data(**kwargs)

    def perform(self, form):
        drafting.measure_save(
            acting_user=self.request.user,
            action=self.action,
            measure=self.target,
            **form.cleaned_data,
            submission=self.submission,
        )

    def get_success_url(self):
        return plan_url(self.plan) + f"#priority-{self.action.priority_id}"


class MeasureRemoveView(PlanMixin, ConfirmServiceView):
    permission_required = Perm.MANAGE_PLANS
    submit_label = _("Remove measure")
    heading = _("Remove the measure %(name)s?")

    def get_target(self):
        return selectors.measure_for(plan=self.plan, measure_id=self.kwargs["measure_id"])

    def perform(self, form):
        drafting.measure_remove(acting_user=self.request.user, measure=self.target)
        messages.success(self.request, _("Measure removed."))


class CompareView(PlanMixin, PartnershipViewMixin, TemplateView):
    """What changed between this version and another one the member may see."""

    permission_required = Perm.VIEW_PLANS
    template_name = "plans/compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        others = [p for p in selectors.versions_of(membership=self.membership) if p != self.plan]
        data = self.request.GET or None
        if data is None and len(others) == 1:
            # One other version: nothing to choose, so the comparison is shown straight away.
            data = {"other": str(others[0].pk)}
        form = forms.CompareForm(data, versions=others)
        context.update(form=form, others=others)
        if form.is_valid():
            other_id = form.cleaned_data["other"]
            older_id, newer_id = sorted([other_id, self.plan.pk])
            older = selectors.plan_detail(membership=self.membership, plan_id=older_id)
            newer = selectors.plan_detail(membership=self.membership, plan_id=newer_id)
            changes = versions.compare(older, newer)
            context.update(
                older=older,
                newer=newer,
                changes=changes,
                any_changed=any(block.changed for block in changes),
                compared=True,
            )
        return context


tenant_patterns = [
    path("plans/", PlanListView.as_view(), name="list"),
    path("plans/<int:plan_id>/", PlanDetailView.as_view(), name="detail"),
    path("plans/<int:plan_id>/compare/", CompareView.as_view(), name="compare"),
    path(
        "plans/<int:plan_id>/sections/<slug:kind>/", SectionEditView.as_view(), name="section_edit"
    ),
    path("plans/<int:plan_id>/priorities/add/", PriorityEditView.as_view(), name="priority_add"),
    path(
        "plans/<int:plan_id>/priorities/<int:plan_priority_id>/",
        PriorityEditView.as_view(),
        name="priority_edit",
    ),
    path(
        "plans/<int:plan_id>/priorities/<int:plan_priority_id>/remove/",
        PriorityRemoveView.as_view(),
        name="priority_remove",
    ),
    path(
        "plans/<int:plan_id>/priorities/<int:plan_priority_id>/actions/add/",
        ActionEditView.as_view(),
        name="action_add",
    ),
    path(
        "plans/<int:plan_id>/actions/<int:action_id>/edit/",
        ActionEditView.as_view(),
        name="action_edit",
    ),
    path(
        "plans/<int:plan_id>/actions/<int:action_id>/remove/",
        ActionRemoveView.as_view(),
        name="action_remove",
    ),
    path(
        "plans/<int:plan_id>/actions/<int:action_id>/measures/add/",
        MeasureEditView.as_view(),
        name="measure_add",
    ),
    path(
        "plans/<int:plan_id>/measures/<int:measure_id>/",
        MeasureEditView.as_view(),
        name="measure_edit",
    ),
    path(
        "plans/<int:plan_id>/measures/<int:measure_id>/remove/",
        MeasureRemoveView.as_view(),
        name="measure_remove",
    ),
]
