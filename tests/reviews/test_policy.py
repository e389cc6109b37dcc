"""What each grant lets its holder do to a review (ReviewPolicy), proved as a matrix: every grant
reason against every change the review's services make, called directly and through the pages,
and against every page that reads the review. Where the answer is no, nothing changes: no status,
no grant, no row, no email and no notification."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from audit.models import AuditEvent
from partnerships.models import Role, Seat
from reminders.models import Notification
from reminders.sweep import reminders_sweep
from reviews.models import (
    AccessGrant,
    AccessLogEntry,
    AgencyRequest,
    ChronologyEntry,
    DomesticHomicideReview,
    Recommendation,
    ReviewDocument,
    ReviewStatus,
)
from reviews.policies import ReviewPolicy, ReviewVerb
from reviews.services import action_plan, evidence, lifecycle
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, member, organisation_in

from .builders import (
    TODAY,
    ask,
    author,
    pdf_upload,
    review_gathering_evidence,
    snapshot,
    url,
)

pytest_plugins = ["tests.reviews.builders"]

S = ReviewStatus
R = AccessGrant.Reason


def _date(prefix: str, value) -> dict:
    return {f"{prefix}_0": value.day, f"{prefix}_1": value.month, f"{prefix}_2": value.year}


def _grant(review, granted_by, reason, role, seat, **fields):
    user = member(review.partnership, role, seat=seat, **fields)
    lifecycle.access_grant(acting_user=granted_by, review=review, user=user, reason=reason)
    return user


def _cast(review, coordinator):
    """Everyone with a grant on a review gathering evidence, by why they hold it: the coordinator
    who recorded it, a named coordinator, the chair, a panel member, the police's agency author
    (asked for a chronology, as the council is) and the council's. Each has been reminded of the
    review's clock, so that a withdrawn reminder shows."""
    for seat in (Seat.POLICE, Seat.LOCAL_AUTHORITY):
        ask(review, coordinator, organisation_in(review.partnership, seat), "chronology", days=14)
    people = {
        "creator": coordinator,
        "coordinator": _grant(
            review, coordinator, R.COORDINATOR, Role.COORDINATOR, Seat.LOCAL_AUTHORITY
        ),
        "chair": _grant(review, coordinator, R.CHAIR, Role.CONTRIBUTOR, Seat.PROBATION),
        "panel": _grant(review, coordinator, R.PANEL, Role.STRATEGY_MEMBER, Seat.HEALTH),
        "author": author(review, coordinator, Seat.POLICE, full_name="Priya Constable"),
        "other_author": author(review, coordinator, Seat.LOCAL_AUTHORITY),
    }
    reminders_sweep(today=TODAY + timedelta(days=400))
    assert Notification.objects.filter(kind="dhr_clock").values("user").distinct().count() == 6
    return people


@pytest.fixture(scope="module")
def _staged(module_data):
    """The review and its cast, built once for the module (the matrices below try well over a
    hundred cells on it, each in a savepoint that is rolled back after it). Its partnership is
    not the ``partnership`` fixture's, which the other tests build for themselves."""

    def make():
        partnership = PartnershipFactory(name="Staged", slug="staged")
        creator = member(partnership, Role.COORDINATOR)
        review = review_gathering_evidence(partnership, creator)
        return review.pk, {name: user.pk for name, user in _cast(review, creator).items()}

    return module_data.build(make)


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


@pytest.fixture
def staged(_staged, db):
    """The review and its cast as each test finds them: read afresh, with no cached state."""
    review_pk, people = _staged
    users = User.objects.in_bulk(people.values())
    return DomesticHomicideReview.objects.get(pk=review_pk), {
        name: users[pk] for name, pk in people.items()
    }


def _state(review) -> dict:
    """Everything a refused change must leave as it was."""
    review.refresh_from_db()
    return {
        **snapshot(),
        "status": review.status,
        "grants": sorted(AccessGrant.objects.values_list("user_id", "reason")),
        "can_read": sorted(ReviewPolicy.visible(u).count() for u in _holders(review)),
        "notifications": sorted(Notification.objects.values_list("user_id", "item_key", "stage")),
    }


def _holders(review):
    return User.objects.filter(memberships__partnership=review.partnership).order_by("pk")


# Each change a review's services make: (the service call, the page's URL and form, and how to
# tell that it happened).
def _advance_service(review, user, cast):
    lifecycle.review_advance(acting_user=user, review=review, to=S.DRAFTING)


