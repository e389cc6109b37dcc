"""Demonstration data for community engagement, information sharing and the strategy group in
Trafford and Cardiff: a public meeting held with four of the five responsible authorities present
(probation is the gap) and its summary published, a consultation held whose summary is not yet
published, a public meeting planned with its notice; the register of information sharing
agreements, one of them due for review within the month, and the last quarter's returns of
depersonalised information (one submitted, the rest due); and the strategy group's meetings, one
held with its decisions (one linked to a plan action, one to the plan's sign-off, where the
partnership has them) and its minutes published, to the members and, depersonalised, to the
public page, the next scheduled. Through the services; a second run changes nothing. The
events are invented: plausible demonstration text about no real person beyond the places'
names."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from engagement.models import EngagementEvent
from engagement.services import Attendee, event_plan, event_publish, event_record_held
from infosharing.models import QuarterlyReturn
from infosharing.services import agreement_record, return_submit, returns_open
from partnerships.models import Partnership
from plans.models import PartnershipPlan, PlanAction
from strategygroup.models import SIGNABLE_PLAN_STATUSES
from strategygroup.services import (
    decision_add,
    meeting_publish,
    meeting_publish_public,
    meeting_record,
    meeting_schedule,
)

TRAFFORD, CARDIFF = "E22000107", "W14000015"

TEXT = {
    TRAFFORD: {
        "meeting": (
            "Community safety public meeting, Stretford",
            "Stretford Public Hall",
            "Come and tell the partnership what worries you about crime and anti-social "
            "behaviour in your neighbourhood. Senior officers from the police, the council and "
            "the fire service will answer questions.",
            "- Off-road bikes on the canal towpath in the evenings\n"
            "- Drug dealing near the Mall's car park\n"
            "- Better lighting on the route to the tram stop",
            [
                ("police", "Supt. Dana Hughes", "District Commander, Trafford"),
                ("local_authority", "Alex Rowe", "Corporate Director, Place"),
                ("fire_and_rescue", "Jo Price", "Borough Manager"),
                ("health", "Sam Ellis", "Deputy Director of Public Health"),
            ],
        ),
        "consultation": (
            "Community safety survey 2026",
            "Online",
            "Tell us in ten minutes what the partnership should prioritise next year.",
            "612 replies. Anti-social behaviour and speeding were the top concerns; "
            "two in five felt unsafe in Altrincham town centre after dark.",
        ),
        "planned": (
            "Community safety public meeting, Altrincham",
            "Altrincham Town Hall",
            "An evening meeting on safety in Altrincham town centre at night.",
        ),
    },
    CARDIFF: {
        "meeting": (
            "Community safety public meeting, Grangetown",
            "Grangetown Hub",
            "A public meeting on anti-social behaviour and safety in Grangetown's parks.",
            "- Fires lit in the park in the evenings\n"
            "- Young people with nowhere to go after school\n"
            "- Reports to the council not followed up",
            [
                ("police", "Ch. Supt. Rhian Evans", "Basic Command Unit Commander"),
                ("local_authority", "Owen Davies", "Director of Communities"),
                ("fire_and_rescue", "Mari Lloyd", "Group Manager"),
                ("health", "Dr. Huw Jenkins", "Director of Public Health"),
            ],
        ),
        "consultation": (
            "Women's safety in the city centre",
            "Online and at the Central Library",
            "Tell us where in the city centre you feel unsafe, and why.",
            "480 replies; poorly lit lanes off St Mary Street and the walk to the station late "
            "at night came up most.",
        ),
        "planned": (
            "Community safety public meeting, Splott",
            "STAR Hub, Splott",
            "Meet the partnership and tell it what matters to you in Splott and Tremorfa.",
        ),
    },
}


def _seed(partnership: Partnership, coordinator: User, text) -> None:
    today = timezone.localdate()
    title, venue, notice, raised, seats = text["meeting"]
    meeting = event_plan(
        acting_user=coordinator,
        partnership=partnership,
        kind="public_meeting",
        title=title,
        planned_on=today - timedelta(days=40),
        venue=venue,
        notice=notice,
    )
    event_record_held(
        acting_user=coordinator,
        event=meeting,
        held_on=today - timedelta(days=40),
        people_attended=57,
        raised=raised,
        attendees=[Attendee(seat, name, position) for seat, name, position in seats],
    )
    event_publish(acting_user=coordinator, event=meeting)
    title, venue, notice, raised = text["consultation"]
    consultation = event_plan(
        acting_user=coordinator,
        partnership=partnership,
        kind="consultation",
        title=title,
        planned_on=today - timedelta(days=20),
        venue=venue,
        notice=notice,
    )
    event_record_held(
        acting_user=coordinator,
        event=consultation,
        held_on=today - timedelta(days=10),
        people_attended=None,
        raised=raised,
        attendees=[],
    )
    title, venue, notice = text["planned"]
    event_plan(
        acting_user=coordinator,
        partnership=partnership,
        kind="public_meeting",
        title=title,
        planned_on=today + timedelta(days=30),
        venue=venue,
        notice=notice,
    )


AGREEMENTS = [
    (
        "Depersonalised crime and disorder data (section 17A)",
        {"police", "local_authority", "fire_and_rescue", "probation", "health"},
        "Each responsible authority's quarterly depersonalised figures on crime, disorder, "
        "anti-social behaviour and substance misuse, for the strategic assessment.",
        "Crime and Disorder Act 1998 section 17A and the Crime and Disorder (Prescribed "
        "Information) Regulations 2007; UK GDPR article 6(1)(e).",
        400,
        20,
    ),
    (
        "Anti-social behaviour case information",
        {"police", "local_authority", "invited"},
        "Personal information about victims and perpetrators of anti-social behaviour, shared "
        "for case management and ASB case reviews.",
        "Crime and Disorder Act 1998 section 115; UK GDPR article 6(1)(e) and the Data "
        "Protection Act 2018 schedule 1 part 2 paragraph 6.",
        200,
        160,
    ),
]


def _agreements(partnership: Partnership, coordinator: User) -> None:
    today = timezone.localdate()
    partners = list(partnership.partner_organisations.select_related("organisation"))
    for title, seats, purpose, legal_basis, agreed_ago, review_in in AGREEMENTS:
        agreement_record(
            acting_user=coordinator,
            partnership=partnership,
            title=title,
            parties=[partner for partner in partners if partner.seat in seats],
            purpose=purpose,
            legal_basis=legal_basis,
            signed_on=today - timedelta(days=agreed_ago),
            review_due=today + timedelta(days=review_in),
        )


def _strategy_group(partnership: Partnership, coordinator: User) -> None:
    today = timezone.localdate()
    held = meeting_schedule(
        acting_user=coordinator,
        partnership=partnership,
        title="Strategy group, autumn",
        meets_on=today - timedelta(days=21),
        agenda="1. Performance against the plan\n2. The strategic assessment timetable\n"
        "3. What the public meeting raised",
    )
    meeting_record(
        acting_user=coordinator,
        meeting=held,
        minutes="The group reviewed the quarter's performance and agreed the assessment "
        "timetable. The public meeting's concerns about off-road bikes go to the "
        "anti-social behaviour priority.",
        attendees=[
            Attendee("police", "Supt. Dana Hughes", "District Commander"),
            Attendee("local_authority", "Alex Rowe", "Corporate Director"),
            Attendee("probation", "Chris Doyle", "Head of Service"),
            Attendee("health", "Sam Ellis", "Deputy Director of Public Health"),
        ],
    )
    action = PlanAction.objects.filter(partnership=partnership).order_by("pk").first()
    if action:
        decision_add(
            acting_user=coordinator,
            meeting=held,
            text="Report progress on this action to the next meeting",
            owner="Lead organisation",
            plan_action=action,
        )
    decision_add(
        acting_user=coordinator,
        meeting=held,
        text="Circulate the draft strategic assessment by the end of January",
        owner="Coordinator",
        plan_action=None,
    )
    signed = (
        PartnershipPlan.objects.filter(partnership=partnership, status__in=SIGNABLE_PLAN_STATUSES)
        .order_by("-period_start", "-version")
        .first()
    )
    if signed:
        decision_add(
            acting_user=coordinator,
            meeting=held,
            text="The group confirmed its sign-off of the partnership plan",
            owner="",
            plan_action=None,
            signed_off_plan=signed,
        )
    meeting_publish(acting_user=coordinator, meeting=held)
    meeting_publish_public(
        acting_user=coordinator,
        meeting=held,
        public_minutes="The group reviewed the quarter's performance against the partnership "
        "plan and agreed the timetable for the next strategic assessment. Concerns about "
        "off-road bikes raised at the public meeting go to the anti-social behaviour priority.",
    )
    meeting_schedule(
        acting_user=coordinator,
        partnership=partnership,
        title="Strategy group, winter",
        meets_on=today + timedelta(days=35),
        agenda="1. The draft strategic assessment\n2. The plan refresh",
    )


# The partner who sends its organisation's return in the demo, and its figures.
RETURNERS = {
    TRAFFORD: (
        "partner@trafford.example",
        [("Deliberate fires", 41, ""), ("Home fire safety checks", 1204, "visits")],
    ),
    CARDIFF: (
        "analyst@southwales.example",
        [("Residential burglary", 318, "offences"), ("Knife crime", 57, "offences")],
    ),
}


def _returns(partnership: Partnership, coordinator: User, code: str) -> None:
    today = timezone.localdate()
    # The last quarter that has ended: quarters end in June, September, December and March.
    month = (today.month - 1) // 3 * 3  # the last month of the previous calendar quarter
    year = today.year if month else today.year - 1
    month = month or 12
    year_start = year if month > 3 else year - 1
    quarter = {6: 1, 9: 2, 12: 3, 3: 4}[month]
    returns_open(
        acting_user=coordinator, partnership=partnership, year_start=year_start, quarter=quarter
    )
    email, figures = RETURNERS[code]
    returner = User.objects.filter(email=email).first()
    membership = returner and returner.memberships.filter(partnership=partnership).first()
    if membership:
        own = QuarterlyReturn.objects.get(
            partnership=partnership,
            year_start=year_start,
            quarter=quarter,
            organisation__organisation=membership.organisation,
        )
        return_submit(acting_user=returner, quarterly_return=own, figures=figures)


COORDINATORS = {TRAFFORD: "coordinator@trafford.example", CARDIFF: "coordinator@cardiff.example"}


def seed_engagement(*, partnerships: dict[str, Partnership]) -> None:
    for code, email in COORDINATORS.items():
        partnership = partnerships.get(code)
        if partnership is None or EngagementEvent.objects.filter(partnership=partnership).exists():
            continue
        coordinator = User.objects.filter(email=email).first()
        if coordinator:
            _seed(partnership, coordinator, TEXT[code])
            _agreements(partnership, coordinator)
            _returns(partnership, coordinator, code)
            _strategy_group(partnership, coordinator)
