"""Demonstration strategic assessments, made through the services like everything else.

Trafford has an approved 2026/27 assessment (the evidence its plan will build on) and a 2027/28
assessment open for contributions, with one request answered, one in progress, one not started
and one late. Cardiff and Cwm Taf both ask South Wales Police for data, so the analyst who serves
both sees their requests in one list. Fictional text; real police recorded crime.
"""

from datetime import date, timedelta

from django.utils import timezone

from accounts.models import User
from assessments.models import (
    ContributionRequest,
    EvidenceKind,
    SectionKind,
    StrategicAssessment,
)
from assessments.services import assessments as assessment_services
from assessments.services import contributions as contribution_services
from assessments.services.evidence import priority_evidence_cite
from partnerships.models import Membership, Partnership, Role
from recorded_crime.models import CrimeRelease

SECTION_TEXT = {
    SectionKind.CRIME_LEVELS: (
        "Recorded crime in Trafford is below the Greater Manchester average per head of "
        "population, but violence against the person and shoplifting both rose.\n\n"
        "Anti-social behaviour reports cluster around Stretford and Altrincham town centres "
        "in the evenings. Drug-related referrals to treatment rose for the second year."
    ),
    SectionKind.CHANGES: (
        "Since the last assessment, domestic abuse incidents reported to the police rose, "
        "while residential burglary fell. The Serious Violence Duty now applies."
    ),
    SectionKind.COMMUNITY: (
        "The residents' survey had 1,204 responses. Feeling safe after dark in town centres "
        "was the most common concern, followed by speeding and drug dealing."
    ),
    SectionKind.PLAN_DELIVERY: (
        "Of the 24 actions in the current plan, 17 were completed, 5 are on track and 2 were "
        "delayed by the recommissioning of domestic abuse services."
    ),
    SectionKind.REDUCING_REOFFENDING: (
        "The integrated offender management cohort's proven reoffending rate fell. Housing on "
        "release remains the largest gap."
    ),
    SectionKind.SERIOUS_VIOLENCE: (
        "The strategic needs assessment found serious violence concentrated among young men "
        "aged 15 to 24, linked to the night-time economy and to drug supply."
    ),
}

PRIORITIES = [
    (
        "vawdasv",
        "Domestic abuse incidents rose and repeat victimisation is high.",
        "Police recorded crime; IDVA referrals; MARAC repeat rate.",
    ),
    (
        "serious_violence",
        "The Serious Violence Duty requires a local strategy; violence with injury rose.",
        "Police recorded crime; hospital emergency department data.",
    ),
    (
        "anti_social_behaviour",
        "Residents' most common concern in the survey and at the public meeting.",
        "Residents' survey 2026; council ASB case data.",
    ),
]


# Trafford's 21 wards, with fictional counts of anti-social behaviour cases.
TRAFFORD_WARDS = [
    "Altrincham",
    "Ashton upon Mersey",
    "Bowdon",
    "Broadheath",
    "Brooklands",
    "Bucklow-St Martins",
    "Davyhulme",
    "Flixton",
    "Gorse Hill and Cornbrook",
    "Hale",
    "Hale Barns and Timperley South",
    "Longford",
    "Lostock and Barton",
    "Manor",
    "Old Trafford",
    "Sale Central",
    "Sale Moor",
    "Stretford and Humphrey Park",
    "Timperley Central",
    "Timperley North",
    "Urmston",
]
ASB_CASES_BY_WARD = [
    212,
    88,
    31,
    97,
    64,
    143,
    120,
    71,
    186,
    45,
    52,
    168,
    109,
    77,
    231,
    134,
    92,
    175,
    58,
    49,
    101,
]


