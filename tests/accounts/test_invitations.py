import re

import pytest
from django.core import mail
from django.test import Client

from accounts.models import User
from partnerships.models import Invitation, Membership, Role
from partnerships.services import invitation_create
from tests.conftest import signed_in
from tests.factories import member, organisation_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation_link(partnership, coordinator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(coordinator).post(
            f"/p/{partnership.slug}/people/invite/",
            {
                "full_name": "Sam Patel",
                "email": "sam@example.org",
                "role": Role.COORDINATOR,
                "organisation": organisation_in(partnership).pk,
            },
        )
    return re.search(r"https?://[^/\s]+(/account/invitations/\S+)", mail.outbox[-1].body).group(1)


def test_a_weak_password_is_refused_and_creates_nothing(client, invitation_link):
    response = client.post(
        invitation_link, {"new_password1": "sam12345", "new_password2": "sam12345"}
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "This password is too short" in page
    assert not User.objects.filter(email="sam@example.org").exists()
    assert Invitation.objects.get().accepted_at is None


def test_accepting_creates_the_account_and_two_factor_is_next_for_a_coordinator(
    client, invitation_link
):
    response = client.post(
        invitation_link,
        {"new_password1": "Sam-chooses-this-1", "new_password2": "Sam-chooses-this-1"},
    )

    assert response["Location"] == "/p/trafford/"
    assert Membership.objects.get(user__email="sam@example.org").role == Role.COORDINATOR
    assert client.get("/p/trafford/")["Location"].startswith("/account/two-factor/set-up/")
    assert Client().get(invitation_link).status_code == 404  # single use


def test_someone_already_signed_up_signs_in_to_accept(
    client, partnership, other_partnership, invitation_link
):
    sam = member(other_partnership, Role.CONTRIBUTOR, email="sam@example.org")
    assert "Sign in to accept" in client.get(invitation_link).content.decode()

    client.force_login(sam, backend="django.contrib.auth.backends.ModelBackend")
    client.post(invitation_link, {"submit": "1"})

    assert Membership.objects.get(user=sam, partnership=partnership).role == Role.COORDINATOR
    assert User.objects.filter(email="sam@example.org").count() == 1


def test_an_invitation_is_for_the_canonical_address(partnership, coordinator):
    sam = member(partnership, Role.CONTRIBUTOR, email="sam@example.org")
    fullwidth = "\N{FULLWIDTH LATIN CAPITAL LETTER S}AM@Example.org "

    response = signed_in(coordinator).post(
        f"/p/{partnership.slug}/people/invite/",
        {
            "full_name": "Sam Patel",
            "email": fullwidth,
            "role": Role.COORDINATOR,
            "organisation": organisation_in(partnership).pk,
        },
    )

    assert "sam@example.org is already a member of this partnership" in response.content.decode()
    assert not Invitation.objects.exists()
    assert Membership.objects.get(user=sam).role == Role.CONTRIBUTOR


def test_an_invitation_to_a_lookalike_address_is_not_for_the_account_it_looks_like(
    client, partnership, other_partnership, coordinator
):
    """A dotless i: PostgreSQL's case-insensitive match takes it for "director@", the sign-in
    does not, so neither does the invitation."""
    member(other_partnership, Role.CONTRIBUTOR, email="director@example.org")
    invitation_create(
        acting_user=coordinator,
        partnership=partnership,
        email="d\N{LATIN SMALL LETTER DOTLESS I}rector@example.org",
        full_name="Someone else",
        role=Role.CONTRIBUTOR,
        organisation=organisation_in(partnership),
        accept_url=lambda token: token,
    )
    Invitation.objects.update(token_hash=Invitation.hash_token("known-token"))

    page = client.get("/account/invitations/known-token/").content.decode()

    assert "Sign in to accept" not in page
    assert "Create account and accept" in page
