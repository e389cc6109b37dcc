"""One engine for every statutory review: each type's criteria, who decides, its clocks and who is
told are the type's row, not code. An offensive weapons homicide review asks its own statutory
criteria; in Wales the regional safeguarding board decides a single unified safeguarding review
and Welsh Government is told; every clock of every type pauses on hold and moves on by the days
held, in the pages and in the sweep alike."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from authorities.models import Nation
from partnerships.models import Role, Seat
from reminders.cycles import due_items
from reviews.clocks import review_clocks
from reviews.models import Decision, DomesticHomicideReview, ReviewStatus, ReviewTypeCode
from reviews.selectors import review_type_of
from reviews.services import lifecycle
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, member, organisation_in

from .conftest import NOTIFIED, notify

pytestmark = pytest.mark.django_db
S = ReviewStatus
DECIDED = NOTIFIED + timedelta(days=18)
OWHR_ANSWERS = {
    "qualifying_homicide": True,
    "aged_18_or_over": True,
    "offensive_weapon": True,
    "partner_holds_information": True,
}


def _owhr(partnership, coordinator, **answers):
    return lifecycle.review_notify(
        acting_user=coordinator,
        partnership=partnership,
        victim_pseudonym="Adult K",
        death_month=date(2026, 2, 1),
        notified_on=NOTIFIED,
        notified_by=organisation_in(partnership, Seat.POLICE),
        offensive_weapons=True,
        **{**OWHR_ANSWERS, **answers},
    )


def _commission(review, user, **decision_fields):
    """Decided to review on ``DECIDED``, the Home Office told, commissioned and scoping."""
    steps = [
        (S.UNDER_CONSIDERATION, {}),
        (
            S.DECIDED,
            {"decision": Decision.REVIEW, "decision_reasons": "Met.", "decided_on": DECIDED},
        ),
        (S.HOME_OFFICE_NOTIFIED, {"home_office_notified_on": DECIDED + timedelta(days=2)}),
        (
            S.COMMISSIONED,
            {
                "chair_name": "J. Independent",
                "chair_independence": "None.",
                "chair_appointed_on": DECIDED + timedelta(days=5),
            },
        ),
        (S.SCOPING, {"terms_of_reference": "Scope."}),
    ]
    for status, fields in steps:
        review = lifecycle.review_advance(acting_user=user, review=review, to=status, **fields)
    return review


def _clock(review, key, today):
    review = DomesticHomicideReview.objects.select_related("review_type").get(pk=review.pk)
    return next(clock for clock in review_clocks(review, today) if clock.key == key)


def _due(review, key, today):
    """The sweep's item for one clock of ``review`` (None when it is not reminded)."""
    wanted = f"dhr:{review.pk}:{key}"
    return next((item for item in due_items(today=today) if item.key == wanted), None)


def test_an_offensive_weapons_homicide_review_asks_the_statutory_criteria(partnership, coordinator):
    client = signed_in(coordinator)
    url = reverse("reviews:notify", args=[partnership.slug]) + "?type=offensive-weapons"
    page = client.get(url).content.decode()
    assert 'data-testid="notify-type">Offensive weapons homicide review</span>' in page
    assert "Police, Crime, Sentencing and Courts Act 2022" in page
    assert "The relevant review partners" in page
    assert "Piloted from 1 April 2023 (SI 2023/227)" in page and "Coventry" in page
    assert "aged 18 or over" in page and "offensive weapon?" in page
    assert "aged 16 or over" not in page  # the domestic criteria are not asked
    data = {
        "victim_pseudonym": "Adult K",
        "death_month_0": "1",
        "death_month_1": "2",
        "death_month_2": "2026",
        "notified_on_0": "2",
        "notified_on_1": "3",
        "notified_on_2": "2026",
        "notified_by": organisation_in(partnership, Seat.POLICE).pk,
        "qualifying_homicide": "yes",
        "aged_18_or_over": "yes",
        "offensive_weapon": "yes",
    }

    refused = client.post(url, data)

    assert refused.status_code == 400
    assert "Answer yes or no: Does a review partner hold" in refused.content.decode()
    assert not DomesticHomicideReview.objects.exists()
    response = client.post(url, {**data, "partner_holds_information": "no"})
    review = DomesticHomicideReview.objects.get()
    assert response["Location"] == reverse("reviews:detail", args=[partnership.slug, review.pk])
    assert review.review_type.code == ReviewTypeCode.OWHR
    assert (review.offensive_weapon, review.partner_holds_information) == (True, False)
    assert review.aged_16_or_over is None and review.relationship == ""  # not asked, not kept
    detail = client.get(response["Location"]).content.decode()
    assert detail.count('data-testid="criterion"') == 4
    decider = detail[detail.index('data-testid="decision-maker"') :].split("</dd>")[0]
    assert "The relevant review partners: the chief officer of police" in decider


