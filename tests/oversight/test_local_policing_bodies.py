"""Local policing bodies: every force area's police and crime commissioner functions held by a
body with dates (a commissioner, a police, fire and crime commissioner, a mayor, the City of
London's police authority, or what replaces commissioners), the migration that records them on
today's data, and the oversight pages showing each record under the title of the body of its day."""

import itertools
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from authorities.models import LocalPolicingBodyKind as Kind
from authorities.policing_bodies import KNOWN, periods_for
from authorities.services import local_policing_bodies_record, local_policing_body_succeed
from oversight.services.combinations import combination_approval_record
from oversight.services.report_requests import report_request_create
from tests.conftest import signed_in

from .conftest import pcc_membership

TODAY = timezone.localdate()
BOARD_FROM = TODAY - timedelta(days=10)


def _history(area) -> list[tuple[str, str, date, date | None]]:
    return list(
        area.local_policing_bodies.order_by("functions_from").values_list(
            "kind", "title", "functions_from", "functions_until"
        )
    )


def _table(page: str) -> str:
    return page[page.index("<table") : page.index("</table>")]


def test_the_table_gives_each_area_one_unbroken_history():
    assert {
        code: periods_for(code, "")[-1][0].kind
        for code in KNOWN
        if code in {"E23000001", "E23000005", "E23000010", "E23000011"}
    } == dict.fromkeys(["E23000001", "E23000005", "E23000010", "E23000011"], Kind.MAYOR)
    for code in KNOWN:
        history = periods_for(code, "")
        assert [until is None for _period, until in history][-1]
        for (_period, until), (following, _until) in itertools.pairwise(history):
            assert until == following.functions_from - timedelta(days=1)
    assert periods_for("W15000003", "South Wales") == [
        (periods_for("W15000003", "South Wales")[0][0], None)
    ]
    assert periods_for("E23000034", "London, City of")[0][0].kind == Kind.POLICE_AUTHORITY


@pytest.fixture
def succeeded(force_area, pcc):
    """Greater Manchester's commissioner, replaced ten days ago by a policing and crime board."""
    force_area.code = "E23990001"  # not a real area: a commissioner throughout
    force_area.save()
    local_policing_bodies_record(acting_user=None, areas=[force_area])
    return local_policing_body_succeed(
        acting_user=None,
        police_force_area=force_area,
        kind=Kind.POLICING_AND_CRIME_BOARD,
        title="Greater Manchester Policing and Crime Board",
        office="Greater Manchester Policing and Crime Board secretariat",
        functions_from=BOARD_FROM,
    )


def test_each_record_keeps_the_title_of_the_body_of_its_day(
    partnership, bolton, pcc, coordinator, succeeded
):
    membership = pcc_membership(pcc, partnership)
    old = report_request_create(
        acting_user=pcc,
        membership=membership,
        title="Old",
        body="Text.",
        due_date=TODAY + timedelta(days=9),
    )
    old.__class__.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    report_request_create(
        acting_user=pcc,
        membership=membership,
        title="New",
        body="Text.",
        due_date=TODAY + timedelta(days=9),
    )
    combination_approval_record(
        acting_user=pcc,
        membership=membership,
        partnerships=[partnership, bolton],
        approved_on=BOARD_FROM - timedelta(days=1),
        reference="PCC/1",
    )
    client = signed_in(pcc)

    page = client.get("/p/trafford/report-requests/").content.decode()
    assert "· Greater Manchester Policing and Crime Board secretariat</span>" in page
    new_row, old_row = _table(page).split("</tr>")[1:3]
    assert "New" in new_row and "Greater Manchester Policing and Crime Board" in new_row
    assert "Old" in old_row and "Greater Manchester Police and Crime Commissioner" in old_row
    detail = client.get(f"/p/trafford/report-requests/{old.pk}/").content.decode()
    assert "Greater Manchester Police and Crime Commissioner" in detail
    approvals = client.get("/p/trafford/combinations/").content.decode()
    assert "Approved by the Greater Manchester Police and Crime Commissioner" in approvals
    assert "today the Greater Manchester Policing and Crime Board" in approvals
    area = client.get("/pcc/").content.decode()
    assert (
        "held by the Greater Manchester Policing and Crime Board (policing and crime board)" in area
    )
    # Wherever the office's role is named: its partnerships on Your work and the switcher.
    office = "Greater Manchester Policing and Crime Board secretariat"
    assert signed_in(pcc).get("/").content.decode().count(office) == 2
    assert client.get(reverse("partnerships:choose")).content.decode().count(office) == 2
    people = signed_in(coordinator).get("/p/trafford/people/").content.decode()
    assert f'<td class="govuk-table__cell">{office}</td>' in people
    priorities = client.get("/p/trafford/police-and-crime-plan/").content.decode()
    assert (
        "The priorities of the Greater Manchester Policing and Crime Board's police" in priorities
    )


def test_a_successor_cannot_start_before_the_body_it_replaces(force_area, succeeded):
    before = _history(force_area)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        local_policing_body_succeed(
            acting_user=None,
            police_force_area=force_area,
            kind=Kind.MAYOR,
            title="Mayor of Greater Manchester",
            office="Office of the Mayor",
            functions_from=BOARD_FROM,
        )
    assert _history(force_area) == before
    assert AuditEvent.objects.count() == events
    assert succeeded.functions_until is None
    assert _history(force_area)[0][3] == BOARD_FROM - timedelta(days=1)


def test_an_area_without_a_recorded_body_reads_in_general_words(pcc, partnership):
    client = signed_in(pcc)
    page = client.get("/pcc/").content.decode()
    assert "are held by its police and crime commissioner." in page
    page = client.get("/p/trafford/report-requests/").content.decode()
    assert "· Police and crime commissioner&#x27;s office</span>" in page
