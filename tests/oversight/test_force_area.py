"""The PCC office's force-area page: every partnership it serves, where each is in its cycle,
its priorities against the police and crime plan's, and its progress; no drafts."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments.services import assessments as assessment_services
from authorities.models import LocalPolicingBodyKind, OrganisationKind
from authorities.services import local_policing_body_succeed
from oversight.services.priorities import pcc_priority_add
from oversight.services.report_requests import report_request_create
from partnerships.models import Role
from plans import deadlines
from plans.models import PoliceAndCrimePlanPriority, Quarter
from plans.services import drafting
from plans.services import grants as grant_services
from tests.conftest import signed_in
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PoliceForceAreaFactory,
    UserFactory,
    member,
)
from tests.plans.conftest import approved_assessment

from .conftest import pcc_member, pcc_membership, published_plan

URL = "/pcc/"


def _table(page: str, testid: str) -> str:
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</table>", start)]


def test_the_page_shows_each_partnership_its_cycle_alignment_and_progress(
    partnership, bolton, pcc, pcc_priorities
):
    trafford_coordinator = member(partnership, Role.COORDINATOR)
    plan = published_plan(partnership, trafford_coordinator, serves=pcc_priorities[:2], actions=2)

    page = signed_in(pcc).get(URL).content.decode()

    assert "Greater Manchester" in page
    cycle = _table(page, "cycle")
    assert "Trafford" in cycle and "Bolton" in cycle
    assert plan.period_label in cycle and "Published" in cycle
    assert "None approved yet" in cycle  # Bolton has nothing approved
    assert "31 March" in cycle  # Trafford's next annual refresh

    alignment = _table(page, "alignment")
    rows = alignment.split('<tr class="govuk-table__row">')[2:]
    assert "Keeping people safe" in rows[0] and "Anti-social behaviour" in rows[0]
    assert "Reducing harm" in rows[1] and "Anti-social behaviour" in rows[1]
    assert "Strengthening communities" in rows[2] and "Anti-social behaviour" not in rows[2]

    progress = _table(page, "progress")
    assert "Not started" in progress
    trafford_row = next(row for row in progress.split("<tr") if "Trafford" in row)
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in trafford_row


def test_a_priority_serving_none_is_listed_as_such(partnership, pcc, pcc_priorities):
    published_plan(partnership, member(partnership, Role.COORDINATOR), serves=())
    alignment = _table(signed_in(pcc).get(URL).content.decode(), "alignment")
    unmapped = alignment[alignment.index("Serves no police and crime plan priority") :]
    assert "Anti-social behaviour" in unmapped


def test_drafts_never_show(partnership, pcc, pcc_priorities):
    coordinator = member(partnership, Role.COORDINATOR)
    assessment = approved_assessment(partnership, coordinator)
    draft = drafting.plan_start(
        acting_user=coordinator, partnership=partnership, assessment=assessment
    )
    drafting.plan_priority_save(
        acting_user=coordinator,
        plan=draft,
        priority=draft.priorities.get(theme="anti_social_behaviour"),
        revision=1,
        theme="anti_social_behaviour",
        rationale="Draft rationale",
        pcc_priorities=pcc_priorities,
    )
    assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=2028
    )

    page = signed_in(pcc).get(URL).content.decode()

    assert "No plan in force" in _table(page, "cycle")
    assert "Anti-social behaviour" not in _table(page, "alignment")
    assert "2028" not in page  # the draft assessment
    assert assessment.year_label in page  # the approved one


def test_only_partnerships_where_they_hold_a_pcc_membership_show(
    partnership, bolton, force_area, pcc, pcc_organisation
):
    PartnershipFactory(name="Wigan", slug="wigan", police_force_area=force_area)
    page = signed_in(pcc).get(URL).content.decode()
    assert "Bolton" in page and "Wigan" not in page


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PCC_OFFICE])
def test_anyone_else_gets_404(partnership, role):
    assert signed_in(member(partnership, role)).get(URL).status_code == 404


def test_the_navigation_links_to_it_for_a_pcc_office(partnership, pcc):
    # In the sub-navigation of "Your work", where a person's own pages are.
    page = signed_in(pcc).get("/").content.decode()
    assert 'href="/pcc/"' in page
    other = signed_in(member(partnership, Role.SCRUTINY)).get("/").content.decode()
    assert 'href="/pcc/"' not in other


def granted(partnership, pcc, coordinator, plan, amount, spent=(), accept=True):
    """A grant from the PCC office for the plan's actions, accepted, with a return for each
    quarter of ``spent`` (quarter, amount) reported as on a day in its period."""
    grant = grant_services.grant_offer(
        acting_user=pcc,
        partnership=partnership,
        title=f"Grant of {amount}",
        amount=Decimal(amount),
        first_year=plan.period_start,
        last_year=plan.period_start,
        actions=plan.actions.all(),
    )
    if accept:
        grant = grant_services.grant_accept(acting_user=coordinator, grant=grant)
    for quarter, amount_spent in spent:
        grant_services.grant_spend_report(
            acting_user=coordinator,
            grant=grant,
            quarter=quarter,
            amount_spent=Decimal(amount_spent),
            outcome="Done",
            today=quarter.ends_on,
        )
    return grant


def test_the_page_shows_each_partnerships_grants_spend_and_late_returns(
    partnership, bolton, pcc, monkeypatch
):
    coordinator = member(partnership, Role.COORDINATOR)
    plan = published_plan(partnership, coordinator)
    year = plan.period_start
    granted(partnership, pcc, coordinator, plan, "20000", spent=[(Quarter(year, 1), "3000.50")])
    granted(partnership, pcc, coordinator, plan, "5000", accept=False)
    monkeypatch.setattr(deadlines, "local_today", lambda: date(year, 11, 15))  # Q2 has ended

    grants = _table(signed_in(pcc).get(URL).content.decode(), "grants")

    trafford = next(row for row in grants.split("<tr") if "Trafford" in row)
    assert "£20,000" in trafford and "£5,000" in trafford and "£3,000.50" in trafford
    assert "<strong>1</strong>" in trafford  # Q2's return is late
    assert 'href="/p/trafford/grants/"' in trafford
    bolton_row = next(row for row in grants.split("<tr") if "Bolton" in row)
    assert "£0" in bolton_row


def _queries(client, *, kept: bool) -> int:
    """The queries of one request for the page, its body kept from an earlier one or not."""
    if not kept:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_a_fixed_number_of_queries_whatever_the_number_of_partnerships(
    partnership, force_area, pcc, pcc_organisation, pcc_priorities
):
    coordinator = member(partnership, Role.COORDINATOR)
    plan = published_plan(partnership, coordinator, serves=pcc_priorities)
    granted(
        partnership, pcc, coordinator, plan, "1000", spent=[(Quarter(plan.period_start, 1), "5")]
    )
    client = signed_in(pcc)
    _queries(client, kept=False)  # the session's first request writes it; later ones do not
    small = _queries(client, kept=False), _queries(client, kept=True)
    for number in range(4):
        more = PartnershipFactory(
            name=f"Borough {number}", slug=f"borough-{number}", police_force_area=force_area
        )
        pcc_member(more, pcc_organisation, pcc)
        coordinator = member(more, Role.COORDINATOR)
        plan = published_plan(more, coordinator, serves=pcc_priorities[:1], actions=3)
        for amount in ("1000", "2000"):
            first = Quarter(plan.period_start, 1)
            granted(more, pcc, coordinator, plan, amount, spent=[(first, "5"), (first.next(), "6")])
    large = _queries(client, kept=False), _queries(client, kept=True)
    print("force-area queries (worked out, kept)", small, large)
    assert large == small
    worked_out, kept = large
    assert worked_out <= 20
    # A kept body costs the page one query of its own: the partnerships it is kept under.
    assert kept <= 6 and kept < worked_out


# The kept body (csp_portal/changes.py) -----------------------------------------------------------


def _open_requests(page: str, name: str) -> str:
    row = next(row for row in _table(page, "cycle").split("<tr") if name in row)
    return " ".join(row.split())


def test_an_audited_change_in_one_partnership_shows_at_once(partnership, bolton, pcc):
    client = signed_in(pcc)
    assert "0 open" in _open_requests(client.get(URL).content.decode(), "Bolton")
    assert "0 open" in _open_requests(client.get(URL).content.decode(), "Bolton")  # kept

    report_request_create(
        acting_user=pcc,
        membership=pcc_membership(pcc, bolton),
        title="Knife crime",
        body="Tell us what the partnership is doing about knife crime.",
        due_date=date.today() + timedelta(days=1),
    )

    bolton_row = _open_requests(client.get(URL).content.decode(), "Bolton")
    assert "1 open" in bolton_row and "overdue" not in bolton_row


def test_what_is_overdue_is_worked_out_again_the_next_day(partnership, bolton, pcc, monkeypatch):
    due = date.today() + timedelta(days=1)
    report_request_create(
        acting_user=pcc,
        membership=pcc_membership(pcc, bolton),
        title="Knife crime",
        body="Tell us what the partnership is doing about knife crime.",
        due_date=due,
    )
    client = signed_in(pcc)
    assert "overdue" not in _open_requests(client.get(URL).content.decode(), "Bolton")

    monkeypatch.setattr(deadlines, "local_today", lambda: due + timedelta(days=1))

    assert "1 overdue" in _open_requests(client.get(URL).content.decode(), "Bolton")


def test_a_pcc_office_of_another_force_area_never_receives_this_ones_body(partnership, bolton, pcc):
    west_yorkshire = PoliceForceAreaFactory(name="West Yorkshire")
    leeds = PartnershipFactory(name="Leeds", slug="leeds", police_force_area=west_yorkshire)
    office = OrganisationFactory(name="West Yorkshire Mayor", kind=OrganisationKind.PCC)
    other = pcc_member(leeds, office)
    assert "Trafford" in signed_in(pcc).get(URL).content.decode()  # now kept

    page = signed_in(other).get(URL).content.decode()

    assert "Leeds" in page and "West Yorkshire" in page
    assert "Trafford" not in page and "Bolton" not in page and "Greater Manchester" not in page


def test_someone_serving_fewer_of_the_areas_partnerships_sees_only_theirs(
    partnership, bolton, pcc, pcc_organisation
):
    assert "Bolton" in signed_in(pcc).get(URL).content.decode()  # now kept
    colleague = pcc_member(partnership, pcc_organisation)

    page = signed_in(colleague).get(URL).content.decode()

    assert "Trafford" in page and "Bolton" not in page


def test_a_police_and_crime_plan_priority_shows_at_once_to_every_office_of_the_area(
    partnership, bolton, pcc, pcc_organisation
):
    """Added from Trafford's membership: shown at once to someone serving only Bolton."""
    bolton_only = pcc_member(bolton, pcc_organisation)
    client = signed_in(bolton_only)
    assert "Tackling knife crime" not in client.get(URL).content.decode()  # now kept

    pcc_priority_add(
        acting_user=pcc, membership=pcc_membership(pcc, partnership), title="Tackling knife crime"
    )

    assert "Tackling knife crime" in _table(client.get(URL).content.decode(), "alignment")


