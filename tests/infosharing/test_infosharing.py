"""The register of information sharing agreements: the coordinators record, review and end
agreements between the partnership's organisations, reminded before each review; partners read
the register. The walks in tests/test_isolation.py and tests/test_read_only_roles.py cover every
URL."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from infosharing.models import AgreementStatus, QuarterlyReturn, SharingAgreement
from infosharing.services import (
    agreement_end,
    agreement_record,
    agreement_review,
    return_submit,
    returns_open,
)
from partnerships.models import PartnerOrganisation, Role, Seat
from reminders.cycles import cycle_for

from ..conftest import signed_in
from ..factories import member

TODAY = timezone.localdate()


def seat_of(partnership, seat: str) -> PartnerOrganisation:
    return PartnerOrganisation.objects.filter(partnership=partnership, seat=seat).first()


@pytest.fixture
def parties(partnership):
    return [seat_of(partnership, Seat.POLICE), seat_of(partnership, Seat.LOCAL_AUTHORITY)]


def record(user, partnership, parties, **overrides):
    fields = {
        "title": "ASB case information",
        "parties": parties,
        "purpose": "Case management",
        "legal_basis": "Crime and Disorder Act 1998 s115",
        "signed_on": TODAY - timedelta(days=30),
        "review_due": TODAY + timedelta(days=10),
    }
    return agreement_record(acting_user=user, partnership=partnership, **(fields | overrides))


def _date_fields(name, day: date) -> dict:
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}


def test_an_agreement_is_due_for_review_then_reviewed_then_ended(partnership, coordinator, parties):
    agreement = record(coordinator, partnership, parties)
    (item,) = cycle_for("infosharing_agreement_review").due(today=TODAY)
    assert item.recipients == {coordinator.pk} and item.due_on == TODAY + timedelta(days=10)

    agreement_review(
        acting_user=coordinator,
        agreement=agreement,
        reviewed_on=TODAY,
        review_due=TODAY + timedelta(days=365),
    )
    (item,) = cycle_for("infosharing_agreement_review").due(today=TODAY)
    assert item.due_on == TODAY + timedelta(days=365)

    agreement_end(acting_user=coordinator, agreement=agreement)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.ENDED and agreement.ended_on == TODAY
    assert cycle_for("infosharing_agreement_review").due(today=TODAY) == []
    with pytest.raises(ValidationError):
        agreement_review(
            acting_user=coordinator,
            agreement=agreement,
            reviewed_on=TODAY,
            review_due=TODAY + timedelta(days=30),
        )
    actions = AuditEvent.objects.filter(action__startswith="infosharing.").order_by("pk")
    assert list(actions.values_list("action", flat=True)) == [
        "infosharing.agreement.record",
        "infosharing.agreement.review",
        "infosharing.agreement.end",
    ]


def test_parties_must_be_two_of_the_partnerships_own(
    partnership, other_partnership, coordinator, parties
):
    elsewhere = seat_of(other_partnership, Seat.POLICE)
    for wrong in ([parties[0]], [parties[0], elsewhere]):
        with pytest.raises(ValidationError):
            record(coordinator, partnership, wrong)
    with pytest.raises(ValidationError):
        record(coordinator, partnership, parties, review_due=TODAY - timedelta(days=1))
    assert not SharingAgreement.objects.exists()
    agreement = record(coordinator, partnership, parties)
    with pytest.raises(IntegrityError), transaction.atomic():
        SharingAgreement.objects.filter(pk=agreement.pk).update(status=AgreementStatus.ENDED)


@pytest.mark.parametrize("role", [Role.STRATEGY_MEMBER, Role.CONTRIBUTOR, Role.SCRUTINY])
def test_only_the_coordinators_keep_the_register(partnership, coordinator, parties, role):
    agreement = record(coordinator, partnership, parties)
    someone = member(partnership, role)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        record(someone, partnership, parties)
    with pytest.raises(PermissionDenied):
        agreement_end(acting_user=someone, agreement=agreement)
    assert SharingAgreement.objects.get().status == AgreementStatus.IN_FORCE
    assert AuditEvent.objects.count() == before
    page = signed_in(someone).get("/p/trafford/information-sharing/")
    if role == Role.SCRUTINY:
        assert page.status_code == 404
    else:
        assert "ASB case information" in page.content.decode()
        assert "Add an agreement" not in page.content.decode()


def test_the_coordinator_keeps_the_register_through_the_pages(partnership, coordinator, parties):
    client = signed_in(coordinator)
    form = {
        "title": "Section 17A figures",
        "purpose": "Depersonalised figures",
        "legal_basis": "Crime and Disorder Act 1998 s17A",
        **_date_fields("signed_on", TODAY),
        **_date_fields("review_due", TODAY + timedelta(days=365)),
        "submit": "1",
    }
    refused = client.post("/p/trafford/information-sharing/new/", form)
    assert refused.status_code == 400
    response = client.post(
        "/p/trafford/information-sharing/new/", {**form, "parties": [p.pk for p in parties]}
    )
    agreement = SharingAgreement.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{agreement.pk}/")
    page = client.get(f"/p/trafford/information-sharing/{agreement.pk}/").content.decode()
    assert "Record a review" in page and parties[0].organisation.name in page
    client.post(f"/p/trafford/information-sharing/{agreement.pk}/end/", {"submit": "1"})
    assert SharingAgreement.objects.get().status == AgreementStatus.ENDED


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_register_and_its_cycle_run_a_fixed_number_of_queries(
    partnership, coordinator, parties
):
    client = signed_in(coordinator)
    url = "/p/trafford/information-sharing/"
    _count(client, url)

    def cycle():
        with CaptureQueriesContext(connection) as queries:
            list(cycle_for("infosharing_agreement_review").due(today=TODAY))
        return len(queries)

    record(coordinator, partnership, parties, title="Agreement 1")
    small, small_cycle = _count(client, url), cycle()
    for number in range(2, 9):
        record(coordinator, partnership, parties, title=f"Agreement {number}")
    assert "Agreement 8" in client.get(url).content.decode()
    assert (_count(client, url), cycle()) == (small, small_cycle)
    assert small <= 12 and small_cycle <= 2


# Quarterly returns -----------------------------------------------------------------------------


@pytest.mark.parametrize(("quarter", "latest"), [(2, date(2026, 12, 31)), (4, date(2027, 6, 30))])
def test_no_setting_moves_a_return_past_the_end_of_the_next_quarter(
    partnership, coordinator, settings, quarter, latest
):
    # SI 2007/1831 reg 3(1): disclosed by the end of the information period that follows.
    settings.CSP_QUARTERLY_RETURN_DAYS = 200
    returns = returns_open(
        acting_user=coordinator, partnership=partnership, year_start=2026, quarter=quarter
    )
    assert {r.due_date for r in returns} == {latest}


def test_a_quarters_returns_are_due_from_each_authority_submitted_and_chased(
    partnership, coordinator
):
    police_seat = seat_of(partnership, Seat.POLICE)
    officer = member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE)
    other = member(partnership, Role.CONTRIBUTOR, seat=Seat.HEALTH)
    returns = returns_open(
        acting_user=coordinator, partnership=partnership, year_start=2026, quarter=2
    )
    assert len(returns) == 5
    assert {r.due_date for r in returns} == {date(2026, 9, 30) + timedelta(days=28)}
    items = cycle_for("infosharing_quarterly_return").due(today=date(2026, 11, 1))
    police = next(item for item in items if "Police" in item.title)
    assert police.recipients == {officer.pk} and police.due_on < date(2026, 11, 1)  # late: chased

    own = QuarterlyReturn.objects.get(organisation=police_seat)
    with pytest.raises(PermissionDenied):
        return_submit(acting_user=other, quarterly_return=own, figures=[("Burglary", 41, "")])
    client = signed_in(officer)
    url = f"/p/trafford/information-sharing/returns/{own.pk}/"
    refused = client.post(url, {"figures": "Burglary forty", "submit": "1"})
    assert refused.status_code == 400 and "Line 1" in refused.content.decode()
    client.post(
        url, {"figures": "Residential burglary, 1,204\nKnife crime, 37, offences", "submit": "1"}
    )
    own.refresh_from_db()
    assert own.status == "submitted"
    assert list(own.figures.values_list("label", "value")) == [
        ("Residential burglary", 1204),
        ("Knife crime", 37),
    ]
    page = signed_in(other).get("/p/trafford/information-sharing/returns/").content.decode()
    assert "Health" in page and "Police" not in page  # a partner sees its own organisation's
    assert signed_in(other).get(url).status_code == 404
    with pytest.raises(ValidationError):
        returns_open(acting_user=coordinator, partnership=partnership, year_start=2026, quarter=2)
    assert not any(
        "Police" in item.title
        for item in cycle_for("infosharing_quarterly_return").due(today=date(2026, 11, 1))
    )


def test_the_returns_page_and_cycle_run_a_fixed_number_of_queries(
    partnership, other_partnership, coordinator
):
    client = signed_in(coordinator)
    url = "/p/trafford/information-sharing/returns/"
    _count(client, url)

    def cycle():
        with CaptureQueriesContext(connection) as queries:
            list(cycle_for("infosharing_quarterly_return").due(today=TODAY))
        return len(queries)

    returns_open(acting_user=coordinator, partnership=partnership, year_start=2026, quarter=1)
    small, small_cycle = _count(client, url), cycle()
    for quarter in (2, 3, 4):
        returns_open(
            acting_user=coordinator, partnership=partnership, year_start=2026, quarter=quarter
        )
    returns_open(
        acting_user=member(other_partnership, Role.COORDINATOR),
        partnership=other_partnership,
        year_start=2026,
        quarter=1,
    )
    assert "2026/2027 Q4" in client.get(url).content.decode()
    assert (_count(client, url), cycle()) == (small, small_cycle)
    assert small <= 12 and small_cycle <= 2