def test_the_service_refuses_a_notification_that_leaves_a_criterion_unanswered(
    partnership, coordinator
):
    with pytest.raises(Exception) as error:
        _owhr(partnership, coordinator, aged_18_or_over=None)
    assert list(error.value.message_dict) == ["aged_18_or_over"]
    assert not DomesticHomicideReview.objects.exists()


def test_each_clock_is_read_from_the_types_row(partnership, coordinator):
    review = _commission(_owhr(partnership, coordinator), coordinator)
    today = DECIDED + timedelta(days=10)
    assert _clock(review, "decision", today).due_on == NOTIFIED + relativedelta(months=1)
    assert _clock(review, "home_office", today).due_on == DECIDED + timedelta(days=7)
    assert _clock(review, "completion", today).due_on == DECIDED + relativedelta(months=12)
    # An administrator changes the type's row: the clocks and the sweep follow, nothing else.
    owhr = review_type_of(ReviewTypeCode.OWHR)
    owhr.completion_months = 9
    owhr.save(update_fields=["completion_months"])
    assert _clock(review, "completion", today).due_on == DECIDED + relativedelta(months=9)
    assert _due(review, "completion", today).due_on == DECIDED + relativedelta(months=9)


@pytest.mark.parametrize("kind", ["domestic", "offensive_weapons"])
def test_the_completion_clock_of_each_type_pauses_on_hold_and_moves_on_by_the_days_held(
    partnership, coordinator, kind
):
    review = (
        _owhr(partnership, coordinator)
        if kind == "offensive_weapons"
        else notify(partnership, coordinator)
    )
    months = review.review_type.completion_months
    review = _commission(review, coordinator)
    held_from = DECIDED + timedelta(days=40)
    lifecycle.review_hold(
        acting_user=coordinator, review=review, reason="Trial", started_on=held_from
    )
    during = held_from + timedelta(days=10)
    paused = _clock(review, "completion", during)
    assert paused.paused and not paused.is_overdue
    assert _due(review, "completion", during) is None  # the sweep says nothing while on hold

    lifecycle.review_resume(
        acting_user=coordinator, review=review, ended_on=held_from + timedelta(days=30)
    )

    moved = DECIDED + relativedelta(months=months) + timedelta(days=30)
    after = _clock(review, "completion", held_from + timedelta(days=31))
    assert (after.due_on, after.days_on_hold, after.paused) == (moved, 30, False)
    assert _due(review, "completion", held_from + timedelta(days=31)).due_on == moved


@pytest.fixture
def welsh(db):
    return PartnershipFactory(
        name="Merthyr Tydfil", slug="merthyr", nation=Nation.WALES, ons_code="W14000001"
    )


@pytest.fixture
def welsh_coordinator(welsh):
    coordinator = member(welsh, Role.COORDINATOR, email="cydlynydd@example.org")
    lifecycle.review_settings_update(
        acting_user=coordinator,
        partnership=welsh,
        decision_maker="regional_safeguarding_board",
        decision_maker_name="Cwm Taf Morgannwg Safeguarding Board",
    )
    return coordinator


def _susr(welsh, coordinator, notified_on=NOTIFIED):
    return lifecycle.review_notify(
        acting_user=coordinator,
        partnership=welsh,
        victim_pseudonym="Adult W",
        death_month=notified_on.replace(day=1),
        notified_on=notified_on,
        notified_by=organisation_in(welsh, Seat.POLICE),
        aged_16_or_over=True,
        relationship="intimate_partner",
        **{**OWHR_ANSWERS, "offensive_weapon": False},
    )


