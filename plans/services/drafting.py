"""Writing a partnership plan: starting it from the approved strategic assessment, its sections,
priorities, actions and measures, and the annual refresh. Every function is one transaction,
audited; nothing changes once a version is approved."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from assessments.models import AssessmentStatus, StrategicAssessment
from audit.services import audit_record
from authorities.models import Organisation
from csp_portal.concurrency import stale_edit_error
from csp_portal.dates import check_not_too_far
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked
from partnerships.models import Partnership

from ..bilingual import is_bilingual, section_kinds
from ..models import (
    Measure,
    PartnershipPlan,
    PlanAction,
    PlanPriority,
    PlanSection,
    PlanSectionKind,
    PlanStatus,
    PoliceAndCrimePlanPriority,
)
from ..policies import ActionPolicy, PlanPolicy, PlanVerb
from ..series import SERIES_LABELS


def _editable_plan(plan: PartnershipPlan, acting_user: User) -> PartnershipPlan:
    """The plan locked, once the policy has let ``acting_user`` change it now (never once it
    is approved)."""
    plan = locked(plan, related=["partnership"])
    PlanPolicy.require_user(acting_user, plan.partnership, PlanVerb.EDIT, plan)
    return plan


def content_changed(plan: PartnershipPlan) -> None:
    """Any change to what a document would show makes earlier renders out of date."""
    PartnershipPlan.objects.filter(pk=plan.pk).update(content_revision=F("content_revision") + 1)


def _welsh_change(before: dict, name: str, value: str) -> dict:
    """The Welsh text's change for the audit, when it changed (never in England)."""
    old = before.get(name) or ""
    return {name: [old or None, value or None]} if old != value else {}


def plan_start(
    *,
    acting_user: User,
    partnership: Partnership,
    assessment: StrategicAssessment,
    submission: Submission | None = None,
) -> PartnershipPlan:
    """Start the three-year plan from the approved assessment: its recommended priorities become
    the plan's priorities, with their rationale, their evidence and the links it cites."""
    with transaction.atomic():
        submission_claim(submission)
        PlanPolicy.require_user(acting_user, partnership, PlanVerb.START)
        assessment = locked(assessment)
        if assessment.partnership_id != partnership.pk:
            raise ValidationError({"assessment": _("Choose one of this partnership's assessments")})
        if assessment.status != AssessmentStatus.APPROVED:
            raise ValidationError(
                {"assessment": _("A plan starts from an approved strategic assessment")}
            )
        if PartnershipPlan.objects.filter(partnership=partnership).exists():
            raise ValidationError(
                _(
                    "This partnership already has a plan. Start its annual refresh from the "
                    "published plan instead."
                )
            )
        plan = PartnershipPlan.objects.create(
            partnership=partnership,
            period_start=assessment.year_start,
            assessment=assessment,
            created_by=acting_user,
        )
        PlanSection.objects.bulk_create(
            PlanSection(plan=plan, kind=kind, updated_by=acting_user)
            for kind in section_kinds(partnership)
        )
        PlanPriority.objects.bulk_create(
            PlanPriority(
                plan=plan,
                theme=recommended.theme,
                rationale=recommended.rationale,
                recommended=recommended,
                evidence=recommended.evidence,
                position=index,
                updated_by=acting_user,
            )
            for index, recommended in enumerate(assessment.priorities.all(), start=1)
        )
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="plan.start",
            target=plan,
            changes={"assessment": [None, str(assessment)]},
        )
    return plan


def plan_refresh(
    *,
    acting_user: User,
    plan: PartnershipPlan,
    assessment: StrategicAssessment,
    submission: Submission | None = None,
) -> PartnershipPlan:
    """The annual refresh: the next version, starting from the published plan and the new
    assessment (whose recommended priorities the plan lacks are added)."""
    with transaction.atomic():
        submission_claim(submission)
        current = locked(plan, related=["partnership"])
        PlanPolicy.require_user(acting_user, current.partnership, PlanVerb.REFRESH, current)
        if (
            assessment.partnership_id != current.partnership_id
            or assessment.status != AssessmentStatus.APPROVED
        ):
            raise ValidationError(
                {"assessment": _("Choose an approved assessment of this partnership")}
            )
        if PartnershipPlan.objects.filter(
            partnership_id=current.partnership_id,
            status__in=[PlanStatus.DRAFT, PlanStatus.CONSULTATION, PlanStatus.APPROVED],
        ).exists():
            raise ValidationError(_("A refresh of this plan has already been started."))
        newer = PartnershipPlan.objects.create(
            partnership=current.partnership,
            period_start=current.period_start,
            version=current.version + 1,
            assessment=assessment,
            previous_version=current,
            created_by=acting_user,
        )
        _copy_content(current, newer, acting_user)
        themes = set(newer.priorities.values_list("theme", flat=True))
        added = [
            PlanPriority(
                plan=newer,
                theme=recommended.theme,
                rationale=recommended.rationale,
                recommended=recommended,
                evidence=recommended.evidence,
                position=len(themes) + index,
                updated_by=acting_user,
            )
            for index, recommended in enumerate(
                (p for p in assessment.priorities.all() if p.theme not in themes), start=1
            )
        ]
        PlanPriority.objects.bulk_create(added)
        audit_record(
            acting_user=acting_user,
            partnership=current.partnership,
            action="plan.refresh",
            target=newer,
            changes={
                "version": [current.version, newer.version],
                "assessment": [str(current.assessment), str(assessment)],
                "priorities_added": [[], [p.theme for p in added]],
            },
        )
    return newer


