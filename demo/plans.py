"""Demonstration partnership plan, made through the services like everything else.

Trafford's plan for 2026 to 2029 is built on its approved 2026/27 assessment, signed off by the
police and the council (Trafford's sign-off rule, which is data), and published, so its public
summary is live. Its annual refresh is open for consultation, with comments in every state and
the council's sign-off still to come. Greater Manchester's police and crime plan priorities are
those of the Mayor's published plan, "Standing Together". Fictional actions and figures.
"""

from datetime import date, timedelta
from decimal import Decimal

from assessments.models import AssessmentStatus, StrategicAssessment
from demo.assessments import approved_assessment
from partnerships.models import Membership, Partnership, Role, Seat
from partnerships.selectors import membership_for
from plans.deadlines import last_completed_quarter, local_today, reportable_quarters
from plans.models import (
    ActionStatus,
    DocumentKind,
    PartnershipPlan,
    PlanSectionKind,
    PoliceAndCrimePlanPriority,
)
from plans.series import RATE, crime_series
from plans.services import approval, consultation, drafting
from plans.services.documents import plan_document_request
from plans.services.progress import action_progress_report
from plans.services.reports import progress_report_issue

GREATER_MANCHESTER_PRIORITIES = [
    ("Keeping people safe", "Protecting people from harm, including domestic abuse."),
    ("Reducing harm and offending", "Preventing crime and reducing reoffending."),
    ("Strengthening communities and places", "Working with communities to tackle ASB."),
]

SECTIONS = {
    PlanSectionKind.SUMMARY: (
        "Safer Trafford's plan for **2026 to 2029** sets out what the partners will do about "
        "the three priorities our strategic assessment recommended.\n\n"
        "- Violence against women and girls, domestic abuse and sexual violence\n"
        "- Serious violence\n"
        "- Anti-social behaviour and disorder"
    ),
    PlanSectionKind.REDUCING_REOFFENDING: (
        "Integrated offender management continues, with probation leading on accommodation "
        "for people leaving custody."
    ),
    PlanSectionKind.SERIOUS_VIOLENCE: (
        "Our serious violence strategy under the Serious Violence Duty focuses on young people "
        "aged 15 to 24 and the night-time economy."
    ),
    PlanSectionKind.INFORMATION_SHARING: (
        "Partners share information under the Greater Manchester information sharing protocol, "
        "reviewed every two years."
    ),
    PlanSectionKind.PCC_PRIORITIES: (
        "Each of our priorities serves at least one priority of the Mayor's police and crime "
        "plan, Standing Together; the mapping is shown with each priority."
    ),
    PlanSectionKind.RESOURCES: (
        "Partners fund the plan from their own budgets and the community safety grant."
    ),
}

# (theme, lead organisation, what will be done, measure, baseline, target, higher is better)
ACTIONS = [
    (
        "vawdasv",
        "Greater Manchester Police",
        "Offer every repeat victim of domestic abuse an independent adviser",
        "Repeat victims offered an IDVA",
        "62",
        "90",
        True,
    ),
    (
        "serious_violence",
        "Trafford Council",
        "Fund detached youth work in the town centres on Friday and Saturday nights",
        "Violence with injury offences",
        "1369",
        "1200",
        False,
    ),
    (
        "anti_social_behaviour",
        "Greater Manchester Fire and Rescue Service",
        "Run fire safety and diversion sessions in the wards with most deliberate fires",
        "Deliberate secondary fires",
        "240",
        "200",
        False,
    ),
]


