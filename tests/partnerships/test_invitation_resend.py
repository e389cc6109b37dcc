"""A coordinator sends a pending invitation again: a new link, the old one dead, audited, at
most three times an hour, once however often the form is sent, and only in their partnership."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from audit.models import AuditEvent
from partnerships.models import Invitation, Role, Seat
from partnerships.services import RESENDS_PER_HOUR, invitation_create, invitation_resend
from tests.conftest import signed_in
from tests.factories import member, organisation_in

pytestmark = pytest.mark.django_db


def _resend_url(invitation: Invitation) -> str:
    return reverse(
        "partnerships:invitation_resend",
        kwargs={"partnership_slug": invitation.partnership.slug, "invitation_id": invitation.pk},
    )


def _link_in_last_email() -> str:
    return re.search(r"(/account/invitations/[\w-]+/)", mail.outbox[-1].body).group(1)


def _form_token(client, invitation: Invitation) -> str:
    page = client.get(_resend_url(invitation)).content.decode()
    return re.search(r'name="submission_token"\s+value="(\w+)"', page).group(1)


def _link(token: str) -> str:
    return f"http://testserver/account/invitations/{token}/"


def _invite(partnership, coordinator) -> Invitation:
    return invitation_create(
        acting_user=coordinator,
        partnership=partnership,
        email="sam.patel@nhs.example",
        full_name="Sam Patel",
        role=Role.CONTRIBUTOR,
        organisation=organisation_in(partnership, Seat.HEALTH),
        accept_url=_link,
    )


@pytest.fixture
def invitation(partnership, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return _invite(partnership, coordinator)


def _state(invitation: Invitation) -> tuple:
    invitation.refresh_from_db()
    return (
        invitation.token_hash,
        invitation.expires_at,
        len(mail.outbox),
        AuditEvent.objects.filter(action="invitation.resend").count(),
    )


def test_sending_again_mails_a_new_link_and_the_old_one_stops_working(
    invitation, coordinator_client, django_capture_on_commit_callbacks
):
    old_link = _link_in_last_email()
    people = coordinator_client.get(
        reverse("partnerships:people", kwargs={"partnership_slug": invitation.partnership.slug})
    ).content.decode()
    assert f'href="{_resend_url(invitation)}"' in people
    confirm = coordinator_client.get(_resend_url(invitation)).content.decode()
    assert "The link in the earlier email will stop working." in confirm

    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            _resend_url(invitation),
            {"submission_token": _form_token(coordinator_client, invitation)},
        )

    assert response.status_code == 302
    new_link = _link_in_last_email()
    assert (len(mail.outbox), mail.outbox[-1].to) == (2, ["sam.patel@nhs.example"])
    assert new_link != old_link
    invitee = Client()
    assert invitee.get(old_link).status_code == 404
    assert invitee.get(new_link).status_code == 200
    event = AuditEvent.objects.get(action="invitation.resend")
    assert (event.actor, event.object_id) == (invitation.invited_by, str(invitation.pk))


def test_the_form_sent_twice_sends_one_email(
    invitation, coordinator_client, django_capture_on_commit_callbacks
):
    token = _form_token(coordinator_client, invitation)
    with django_capture_on_commit_callbacks(execute=True):
        first = coordinator_client.post(_resend_url(invitation), {"submission_token": token})
        second = coordinator_client.post(
            _resend_url(invitation), {"submission_token": token}, follow=True
        )

    assert first.status_code == 302
    assert "It has been acted on once." in second.content.decode()
    assert len(mail.outbox) == 2  # the invitation and one resend
    assert AuditEvent.objects.filter(action="invitation.resend").count() == 1


def test_a_fourth_resend_within_the_hour_is_refused_with_a_reason(
    invitation, coordinator_client, django_capture_on_commit_callbacks
):
    for _ in range(RESENDS_PER_HOUR):
        with django_capture_on_commit_callbacks(execute=True):
            coordinator_client.post(
                _resend_url(invitation),
                {"submission_token": _form_token(coordinator_client, invitation)},
            )
    before = _state(invitation)

    with django_capture_on_commit_callbacks(execute=True):
        refused = coordinator_client.post(
            _resend_url(invitation),
            {"submission_token": _form_token(coordinator_client, invitation)},
        )

    assert refused.status_code == 400
    assert "Wait an hour before sending it again." in refused.content.decode()
    assert _state(invitation) == before
    assert before[2:] == (1 + RESENDS_PER_HOUR, RESENDS_PER_HOUR)


def test_an_email_still_queued_from_before_a_resend_sends_nothing(
    partnership, coordinator, django_capture_on_commit_callbacks
):
    """The first email's task runs late (a slow broker), after the resend: only the working link
    goes out."""
    with django_capture_on_commit_callbacks() as first_email:
        invitation = _invite(partnership, coordinator)
    with django_capture_on_commit_callbacks() as second_email:
        invitation_resend(acting_user=coordinator, invitation=invitation, accept_url=_link)

    for queued in [*first_email, *second_email]:
        queued()

    assert len(mail.outbox) == 1
    assert Client().get(_link_in_last_email()).status_code == 200


@pytest.mark.parametrize("who", ["other coordinator", *[r for r in Role if r != Role.COORDINATOR]])
def test_nobody_else_may_send_it_again_and_nothing_changes(
    invitation, other_partnership, who, django_capture_on_commit_callbacks
):
    if who == "other coordinator":
        client = signed_in(member(other_partnership, Role.COORDINATOR))
        # Their own partnership's address with this invitation's id: still not found.
        paths = [
            _resend_url(invitation),
            _resend_url(invitation).replace(invitation.partnership.slug, other_partnership.slug),
        ]
    else:
        client = signed_in(member(invitation.partnership, who))
        paths = [_resend_url(invitation)]
    before = _state(invitation)

    with django_capture_on_commit_callbacks(execute=True):
        statuses = {(client.get(path).status_code, client.post(path).status_code) for path in paths}

    assert statuses == {(404, 404)}
    assert _state(invitation) == before


def test_a_withdrawn_invitation_cannot_be_sent_again(invitation, coordinator_client):
    coordinator_client.post(
        reverse(
            "partnerships:invitation_revoke",
            kwargs={
                "partnership_slug": invitation.partnership.slug,
                "invitation_id": invitation.pk,
            },
        )
    )
    before = _state(invitation)

    assert coordinator_client.post(_resend_url(invitation)).status_code == 404
    assert _state(invitation) == before
