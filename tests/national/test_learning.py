"""What published reviews found, counted nationally: recorded on a published review by those who
run it (audited on the review), imported from the public DHR library, and counted by year, the
counts checked against the library's own CSV."""

import csv
from collections import Counter
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from national.models import CHARACTERISTICS, ReviewLearning
from national.selectors import learning_counts
from national.services import review_learning_import, review_learning_record
from partnerships.models import Role
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, UserFactory, member
from tests.reviews.builders.reviews import EVIDENCE_TO_PUBLISHED, TO_EVIDENCE, advance
from tests.reviews.conftest import notify

from .conftest import national_officer

LIBRARY = Path(__file__).resolve().parents[2] / "demo" / "data" / "dhrd_incidents.csv"


def _library_rows() -> list[dict]:
    with LIBRARY.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_the_counts_add_up_to_the_public_library(db):
    rows = _library_rows()
    result = review_learning_import(acting_user=None, rows=rows)
    assert (result.added, result.already_there) == (647, 0)
    assert review_learning_import(acting_user=None, rows=rows[:10]).added == 0

    counts = {row["year_of_death"]: row for row in learning_counts()}
    by_year = Counter(row["death_date"].split()[-1] for row in rows)
    assert {str(year): row["reviews"] for year, row in counts.items()} == dict(by_year)
    for name in ("coercive_control", "stalking", "separation", "children_present"):
        expected = Counter(row["death_date"].split()[-1] for row in rows if row[name] == "True")
        assert {str(year): row[name] for year, row in counts.items() if row[name]} == dict(expected)
    assert sum(row["reviews"] for row in counts.values()) == 647


def test_a_bad_library_row_imports_nothing(db):
    rows = _library_rows()[:3]
    rows[1] = {**rows[1], "stalking": "maybe"}
    with pytest.raises(ValidationError) as refused:
        review_learning_import(acting_user=None, rows=rows)
    assert "Row 3" in str(refused.value)
    assert not ReviewLearning.objects.exists()
    with pytest.raises(PermissionDenied):
        review_learning_import(acting_user=UserFactory(), rows=_library_rows()[:1])


@pytest.fixture
def published_review(db):
    partnership = PartnershipFactory(name="Salford", slug="salford")
    coordinator = member(partnership, Role.COORDINATOR)
    review = advance(
        notify(partnership, coordinator), coordinator, TO_EVIDENCE + EVIDENCE_TO_PUBLISHED
    )
    return review, coordinator


def test_those_who_run_a_published_review_record_what_it_found(published_review):
    review, coordinator = published_review
    url = f"/p/salford/reviews/{review.pk}/learning/"
    client = signed_in(coordinator)
    assert client.get(url).status_code == 200
    response = client.post(url, {"coercive_control": "on", "stalking": "on"})
    assert response.status_code == 302
    learning = ReviewLearning.objects.get(review=review)
    assert learning.coercive_control and learning.stalking and not learning.separation
    assert learning.year_of_death == review.death_month.year
    event = AuditEvent.objects.get(action="review.learning_record")
    assert event.need_to_know_id == review.pk
    (row,) = learning_counts()
    assert (row["reviews"], row["coercive_control"], row["separation"]) == (1, 1, 0)

    # Nobody else, even of the partnership, reaches the page or changes anything.
    scrutiny = signed_in(member(review.partnership, Role.SCRUTINY))
    assert scrutiny.post(url, {"separation": "on"}).status_code == 404
    with pytest.raises(PermissionDenied):
        review_learning_record(
            acting_user=member(review.partnership, Role.STRATEGY_MEMBER),
            review=review,
            characteristics={"separation": True},
        )
    learning.refresh_from_db()
    assert not learning.separation


def test_nothing_is_recorded_before_publication(db):
    partnership = PartnershipFactory(name="Salford", slug="salford")
    coordinator = member(partnership, Role.COORDINATOR)
    review = notify(partnership, coordinator)
    assert signed_in(coordinator).get(f"/p/salford/reviews/{review.pk}/learning/").status_code == (
        404
    )
    with pytest.raises(ValidationError):
        review_learning_record(
            acting_user=coordinator, review=review, characteristics={"stalking": True}
        )
    assert not ReviewLearning.objects.exists()


def test_a_national_officer_reads_the_counts_and_downloads_them(db):
    review_learning_import(acting_user=None, rows=_library_rows()[:40])
    client = signed_in(national_officer())
    page = client.get("/national/dhr-learning/").content.decode()
    assert "40 published reviews" in page
    rows = list(
        csv.DictReader(
            client.get("/national/dhr-learning.csv").content.decode("utf-8-sig").splitlines()
        )
    )
    assert sum(int(row["reviews"]) for row in rows) == 40
    assert set(rows[0]) == {"year_of_death", "reviews", *CHARACTERISTICS}
    assert signed_in(UserFactory()).get("/national/dhr-learning/").status_code == 404
