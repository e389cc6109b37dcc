import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from authorities.models import Nation
from partnerships.models import Invitation, Membership, PartnerOrganisation, Role, Seat
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, member, organisation_in

pytestmark = pytest.mark.django_db


def url(name, partnership, **kwargs):
    return reverse(f"partnerships:{name}", kwargs={"partnership_slug": partnership.slug, **kwargs})


def test_about_lists_the_statutory_seats_and_flags_empty_ones(db):
    partnership = PartnershipFactory(name="Cwm Taf", slug="cwm-taf", nation=Nation.WALES)
    PartnerOrganisation.objects.filter(partnership=partnership, seat=Seat.PROBATION).delete()
    client = signed_in(member(partnership, Role.SCRUTINY))

    page = client.get(url("about", partnership)).content.decode()

    assert "Cwm Taf Police" in page
    assert "Local health board" in page  # the health seat is named for Wales
    assert page.count("Seat empty") == 1
    assert "Remove" not in page  # scrutiny members manage nothing
    assert re.search(r"Scrutiny member</dt>\s*<dd[^>]*>1</dd>", page)
    assert re.search(r"CSP coordinator</dt>\s*<dd[^>]*>0</dd>", page)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.COORDINATOR, {"about": 200, "people": 200, "invite": 200, "audit_log": 200}),
        (Role.STRATEGY_MEMBER, {"about": 200, "people": 200, "invite": 404, "audit_log": 404}),
        (Role.CONTRIBUTOR, {"about": 200, "people": 200, "invite": 404, "audit_log": 404}),
        (Role.SCRUTINY, {"about": 200, "people": 404, "invite": 404, "audit_log": 404}),
        (Role.PCC_OFFICE, {"about": 200, "people": 404, "invite": 404, "audit_log": 404}),
    ],
)
def test_what_each_role_may_open(partnership, coordinator, role, expected):
    client = signed_in(member(partnership, role))
    assert {name: client.get(url(name, partnership)).status_code for name in expected} == expected


