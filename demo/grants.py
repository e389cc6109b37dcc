"""Demonstration community safety grants, through the services.

- Trafford (Greater Manchester, whose commissioner functions the mayor holds): the mayor's office
  funds two actions. The youth diversion grant was accepted and its first quarter's spend
  reported, so the next quarter's return is late on the force-area page and the coordinator's
  Your work; the domestic abuse grant is an offer waiting for acceptance.
- Cwm Taf (South Wales, a police and crime commissioner): a short 2026 to 2029 plan, approved by
  its police strategy member and published, so that the commissioner's grant has actions to fund;
  accepted, with every ended quarter's spend reported.

A second run changes nothing. Fictional amounts and text.
"""

from datetime import date
from decimal import Decimal

from assessments.models import SectionKind
from assessments.services import assessments as assessment_services
from partnerships.models import Membership, Partnership, Role, Seat
from partnerships.selectors import membership_for
from plans.deadlines import grant_reportable_quarters, local_today
from plans.models import CommunitySafetyGrant, PlanSectionKind
from plans.selectors.grants import plan_in_force
from plans.services import approval, drafting
from plans.services import grants as grant_services


def _person(partnership: Partnership, role: str, email: str = "") -> Membership | None:
    found = Membership.objects.select_related("user").filter(partnership=partnership, role=role)
    if email:
        found = found.filter(user__email=email)
    return found.first()


def seed_grants(*, partnerships: dict[str, Partnership]) -> None:
    seed_cwm_taf_grant(partnerships=partnerships)
    trafford = partnerships.get("E22000107")
    if trafford is None or CommunitySafetyGrant.objects.filter(partnership=trafford).exists():
        return
    office = _person(trafford, Role.PCC_OFFICE, "pcc@greatermanchester.example")
    coordinator = _person(trafford, Role.COORDINATOR)
    plan = plan_in_force(trafford.pk)
    if office is None or coordinator is None or plan is None:
        return
    council = plan.actions.filter(lead_organisation__name="Trafford Council").first()
    police = plan.actions.filter(lead_organisation__name="Greater Manchester Police").first()
    youth = grant_services.grant_offer(
        acting_user=office.user,
        partnership=trafford,
        title="Youth diversion in Stretford and Altrincham",
        amount=Decimal("48000"),
        first_year=plan.period_start,
        last_year=plan.period_start,
        conditions=(
            "Spent on detached youth work in the wards the assessment names. A return every "
            "quarter: what was spent and what it achieved. Unspent money is returned at the "
            "end of the year."
        ),
        actions=[council] if council else [],
        measures=list(council.measures.filter(series="")) if council else [],
    )
    youth = grant_services.grant_accept(acting_user=coordinator.user, grant=youth)
    quarters = grant_reportable_quarters(youth, today=local_today())
    if quarters:
        grant_services.grant_spend_report(
            acting_user=coordinator.user,
            grant=youth,
            quarter=quarters[0],
            amount_spent=Decimal("11200"),
            outcome=(
                "Two detached youth workers in Stretford from May; 140 young people met, 22 "
                "referred to sports and music sessions."
            ),
            today=quarters[0].ends_on,
        )
    grant_services.grant_offer(
        acting_user=office.user,
        partnership=trafford,
        title="Independent domestic violence advisers",
        amount=Decimal("30000"),
        first_year=plan.period_start,
        last_year=plan.period_start + 1,
        conditions="One adviser based with the police's safeguarding team for two years.",
        actions=[police] if police else [],
    )


CWM_TAF_YEAR = 2026
CWM_TAF_SECTIONS = {
    PlanSectionKind.SUMMARY: (
        "Cwm Taf Morgannwg's plan for 2026 to 2029: safer town centres at night.",
        "Cynllun Cwm Taf Morgannwg ar gyfer 2026 i 2029: canol trefi mwy diogel gyda'r nos.",
    ),
    PlanSectionKind.WELLBEING_PLAN: (
        "The priority serves the Cwm Taf Morgannwg Public Services Board's well-being plan.",
        "Mae'r flaenoriaeth yn cyfrannu at gynllun llesiant Bwrdd Gwasanaethau Cyhoeddus "
        "Cwm Taf Morgannwg.",
    ),
}


