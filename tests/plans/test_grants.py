"""Community safety grants: the local policing body's office offers a grant for the actions and
measures of the plan in force, the coordinators accept it and report its spend each quarter,
members read it; the returns fall due with the quarter and are chased when late; the grant shows
in the plan's resources section (page and PDF) and through the API."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.models import User
from audit.models import AuditEvent
from authorities.models import LocalPolicingBody, OrganisationKind
from csp_portal.submissions import AlreadySubmitted, Submission, new_form_token
from partnerships.models import Partnership, Role, Seat
from plans import deadlines
from plans.documents import render_document
from plans.models import (
    CommunitySafetyGrant,
    DocumentKind,
    GrantSpendReturn,
    GrantStatus,
    PartnershipPlan,
    Quarter,
)
from plans.selectors.documents import plan_for_rendering
from plans.services import drafting
from plans.services import grants as services
from reminders.cycles import due_items
from tests.api.conftest import api
from tests.conftest import signed_in
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PoliceForceAreaFactory,
    UserFactory,
    member,
)
from tests.oversight.conftest import pcc_member
from tests.pdf import read_pdf

from .conftest import YEAR, add_action, approved_assessment, publish

TODAY = date(YEAR, 11, 15)  # 2027/28 Q3: Q1 and Q2 have ended
Q1, Q2, Q3 = Quarter(YEAR, 1), Quarter(YEAR, 2), Quarter(YEAR, 3)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(deadlines, "local_today", lambda: TODAY)
    return TODAY


def published_plan_of(partnership, coordinator):
    """The partnership's plan with one action (and its measure), signed by every seat and
    published (signers of its own, so that two partnerships can have one)."""
    plan = drafting.plan_start(
        acting_user=coordinator,
        partnership=partnership,
        assessment=approved_assessment(partnership, coordinator),
    )
    add_action(plan, coordinator)
    signers = {
        seat: member(partnership, Role.STRATEGY_MEMBER, seat=seat) for seat in Seat.statutory()
    }
    return publish(plan, coordinator, signers)


@pytest.fixture(scope="module")
def _world(module_data):
    """Trafford in Greater Manchester, whose commissioner functions the mayor holds, with its
    plan in force and a person in every role, the mayor's office among them and another office;
    Bolton beside it with its own plan. Built once for the module (each test in a savepoint)."""

    def make():
        area = PoliceForceAreaFactory(name="Greater Manchester")
        LocalPolicingBody.objects.create(
            police_force_area=area,
            kind="mayor",
            title="Mayor of Greater Manchester",
            office="Office of the Mayor of Greater Manchester",
            functions_from=date(2017, 5, 8),
        )
        office = OrganisationFactory(
            name="Office of the Mayor of Greater Manchester", kind=OrganisationKind.PCC
        )
        other_office = OrganisationFactory(name="Another office", kind=OrganisationKind.PCC)
        trafford = PartnershipFactory(name="Trafford", slug="trafford", police_force_area=area)
        bolton = PartnershipFactory(name="Bolton", slug="bolton", police_force_area=area)
        coordinator = member(trafford, Role.COORDINATOR, email="coordinator@trafford.example")
        plan = published_plan_of(trafford, coordinator)
        bolton_coordinator = member(bolton, Role.COORDINATOR, email="coordinator@bolton.example")
        bolton_plan = published_plan_of(bolton, bolton_coordinator)
        people = {
            "coordinator": coordinator,
            "strategy_member": member(trafford, Role.STRATEGY_MEMBER),
            "contributor": member(trafford, Role.CONTRIBUTOR),
            "scrutiny": member(trafford, Role.SCRUTINY),
            "pcc_office": pcc_member(trafford, office, UserFactory(email="pcc@gm.example")),
            "other_office": pcc_member(trafford, other_office),
            "other_partnership": bolton_coordinator,
        }
        pcc_member(bolton, office, people["pcc_office"])
        return {
            "trafford": trafford.pk,
            "bolton": bolton.pk,
            "plan": plan.pk,
            "bolton_action": bolton_plan.actions.get().pk,
            "people": {role: user.pk for role, user in people.items()},
        }

    return module_data.build(make)


@pytest.fixture
def trafford(_world, db):
    return Partnership.objects.get(pk=_world["trafford"])


@pytest.fixture
def plan(_world, db):
    return PartnershipPlan.objects.get(pk=_world["plan"])


@pytest.fixture
def people(_world, db):
    return {role: User.objects.get(pk=pk) for role, pk in _world["people"].items()}


def offer(trafford, people, plan, **terms):
    action = plan.actions.get()
    return services.grant_offer(
        acting_user=people["pcc_office"],
        partnership=trafford,
        **{
            "title": "Youth diversion",
            "amount": Decimal("25000"),
            "first_year": YEAR,
            "last_year": YEAR,
            "conditions": "Quarterly returns to the office.",
            "actions": [action],
            "measures": list(action.measures.all()),
            **terms,
        },
    )


def accepted(trafford, people, plan, **terms):
    return services.grant_accept(
        acting_user=people["coordinator"], grant=offer(trafford, people, plan, **terms)
    )


def spend(grant, people, quarter, amount="4000", outcome="Two youth workers"):
    return services.grant_spend_report(
        acting_user=people["coordinator"],
        grant=grant,
        quarter=quarter,
        amount_spent=Decimal(amount),
        outcome=outcome,
    )


# Services --------------------------------------------------------------------------------------


def test_the_office_offers_a_grant_for_the_actions_of_the_plan_in_force(trafford, people, plan):
    revision = plan.content_revision
    grant = offer(trafford, people, plan)

    assert grant.status == GrantStatus.OFFERED
    assert grant.plan == plan and grant.offered_by.name.startswith("Office of the Mayor")
    assert grant.offered_on == TODAY
    assert list(grant.actions.all()) == [plan.actions.get()]
    event = AuditEvent.objects.get(action="grant.offer")
    assert event.changes["amount"] == [None, "25000.00"]
    plan.refresh_from_db()
    assert plan.content_revision == revision + 1  # its document is made again


@pytest.mark.parametrize(
    "terms, field",
    [
        ({"amount": Decimal("-1")}, "amount"),
        ({"first_year": YEAR + 3, "last_year": YEAR + 3}, "first_year"),
        ({"first_year": YEAR + 1, "last_year": YEAR}, "last_year"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_terms_are_refused_and_nothing_is_recorded(trafford, people, plan, terms, field):
    with pytest.raises(ValidationError) as refused:
        offer(trafford, people, plan, **terms)
    assert field in refused.value.message_dict
    assert not CommunitySafetyGrant.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="grant.").exists()


def test_an_action_of_another_partnership_is_never_linked(_world, trafford, people, plan):
    from plans.models import PlanAction

    theirs = PlanAction.objects.get(pk=_world["bolton_action"])
    with pytest.raises(ValidationError) as refused:
        offer(trafford, people, plan, actions=[theirs], measures=list(theirs.measures.all()))
    assert {"actions", "measures"} <= set(refused.value.message_dict)
    assert not CommunitySafetyGrant.objects.exists()


def test_the_database_refuses_a_negative_amount(trafford, people, plan):
    grant = offer(trafford, people, plan)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommunitySafetyGrant.objects.filter(pk=grant.pk).update(amount=Decimal("-0.01"))
    grant = accepted(trafford, people, plan, title="Second")
    spend(grant, people, Q1)
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantSpendReturn.objects.filter(grant=grant).update(amount_spent=Decimal("-1"))


def test_an_offer_sent_twice_is_recorded_once(trafford, people, plan):
    submission = Submission(user_id=people["pcc_office"].pk, key=new_form_token())
    offer(trafford, people, plan, submission=submission)
    with pytest.raises(AlreadySubmitted):
        offer(trafford, people, plan, submission=submission)
    assert CommunitySafetyGrant.objects.count() == 1


def test_spend_is_reported_corrected_and_a_stale_correction_refused(trafford, people, plan):
    grant = accepted(trafford, people, plan)
    assert grant.status == GrantStatus.ACCEPTED and grant.accepted_at is not None
    first = spend(grant, people, Q1, "4000")
    spend(grant, people, Q1, "4000")  # the same again (a resent form): nothing more
    assert GrantSpendReturn.objects.get().revision == 1
    services.grant_spend_report(
        acting_user=people["coordinator"],
        grant=grant,
        quarter=Q1,
        amount_spent=Decimal("4500.50"),
        outcome="Two youth workers and a minibus",
        revision=first.revision,
    )
    with pytest.raises(ValidationError):
        services.grant_spend_report(
            acting_user=people["coordinator"],
            grant=grant,
            quarter=Q1,
            amount_spent=Decimal("1"),
            outcome="From a page opened before the correction",
            revision=first.revision,
        )
    saved = GrantSpendReturn.objects.get()
    assert (saved.amount_spent, saved.revision) == (Decimal("4500.50"), 2)
    assert AuditEvent.objects.filter(action="grant.spend_report").count() == 2


def test_a_quarter_not_yet_started_takes_no_return(trafford, people, plan):
    grant = accepted(trafford, people, plan)
    with pytest.raises(ValidationError) as refused:
        spend(grant, people, Quarter(YEAR, 4))
    assert "quarter" in refused.value.message_dict
    assert not GrantSpendReturn.objects.exists()


def test_late_returns_are_counted_and_the_sweep_chases_the_coordinators(trafford, people, plan):
    offer(trafford, people, plan, title="Only an offer")  # owes nothing until accepted
    grant = accepted(trafford, people, plan)
    spend(grant, people, Q1)

    standing = deadlines.grant_standing(
        deadlines.with_spend(CommunitySafetyGrant.objects.filter(pk=grant.pk)).get()
    )
    assert (standing.late, standing.due, standing.spent) == ([Q2], Q3, Decimal("4000"))

    items = due_items(today=TODAY, kinds=["grant_spend"])
    assert sorted(item.key for item in items) == [
        f"grant_spend:{grant.pk}:{Q2.code}",
        f"grant_spend:{grant.pk}:{Q3.code}",
    ]
    late = next(item for item in items if item.key.endswith(Q2.code))
    assert late.is_overdue(TODAY) and late.due_on == Q2.ends_on
    assert late.recipients == {people["coordinator"].pk}
    assert late.url.endswith(f"/grants/{grant.pk}/")


def test_an_ended_grant_owes_the_quarters_up_to_its_end_and_no_more(trafford, people, plan):
    grant = accepted(trafford, people, plan)
    services.grant_end(acting_user=people["pcc_office"], grant=grant, today=date(YEAR, 8, 1))
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ENDED and grant.ended_on == date(YEAR, 8, 1)
    keys = {item.key for item in due_items(today=TODAY, kinds=["grant_spend"])}
    assert keys == {f"grant_spend:{grant.pk}:{Q1.code}", f"grant_spend:{grant.pk}:{Q2.code}"}
    spend(grant, people, Q2)  # still taken for a quarter it covered
    with pytest.raises(ValidationError):
        spend(grant, people, Q3)


# Who may do what -------------------------------------------------------------------------------

ROLES = [
    "coordinator",
    "strategy_member",
    "contributor",
    "scrutiny",
    "pcc_office",
    "other_office",
    "other_partnership",
]
MAY = {
    "offer": {"pcc_office", "other_office"},
    "edit": {"pcc_office"},
    "accept": {"coordinator"},
    "end": {"pcc_office"},
    "report_spend": {"coordinator"},
}


def _act(verb, user, grant, trafford, plan):
    if verb == "offer":
        services.grant_offer(
            acting_user=user,
            partnership=trafford,
            title="By someone else",
            amount=Decimal(1),
            first_year=YEAR,
            last_year=YEAR,
        )
    elif verb == "edit":
        services.grant_update(
            acting_user=user,
            grant=grant,
            title="Changed",
            amount=Decimal(1),
            first_year=YEAR,
            last_year=YEAR,
        )
    elif verb == "accept":
        services.grant_accept(acting_user=user, grant=grant)
    elif verb == "end":
        services.grant_end(acting_user=user, grant=grant)
    else:
        services.grant_spend_report(
            acting_user=user, grant=grant, quarter=Q1, amount_spent=Decimal(1), outcome="X"
        )


def _state():
    return (
        list(CommunitySafetyGrant.objects.values().order_by("pk")),
        list(GrantSpendReturn.objects.values().order_by("pk")),
        AuditEvent.objects.count(),
        PartnershipPlan.objects.values_list("content_revision", flat=True).order_by("pk")[::1],
    )


@pytest.mark.parametrize("verb", list(MAY))
@pytest.mark.parametrize("role", ROLES)
def test_the_policy_matrix(trafford, people, plan, role, verb):
    grant = (accepted if verb == "report_spend" else offer)(trafford, people, plan)
    before = _state()
    if role in MAY[verb]:
        _act(verb, people[role], grant, trafford, plan)
        assert _state() != before
    else:
        with pytest.raises(PermissionDenied):
            _act(verb, people[role], grant, trafford, plan)
        assert _state() == before  # nothing changed, nothing audited


def test_an_accepted_grant_is_no_longer_changed_and_says_why(trafford, people, plan):
    grant = accepted(trafford, people, plan)
    with pytest.raises(ValidationError, match="Only an offer can be changed"):
        _act("edit", people["pcc_office"], grant, trafford, plan)
    with pytest.raises(ValidationError):
        _act("accept", people["coordinator"], grant, trafford, plan)


# Pages, with JavaScript off: plain forms, POST then redirect ------------------------------------


def _token(page) -> str:
    import re

    return re.search(r'name="submission_token"\s+value="([0-9a-f]{32})"', page).group(1)


def test_the_office_records_a_grant_through_the_form_and_members_read_it(trafford, people, plan):
    office = signed_in(people["pcc_office"])
    form = office.get("/p/trafford/grants/new/")
    assert form.status_code == 200
    page = form.content.decode()
    action = plan.actions.get()
    assert f'value="{action.pk}"' in page
    data = {
        "submission_token": _token(page),
        "title": "Youth diversion",
        "amount": "25000",
        "first_year": str(YEAR),
        "last_year": str(YEAR + 1),
        "conditions": "Quarterly returns.",
        "actions": [str(action.pk)],
        "measures": [str(action.measures.get().pk)],
    }
    response = office.post("/p/trafford/grants/new/", data)
    grant = CommunitySafetyGrant.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/p/trafford/grants/{grant.pk}/"
    again = office.post("/p/trafford/grants/new/", data, follow=True)  # the back button, resend
    assert CommunitySafetyGrant.objects.count() == 1
    assert "acted on once" in again.content.decode()

    for role in ("contributor", "scrutiny", "strategy_member"):
        client = signed_in(people[role])
        listing = client.get("/p/trafford/grants/").content.decode()
        assert "Youth diversion" in listing and "£25,000" in listing
        detail = client.get(f"/p/trafford/grants/{grant.pk}/").content.decode()
        assert "Mayor of Greater Manchester" in detail and "Quarterly returns." in detail
        assert "Accept the grant" not in detail and "Change the offer" not in detail
    stranger = signed_in(people["other_partnership"])
    assert stranger.get(f"/p/trafford/grants/{grant.pk}/").status_code == 404
    assert stranger.get(f"/p/bolton/grants/{grant.pk}/").status_code == 404


def test_a_bad_amount_is_shown_on_the_form_and_nothing_is_made(trafford, people, plan):
    office = signed_in(people["pcc_office"])
    response = office.post(
        "/p/trafford/grants/new/",
        {"title": "X", "amount": "-5", "first_year": str(YEAR), "last_year": str(YEAR)},
    )
    assert response.status_code == 400
    assert "Enter an amount of £0 or more" in response.content.decode()
    assert not CommunitySafetyGrant.objects.exists()


def test_the_coordinator_accepts_and_reports_spend_through_the_pages(trafford, people, plan):
    grant = offer(trafford, people, plan)
    coordinator = signed_in(people["coordinator"])
    detail = coordinator.get(f"/p/trafford/grants/{grant.pk}/").content.decode()
    assert "Accept the grant" in detail and "Report spend" not in detail
    assert coordinator.post(f"/p/trafford/grants/{grant.pk}/accept/").status_code == 302

    form = coordinator.get(f"/p/trafford/grants/{grant.pk}/spend/?quarter={Q2.code}")
    assert 'value="2027-2" selected' in form.content.decode()
    response = coordinator.post(
        f"/p/trafford/grants/{grant.pk}/spend/",
        {
            "quarter": Q2.code,
            "amount_spent": "6250.5",
            "outcome": "Evening sessions",
            "revision": 0,
        },
    )
    assert response.status_code == 302
    detail = coordinator.get(f"/p/trafford/grants/{grant.pk}/").content.decode()
    assert "£6,250.50" in detail and "Evening" in detail
    assert "Late" in detail  # Q1 has no return


def test_a_contributor_posting_accept_gets_404_and_nothing_changes(trafford, people, plan):
    grant = offer(trafford, people, plan)
    before = _state()
    client = signed_in(people["contributor"])
    assert client.post(f"/p/trafford/grants/{grant.pk}/accept/").status_code == 404
    assert client.get(f"/p/trafford/grants/{grant.pk}/spend/").status_code == 404
    other_office = signed_in(people["other_office"])
    assert other_office.post(f"/p/trafford/grants/{grant.pk}/end/").status_code == 404
    assert _state() == before


def test_the_plan_page_and_pdf_show_the_grants_in_the_resources_section(trafford, people, plan):
    grant = accepted(trafford, people, plan)
    spend(grant, people, Q1, "4000")

    page = signed_in(people["scrutiny"]).get(f"/p/trafford/plans/{plan.pk}/").content.decode()
    section = page[page.index('data-testid="section-resources"') :]
    assert "Youth diversion" in section and "£25,000" in section and "£4,000" in section

    readout = read_pdf(render_document(plan_for_rendering(plan_id=plan.pk), DocumentKind.PLAN))
    assert "Community safety grants from the local policing body" in readout.text
    assert "Youth diversion" in readout.text
    assert "Mayor of Greater Manchester" in readout.text
    assert "£25,000" in readout.text and "£4,000" in readout.text


def test_the_api_reads_the_grants_and_nothing_of_another_partnership(trafford, people, plan):
    grant = accepted(trafford, people, plan)
    spend(grant, people, Q1)
    client = api(people["contributor"])
    body = client.get("/api/v1/p/trafford/grants/").json()
    (row,) = body["results"]
    assert row["title"] == "Youth diversion" and row["amount"] == "25000.00"
    assert row["local_policing_body"] == "Mayor of Greater Manchester"
    assert row["late_returns"] == [Q2.code] and row["spent"] == "4000.00"
    assert row["returns"][0]["quarter"] == Q1.code
    detail = client.get(f"/api/v1/p/trafford/grants/{grant.pk}/")
    assert detail.status_code == 200
    stranger = api(people["other_partnership"])
    assert stranger.get(f"/api/v1/p/trafford/grants/{grant.pk}/").status_code == 404
    assert stranger.get(f"/api/v1/p/bolton/grants/{grant.pk}/").status_code == 404


def test_the_sweep_reminds_the_coordinator_once_of_a_late_return(trafford, people, plan):
    from reminders.models import Notification
    from reminders.sweep import reminders_sweep

    grant = accepted(trafford, people, plan)
    spend(grant, people, Q1)
    reminders_sweep(today=TODAY)
    reminders_sweep(today=TODAY)  # a doubled sweep sends nothing twice
    sent = Notification.objects.filter(kind="grant_spend")
    # Q3's return is due in six weeks: not yet reminded (the stages are 14, 7 and 1 days).
    assert list(sent.values_list("item_key", flat=True)) == [f"grant_spend:{grant.pk}:{Q2.code}"]
    assert set(sent.values_list("user", flat=True)) == {people["coordinator"].pk}


def test_the_spend_cycle_reads_in_a_fixed_number_of_queries(trafford, people, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from plans.deadlines import GrantSpendCycle

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            GrantSpendCycle().due(today=TODAY)
        return len(captured)

    spend(accepted(trafford, people, plan), people, Q1)
    small = queries()
    for number in range(4):
        spend(accepted(trafford, people, plan, title=f"More {number}"), people, Q2)
    assert queries() == small == 3


def test_the_grant_list_page_and_api_read_in_a_fixed_number_of_queries(trafford, people, plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page, endpoint = signed_in(people["contributor"]), api(people["contributor"])

    def queries() -> tuple[int, int]:
        counts = []
        for client, url in (
            (page, "/p/trafford/grants/"),
            (endpoint, "/api/v1/p/trafford/grants/"),
        ):
            client.get(url)  # the session's first request writes it
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
        return tuple(counts)

    spend(accepted(trafford, people, plan), people, Q1)
    small = queries()
    for number in range(4):
        grant = accepted(trafford, people, plan, title=f"More {number}")
        spend(grant, people, Q1)
        spend(grant, people, Q2)
    assert queries() == small
    assert small[0] <= 25 and small[1] <= 15


def test_the_actions_progress_page_names_the_grants_funding_it(trafford, people, plan):
    grant = accepted(trafford, people, plan)
    action = plan.actions.get()
    page = signed_in(people["coordinator"]).get(f"/p/trafford/actions/{action.pk}/progress/")
    body = page.content.decode()
    funded = body[body.index('data-testid="action-grants"') :]
    assert f'href="/p/trafford/grants/{grant.pk}/"' in funded and "£25,000" in funded
