"""The review services tests/reviews/test_policy.py does not try with every grant (resuming, an
agency's IMR, changing a line of the action plan) and holding, proved as a matrix of who holds
the review x where the review is x what is done, called on the services directly: not theirs
is PermissionDenied, theirs but not now a ValidationError coded "not_now", and either way
nothing changes; otherwise it is done. What the policy offers the pages (``ReviewPolicy.may``)
is in each case exactly what the service allows."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from partnerships.models import Membership, Role, Seat
from reviews.models import (
    AccessGrant,
    AgencyRequest,
    DomesticHomicideReview,
    Recommendation,
    ReviewDocument,
    ReviewStatus,
)
from reviews.policies import ReviewPolicy, ReviewVerb
from reviews.services import action_plan, evidence, lifecycle
from tests.factories import PartnershipFactory, member, organisation_in

from .builders import (
    TODAY,
    add_line,
    advance,
    ask,
    author,
    pdf_upload,
    review_gathering_evidence,
    snapshot,
)

pytest_plugins = ["tests.reviews.builders"]

S = ReviewStatus
R = AccessGrant.Reason
V = ReviewVerb
PROGRESS = "Call handlers trained in March."


def _hold(review, user, case, reason="Criminal trial"):
    lifecycle.review_hold(acting_user=user, review=review, reason=reason, started_on=TODAY)


def _resume(review, user, case):
    lifecycle.review_resume(acting_user=user, review=review, ended_on=TODAY)


def _imr(review, user, case):
    evidence.imr_upload(acting_user=user, agency_request=case["imr"], upload=pdf_upload())


def _update_line(review, user, case):
    line = case["line"]
    action_plan.recommendation_update(
        acting_user=user,
        line=line,
        recommendation=line.recommendation,
        action=line.action,
        owner=line.owner,
        due_date=line.due_date,
        status=line.status,
        progress=PROGRESS,
    )


# Each change: the service call, the verb (and the record) the policy is asked about, and how to
# tell that it happened.
CHANGES = {
    "hold": (
        _hold,
        V.HOLD,
        lambda case: None,
        lambda review, case: review.holds.filter(reason="Criminal trial").exists(),
    ),
    "resume": (
        _resume,
        V.RESUME,
        lambda case: None,
        lambda review, case: review.holds.filter(ended_on__isnull=False).exists(),
    ),
    "imr": (
        _imr,
        V.ANSWER_REQUEST,
        lambda case: AgencyRequest.objects.get(pk=case["imr"].pk),
        lambda review, case: ReviewDocument.objects.filter(request=case["imr"]).exists(),
    ),
    "update_line": (
        _update_line,
        V.MANAGE_ACTION_PLAN,
        lambda case: Recommendation.objects.get(pk=case["line"].pk),
        lambda review, case: review.recommendations.get().progress == PROGRESS,
    ),
}

# Written out here, not read from the policy: whose each change is, and where the review must be.
RUNNERS = {"creator", "chair"}
THEIRS = {"hold": RUNNERS, "resume": RUNNERS, "imr": {"author"}, "update_line": RUNNERS}
NOW = {
    "hold": {S.EVIDENCE_GATHERING},
    "resume": {S.ON_HOLD},
    "imr": {S.EVIDENCE_GATHERING, S.ON_HOLD},
    "update_line": {S.EVIDENCE_GATHERING, S.ON_HOLD, S.PANEL_APPROVED},
}
HOLDERS = ["creator", "chair", "panel", "author", "coordinator_without_grant"]
STATUSES = [S.EVIDENCE_GATHERING, S.ON_HOLD, S.PANEL_APPROVED]
# Where the review is matters only to those whose change it is: the others are refused anywhere.
MATRIX = [
    (holder, status, change)
    for change in CHANGES
    for holder in HOLDERS
    for status in (STATUSES if holder in THEIRS[change] else STATUSES[:1])
]


@pytest.fixture(scope="module")
def _staged(module_data):
    """The review gathering evidence, its police IMR request and a line of its action plan, and
    everyone of the matrix: those who hold a grant on it, and a coordinator who does not. Built
    once for the module, in a partnership of its own; each cell runs in a savepoint."""

    def make():
        partnership = PartnershipFactory(name="Staged", slug="staged")
        creator = member(partnership, Role.COORDINATOR)
        review = review_gathering_evidence(partnership, creator)
        imr = ask(review, creator, organisation_in(partnership, Seat.POLICE), "imr", days=30)
        line = add_line(review, creator)
        people = {
            "creator": creator,
            "chair": member(partnership, Role.CONTRIBUTOR, seat=Seat.PROBATION),
            "panel": member(partnership, Role.STRATEGY_MEMBER, seat=Seat.HEALTH),
            "author": author(review, creator, Seat.POLICE),
            "coordinator_without_grant": member(partnership, Role.COORDINATOR),
        }
        for name, reason in (("chair", R.CHAIR), ("panel", R.PANEL)):
            lifecycle.access_grant(
                acting_user=creator, review=review, user=people[name], reason=reason
            )
        return review.pk, {name: user.pk for name, user in people.items()}, imr.pk, line.pk

    return module_data.build(make)


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


@pytest.fixture
def case(_staged, db):
    """The staged case as each test finds it: read afresh."""
    review_pk, people, imr_pk, line_pk = _staged
    users = User.objects.in_bulk(people.values())
    return {
        "review": DomesticHomicideReview.objects.get(pk=review_pk),
        "people": {name: users[pk] for name, pk in people.items()},
        "imr": AgencyRequest.objects.get(pk=imr_pk),
        "line": Recommendation.objects.get(pk=line_pk),
    }


def _move_to(review, coordinator, status):
    if status == S.ON_HOLD:
        _hold(review, coordinator, None, reason="Inquest")
    elif status == S.PANEL_APPROVED:
        advance(review, coordinator, [S.DRAFTING, S.PANEL_APPROVED])
    review.refresh_from_db()
    assert review.status == status


@pytest.mark.parametrize(
    ("holder", "status", "change"),
    MATRIX,
    ids=["-".join(str(part) for part in row) for row in MATRIX],
)
def test_each_service_does_only_what_the_policy_offers(case, holder, status, change):
    review = case["review"]
    _move_to(review, case["people"]["creator"], status)
    user = case["people"][holder]
    service, verb, record, happened = CHANGES[change]
    membership = Membership.objects.get(user=user, partnership=review.partnership)
    theirs, now = holder in THEIRS[change], status in NOW[change]

    asked_about = record(case) or review
    assert ReviewPolicy.may(membership, asked_about)[verb] is (theirs and now)
    assert ReviewPolicy.allows(membership, verb, asked_about) is theirs

    before = snapshot()
    if theirs and now:
        service(review, user, case)
        review.refresh_from_db()
        assert happened(review, case)
        return
    if theirs:
        with pytest.raises(ValidationError) as refused:
            service(review, user, case)
        assert refused.value.code == "not_now"
    else:
        with pytest.raises(PermissionDenied):
            service(review, user, case)
    review.refresh_from_db()
    assert snapshot() == before
    assert not happened(review, case)


def test_recording_is_the_coordinators_whatever_their_grants(partnership, coordinator):
    """Recording a notification comes with the role: asked as a verb of the policy, with no
    review yet, and refused in the service for every other role."""
    from tests.reviews.conftest import notify

    for role in (Role.STRATEGY_MEMBER, Role.CONTRIBUTOR, Role.SCRUTINY, Role.PCC_OFFICE):
        someone = member(partnership, role, seat=Seat.POLICE)
        membership = Membership.objects.get(user=someone, partnership=partnership)
        assert not ReviewPolicy.can(membership, V.RECORD)
        before = snapshot()
        with pytest.raises(PermissionDenied):
            notify(partnership, someone)
        assert snapshot() == before
    assert ReviewPolicy.can(
        Membership.objects.get(user=coordinator, partnership=partnership), V.RECORD
    )