def _cwm_taf_plan(partnership: Partnership, coordinator, strategy):
    """Cwm Taf's 2026 to 2029 plan: one priority from its approved assessment, one action led by
    South Wales Police with one measure, signed off for the police seat and published."""
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=CWM_TAF_YEAR
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )
    for section in assessment.sections.all():
        community = section.kind == SectionKind.COMMUNITY
        assessment_services.assessment_section_update(
            acting_user=coordinator,
            section=section,
            revision=section.revision,
            body=f"Cwm Taf Morgannwg: {section.get_kind_display()}. Violence in the town "
            "centres at night rose; residents asked for safer routes home.",
            public_meeting_date=date(CWM_TAF_YEAR - 1, 11, 20) if community else None,
            public_meeting_attendance=48 if community else None,
            public_meeting_issues="Town centres at night" if community else "",
        )
    assessment_services.priority_save(
        acting_user=coordinator,
        assessment=assessment,
        theme="serious_violence",
        rationale="Violence with injury in the night-time economy rose by an eighth.",
        evidence="Police recorded crime; calls for service.",
    )
    assessment_services.assessment_submit_for_review(acting_user=coordinator, assessment=assessment)
    assessment = assessment_services.assessment_approve(acting_user=strategy, assessment=assessment)
    plan = drafting.plan_start(
        acting_user=coordinator, partnership=partnership, assessment=assessment
    )
    # A Welsh partnership publishes in both languages (plans.bilingual): each published text
    # has its Welsh before sign-off.
    for section in plan.sections.filter(kind__in=CWM_TAF_SECTIONS):
        body, body_cy = CWM_TAF_SECTIONS[section.kind]
        drafting.plan_section_update(
            acting_user=coordinator,
            section=section,
            revision=section.revision,
            body=body,
            body_cy=body_cy,
        )
    for priority in plan.priorities.exclude(objectives=""):
        drafting.plan_priority_save(
            acting_user=coordinator,
            plan=plan,
            priority=priority,
            theme=priority.theme,
            rationale=priority.rationale,
            objectives=priority.objectives,
            objectives_cy="Llai o drais yng nghanol y trefi gyda'r nos erbyn 2029.",
        )
    police = partnership.partner_organisations.get(organisation__name="South Wales Police")
    action = drafting.plan_action_save(
        acting_user=coordinator,
        priority=plan.priorities.first(),
        description="Safe routes home from Pontypridd and Merthyr Tydfil town centres",
        description_cy="Llwybrau diogel adref o ganol trefi Pontypridd a Merthyr Tudful",
        lead_organisation=police.organisation,
        start_date=date(CWM_TAF_YEAR, 4, 1),
        due_date=date(CWM_TAF_YEAR + 1, 3, 31),
        resources="Street marshals on Friday and Saturday nights",
    )
    drafting.measure_save(
        acting_user=coordinator,
        action=action,
        name="Violence with injury in the night-time economy",
        name_cy="Trais ag anaf yn yr economi nos",
        unit="offences",
        baseline=Decimal(420),
        target=Decimal(380),
        higher_is_better=False,
    )
    approval.approval_rule_update(
        acting_user=coordinator, partnership=partnership, seats=[Seat.POLICE]
    )
    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    approval.plan_sign_off(
        acting_user=strategy,
        membership=membership_for(user=strategy, partnership_slug=partnership.slug),
        plan=plan,
    )
    plan.refresh_from_db()
    return approval.plan_publish(acting_user=coordinator, plan=plan)


def seed_cwm_taf_grant(*, partnerships: dict[str, Partnership]) -> None:
    cwm_taf = partnerships.get("W14000023")
    if cwm_taf is None or CommunitySafetyGrant.objects.filter(partnership=cwm_taf).exists():
        return
    office = _person(cwm_taf, Role.PCC_OFFICE, "pcc@southwales.example")
    coordinator = _person(cwm_taf, Role.COORDINATOR)
    strategy = _person(cwm_taf, Role.STRATEGY_MEMBER, "strategy@cwmtaf.example")
    if office is None or coordinator is None or strategy is None:
        return
    plan = plan_in_force(cwm_taf.pk) or _cwm_taf_plan(cwm_taf, coordinator.user, strategy.user)
    action = plan.actions.first()
    grant = grant_services.grant_offer(
        acting_user=office.user,
        partnership=cwm_taf,
        title="Street marshals in the night-time economy",
        amount=Decimal("22500"),
        first_year=plan.period_start,
        last_year=plan.period_start,
        conditions="Marshals trained in vulnerability and first aid; a return each quarter.",
        actions=[action],
        measures=list(action.measures.all()),
    )
    grant = grant_services.grant_accept(acting_user=coordinator.user, grant=grant)
    today = local_today()
    ended = [q for q in grant_reportable_quarters(grant, today=today) if q.ends_on < today]
    for quarter, (spent, outcome) in zip(ended, CWM_TAF_RETURNS, strict=False):
        grant_services.grant_spend_report(
            acting_user=coordinator.user,
            grant=grant,
            quarter=quarter,
            amount_spent=Decimal(spent),
            outcome=outcome,
            today=quarter.ends_on,
        )


CWM_TAF_RETURNS = [
    ("5400", "Four marshals on 24 nights; 61 people helped home or to first aid."),
    ("5650", "Marshals on 26 nights, Merthyr Tydfil added from August."),
    ("5600", "Marshals on 25 nights through the Christmas season."),
    ("5850", "Marshals on 25 nights; the year's evaluation went to the strategy group."),
]