def seed_plans(*, partnerships: dict[str, Partnership]) -> None:
    seed_welsh_plan(partnerships=partnerships)
    trafford = partnerships["E22000107"]
    if PartnershipPlan.objects.filter(partnership=trafford).exists():
        return
    for position, (title, description) in enumerate(GREATER_MANCHESTER_PRIORITIES, start=1):
        PoliceAndCrimePlanPriority.objects.get_or_create(
            police_force_area=trafford.police_force_area,
            title=title,
            defaults={"description": description, "position": position},
        )
    assessment = StrategicAssessment.objects.filter(
        partnership=trafford, year_start=2026, status=AssessmentStatus.APPROVED
    ).first()
    if assessment is None:
        return
    coordinator = (
        Membership.objects.filter(partnership=trafford, role=Role.COORDINATOR)
        .select_related("user")
        .first()
        .user
    )
    plan = drafting.plan_start(acting_user=coordinator, partnership=trafford, assessment=assessment)
    for section in plan.sections.all():
        extra = {}
        if section.kind == PlanSectionKind.INFORMATION_SHARING:
            extra = {
                "protocol_title": "Greater Manchester Information Sharing Protocol",
                "protocol_signatories": "Greater Manchester Police\nTrafford Council\n"
                "Greater Manchester Fire and Rescue Service\nProbation Service\nNHS GM",
                "protocol_review_date": date(2027, 3, 31),
            }
        drafting.plan_section_update(
            acting_user=coordinator,
            section=section,
            revision=section.revision,
            body=SECTIONS[section.kind],
            **extra,
        )
    pcc = list(
        PoliceAndCrimePlanPriority.objects.filter(police_force_area=trafford.police_force_area)
    )
    organisations = {
        seat.organisation.name: seat.organisation
        for seat in trafford.partner_organisations.select_related("organisation")
    }
    priorities = {priority.theme: priority for priority in plan.priorities.all()}
    for index, priority in enumerate(priorities.values()):
        drafting.plan_priority_save(
            acting_user=coordinator,
            plan=plan,
            priority=priority,
            theme=priority.theme,
            rationale=priority.rationale,
            objectives="Fewer victims, and fewer repeat victims, by 2029.",
            pcc_priorities=[pcc[index % len(pcc)], pcc[(index + 1) % len(pcc)]],
        )
    for theme, lead, description, measure, baseline, target, higher in ACTIONS:
        action = drafting.plan_action_save(
            acting_user=coordinator,
            priority=priorities[theme],
            description=description,
            lead_organisation=organisations[lead],
            supporting_organisations=[organisations["Trafford Council"]]
            if lead != "Trafford Council"
            else [],
            start_date=date(2026, 4, 1),
            due_date=date(2029, 3, 31),
            resources="From partners' existing budgets",
        )
        drafting.measure_save(
            acting_user=coordinator,
            action=action,
            name=measure,
            baseline=Decimal(baseline),
            target=Decimal(target),
            higher_is_better=higher,
        )
        if theme == "serious_violence":
            # Filled by each police recorded crime import of a period the plan covers.
            drafting.measure_save(
                acting_user=coordinator,
                action=action,
                name="Violence with injury per 1,000 residents",
                baseline=Decimal("5.8"),
                target=Decimal("5.0"),
                higher_is_better=False,
                series=crime_series("violence_with_injury", RATE),
            )
    approval.approval_rule_update(
        acting_user=coordinator, partnership=trafford, seats=[Seat.POLICE, Seat.LOCAL_AUTHORITY]
    )
    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    for membership in Membership.objects.filter(
        partnership=trafford, role=Role.STRATEGY_MEMBER
    ).select_related("user"):
        approval.plan_sign_off(
            acting_user=membership.user,
            membership=membership_for(user=membership.user, partnership_slug=trafford.slug),
            plan=plan,
        )
    plan.refresh_from_db()
    approval.plan_publish(acting_user=coordinator, plan=plan)
    # Made once by the worker and kept: scrutiny and the PCC office read it but never ask for it.
    plan_document_request(acting_user=coordinator, plan=plan, kind=DocumentKind.PLAN)
    _report_progress(plan)
    _consult_on_refresh(plan, assessment, coordinator)