def seed_assessments(*, partnerships: dict[str, Partnership]) -> None:
    trafford = partnerships["E22000107"]
    if StrategicAssessment.objects.filter(partnership=trafford).exists():
        return
    coordinator = _person(trafford, Role.COORDINATOR)
    strategy = Membership.objects.select_related("user", "organisation").get(
        partnership=trafford,
        role=Role.STRATEGY_MEMBER,
        organisation__name="Greater Manchester Police",
    )

    current = _written(trafford, coordinator, year_start=2026)
    _cite_evidence(current, coordinator)
    assessment_services.assessment_submit_for_review(acting_user=coordinator, assessment=current)
    assessment_services.assessment_approve(
        acting_user=strategy.user,
        assessment=current,
        note="Agreed at the Safer Trafford strategy group meeting.",
    )

    coming = _written(trafford, coordinator, year_start=2027)
    by_name = {
        seat.organisation.name: seat.organisation
        for seat in trafford.partner_organisations.select_related("organisation")
    }
    fire = by_name["Greater Manchester Fire and Rescue Service"]
    council = by_name["Trafford Council"]
    police = by_name["Greater Manchester Police"]
    probation = next(org for name, org in by_name.items() if "Probation" in name)
    requests = {
        organisation: _request(
            coming,
            coordinator,
            organisation,
            title=title,
            questions=questions,
            due_in_days=21,
        )
        for organisation, title, questions in [
            (fire, "Deliberate fires and home safety visits", "How many deliberate fires?"),
            (council, "Anti-social behaviour cases", "How many ASB cases did you open?"),
            (police, "Violence and domestic abuse", "What changed in violence?"),
            (probation, "Reoffending and accommodation", "How many left custody homeless?"),
        ]
    }
    officer = strategy.user  # the police answer through their strategy group member
    contribution_services.contribution_save(
        acting_user=officer,
        contribution=requests[police],
        revision=1,
        answer="Violence with injury rose, concentrated in the night-time economy.",
        figures=[("Violence with injury offences", 1369, "offences")],
    )
    contribution_services.contribution_submit(acting_user=officer, contribution=requests[police])
    # Returned for one more figure: on the police strategy member's Your work again.
    contribution_services.contribution_return(
        acting_user=coordinator,
        contribution=requests[police],
        comment="Please add the domestic abuse incidents for the year, as last year.",
    )
    council_officer = coordinator  # the coordinator also answers for the council
    contribution_services.contribution_save(
        acting_user=council_officer,
        contribution=requests[council],
        revision=1,
        answer="Draft: ASB cases opened in 2025/26, by ward (pasted from the case system).",
        figures=[
            (f"ASB cases: {ward}", cases, "cases")
            for ward, cases in zip(TRAFFORD_WARDS, ASB_CASES_BY_WARD, strict=True)
        ],
    )
    # A late request, so the dashboards have something overdue to show. The service refuses a
    # due date in the past, so the demo moves it after sending.
    ContributionRequest.objects.filter(pk=requests[probation].pk).update(
        due_date=timezone.localdate() - timedelta(days=5)
    )

    for code in ("W14000015", "W14000023"):
        partnership = partnerships[code]
        welsh_coordinator = _person(partnership, Role.COORDINATOR)
        if welsh_coordinator is None:
            continue
        assessment = assessment_services.assessment_start(
            acting_user=welsh_coordinator, partnership=partnership, year_start=2027
        )
        assessment_services.assessment_open_contributions(
            acting_user=welsh_coordinator, assessment=assessment
        )
        south_wales_police = partnership.partner_organisations.get(
            organisation__name="South Wales Police"
        ).organisation
        request = _request(
            assessment,
            welsh_coordinator,
            south_wales_police,
            title="Violence and the night-time economy",
            questions="What do calls for service show?",
            due_in_days=28,
        )
        analyst = User.objects.filter(email="analyst@southwales.example").first()
        if code == "W14000015":
            if analyst is not None:
                # The force's analyst drafts Cardiff's answer first; in Cwm Taf's request they
                # are offered "Copy my answer from Cardiff's request".
                contribution_services.contribution_save(
                    acting_user=analyst,
                    contribution=request,
                    revision=request.revision,
                    answer=(
                        "Calls for service about violence peak between 22:00 and 04:00 on "
                        "Fridays and Saturdays, across the force area."
                    ),
                    figures=[
                        ("Calls for service, 22:00 to 04:00, Friday and Saturday", 3120, "calls"),
                        ("Violence with injury in the night-time economy", 847, "offences"),
                    ],
                )
            # Cardiff's is late: the analyst sees it overdue, the coordinator sees who owes it.
            ContributionRequest.objects.filter(pk=request.pk).update(
                due_date=timezone.localdate() - timedelta(days=3)
            )
        else:
            # Cwm Taf's coordinator answers for the council, due within a fortnight.
            council = partnership.partner_organisations.get(
                organisation__name="Rhondda Cynon Taf County Borough Council"
            ).organisation
            _request(
                assessment,
                welsh_coordinator,
                council,
                title="Anti-social behaviour and community cohesion",
                questions="How many ASB cases did you open, by ward?",
                due_in_days=10,
            )


def approved_assessment(
    partnership: Partnership, coordinator: User, approver: User, *, year_start: int
) -> StrategicAssessment:
    """A written assessment, reviewed and approved by ``approver`` (a strategy group member)."""
    assessment = _written(partnership, coordinator, year_start=year_start)
    assessment_services.assessment_submit_for_review(acting_user=coordinator, assessment=assessment)
    return assessment_services.assessment_approve(
        acting_user=approver,
        assessment=assessment,
        note="Agreed at the strategy group meeting.",
    )


def _person(partnership: Partnership, role: str) -> User | None:
    membership = (
        Membership.objects.filter(partnership=partnership, role=role).select_related("user").first()
    )
    return membership.user if membership else None


CITED_OFFENCES = {
    "vawdasv": "stalking_and_harassment",
    "serious_violence": "violence_with_injury",
    "anti_social_behaviour": "public_order_offences",
}


def _cite_evidence(assessment, coordinator: User) -> None:
    """Each priority cites its offence group's figures in the imported release (when there is
    one) and the consultation findings."""
    for priority in assessment.priorities.all():
        if CrimeRelease.objects.exists() and priority.theme in CITED_OFFENCES:
            priority_evidence_cite(
                acting_user=coordinator,
                priority=priority,
                kind=EvidenceKind.CRIME,
                offence_key=CITED_OFFENCES[priority.theme],
            )
        priority_evidence_cite(
            acting_user=coordinator, priority=priority, kind=EvidenceKind.CONSULTATION
        )


def _written(partnership: Partnership, coordinator: User, *, year_start: int):
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=year_start
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
            body=SECTION_TEXT[section.kind],
            public_meeting_date=date(year_start - 1, 11, 12) if community else None,
            public_meeting_attendance=64 if community else None,
            public_meeting_issues="Speeding; drug dealing near schools" if community else "",
        )
    for theme, rationale, evidence in PRIORITIES:
        assessment_services.priority_save(
            acting_user=coordinator,
            assessment=assessment,
            theme=theme,
            rationale=rationale,
            evidence=evidence,
        )
    return assessment


def _request(assessment, coordinator, organisation, *, title, questions, due_in_days):
    (request,) = contribution_services.contribution_requests_send(
        acting_user=coordinator,
        assessment=assessment,
        organisations=[organisation],
        title=title,
        questions=questions,
        data_requested="Figures for the year to 31 March, by ward where you have them.",
        due_date=timezone.localdate() + timedelta(days=due_in_days),
    )
    return request
