"""Home Office quality assurance: a returned review carries the panel's feedback as points the
coordinator records and the independent chair answers one by one; it is resubmitted only when
every point of the latest round is answered; every round is kept, audited without its text, and
shown to those who may read the review."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from partnerships.models import Role, Seat
from reviews.models import AccessGrant, AccessLogEntry, QualityAssuranceFeedback, ReviewStatus
from reviews.services import lifecycle, quality_assurance
from tests.conftest import signed_in
from tests.factories import member

from .builders import TODAY, returned_with_feedback, snapshot

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.reviews.builders"]
S = ReviewStatus


@pytest.fixture
def returned(partnership, coordinator):
    return returned_with_feedback(partnership, coordinator)


def _resubmit(review, user):
    return lifecycle.review_advance(
        acting_user=user, review=review, to=S.SUBMITTED, submitted_on=TODAY
    )


def test_the_chair_answers_every_point_before_resubmission_and_every_round_is_kept(
    returned, coordinator
):
    review, chair, first = returned
    second = quality_assurance.qa_feedback_record(
        acting_user=coordinator, review=review, text="Add the family's view to section 6."
    )
    with pytest.raises(ValidationError) as refused:
        _resubmit(review, coordinator)
    assert refused.value.message_dict == {
        "submitted_on": [
            "The independent chair must answer the panel's feedback first: 2 points are unanswered"
        ]
    }
    quality_assurance.qa_feedback_answer(acting_user=chair, item=first, answer="Anonymised.")
    with pytest.raises(ValidationError, match="1 point is unanswered"):
        _resubmit(review, coordinator)
    review.refresh_from_db()
    assert review.status == S.RETURNED

    quality_assurance.qa_feedback_answer(acting_user=chair, item=second, answer="Added.")
    _resubmit(review, coordinator)

    review = lifecycle.review_advance(acting_user=coordinator, review=review, to=S.RETURNED)
    assert review.qa_round == 2
    # A new round asks for the panel's new feedback before the review goes back.
    with pytest.raises(ValidationError, match="Record the quality assurance panel's feedback"):
        _resubmit(review, coordinator)
    quality_assurance.qa_feedback_record(acting_user=coordinator, review=review, text="Typos.")
    # The first round's points can no longer be changed.
    with pytest.raises(ValidationError, match="earlier round"):
        quality_assurance.qa_feedback_answer(acting_user=chair, item=first, answer="Again.")
    first.refresh_from_db()
    assert first.answer == "Anonymised."
    assert list(
        QualityAssuranceFeedback.objects.filter(review=review).values_list("round", "answer")
    ) == [(2, ""), (1, "Anonymised."), (1, "Added.")]
    # The audit says what was done; the feedback's text stays in the review.
    actions = list(
        AuditEvent.objects.filter(action__startswith="review.qa_").values_list("action", flat=True)
    )
    assert actions.count("review.qa_feedback_record") == 3
    assert actions.count("review.qa_feedback_answer") == 2
    assert not AuditEvent.objects.filter(changes__icontains="anonymise").exists()


@pytest.mark.parametrize(
    ("who", "verb", "allowed"),
    [
        ("coordinator", "record", True),
        ("chair", "record", False),
        ("panel", "record", False),
        ("coordinator", "answer", False),
        ("panel", "answer", False),
        ("chair", "answer", True),
    ],
)
def test_the_coordinator_records_and_only_the_chair_answers(
    returned, coordinator, partnership, who, verb, allowed
):
    review, chair, item = returned
    panel = member(partnership, Role.CONTRIBUTOR, seat=Seat.HEALTH)
    lifecycle.access_grant(
        acting_user=coordinator, review=review, user=panel, reason=AccessGrant.Reason.PANEL
    )
    user = {"coordinator": coordinator, "chair": chair, "panel": panel}[who]
    before = snapshot()

    def act():
        if verb == "record":
            return quality_assurance.qa_feedback_record(acting_user=user, review=review, text="X")
        return quality_assurance.qa_feedback_answer(acting_user=user, item=item, answer="Y")

    if allowed:
        act()
        assert snapshot() != before
    else:
        with pytest.raises(PermissionDenied):
            act()
        assert snapshot() == before


def test_feedback_is_recorded_only_while_the_review_is_returned(review, coordinator):
    before = snapshot()
    with pytest.raises(ValidationError, match="returned for changes"):
        quality_assurance.qa_feedback_record(acting_user=coordinator, review=review, text="X")
    assert snapshot() == before


def test_the_pages_without_javascript(returned, coordinator, partnership):
    review, chair, item = returned
    qa = reverse("reviews:qa", args=[partnership.slug, review.pk])
    detail = signed_in(coordinator).get(
        reverse("reviews:detail", args=[partnership.slug, review.pk])
    )
    assert qa in detail.content.decode()  # the review's page leads to its feedback
    coordinator_client = signed_in(coordinator)
    assert coordinator_client.post(qa, {"text": ""}).status_code == 400
    added = coordinator_client.post(qa, {"text": "Check the chronology's dates."})
    assert added.status_code == 302 and added["Location"] == qa
    page = coordinator_client.get(qa).content.decode()
    assert "Paragraph 4.2 names the victim" in page and "Check the chronology" in page
    assert page.count("Not answered") == 2
    assert "qa_answer" not in page and "/answer/" not in page  # the coordinator does not answer
    assert AccessLogEntry.objects.filter(user=coordinator, what="Quality assurance feedback")

    chair_client = signed_in(chair)
    answer_url = reverse("reviews:qa_answer", args=[partnership.slug, review.pk, item.pk])
    assert answer_url in chair_client.get(qa).content.decode()
    assert 'name="text"' not in chair_client.get(qa).content.decode()  # nor records
    answered = chair_client.post(answer_url, {"answer": "Employer removed."})
    assert answered.status_code == 302 and answered["Location"] == qa
    page = chair_client.get(qa).content.decode()
    assert "Employer removed." in page and page.count("Not answered") == 1
    # The coordinator may not open the chair's answer page at all.
    assert coordinator_client.get(answer_url).status_code == 404
    item.refresh_from_db()
    assert item.answered_by == chair and item.answered_at is not None


def test_a_review_never_returned_has_no_feedback_yet(review, coordinator, partnership):
    page = signed_in(coordinator).get(reverse("reviews:qa", args=[partnership.slug, review.pk]))
    assert "has not returned this review" in page.content.decode()


def test_the_feedback_page_reads_in_a_fixed_number_of_queries(returned, coordinator, partnership):
    review, chair, _item = returned
    client = signed_in(chair)
    url = reverse("reviews:qa", args=[partnership.slug, review.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    queries()  # the first visit writes the session once
    few = queries()
    for number in range(6):
        point = quality_assurance.qa_feedback_record(
            acting_user=coordinator, review=review, text=f"Point {number}"
        )
        quality_assurance.qa_feedback_answer(acting_user=chair, item=point, answer="Done")
    assert queries() == few