# Comments on the refresh in consultation, by who wrote them, and how the coordinator answered.
CONSULTATION_COMMENTS = [
    (
        "partner@trafford.example",
        "action",
        "Fire and rescue's safe and well visits reach the same households: please name us as a "
        "supporting organisation on the domestic abuse action.",
        ("accepted", "Added: the fire and rescue service now supports this action."),
    ),
    (
        "director@trafford.example",
        "priority",
        "Could the anti-social behaviour priority say which wards come first?",
        ("answered", "The wards follow the assessment's hotspot map; we will list them in Q1."),
    ),
    (
        "strategy@trafford.example",
        "section",
        "The serious violence section should add a target for knife crime offences.",
        ("declined", "The Serious Violence Duty strategy sets that target; the plan refers to it."),
    ),
    (
        "partner@trafford.example",
        "plan",
        "Please add the night-time economy in Altrincham to the summary.",
        None,
    ),
]


def _consult_on_refresh(published: PartnershipPlan, assessment, coordinator) -> None:
    """The annual refresh of Trafford's plan, open for consultation for three more weeks: four
    comments, one in each state, and the police seat signed off (the council's is asked, and
    chased by the sweep)."""
    refresh = drafting.plan_refresh(acting_user=coordinator, plan=published, assessment=assessment)
    approval.plan_open_consultation(
        acting_user=coordinator, plan=refresh, closes_on=local_today() + timedelta(days=21)
    )
    parts = {
        "plan": None,
        "action": refresh.actions.order_by("pk").first(),
        "priority": refresh.priorities.order_by("position", "pk").last(),
        "section": refresh.sections.get(kind=PlanSectionKind.SERIOUS_VIOLENCE),
    }
    people = {
        membership.user.email: membership.user
        for membership in Membership.objects.filter(partnership=refresh.partnership).select_related(
            "user"
        )
    }
    for email, part, body, response in CONSULTATION_COMMENTS:
        made = consultation.plan_comment_add(
            acting_user=people[email], plan=refresh, body=body, part=parts[part]
        )
        if response:
            outcome, words = response
            consultation.plan_comment_respond(
                acting_user=coordinator, comment=made, outcome=outcome, response=words
            )
    police = people["strategy@trafford.example"]
    approval.plan_sign_off(
        acting_user=police,
        membership=membership_for(user=police, partnership_slug=refresh.partnership.slug),
        plan=refresh,
    )


def _report_progress(plan: PartnershipPlan) -> None:
    """The police have reported on their action for each quarter so far, the council on theirs
    for the first two (on track, then at risk); the fire service's update for the last completed
    quarter is still owed, so its officer sees it due. The coordinator issued a progress report
    after each of the last two completed quarters, as the figures stood ten days after its end,
    so scrutiny sees the trend between them."""
    police = plan.actions.get(lead_organisation__name="Greater Manchester Police")
    council = plan.actions.get(lead_organisation__name="Trafford Council")
    officer = Membership.objects.get(
        partnership=plan.partnership,
        role=Role.STRATEGY_MEMBER,
        organisation__name="Greater Manchester Police",
    ).user
    coordinator = (
        Membership.objects.filter(partnership=plan.partnership, role=Role.COORDINATOR)
        .select_related("user")
        .first()
        .user
    )
    today = local_today()
    quarters = list(reversed(reportable_quarters(plan=plan)))  # oldest first
    completed = [quarter for quarter in quarters if quarter.ends_on < today]
    issued_for = set(completed[-2:])
    council_updates = [
        (ActionStatus.ON_TRACK, 1340, "Detached youth work began in Altrincham and Stretford."),
        (ActionStatus.AT_RISK, 1385, "Saturday sessions paused while a provider is replaced."),
    ]
    offers = (64, 71, 78)
    for index, quarter in enumerate(quarters):
        if index < len(offers):
            action_progress_report(
                acting_user=officer,
                action=police,
                quarter=quarter,
                narrative=f"IDVAs offered to {offers[index]}% of repeat victims this quarter.",
                status=ActionStatus.ON_TRACK,
                actuals={police.measures.get().pk: Decimal(offers[index])},
            )
        if index < len(council_updates):
            status, violence, narrative = council_updates[index]
            action_progress_report(
                acting_user=coordinator,
                action=council,
                quarter=quarter,
                narrative=narrative,
                status=status,
                actuals={council.measures.get(series="").pk: Decimal(violence)},
            )
        if quarter in issued_for:
            progress_report_issue(
                acting_user=coordinator,
                plan=plan,
                quarter=quarter,
                today=min(quarter.ends_on + timedelta(days=10), today),
            )