def _hold_service(review, user, cast):
    lifecycle.review_hold(
        acting_user=user, review=review, reason="Criminal trial", started_on=TODAY
    )


def _grant_service(review, user, cast):
    lifecycle.access_grant(acting_user=user, review=review, user=cast["newcomer"], reason=R.PANEL)


def _revoke_service(review, user, cast):
    grant = AccessGrant.objects.get(review=review, user=cast["creator"])
    lifecycle.access_revoke(acting_user=user, grant=grant)


def _request_service(review, user, cast):
    evidence.agency_request_create(
        acting_user=user,
        review=review,
        organisation=organisation_in(review.partnership, Seat.FIRE_AND_RESCUE),
        kind="chronology",
        due_date=TODAY + timedelta(days=14),
    )


def _answer_service(review, user, cast):
    evidence.chronology_entry_add(
        acting_user=user,
        agency_request=AgencyRequest.objects.get(
            review=review, organisation=organisation_in(review.partnership, Seat.POLICE)
        ),
        occurred_on=TODAY,
        description="Called to a disturbance.",
    )


def _upload_service(review, user, cast):
    evidence.review_document_upload(
        acting_user=user, review=review, kind="overview_report", upload=pdf_upload()
    )


def _recommend_service(review, user, cast):
    action_plan.recommendation_add(
        acting_user=user,
        review=review,
        recommendation="Ask about coercive control.",
        action="Train call handlers.",
        owner=organisation_in(review.partnership, Seat.POLICE),
        due_date=TODAY + timedelta(days=90),
    )


def _police_request(review):
    return AgencyRequest.objects.get(
        review=review, organisation=organisation_in(review.partnership, Seat.POLICE)
    )


PAGES = {
    "advance": lambda review, cast: (url("advance", review, to="drafting"), {}),
    "hold": lambda review, cast: (
        url("hold", review),
        {"reason": "Criminal trial", **_date("started_on", TODAY)},
    ),
    "grant": lambda review, cast: (
        url("access", review),
        {"user": cast["newcomer"].pk, "reason": "panel"},
    ),
    "revoke": lambda review, cast: (
        url(
            "revoke",
            review,
            grant_id=AccessGrant.objects.get(review=review, user=cast["creator"]).pk,
        ),
        {},
    ),
    "request": lambda review, cast: (
        url("agency_request_create", review),
        {
            "organisation": organisation_in(review.partnership, Seat.FIRE_AND_RESCUE).pk,
            "kind": "chronology",
            **_date("due_date", TODAY + timedelta(days=14)),
        },
    ),
    "answer": lambda review, cast: (
        url("chronology_entry_add", review, request_id=_police_request(review).pk),
        {"description": "Called to a disturbance.", **_date("occurred_on", TODAY)},
    ),
    "upload": lambda review, cast: (
        url("documents", review),
        {"kind": "overview_report", "file": pdf_upload()},
    ),
    "recommend": lambda review, cast: (
        url("recommendation_add", review),
        {
            "recommendation": "Ask about coercive control.",
            "action": "Train call handlers.",
            "owner": organisation_in(review.partnership, Seat.POLICE).pk,
            "status": "open",
            **_date("due_date", TODAY + timedelta(days=90)),
        },
    ),
}

CHANGES = {
    "advance": (_advance_service, lambda review, cast: review.status == S.DRAFTING),
    "hold": (_hold_service, lambda review, cast: review.status == S.ON_HOLD),
    "grant": (
        _grant_service,
        lambda review, cast: ReviewPolicy.has_access(cast["newcomer"], review),
    ),
    "revoke": (
        _revoke_service,
        lambda review, cast: not ReviewPolicy.has_access(cast["creator"], review),
    ),
    "request": (
        _request_service,
        lambda review, cast: review.agency_requests.filter(
            organisation__partner_seats__seat=Seat.FIRE_AND_RESCUE
        ).exists(),
    ),
    "answer": (_answer_service, lambda review, cast: ChronologyEntry.objects.exists()),
    "upload": (_upload_service, lambda review, cast: ReviewDocument.objects.exists()),
    "recommend": (_recommend_service, lambda review, cast: Recommendation.objects.exists()),
}