def test_a_new_body_holding_the_commissioner_functions_shows_at_once(force_area, bolton, pcc):
    client = signed_in(pcc)
    assert "Policing and Crime Board" not in client.get(URL).content.decode()  # now kept

    local_policing_body_succeed(
        acting_user=None,
        police_force_area=force_area,
        kind=LocalPolicingBodyKind.POLICING_AND_CRIME_BOARD,
        title="Greater Manchester Policing and Crime Board",
        office="Greater Manchester Policing and Crime Board secretariat",
        functions_from=date.today(),
    )

    body = client.get(URL).content.decode()
    assert "held by the Greater Manchester Policing and Crime Board" in body


def test_a_priority_corrected_in_the_admin_shows_at_once(force_area, partnership, pcc):
    """Staff enter the police and crime plan in the admin, which no service audits."""
    priority = PoliceAndCrimePlanPriority.objects.create(
        police_force_area=force_area, title="Keeping people safe", position=1
    )
    client = signed_in(pcc)
    assert "Keeping people safe" in _table(client.get(URL).content.decode(), "alignment")

    staff = signed_in(UserFactory(is_staff=True, is_superuser=True))
    response = staff.post(
        f"/admin/plans/policeandcrimeplanpriority/{priority.pk}/change/",
        {
            "police_force_area": force_area.pk,
            "title": "Keeping everyone safe",
            "description": "",
            "position": 1,
            "retired_at_0": "",
            "retired_at_1": "",
        },
    )

    assert response.status_code == 302
    alignment = _table(client.get(URL).content.decode(), "alignment")
    assert "Keeping everyone safe" in alignment and "Keeping people safe" not in alignment
