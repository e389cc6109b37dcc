"""Demonstration data for the crime and disorder committee in Trafford and Cardiff: information
requests (one answered, one awaiting its answer), a report with recommendations part answered, a
councillor call for action and the yearly meeting. Through the services; a second run changes
nothing. The matters are invented: plausible demonstration text about no real person or place
beyond the wards' names."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from partnerships.models import Partnership
from scrutiny.models import InformationRequest
from scrutiny.services import committee, information

TRAFFORD, CARDIFF = "E22000107", "W14000015"


def _seed(partnership, councillor, coordinator, text) -> None:
    today = timezone.localdate()
    answered = information.information_request_create(
        acting_user=councillor,
        partnership=partnership,
        title=text["answered"][0],
        question=text["answered"][1],
        due_date=today + timedelta(days=10),
    )
    information.information_request_answer(
        acting_user=coordinator,
        information_request=answered,
        answer=text["answered"][2],
        depersonalised=True,
    )
    information.information_request_create(
        acting_user=councillor,
        partnership=partnership,
        title=text["open"][0],
        question=text["open"][1],
        due_date=today + timedelta(days=21),
    )
    report = committee.committee_report_create(
        acting_user=councillor,
        partnership=partnership,
        title=text["report"][0],
        summary=text["report"][1],
        made_on=today - timedelta(days=12),
        recommendations=text["report"][2],
    )
    first = report.recommendations.order_by("number").first()
    committee.scrutiny_recommendation_respond(
        acting_user=coordinator, recommendation=first, status="accepted", response=text["report"][3]
    )
    call = committee.call_for_action_record(
        acting_user=councillor,
        partnership=partnership,
        matter=text["call"][0],
        ward=text["call"][1],
        councillor=text["call"][2],
        details=text["call"][3],
        referred_on=today - timedelta(days=40),
    )
    if text["call"][4]:
        committee.call_for_action_conclude(
            acting_user=councillor, call=call, outcome="resolved", outcome_details=text["call"][4]
        )
    committee.scrutiny_meeting_record(
        acting_user=councillor,
        partnership=partnership,
        held_on=today - timedelta(days=200),
        attended_by=text["meeting"][0],
        asked=text["meeting"][1],
        answered=text["meeting"][2],
    )


TEXT = {
    TRAFFORD: {
        "answered": (
            "Repeat burglary in the year to March",
            "How many homes were burgled more than once in the year, and in which wards?",
            "41 homes were burgled more than once; 9 of them in Sale Moor and 7 in Stretford "
            "and Humphrey Park. Target hardening was offered to every one.",
        ),
        "open": (
            "Use of dispersal orders",
            "How often were dispersal directions used in the town centres since April, and with "
            "what effect on calls about anti-social behaviour?",
        ),
        "report": (
            "The night-time economy in Altrincham",
            "The committee heard from the police, licensing and the street pastors over two "
            "sessions.",
            [
                "Extend the taxi marshal scheme to Friday nights all year",
                "Publish the partnership's figures on violence in the town centre each quarter",
                "Report back on women's safety in the night-time economy within six months",
            ],
            "Accepted: the scheme runs on Fridays from next month, funded by the partnership.",
        ),
        "call": (
            "Off-road bikes on the Bridgewater Canal towpath",
            "Gorse Hill and Cornbrook",
            "Cllr Sam Ali",
            "Residents report off-road bikes on the towpath most evenings since the spring.",
            "Joint patrols with the canal trust and two bikes seized; reports fell by half.",
        ),
        "meeting": (
            "Chair of the partnership; District Commander, Trafford",
            "Why did burglary rise in the autumn? What is the partnership doing about knife "
            "crime among young people?",
            "Two prolific offenders, both since charged. The youth service and the police run "
            "knife crime sessions in every secondary school.",
        ),
    },
    CARDIFF: {
        "answered": (
            "Domestic abuse referrals",
            "How many referrals did the multi-agency risk assessment conference take in the "
            "year, and how many were repeat referrals?",
            "612 referrals, of which 28% were repeat referrals, against 31% the year before.",
        ),
        "open": (
            "Substance misuse services",
            "What are the waiting times for substance misuse treatment in Cardiff now?",
        ),
        "report": (
            "Safety in the city centre at night",
            "The committee's review of the city centre at night, with the police and the "
            "licensing authority.",
            [
                "Keep the city centre help point open until 4am on weekends",
                "Set out the partnership's plan for women's safety at night in the next refresh",
            ],
            "Accepted: the help point opens until 4am from the autumn.",
        ),
        "call": (
            "Anti-social behaviour in Grangetown park",
            "Grangetown",
            "Cllr Rhys Morgan",
            "Repeated damage to the play area and fires lit in the evenings.",
            "",
        ),
        "meeting": (
            "Chair of the partnership; Basic Command Unit Commander",
            "How does the partnership work with the Public Services Board on community safety?",
            "Community safety is one of the Board's well-being objectives; the partnership "
            "reports to it twice a year.",
        ),
    },
}

PEOPLE = {
    TRAFFORD: ("scrutiny@trafford.example", "coordinator@trafford.example"),
    CARDIFF: ("scrutiny@cardiff.example", "coordinator@cardiff.example"),
}


def seed_scrutiny(*, partnerships: dict[str, Partnership]) -> None:
    for code, (councillor_email, coordinator_email) in PEOPLE.items():
        partnership = partnerships.get(code)
        if (
            partnership is None
            or InformationRequest.objects.filter(partnership=partnership).exists()
        ):
            continue
        councillor = User.objects.filter(email=councillor_email).first()
        coordinator = User.objects.filter(email=coordinator_email).first()
        if councillor and coordinator:
            _seed(partnership, councillor, coordinator, TEXT[code])