def test_in_wales_the_board_decides_a_single_unified_safeguarding_review(welsh, welsh_coordinator):
    review = _susr(welsh, welsh_coordinator)
    assert review.review_type.code == ReviewTypeCode.SUSR
    # Before the single unified safeguarding review began (1 October 2024): a domestic homicide
    # review, and it keeps that name.
    earlier = _susr(welsh, welsh_coordinator, notified_on=date(2024, 9, 30))
    assert earlier.review_type.code == ReviewTypeCode.DHR

    client = signed_in(welsh_coordinator)
    form = client.get(reverse("reviews:notify", args=[welsh.slug])).content.decode()
    assert 'data-testid="notify-type">Single unified safeguarding review</span>' in form
    assert "offensive weapon?" in form and "aged 16 or over" in form  # one review asks all
    assert 'data-testid="other-kind"' not in form
    page = client.get(f"/p/merthyr/reviews/{review.pk}/").content.decode()

    assert 'data-testid="review-type">Single unified safeguarding review</span>' in page
    decider = page[page.index('data-testid="decision-maker"') :].split("</dd>")[0]
    assert "Cwm Taf Morgannwg Safeguarding Board" in decider
    assert "the regional safeguarding board decides" in decider
    told = page[page.index('data-testid="welsh-government"') :].split("</dd>")[0]
    assert "To be told when a review takes place" in told
    assert "The Home Office" in page[page.index('data-testid="report-recipients"') :]


def test_welsh_government_is_told_on_its_own_clock_which_pauses_on_hold(welsh, welsh_coordinator):
    review = _commission(_susr(welsh, welsh_coordinator), welsh_coordinator)
    due = DECIDED + timedelta(days=7)
    assert _due(review, "welsh_government", DECIDED).due_on == due
    held_from = DECIDED + timedelta(days=6)
    lifecycle.review_hold(
        acting_user=welsh_coordinator, review=review, reason="Inquest", started_on=held_from
    )
    assert _clock(review, "welsh_government", held_from + timedelta(days=20)).paused
    assert _due(review, "welsh_government", held_from + timedelta(days=20)) is None
    lifecycle.review_resume(
        acting_user=welsh_coordinator, review=review, ended_on=held_from + timedelta(days=20)
    )
    assert _due(review, "welsh_government", held_from).due_on == due + timedelta(days=20)
    client = signed_in(welsh_coordinator)
    url = reverse("reviews:welsh_government", args=[welsh.slug, review.pk])
    told_on = timezone.localdate()

    response = client.post(
        url,
        {
            "notified_on_0": str(told_on.day),
            "notified_on_1": str(told_on.month),
            "notified_on_2": str(told_on.year),
        },
    )

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.welsh_government_notified_on == told_on
    assert _clock(review, "welsh_government", told_on).done_on == told_on
    assert _due(review, "welsh_government", told_on) is None
    assert AuditEvent.objects.filter(action="review.welsh_government_notified").count() == 1
    # Recorded once: the page now refuses another date, and nothing changes.
    again = told_on - timedelta(days=1)
    refused = client.post(
        url,
        {
            "notified_on_0": str(again.day),
            "notified_on_1": str(again.month),
            "notified_on_2": str(again.year),
        },
    )
    assert refused.status_code == 400
    assert "already recorded" in refused.content.decode()
    review.refresh_from_db()
    assert review.welsh_government_notified_on == told_on


def test_an_english_review_has_no_welsh_government_clock_nor_its_page(partnership, coordinator):
    review = _commission(notify(partnership, coordinator), coordinator)
    assert "welsh_government" not in {c.key for c in review_clocks(review, DECIDED)}
    url = reverse("reviews:welsh_government", args=[partnership.slug, review.pk])
    refused = signed_in(coordinator).post(
        url, {"notified_on_0": "1", "notified_on_1": "4", "notified_on_2": "2026"}
    )
    assert refused.status_code == 400
    assert "Welsh Government is not told of this type of review" in refused.content.decode()
    review.refresh_from_db()
    assert review.welsh_government_notified_on is None