# Cardiff publishes in Welsh and in English (issue 16): each published text in both, and the
# section on the Public Services Board's well-being plan that Welsh partnerships have. The Welsh
# demonstration text uses the glossary's terms (locale/GLOSSARY.md).
CARDIFF_SECTIONS = {
    PlanSectionKind.SUMMARY: (
        "Cardiff's plan for **2026 to 2029** sets out what the partners will do about the "
        "priorities our strategic assessment recommended.",
        "Mae cynllun y bartneriaeth ar gyfer **2026 i 2029** yn nodi beth fydd y partneriaid yn "
        "ei wneud am y blaenoriaethau a argymhellwyd gan ein hasesiad strategol.",
    ),
    PlanSectionKind.WELLBEING_PLAN: (
        "Each priority serves the Cardiff Public Services Board's well-being plan, whose "
        "objective of safe, confident and empowered communities the partnership leads on.",
        "Mae pob blaenoriaeth yn cyfrannu at gynllun llesiant Bwrdd Gwasanaethau Cyhoeddus "
        "Caerdydd; y bartneriaeth sy'n arwain ar ei amcan o gymunedau diogel, hyderus a grymus.",
    ),
    PlanSectionKind.RESOURCES: (
        "Partners fund the plan from their own budgets and the Police and Crime Commissioner's "
        "community safety grant.",
        "Mae'r partneriaid yn ariannu'r cynllun o'u cyllidebau eu hunain a grant diogelwch "
        "cymunedol y Comisiynydd Heddlu a Throseddu.",
    ),
}
# Why each priority is one, in both languages: the full plan shows it (its Welsh PDF needs it).
CARDIFF_RATIONALE = (
    "Our strategic assessment recommended it: this is where harm in Cardiff is greatest.",
    "Argymhellodd ein hasesiad strategol hi: dyma lle mae'r niwed mwyaf yng Nghaerdydd.",
)
# The coordinator's summary for the scrutiny committee, in its progress report.
CARDIFF_REPORT = (
    "Every action has started. More repeat victims were offered an adviser than last quarter; "
    "the youth work sessions are reaching fewer young people than planned.",
    "Mae pob cam gweithredu wedi dechrau. Cafodd mwy o ddioddefwyr dro ar ôl tro gynnig "
    "cynghorydd nag yn y chwarter diwethaf; mae'r sesiynau gwaith ieuenctid yn cyrraedd llai o "
    "bobl ifanc na'r disgwyl.",
)
CARDIFF_OBJECTIVES = (
    "Fewer victims, and fewer repeat victims, by 2029.",
    "Llai o ddioddefwyr, a llai o ddioddefwyr dro ar ôl tro, erbyn 2029.",
)
# (theme, lead, what will be done in English and in Welsh, measure in English and in Welsh)
CARDIFF_ACTIONS = [
    (
        "vawdasv",
        "South Wales Police",
        "Offer every repeat victim of domestic abuse an independent adviser",
        "Cynnig cynghorydd annibynnol i bob dioddefwr cam-drin domestig dro ar ôl tro",
        "Repeat victims offered an adviser",
        "Dioddefwyr dro ar ôl tro a gafodd gynnig cynghorydd",
    ),
    (
        "serious_violence",
        "Cardiff Council",
        "Fund youth work in the city centre on Friday and Saturday nights",
        "Ariannu gwaith ieuenctid yng nghanol y ddinas nos Wener a nos Sadwrn",
        "Violence with injury offences",
        "Troseddau trais gydag anaf",
    ),
    (
        "anti_social_behaviour",
        "South Wales Fire and Rescue Service",
        "Run fire safety and diversion sessions in the wards with most deliberate fires",
        "Cynnal sesiynau diogelwch tân a dargyfeirio yn y wardiau â'r mwyaf o danau bwriadol",
        "Deliberate secondary fires",
        "Tanau eilaidd bwriadol",
    ),
]