@pytest.mark.parametrize("role", [r for r in Role if r != Role.COORDINATOR])
def test_only_coordinators_change_people_and_nothing_changes_for_others(
    partnership, coordinator, role
):
    client = signed_in(member(partnership, role))
    target = Membership.objects.get(user=coordinator)
    before = (Membership.objects.count(), Invitation.objects.count(), AuditEvent.objects.count())

    responses = [
        client.post(url("membership_remove", partnership, membership_id=target.pk)),
        client.post(
            url("membership_edit", partnership, membership_id=target.pk),
            {"role": Role.SCRUTINY, "organisation": target.organisation_id},
        ),
        client.post(
            url("invite", partnership),
            {
                "full_name": "X",
                "email": "x@example.org",
                "role": Role.COORDINATOR,
                "organisation": target.organisation_id,
            },
        ),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert (
        Membership.objects.count(),
        Invitation.objects.count(),
        AuditEvent.objects.count(),
    ) == before
    assert Membership.objects.get(pk=target.pk).role == Role.COORDINATOR
    assert mail.outbox == []


def test_the_invite_form_shows_field_errors_and_sends_nothing(partnership, coordinator_client):
    response = coordinator_client.post(
        url("invite", partnership),
        {"full_name": "", "email": "not-an-email", "organisation": "999"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "<title>Error:" in page
    for message in (
        "Enter the person&#x27;s full name",
        "Enter an email address in the correct format, like name@example.gov.uk",
        "Select the person&#x27;s role",
        "Select an organisation that sits on this partnership",
    ):
        assert message in page
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_inviting_through_the_page_sends_the_email(
    partnership, coordinator_client, django_capture_on_commit_callbacks, settings
):
    # `make run PORT=8101`: the link follows the site's address, not the request's Host.
    settings.CSP_SITE_URL = "http://127.0.0.1:8101"
    organisation = organisation_in(partnership, Seat.HEALTH)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            url("invite", partnership),
            {
                "full_name": "Sam Patel",
                "email": "Sam.Patel@nhs.example",
                "role": Role.CONTRIBUTOR,
                "organisation": organisation.pk,
            },
            follow=True,
        )

    assert "Invitation sent to sam.patel@nhs.example." in response.content.decode()
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.organisation) == ("sam.patel@nhs.example", organisation)
    assert mail.outbox[0].to == ["sam.patel@nhs.example"]
    assert "\nhttp://127.0.0.1:8101/account/invitations/" in mail.outbox[0].body


def test_an_organisation_from_another_partnership_is_not_offered_or_accepted(
    partnership, other_partnership, coordinator_client
):
    outsider = organisation_in(other_partnership)
    form_page = coordinator_client.get(url("invite", partnership)).content.decode()
    assert outsider.name not in form_page

    response = coordinator_client.post(
        url("invite", partnership),
        {
            "full_name": "A",
            "email": "a@example.org",
            "role": "contributor",
            "organisation": outsider.pk,
        },
    )
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_the_last_coordinator_cannot_remove_themself(partnership, coordinator, coordinator_client):
    membership = Membership.objects.get(user=coordinator)
    response = coordinator_client.post(
        url("membership_remove", partnership, membership_id=membership.pk)
    )
    assert response.status_code == 400
    assert "is the partnership&#x27;s only coordinator" in response.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_the_wrong_kind_of_organisation_in_a_seat_is_a_field_error(partnership, coordinator_client):
    police = organisation_in(PartnershipFactory(), Seat.POLICE)
    response = coordinator_client.post(
        url("organisation_add", partnership), {"organisation": police.pk, "seat": Seat.HEALTH}
    )
    assert response.status_code == 400
    assert "cannot fill the health seat" in response.content.decode()
    assert not PartnerOrganisation.objects.filter(
        organisation=police, partnership=partnership
    ).exists()


def test_a_partnerships_home_is_your_work_there_and_people_of_two_partnerships_can_choose(
    partnership, other_partnership
):
    analyst = member(partnership, Role.CONTRIBUTOR)
    client = signed_in(analyst)
    response = client.get(url("home", partnership))
    assert response["Location"] == f"{reverse('reminders:your_work')}?partnership=trafford"
    assert client.post(url("home", partnership)).status_code == 405

    member(other_partnership, Role.CONTRIBUTOR, user=analyst)
    page = client.get(reverse("partnerships:choose")).content.decode()
    assert "Trafford" in page and "Cardiff" in page


def test_the_audit_log_filters_and_pages(partnership, coordinator, coordinator_client):
    for number in range(55):
        member(partnership, Role.CONTRIBUTOR, email=f"person{number}@example.org")

    first = coordinator_client.get(url("audit_log", partnership), {"action": "membership.create"})
    second = coordinator_client.get(
        url("audit_log", partnership), {"action": "membership.create", "page": 2}
    )

    assert "56 changes" in first.content.decode()  # the coordinator's own membership too
    assert first.content.decode().count('data-action="membership.create">Person joined') == 50
    assert second.content.decode().count('data-action="membership.create">Person joined') == 6
    assert "seat.add" not in second.content.decode().split("<tbody")[1]


def test_the_audit_log_rejects_an_impossible_date_range(partnership, coordinator_client):
    response = coordinator_client.get(
        url("audit_log", partnership),
        {
            **{"date_from_0": "1", "date_from_1": "5", "date_from_2": "2026"},
            **{"date_to_0": "1", "date_to_1": "4", "date_to_2": "2026"},
        },
    )
    assert "The end date must be the same as or after the start date" in response.content.decode()


@pytest.mark.parametrize("name", ["about", "people", "audit_log"])
def test_pages_run_a_fixed_number_of_queries_however_many_people(
    partnership, coordinator_client, name
):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert coordinator_client.get(url(name, partnership)).status_code == 200
        return len(captured)

    queries()  # the session's first request writes it; the ones within the minute do not
    few = queries()
    for number in range(30):
        member(partnership, Role.CONTRIBUTOR, email=f"many{number}@example.org")
    assert queries() == few
    assert few <= 16


def test_a_coordinator_who_steps_down_lands_on_a_page_they_can_still_see(
    partnership, coordinator, coordinator_client
):
    member(partnership, Role.COORDINATOR, email="successor@example.org")
    own = Membership.objects.get(user=coordinator)

    response = coordinator_client.post(
        url("membership_edit", partnership, membership_id=own.pk),
        {"role": Role.SCRUTINY, "organisation": own.organisation_id},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == url("about", partnership)
    assert response.status_code == 200
    assert Membership.objects.get(pk=own.pk).role == Role.SCRUTINY
