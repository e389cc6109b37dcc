"""The sweep: what each cycle has due, at which stage, for whom; written once however often it
runs; and not sent once the item stops being due."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services import user_language_set
from assessments.services import assessments as assessment_services
from assessments.services import contributions as contribution_services
from partnerships.models import Membership, Role, Seat
from partnerships.services import membership_remove
from plans.models import ActionStatus
from plans.services import approval, drafting
from plans.services.progress import action_progress_report
from reminders.cycles import due_items, stage_for
from reminders.models import DeliveryStatus, Notification
from reminders.outbox import outbox_send
from reminders.sweep import reminders_sweep
from tests.assessments.conftest import complete
from tests.factories import PartnershipFactory, member, organisation_in

from .conftest import Q1, Q2, TODAY, YEAR, days, request_to, sent_to, stage_of

pytestmark = pytest.mark.django_db


def rows(**filters) -> set[tuple[str, str, str]]:
    """(item key kind, stage, email) of each row written."""
    return {
        (key.split(":")[0], stage, email)
        for key, stage, email in Notification.objects.filter(**filters).values_list(
            "item_key", "stage", "user__email"
        )
    }


def sweep_and_send(today=TODAY):
    reminders_sweep(today=today)
    return outbox_send(today=today)


@pytest.mark.parametrize(
    ("days_left", "stage"),
    [
        (30, None),
        (15, None),
        (14, "14"),
        (8, "14"),
        (7, "7"),
        (2, "7"),
        (1, "1"),
        (0, "1"),
        (-1, "overdue"),
        (-40, "overdue"),
    ],
)
def test_the_stage_is_the_smallest_that_covers_the_days_left(days_left, stage):
    assert stage_for(TODAY + timedelta(days=days_left), TODAY) == stage


def test_each_item_is_reminded_at_its_stage_to_the_people_who_owe_it(requests, people):
    result = reminders_sweep(today=TODAY)

    assert rows(kind="contribution_request") == {
        # Due in 7 days: the police's answering people (the analyst and the chief officer).
        ("contribution", "7", "police@x.org"),
        ("contribution", "7", "chief@x.org"),
        # Two days late: the fire officer.
        ("contribution", "overdue", "fire@x.org"),
        # The council's request is due in 20 days: nothing yet.
    }
    # TODAY is a Monday: the coordinator's weekly digest lists what is overdue.
    assert rows(kind="weekly_digest") == {("weekly", "weekly", "coordinator@example.org")}
    digest = Notification.objects.get(kind="weekly_digest")
    assert [item["title"] for item in digest.details] == [
        "Deliberate fires (Trafford Fire and rescue)"
    ]
    assert result.written == 4
    assert not Notification.objects.filter(user=people["scrutiny"]).exists()


def test_the_sweep_twice_writes_and_sends_each_reminder_once(requests, people):
    first = sweep_and_send()
    emails = len(mail.outbox)
    second = sweep_and_send()

    assert first.sent == emails == 4
    assert second.sent == 0 and len(mail.outbox) == emails
    assert Notification.objects.count() == 4
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_reminders_go_at_14_7_and_1_days_and_once_overdue(requests, people):
    due = requests["police"].due_date
    for day in [due - timedelta(days=n) for n in (20, 14, 10, 7, 3, 1, 0)] + [
        due + timedelta(days=1),
        due + timedelta(days=5),
    ]:
        sweep_and_send(today=day)

    to_analyst = [message.subject for message in sent_to("police@x.org")]
    assert [stage_of(subject) for subject in to_analyst] == [
        "Due in 14 days",
        "Due in 7 days",
        "Due in 1 day",
        "Overdue",
    ]


def test_a_missed_day_is_caught_up_at_the_next_stage(requests, people):
    due = requests["police"].due_date
    sweep_and_send(today=due - timedelta(days=5))  # the sweep did not run on the 14th day
    assert [stage_of(m.subject) for m in sent_to("police@x.org")] == ["Due in 5 days"]


def test_items_that_stop_being_due_are_not_reminded(requests, people, coordinator):
    reminders_sweep(today=TODAY)
    # Before the emails go, the police answer and the fire request is withdrawn.
    contribution_services.contribution_save(
        acting_user=people["police"],
        contribution=requests["police"],
        revision=requests["police"].revision,
        answer="Violence rose.",
        figures=[],
    )
    contribution_services.contribution_submit(
        acting_user=people["police"], contribution=requests["police"]
    )
    contribution_services.contribution_withdraw(
        acting_user=coordinator, contribution=requests["fire"]
    )

    result = outbox_send(today=TODAY)

    assert result.cancelled == 4 and result.sent == 0  # 3 reminders and the weekly digest
    assert mail.outbox == []
    assert set(Notification.objects.values_list("status", flat=True)) == {DeliveryStatus.CANCELLED}
    # Cancelled notifications are not in anyone's list either, and the next sweep adds none.
    reminders_sweep(today=TODAY + timedelta(days=1))
    assert not Notification.objects.exclude(status=DeliveryStatus.CANCELLED).exists()


def test_a_moved_due_date_cancels_the_old_reminder_and_starts_again(requests, people):
    reminders_sweep(today=TODAY)
    request = requests["police"]
    request.due_date = days(30)
    request.save(update_fields=["due_date"])

    outbox_send(today=TODAY)
    assert sent_to("police@x.org") == []
    sweep_and_send(today=days(16))  # 14 days before the new date
    assert [stage_of(m.subject) for m in sent_to("police@x.org")] == ["Due in 14 days"]


def test_someone_who_left_the_partnership_is_not_reminded(requests, people, partnership):
    reminders_sweep(today=TODAY)
    membership_remove(
        acting_user=None,
        membership=Membership.objects.get(user=people["chief"], partnership=partnership),
    )
    outbox_send(today=TODAY)
    assert sent_to("chief@x.org") == []
    assert sent_to("police@x.org")


def test_people_hear_only_of_their_own_partnerships_items(
    requests, people, other_partnership_with_request
):
    _other, _salford_officer = other_partnership_with_request
    sweep_and_send()
    assert {m.to[0] for m in mail.outbox if "Salford" in m.subject} == {
        "police@salford.org",
        "coord@salford.org",
    }
    assert all("Trafford" in m.subject for m in sent_to("police@x.org"))


# The plan cycle ---------------------------------------------------------------------------------


def test_quarterly_updates_are_due_from_the_lead_organisation(plan_in_force, people, partnership):
    action = plan_in_force.actions.get()
    reminders_sweep(today=TODAY)

    police_people = {"police@x.org", "chief@x.org", "police@signers.org"}
    assert rows(kind="progress_update") == {
        ("progress", stage, email) for stage in ("14", "overdue") for email in police_people
    }
    assert set(
        Notification.objects.filter(kind="progress_update").values_list("item_key", flat=True)
    ) == {f"progress:{action.pk}:{Q1.code}", f"progress:{action.pk}:{Q2.code}"}

    # Q1's update arrives (with the measure's actual) before the emails go: only Q2's reminder
    # is sent.
    action_progress_report(
        acting_user=people["police"],
        action=action,
        quarter=Q1,
        narrative="Patrols ran.",
        status=ActionStatus.ON_TRACK,
        actuals={action.measures.get().pk: Decimal(350)},
        today=TODAY,
    )
    outbox_send(today=TODAY)
    subjects = [m.subject for m in sent_to("police@x.org")]
    assert len(subjects) == 1 and subjects[0].startswith("[Trafford] Due in 10 days: 2027/28 Q2")


def test_a_complete_action_owes_nothing(plan_in_force, people):
    action = plan_in_force.actions.get()
    action_progress_report(
        acting_user=people["police"],
        action=action,
        quarter=Q2,
        narrative="Done.",
        status=ActionStatus.COMPLETE,
        today=TODAY,
    )
    reminders_sweep(today=TODAY)
    assert not Notification.objects.filter(kind="progress_update").exists()


def test_the_annual_refresh_is_due_before_1_april_from_the_coordinators(
    plan_in_force, coordinator, partnership, people
):
    march = date(YEAR + 1, 3, 24)
    reminders_sweep(today=march)
    refresh = Notification.objects.filter(kind="plan_refresh")
    assert {(row.user, row.stage, row.due_on) for row in refresh} == {
        (coordinator, "7", date(YEAR + 1, 3, 31))
    }
    assert "2028/29" in refresh.get().title

    # The refresh is approved (publication can follow later): nothing more is due for 2028/29.
    from tests.plans.conftest import approved_assessment, sign_off_by_every_seat

    newer = drafting.plan_refresh(
        acting_user=coordinator,
        plan=plan_in_force,
        assessment=approved_assessment(partnership, coordinator, year=YEAR + 1),
    )
    approval.plan_open_consultation(acting_user=coordinator, plan=newer)
    signers = {
        seat: Membership.objects.filter(
            partnership=partnership,
            role=Role.STRATEGY_MEMBER,
            organisation=organisation_in(partnership, seat),
        )
        .first()
        .user
        for seat in Seat.statutory()
    }
    sign_off_by_every_seat(newer, signers)
    outbox_send(today=march)
    assert [m for m in sent_to(coordinator.email) if "revised" in m.subject] == []
    assert refresh.get().status == DeliveryStatus.CANCELLED


def test_an_assessment_in_review_is_due_for_sign_off_from_the_strategy_group(
    open_assessment, coordinator, partnership, people
):
    complete(open_assessment, coordinator)
    assessment_services.assessment_submit_for_review(
        acting_user=coordinator, assessment=open_assessment
    )
    submitted = date.today()
    # Asked at once (the 14-day stage it is already in counts as told), then chased.
    assert rows(kind="assessment_sign_off") == {
        ("assessment_sign_off", "new", "chief@x.org"),
        ("assessment_sign_off", "14", "chief@x.org"),
    }
    reminders_sweep(today=submitted + timedelta(days=7))
    assert rows(kind="assessment_sign_off", stage="7") == {
        ("assessment_sign_off", "7", "chief@x.org")
    }

    assessment_services.assessment_approve(
        acting_user=people["chief"],
        assessment=open_assessment,
    )
    outbox_send(today=submitted + timedelta(days=7))
    assert sent_to("chief@x.org") == []


# The coordinators' weekly digest -----------------------------------------------------------------


def test_the_weekly_digest_goes_once_a_week(requests, people):
    monday = TODAY
    for day in range(7):
        sweep_and_send(today=monday + timedelta(days=day))
    sweep_and_send(today=monday + timedelta(days=8))

    digests = [m for m in sent_to("coordinator@example.org") if "overdue" in m.subject]
    assert [m.subject for m in digests] == [
        "[Trafford] 1 item overdue",
        # The police request, due on the second Monday, is overdue on the Tuesday.
        "[Trafford] 2 items overdue",
    ]
    assert "Deliberate fires" in digests[0].body and "Violence data" in digests[1].body


def test_each_row_and_email_is_worded_in_its_recipients_language(requests, people, partnership):
    welsh = member(partnership, Role.COORDINATOR, email="cydgysylltydd@example.org")
    user_language_set(acting_user=welsh, language="cy")

    sweep_and_send()

    titles = dict(
        Notification.objects.filter(kind="weekly_digest").values_list("user__email", "title")
    )
    assert titles == {
        "coordinator@example.org": "1 item overdue",
        "cydgysylltydd@example.org": "1 eitem yn hwyr",
    }
    assert [m.subject for m in sent_to("coordinator@example.org")] == ["[Trafford] 1 item overdue"]
    assert [m.subject for m in sent_to("cydgysylltydd@example.org")] == [
        "[Trafford] 1 eitem yn hwyr"
    ]


# Bulk reads --------------------------------------------------------------------------------------


def _busy_partnership(name: str) -> None:
    """A partnership with an assessment in review, a late request, and an open one."""
    partnership = PartnershipFactory(name=name, slug=name.lower())
    coordinator = member(partnership, Role.COORDINATOR)
    for seat in Seat.statutory():
        member(partnership, Role.CONTRIBUTOR, seat=seat)
    member(partnership, Role.STRATEGY_MEMBER, seat=Seat.POLICE)
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=YEAR + 1
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )
    for index, seat in enumerate(Seat.statutory()):
        request_to(
            assessment,
            coordinator,
            organisation_in(partnership, seat),
            due=days(7 - 4 * index),
            title=f"{name} {seat}",
        )
    under_review = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=YEAR
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=under_review
    )
    complete(under_review, coordinator)
    assessment_services.assessment_submit_for_review(
        acting_user=coordinator, assessment=under_review
    )


def _sweep_queries() -> tuple[int, int]:
    Notification.objects.all().delete()
    with CaptureQueriesContext(connection) as captured:
        result = reminders_sweep(today=TODAY)
    return len(captured), result.written


def test_the_sweep_runs_a_fixed_number_of_queries_however_much_is_due(plan_in_force, requests):
    _busy_partnership("Bolton")
    small, written_small = _sweep_queries()
    for name in ("Wigan", "Bury", "Oldham", "Rochdale"):
        _busy_partnership(name)
    large, written_large = _sweep_queries()

    assert written_large > 2 * written_small
    assert large == small
    # Including the two report-request cycles (oversight.deadlines; their own ceilings are in
    # tests/oversight) and a plan's consultation and sign-off (one query each while no plan is in
    # consultation, six in all while any is: tests/plans/test_consultation.py), the ASB case
    # reviews (one query while no case is open: casereviews.deadlines), the three scrutiny
    # cycles that remind (one query each while nothing of theirs is due: tests/scrutiny), and the
    # two engagement cycles, the information sharing review and quarterly returns, and the strategy
    # group's minutes (one query each while nothing of theirs is due: tests/engagement,
    # infosharing, strategygroup), the community safety grants' spend returns (one query while
    # no grant is accepted: plans.deadlines.GrantSpendCycle), and who of the recipients chose
    # Welsh (one; when someone has, the cycles are read once more, in Welsh:
    # reminders.sweep._in_recipients_languages).
    assert small <= 29


def test_the_registry_answers_for_one_partnership_too(requests, other_partnership_with_request):
    other, _officer = other_partnership_with_request
    keys = {item.partnership_name for item in due_items(today=TODAY, partnership_ids=[other.pk])}
    assert keys == {"Salford"}
