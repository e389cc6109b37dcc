"""The person's API token pages: create (the token shown once), list, revoke with a confirming
POST; someone else's token is never found; bad input changes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_create
from audit.models import AuditEvent
from partnerships.models import Membership, Role
from tests.conftest import signed_in
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(partnership, other_partnership):
    person = member(partnership, Role.CONTRIBUTOR, email="analyst@example.org")
    member(other_partnership, Role.STRATEGY_MEMBER, user=person)
    return person


def _create(client, **data):
    memberships = data.pop("memberships", None)
    form = {"name": "Records system", "lasts_days": "90", **data}
    if memberships is not None:
        form["memberships"] = [m.pk for m in memberships]
    return client.post("/account/api-tokens/new/", form)


def test_a_token_is_made_shown_once_and_listed(analyst, partnership, other_partnership):
    client = signed_in(analyst)
    form_page = client.get("/account/api-tokens/new/").content.decode()
    assert "Trafford (Partner contributor)" in form_page
    assert "Cardiff (Strategy group member)" in form_page

    response = _create(client, memberships=Membership.objects.filter(partnership=partnership))

    assert response.status_code == 302
    token = ApiToken.objects.get()
    first = client.get("/account/api-tokens/").content.decode()
    secret = first.split('<code class="app-token">')[1].split("</code>")[0]
    assert token.token_hash == ApiToken.hash_secret(secret)
    assert "You will not see it again" in first
    assert secret not in client.get("/account/api-tokens/").content.decode()  # once only
    listing = client.get("/account/api-tokens/").content.decode()
    assert "Records system" in listing and f"csp_{token.prefix}_" in listing
    assert "Trafford" in listing and "Never" in listing and "Active" in listing
    assert [m.partnership for m in token.memberships.all()] == [partnership]
    assert (token.expires_at.date() - timezone.localdate()).days == 90
    assert AuditEvent.objects.filter(action="api_token.create", actor=analyst).count() == 1


def test_every_partnership_is_chosen_by_default(analyst):
    page = signed_in(analyst).get("/account/api-tokens/new/").content.decode()
    assert page.count("checked") >= 3  # two partnerships and the default length


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Enter a name for the token"),
        ({"memberships": []}, "Select at least one partnership"),
        ({"lasts_days": "5000"}, "Select one of the listed lengths"),
    ],
)
def test_bad_input_is_named_and_makes_nothing(analyst, data, message):
    data.setdefault("memberships", Membership.objects.filter(user=analyst))

    response = _create(signed_in(analyst), **data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert ApiToken.objects.count() == 0


def test_someone_elses_membership_cannot_be_chosen(analyst, coordinator):
    response = _create(signed_in(analyst), memberships=Membership.objects.filter(user=coordinator))
    assert response.status_code == 400
    assert ApiToken.objects.count() == 0


def test_the_service_keeps_expiry_within_the_maximum(analyst, settings):
    memberships = list(Membership.objects.filter(user=analyst))
    with pytest.raises(ValidationError) as error:
        api_token_create(
            acting_user=analyst,
            name="Too long",
            memberships=memberships,
            expires_on=timezone.localdate() + timedelta(days=settings.API_TOKEN_MAX_DAYS + 1),
        )
    assert "expires_on" in error.value.message_dict
    assert ApiToken.objects.count() == 0


def test_revoking_asks_then_revokes(analyst):
    token = api_token_create(
        acting_user=analyst, name="Old", memberships=list(analyst.memberships.all())
    ).token
    client = signed_in(analyst)
    url = f"/account/api-tokens/{token.pk}/revoke/"

    assert "Revoke Old?" in client.get(url).content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # a GET only asks

    response = client.post(url, {"submit": "1"})

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "Revoked" in client.get("/account/api-tokens/").content.decode()
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_someone_elses_token_is_not_found(analyst, coordinator):
    token = api_token_create(
        acting_user=analyst, name="Theirs", memberships=list(analyst.memberships.all())
    ).token
    client = signed_in(coordinator)
    before = AuditEvent.objects.count()

    url = f"/account/api-tokens/{token.pk}/revoke/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"submit": "1"}).status_code == 404
    assert "Theirs" not in client.get("/account/api-tokens/").content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    assert AuditEvent.objects.count() == before


def test_the_pages_need_a_signed_in_person(client, db):
    for url in (
        "/account/api-tokens/",
        "/account/api-tokens/new/",
        "/account/api-tokens/1/revoke/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/account/sign-in/")