def _copy_content(source: PartnershipPlan, target: PartnershipPlan, acting_user: User) -> None:
    sections = list(source.sections.all())
    PlanSection.objects.bulk_create(
        PlanSection(
            plan=target,
            kind=section.kind,
            body=section.body,
            body_cy=section.body_cy,
            protocol_title=section.protocol_title,
            protocol_signatories=section.protocol_signatories,
            protocol_review_date=section.protocol_review_date,
            updated_by=acting_user,
        )
        for section in sections
    )
    # A section the version it refreshes did not have (the well-being plan's, in Wales).
    copied = {section.kind for section in sections}
    PlanSection.objects.bulk_create(
        PlanSection(plan=target, kind=kind, updated_by=acting_user)
        for kind in section_kinds(target.partnership)
        if kind not in copied
    )
    for priority in source.priorities.prefetch_related(
        "pcc_priorities", "actions__supporting_organisations", "actions__measures"
    ):
        copy = PlanPriority.objects.create(
            plan=target,
            theme=priority.theme,
            rationale=priority.rationale,
            recommended_id=priority.recommended_id,
            evidence=priority.evidence,
            objectives=priority.objectives,
            objectives_cy=priority.objectives_cy,
            rationale_cy=priority.rationale_cy,
            position=priority.position,
            updated_by=acting_user,
        )
        copy.pcc_priorities.set(priority.pcc_priorities.all())
        for action in priority.actions.all():
            new_action = PlanAction.objects.create(
                plan=target,
                partnership=target.partnership,
                priority=copy,
                description=action.description,
                description_cy=action.description_cy,
                lead_organisation=action.lead_organisation,
                start_date=action.start_date,
                due_date=action.due_date,
                resources=action.resources,
                resources_cy=action.resources_cy,
                status=action.status,
                position=action.position,
                updated_by=acting_user,
            )
            new_action.supporting_organisations.set(action.supporting_organisations.all())
            Measure.objects.bulk_create(
                Measure(
                    action=new_action,
                    name=measure.name,
                    name_cy=measure.name_cy,
                    unit=measure.unit,
                    baseline=measure.baseline,
                    target=measure.target,
                    higher_is_better=measure.higher_is_better,
                    position=measure.position,
                    series=measure.series,
                )
                for measure in action.measures.all()
            )
            ActionPolicy.grant(new_action)


def plan_section_update(
    *,
    acting_user: User,
    section: PlanSection,
    revision: int,
    body: str,
    body_cy: str = "",
    protocol_title: str = "",
    protocol_signatories: str = "",
    protocol_review_date: date | None = None,
) -> PlanSection:
    with transaction.atomic():
        plan = _editable_plan(section.plan, acting_user)
        section = locked(section, related=["updated_by"], plan=plan)
        if section.revision != revision:
            raise stale_edit_error(section.updated_by, section.updated_at)
        fields = {"body": body.strip()}
        if is_bilingual(plan.partnership):
            fields["body_cy"] = body_cy.strip()
        if section.kind == PlanSectionKind.INFORMATION_SHARING:
            fields.update(
                protocol_title=protocol_title.strip(),
                protocol_signatories=protocol_signatories.strip(),
                protocol_review_date=protocol_review_date,
            )
        changes = {
            name: [getattr(section, name), value]
            for name, value in fields.items()
            if getattr(section, name) != value
        }
        if not changes:
            return section
        if "protocol_review_date" in changes:
            errors = {}
            check_not_too_far(errors, "protocol_review_date", protocol_review_date, years=5)
            if errors:
                raise ValidationError(errors)
        for name, value in fields.items():
            setattr(section, name, value)
        section.revision += 1
        section.updated_by = acting_user
        section.full_clean()
        section.save()
        content_changed(plan)
        audit_record(
            acting_user=acting_user,
            partnership=plan.partnership,
            action="plan.section_update",
            target=plan,
            changes={f"{section.kind}.{name}": pair for name, pair in changes.items()},
        )
    return section


