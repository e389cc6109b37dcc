"""Review types as data: a death notified before the domestic abuse related death review is in
force is a domestic homicide review and keeps that name; one notified from that day on is the new
review; an offensive weapons homicide review is its own type. Pages and documents name each."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from partnerships.models import Seat
from reviews.documents import EXPORTS
from reviews.models import DomesticHomicideReview, ReviewTypeCode
from reviews.review_types import TYPES
from reviews.selectors import review_type_of
from tests.conftest import signed_in
from tests.factories import organisation_in
from tests.pdf import read_pdf

from .conftest import NOTIFIED, notify

COMMENCEMENT = NOTIFIED + timedelta(days=1)


@pytest.fixture
def commenced(db):
    """The domestic abuse related death review in force from the day after ``NOTIFIED``."""
    dardr = review_type_of(ReviewTypeCode.DARDR)  # made again if a flush emptied the table
    dardr.in_force_from = COMMENCEMENT
    dardr.save(update_fields=["in_force_from"])


def test_the_law_in_force_on_the_day_of_notification_names_the_review(
    partnership, coordinator, commenced
):
    before = notify(partnership, coordinator)
    after = notify(partnership, coordinator, notified_on=COMMENCEMENT)
    client = signed_in(coordinator)
    recorded = client.post(
        reverse("reviews:notify", args=[partnership.slug]) + "?type=offensive-weapons",
        {
            "victim_pseudonym": "Adult W",
            "death_month_0": "1",
            "death_month_1": str(COMMENCEMENT.month),
            "death_month_2": str(COMMENCEMENT.year),
            "notified_on_0": str(COMMENCEMENT.day),
            "notified_on_1": str(COMMENCEMENT.month),
            "notified_on_2": str(COMMENCEMENT.year),
            "notified_by": organisation_in(partnership, Seat.POLICE).pk,
            "qualifying_homicide": "yes",
            "aged_18_or_over": "yes",
            "offensive_weapon": "yes",
            "partner_holds_information": "yes",
        },
    )
    weapons = DomesticHomicideReview.objects.get(victim_pseudonym="Adult W")
    assert recorded["Location"] == reverse("reviews:detail", args=[partnership.slug, weapons.pk])

    assert [r.review_type.code for r in (before, after, weapons)] == [
        ReviewTypeCode.DHR,
        ReviewTypeCode.DARDR,
        ReviewTypeCode.OWHR,
    ]
    for review, name in (
        (before, "Domestic homicide review"),
        (after, "Domestic abuse related death review"),
        (weapons, "Offensive weapons homicide review"),
    ):
        page = client.get(f"/p/trafford/reviews/{review.pk}/").content.decode()
        assert f'data-testid="review-type">{name}</span>' in page
        recipients = page[page.index('data-testid="report-recipients"') :].split("<br>")[0]
        assert "The Home Office" in recipients
        assert ("Domestic Abuse Commissioner" in recipients) == (review is after)
    summary = read_pdf(EXPORTS["executive-summary"][1](after))
    assert f"domestic abuse related death review {after.reference}" in summary.text


def test_until_commencement_every_death_is_a_domestic_homicide_review(partnership, coordinator):
    review = notify(partnership, coordinator, notified_on=date.today())
    assert review.review_type.code == ReviewTypeCode.DHR
    # The 2024 Act's review sends its report to the Domestic Abuse Commissioner as well.
    assert TYPES[ReviewTypeCode.DARDR].report_to_domestic_abuse_commissioner
    assert not TYPES[ReviewTypeCode.DHR].report_to_domestic_abuse_commissioner