# Who may make each change: written out here, not read from the policy.
RUN_THE_REVIEW = {"advance", "hold", "grant", "revoke", "request", "upload", "recommend"}
ALLOWED = {
    "creator": RUN_THE_REVIEW,
    "coordinator": RUN_THE_REVIEW,
    "chair": RUN_THE_REVIEW,
    "panel": set(),
    "author": {"answer"},
    "other_author": set(),
}
# An allowed change is made once through its service and once through its page; a refused one
# is tried both ways in the same test, and must leave everything as it was.
MATRIX = [
    (holder, change, via)
    for holder, allowed in ALLOWED.items()
    for change in CHANGES
    for via in (("service", "page") if change in allowed else ("service and page",))
]


@pytest.mark.parametrize(
    ("holder", "change", "via"), MATRIX, ids=["-".join(case) for case in MATRIX]
)
def test_each_grant_makes_only_its_own_changes(staged, holder, change, via):
    dhr, cast = staged
    cast["newcomer"] = member(dhr.partnership, Role.CONTRIBUTOR, seat=Seat.FIRE_AND_RESCUE)
    user = cast[holder]
    service, happened = CHANGES[change]
    mail.outbox.clear()
    before, reads = _state(dhr), AccessLogEntry.objects.filter(user=user).count()

    if change in ALLOWED[holder]:
        if via == "service":
            service(dhr, user, cast)
        else:
            page_url, data = PAGES[change](dhr, cast)
            assert signed_in(user).post(page_url, data).status_code == 302
        dhr.refresh_from_db()
        assert happened(dhr, cast)
        return

    with pytest.raises(PermissionDenied):
        service(dhr, user, cast)
    page_url, data = PAGES[change](dhr, cast)
    assert signed_in(user).post(page_url, data).status_code == 404
    dhr.refresh_from_db()
    assert not happened(dhr, cast)
    assert _state(dhr) == before
    assert mail.outbox == []
    assert AccessLogEntry.objects.filter(user=user).count() == reads


# The pages that read the review, and who reads each (200) rather than finding nothing (404).
READS = {
    "detail": lambda review: url("detail", review),
    "own_request": lambda review: url(
        "agency_request", review, request_id=_police_request(review).pk
    ),
    "other_request": lambda review: url(
        "agency_request",
        review,
        request_id=review.agency_requests.get(
            organisation=organisation_in(review.partnership, Seat.LOCAL_AUTHORITY)
        ).pk,
    ),
    "chronology": lambda review: url("chronology", review),
    "documents": lambda review: url("documents", review),
    "export": lambda review: url("export", review, export="executive-summary"),
    "access_log": lambda review: url("access_log", review),
    "access": lambda review: url("access", review),
}
EVERY_READ = set(READS)
READERS = {
    "creator": EVERY_READ,
    "coordinator": EVERY_READ,
    "chair": EVERY_READ,
    "panel": EVERY_READ - {"access"},
    # "own_request" is the police's: the police author's own organisation's.
    "author": {"detail", "own_request"},
    "other_author": {"detail", "other_request"},
}


@pytest.mark.parametrize("holder", list(READERS))
def test_each_grant_reads_only_its_own_pages_and_each_read_is_logged(staged, holder):
    dhr, cast = staged
    user = cast[holder]
    client = signed_in(user)
    for name, page_url in READS.items():
        reads = AccessLogEntry.objects.filter(user=user).count()
        response = client.get(page_url(dhr))
        if name in READERS[holder]:
            assert response.status_code == 200, name
            assert AccessLogEntry.objects.filter(user=user).count() == reads + 1, name
        else:
            assert response.status_code == 404, name
            assert dhr.victim_pseudonym.encode() not in response.content
            assert AccessLogEntry.objects.filter(user=user).count() == reads, name


@pytest.mark.parametrize("holder", ["panel", "author"])
def test_the_review_page_offers_only_what_the_grant_allows(staged, holder):
    dhr, cast = staged
    page = signed_in(cast[holder]).get(url("detail", dhr)).content.decode()
    for control in ("Start drafting", "Put on hold", "Manage access", "Add a recommendation"):
        assert control not in page
    assert ("Who has access" in page) is (holder == "panel")
    assert ("Read the combined chronology" in page) is (holder == "panel")
    council = organisation_in(dhr.partnership, Seat.LOCAL_AUTHORITY).name
    assert (council in page) is (holder == "panel")  # the council's request
    assert organisation_in(dhr.partnership, Seat.POLICE).name in page


def test_those_who_run_the_review_see_its_controls(staged):
    dhr, cast = staged
    page = signed_in(cast["chair"]).get(url("detail", dhr)).content.decode()
    for control in ("Start drafting", "Put on hold", "Manage access", "Add a recommendation"):
        assert control in page