def plan_priority_save(
    *,
    acting_user: User,
    plan: PartnershipPlan,
    priority: PlanPriority | None = None,
    revision: int | None = None,
    theme: str,
    rationale: str,
    objectives: str = "",
    objectives_cy: str = "",
    rationale_cy: str = "",
    pcc_priorities: list[PoliceAndCrimePlanPriority] = (),
    submission: Submission | None = None,
) -> PlanPriority:
    with transaction.atomic():
        submission_claim(submission)
        plan = _editable_plan(plan, acting_user)
        if any(
            p.police_force_area_id != plan.partnership.police_force_area_id for p in pcc_priorities
        ):
            raise ValidationError(
                {
                    "pcc_priorities": _(
                        "Choose priorities of this force area's police and crime plan"
                    )
                }
            )
        taken = plan.priorities.filter(theme=theme)
        if priority is not None:
            priority = locked(priority, related=["updated_by"], plan=plan)
            if revision is not None and priority.revision != revision:
                raise stale_edit_error(priority.updated_by, priority.updated_at)
            taken = taken.exclude(pk=priority.pk)
            before = {
                "theme": priority.theme,
                "rationale": priority.rationale,
                "objectives_cy": priority.objectives_cy,
                "rationale_cy": priority.rationale_cy,
            }
            priority.revision += 1
        else:
            priority = PlanPriority(plan=plan, position=plan.priorities.count() + 1)
            before = {}
        if taken.exists():
            raise ValidationError(
                {"theme": _("This theme is already one of the plan's priorities")}
            )
        priority.theme, priority.rationale, priority.objectives = theme, rationale, objectives
        if is_bilingual(plan.partnership):
            priority.objectives_cy = objectives_cy.strip()
            priority.rationale_cy = rationale_cy.strip()
        priority.updated_by = acting_user
        priority.full_clean()
        priority.save()
        priority.pcc_priorities.set(pcc_priorities)
        content_changed(plan)
        audit_record(
            acting_user=acting_user,
            partnership=plan.partnership,
            action="plan.priority_save",
            target=plan,
            changes={
                "priority": [before.get("theme"), theme],
                "rationale": [before.get("rationale"), rationale],
                **_welsh_change(before, "objectives_cy", priority.objectives_cy),
                **_welsh_change(before, "rationale_cy", priority.rationale_cy),
                "pcc_priorities": [None, [p.title for p in pcc_priorities]],
            },
        )
    return priority


def plan_priority_remove(*, acting_user: User, priority: PlanPriority) -> None:
    with transaction.atomic():
        plan = _editable_plan(priority.plan, acting_user)
        theme = priority.theme
        priority.delete()
        content_changed(plan)
        audit_record(
            acting_user=acting_user,
            partnership=plan.partnership,
            action="plan.priority_remove",
            target=plan,
            changes={"priority": [theme, None]},
        )


def _seated(plan: PartnershipPlan) -> set[int]:
    return set(plan.partnership.partner_organisations.values_list("organisation_id", flat=True))