def seed_welsh_plan(*, partnerships: dict[str, Partnership]) -> None:
    """Cardiff's plan, published in Welsh and in English, through the services: the public page
    at /plans/cardiff/ and /plans/cardiff/cy/, each with its PDF."""
    cardiff = partnerships["W14000015"]
    if PartnershipPlan.objects.filter(partnership=cardiff).exists():
        return
    people = {
        membership.role: membership
        for membership in Membership.objects.filter(
            partnership=cardiff, role__in=[Role.COORDINATOR, Role.STRATEGY_MEMBER]
        ).select_related("user")
    }
    if set(people) != {Role.COORDINATOR, Role.STRATEGY_MEMBER}:
        return
    coordinator, strategy = people[Role.COORDINATOR].user, people[Role.STRATEGY_MEMBER]
    assessment = approved_assessment(cardiff, coordinator, strategy.user, year_start=2026)
    plan = drafting.plan_start(acting_user=coordinator, partnership=cardiff, assessment=assessment)
    for section in plan.sections.all():
        if section.kind in CARDIFF_SECTIONS:
            body, body_cy = CARDIFF_SECTIONS[section.kind]
            drafting.plan_section_update(
                acting_user=coordinator,
                section=section,
                revision=section.revision,
                body=body,
                body_cy=body_cy,
            )
    organisations = {
        seat.organisation.name: seat.organisation
        for seat in cardiff.partner_organisations.select_related("organisation")
    }
    priorities = {priority.theme: priority for priority in plan.priorities.all()}
    for priority in priorities.values():
        drafting.plan_priority_save(
            acting_user=coordinator,
            plan=plan,
            priority=priority,
            theme=priority.theme,
            rationale=CARDIFF_RATIONALE[0],
            rationale_cy=CARDIFF_RATIONALE[1],
            objectives=CARDIFF_OBJECTIVES[0],
            objectives_cy=CARDIFF_OBJECTIVES[1],
        )
    for theme, lead, description, description_cy, measure, measure_cy in CARDIFF_ACTIONS:
        if theme not in priorities:
            continue
        action = drafting.plan_action_save(
            acting_user=coordinator,
            priority=priorities[theme],
            description=description,
            description_cy=description_cy,
            lead_organisation=organisations[lead],
            start_date=date(2026, 4, 1),
            due_date=date(2029, 3, 31),
        )
        drafting.measure_save(
            acting_user=coordinator,
            action=action,
            name=measure,
            name_cy=measure_cy,
            baseline=Decimal(100),
            target=Decimal(80),
            higher_is_better=False,
        )
    approval.approval_rule_update(acting_user=coordinator, partnership=cardiff, seats=[Seat.POLICE])
    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    approval.plan_sign_off(
        acting_user=strategy.user,
        membership=membership_for(user=strategy.user, partnership_slug=cardiff.slug),
        plan=plan,
    )
    plan.refresh_from_db()
    plan = approval.plan_publish(acting_user=coordinator, plan=plan)
    _report_in_welsh(plan, coordinator)


def _report_in_welsh(plan: PartnershipPlan, coordinator) -> None:
    """Cardiff's progress report for the last completed quarter, with the coordinator's summary
    for the committee in both languages: scrutiny@cardiff.example reads it in either, as a page
    and as a PDF in each language. The police have reported on their action for it."""
    today = local_today()
    quarter = last_completed_quarter(plan=plan, today=today)
    if quarter is None:
        return
    police = plan.actions.filter(lead_organisation__name="South Wales Police").first()
    if police is not None:
        action_progress_report(
            acting_user=coordinator,
            action=police,
            quarter=quarter,
            narrative="Advisers offered to 84 repeat victims.",
            status=ActionStatus.ON_TRACK,
            actuals={police.measures.get().pk: Decimal(84)},
        )
    progress_report_issue(
        acting_user=coordinator,
        plan=plan,
        quarter=quarter,
        narrative=CARDIFF_REPORT[0],
        narrative_cy=CARDIFF_REPORT[1],
        today=today,
    )