def test_the_agency_author_attack_is_refused(dhr, coordinator, police_author):
    """The penetration test: a police officer holding only an agency author's grant moved the
    review on to drafting, gave a colleague access and revoked the coordinator's own grant."""
    colleague = member(dhr.partnership, Role.CONTRIBUTOR, seat=Seat.POLICE)
    coordinators_grant = AccessGrant.objects.get(review=dhr, user=coordinator)
    client = signed_in(police_author)
    before, events = snapshot(), AuditEvent.objects.count()

    assert client.post(url("advance", dhr, to="drafting")).status_code == 404
    response = client.post(url("access", dhr), {"user": colleague.pk, "reason": "author"})
    assert response.status_code == 404
    assert client.post(url("revoke", dhr, grant_id=coordinators_grant.pk)).status_code == 404
    with pytest.raises(PermissionDenied):
        lifecycle.review_advance(acting_user=police_author, review=dhr, to=S.DRAFTING)
    with pytest.raises(PermissionDenied):
        lifecycle.access_grant(
            acting_user=police_author, review=dhr, user=colleague, reason=R.AUTHOR
        )
    with pytest.raises(PermissionDenied):
        lifecycle.access_revoke(acting_user=police_author, grant=coordinators_grant)

    assert snapshot() == before and AuditEvent.objects.count() == events
    dhr.refresh_from_db()
    assert dhr.status == S.EVIDENCE_GATHERING
    assert not ReviewPolicy.has_access(colleague, dhr)
    assert signed_in(coordinator).get(url("detail", dhr)).status_code == 200


def test_the_last_who_manages_access_cannot_be_removed(dhr, coordinator, coordinator_client):
    panel = _grant(dhr, coordinator, R.PANEL, Role.CONTRIBUTOR, Seat.HEALTH)
    own_grant = AccessGrant.objects.get(review=dhr, user=coordinator)
    before = snapshot()

    with pytest.raises(ValidationError, match="Nobody else could then manage access"):
        lifecycle.access_revoke(acting_user=coordinator, grant=own_grant)
    response = coordinator_client.post(url("revoke", dhr, grant_id=own_grant.pk), follow=True)
    assert "Nobody else could then manage access" in response.content.decode()
    assert snapshot() == before
    assert ReviewPolicy.can(coordinator, ReviewVerb.MANAGE_ACCESS, dhr)

    # With a chair to manage it, the coordinator may step back; the chair is then the last.
    chair = _grant(dhr, coordinator, R.CHAIR, Role.CONTRIBUTOR, Seat.PROBATION)
    lifecycle.access_revoke(acting_user=coordinator, grant=own_grant)
    assert not ReviewPolicy.has_access(coordinator, dhr)
    with pytest.raises(ValidationError, match="Nobody else could then manage access"):
        lifecycle.access_revoke(
            acting_user=chair, grant=AccessGrant.objects.get(review=dhr, user=chair)
        )
    # A panel member's grant is not one that manages, so it may go.
    lifecycle.access_revoke(
        acting_user=chair, grant=AccessGrant.objects.get(review=dhr, user=panel)
    )
    assert not ReviewPolicy.has_access(panel, dhr)


def test_recording_a_notification_is_for_coordinators_in_the_service_too(partnership):
    from tests.reviews.conftest import notify

    contributor = member(partnership, Role.CONTRIBUTOR)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        notify(partnership, contributor)
    with pytest.raises(PermissionDenied):
        lifecycle.review_settings_update(
            acting_user=contributor,
            partnership=partnership,
            decision_maker="partnership",
            decision_maker_name="",
        )
    assert snapshot() == before


def test_an_agency_author_downloads_their_own_imr_and_no_other_document(
    dhr, coordinator, police_author, police_imr, attached_document
):
    imr = evidence.imr_upload(
        acting_user=police_author, agency_request=police_imr, upload=pdf_upload("Police IMR.pdf")
    )
    council_author = author(dhr, coordinator, Seat.LOCAL_AUTHORITY)
    own = url("document_download", dhr, review_document_id=imr.pk)
    other = url("document_download", dhr, review_document_id=attached_document.pk)

    assert signed_in(police_author).get(own).status_code == 200
    assert signed_in(police_author).get(other).status_code == 404
    assert signed_in(council_author).get(own).status_code == 404
    assert signed_in(coordinator).get(own).status_code == 200
    reads = AccessLogEntry.objects.filter(what__startswith="Document")
    assert sorted(reads.values_list("user__email", flat=True)) == sorted(
        [police_author.email, coordinator.email]
    )