def plan_action_save(
    *,
    acting_user: User,
    priority: PlanPriority,
    action: PlanAction | None = None,
    revision: int | None = None,
    description: str,
    description_cy: str = "",
    lead_organisation: Organisation,
    supporting_organisations: list[Organisation] = (),
    start_date: date,
    due_date: date,
    resources: str = "",
    resources_cy: str = "",
    submission: Submission | None = None,
) -> PlanAction:
    """Add or change an action. Its lead organisation's people may then report its progress."""
    with transaction.atomic():
        submission_claim(submission)
        plan = _editable_plan(priority.plan, acting_user)
        errors = {}
        seated = _seated(plan)
        if lead_organisation.pk not in seated:
            errors["lead_organisation"] = _("Choose an organisation that sits on this partnership")
        if any(organisation.pk not in seated for organisation in supporting_organisations):
            errors["supporting_organisations"] = _(
                "Choose supporting organisations that sit on this partnership"
            )
        for name, value in (("start_date", start_date), ("due_date", due_date)):
            if not plan.starts_on <= value <= plan.ends_on:
                errors[name] = _("Enter a date within the plan period, %(start)s to %(end)s") % {
                    "start": date_format(plan.starts_on, "j F Y"),
                    "end": date_format(plan.ends_on, "j F Y"),
                }
        if "due_date" not in errors and "start_date" not in errors and due_date < start_date:
            errors["due_date"] = _("The due date must be the same as or after the start date")
        if errors:
            raise ValidationError(errors)
        previous_lead = None
        if action is not None:
            action = locked(action, related=["updated_by", "lead_organisation"], plan=plan)
            if revision is not None and action.revision != revision:
                raise stale_edit_error(action.updated_by, action.updated_at)
            previous_lead = action.lead_organisation
            before = {
                "description": action.description,
                "description_cy": action.description_cy,
                "resources_cy": action.resources_cy,
                "lead": previous_lead.name,
            }
            action.revision += 1
        else:
            action = PlanAction(
                plan=plan,
                partnership=plan.partnership,
                position=priority.actions.count() + 1,
            )
            before = {}
        action.priority = priority
        action.description = description.strip()
        if is_bilingual(plan.partnership):
            action.description_cy = description_cy.strip()
            action.resources_cy = resources_cy.strip()
        action.lead_organisation = lead_organisation
        action.start_date, action.due_date = start_date, due_date
        action.resources = resources.strip()
        action.updated_by = acting_user
        action.full_clean()
        action.save()
        action.supporting_organisations.set(supporting_organisations)
        if previous_lead is not None and previous_lead != lead_organisation:
            ActionPolicy.revoke(action, previous_lead)
        ActionPolicy.grant(action)
        content_changed(plan)
        audit_record(
            acting_user=acting_user,
            partnership=plan.partnership,
            action="plan.action_save",
            target=action,
            changes={
                "description": [before.get("description"), action.description],
                **_welsh_change(before, "description_cy", action.description_cy),
                **_welsh_change(before, "resources_cy", action.resources_cy),
                "lead": [before.get("lead"), lead_organisation.name],
                "dates": [None, [str(start_date), str(due_date)]],
            },
        )
    return action


def plan_action_remove(*, acting_user: User, action: PlanAction) -> None:
    with transaction.atomic():
        plan = _editable_plan(action.plan, acting_user)
        description = action.description
        action.delete()
        content_changed(plan)
        audit_record(
            acting_user=acting_user,
            partnership=plan.partnership,
            action="plan.action_remove",
            target=plan,
            changes={"action": [description, None]},
        )


def _plain_decimal(value: Decimal) -> str:
    """1369.00 and 1369 as the same text, "1369", so that an unchanged figure is not logged."""
    return format(Decimal(value).normalize(), "f")


def measure_save(
    *,
    acting_user: User,
    action: PlanAction,
    measure: Measure | None = None,
    name: str,
    name_cy: str = "",
    unit: str = "",
    baseline: Decimal,
    target: Decimal,
    higher_is_better: bool = True,
    series: str = "",
    submission: Submission | None = None,
) -> Measure:
    """Add or change a measure. ``series`` binds it to an imported series (``plans.series``):
    its actuals are then filled by each import, never typed."""
    if series and series not in SERIES_LABELS:
        raise ValidationError({"series": _("Choose one of the listed series, or none")})
    with transaction.atomic():
        submission_claim(submission)
        plan = _editable_plan(action.plan, acting_user)
        if measure is None:
            measure = Measure(action=action, position=action.measures.count() + 1)
            before = (None, None, None)
            name_cy_before = ""
        else:
            before = (
                measure.name,
                _plain_decimal(measure.baseline),
                _plain_decimal(measure.target),
            )
            name_cy_before = measure.name_cy
        series_before = measure.series
        measure.series = series
        measure.name, measure.unit = name.strip(), unit.strip()
        if is_bilingual(plan.partnership):
            measure.name_cy = name_cy.strip()
        measure.baseline, measure.target = baseline, target
        measure.higher_is_better = higher_is_better
        measure.full_clean()
        measure.save()
        content_changed(plan)
        audit_record(
            acting_user=acting_user,
            partnership=plan.partnership,
            action="plan.measure_save",
            target=action,
            changes={
                # Each figure on its own, so that the log prints it as a figure (1,369).
                "measure": [before[0], measure.name],
                **_welsh_change({"name_cy": name_cy_before}, "name_cy", measure.name_cy),
                "baseline": [before[1], _plain_decimal(baseline)],
                "target": [before[2], _plain_decimal(target)],
                **(
                    {"series": [series_before or None, series or None]}
                    if series_before != series
                    else {}
                ),
            },
        )
    return measure


def measure_remove(*, acting_user: User, measure: Measure) -> None:
    with transaction.atomic():
        plan = _editable_plan(measure.action.plan, acting_user)
        name = measure.name
        measure.delete()
        content_changed(plan)
        audit_record(
            acting_user=acting_user,
            partnership=plan.partnership,
            action="plan.measure_remove",
            target=plan,
            changes={"measure": [name, None]},
        )
