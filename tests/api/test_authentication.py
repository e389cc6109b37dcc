"""Bearer tokens: refused when unknown, expired or revoked; acting only in the partnerships they
were made for, with the role the person holds there now; last use recorded, not on every call."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_revoke
from assessments.models import ContributionRequest
from audit.models import AuditEvent
from partnerships.models import Membership, Role, Seat
from partnerships.services import membership_create, membership_remove, membership_update
from tests.factories import PartnershipFactory, organisation_in
from tests.shared_world import (  # noqa: F401 (fixtures)
    contribution,
    coordinator,
    media_root,
    open_assessment,
    partnership,
    police_officer,
)

from .conftest import bearer, contribution_world, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(module_data):
    """The partnership, its people, the published plan and the request to the police, made once
    (tests/api/conftest.py's ``contribution_world``); each test reads them afresh."""
    return module_data.build(contribution_world)


def detail_url(contribution) -> str:
    return f"/api/v1/p/{contribution.partnership.slug}/contribution-requests/{contribution.pk}/"


def _state():
    return (
        list(ContributionRequest.objects.order_by("pk").values_list("pk", "status", "answer")),
        AuditEvent.objects.exclude(action__startswith="api_token.").count(),
    )


def _refused(response, code):
    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_token_works_and_only_its_hash_is_kept(police_officer, contribution):
    secret = token_for(police_officer)
    token = ApiToken.objects.get()

    assert bearer(secret).get(detail_url(contribution)).status_code == 200
    assert secret not in str(ApiToken.objects.values().get())
    assert token.token_hash == ApiToken.hash_secret(secret)
    assert secret.startswith(f"csp_{token.prefix}_")
    assert AuditEvent.objects.filter(action="api_token.create", actor=police_officer).exists()


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("Bearer csp_00000000_not-a-real-token", "invalid_token"),
        ("Bearer", "malformed_token"),
        ("Bearer two parts", "malformed_token"),
    ],
)
def test_unknown_and_malformed_tokens_are_refused(police_officer, contribution, header, code):
    before = _state()
    _refused(Client(headers={"Authorization": header}).get("/api/v1/contribution-requests/"), code)
    assert _state() == before


def test_no_credentials_is_401(db):
    _refused(Client().get("/api/v1/actions/"), "not_authenticated")


def test_an_expired_token_is_refused(police_officer, contribution):
    secret = token_for(police_officer)
    now = timezone.now()
    ApiToken.objects.update(
        created_at=now - timedelta(days=91), expires_at=now - timedelta(seconds=1)
    )
    client = bearer(secret)
    before = _state()

    _refused(client.get(detail_url(contribution)), "expired_token")
    _refused(
        client.put(
            detail_url(contribution) + "draft/",
            {"revision": 1, "answer": "Late"},
            content_type="application/json",
        ),
        "expired_token",
    )
    assert _state() == before


def test_a_revoked_token_is_refused_at_once(police_officer, contribution):
    secret = token_for(police_officer)
    client = bearer(secret)
    assert client.get(detail_url(contribution)).status_code == 200

    api_token_revoke(acting_user=police_officer, token=ApiToken.objects.get())
    before = _state()

    _refused(client.get(detail_url(contribution)), "revoked_token")
    _refused(
        client.post(detail_url(contribution) + "submit/", {}, content_type="application/json"),
        "revoked_token",
    )
    assert _state() == before
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_a_token_acts_only_in_the_partnerships_it_was_made_for(
    partnership, police_officer, contribution
):
    """The officer also serves Cardiff; a token made for Cardiff alone sees nothing of Trafford."""
    cardiff = PartnershipFactory(name="Cardiff", slug="cardiff")
    membership_create(
        acting_user=None,
        partnership=cardiff,
        user=police_officer,
        role=Role.CONTRIBUTOR,
        organisation=organisation_in(cardiff, Seat.POLICE),
    )
    client = bearer(token_for(police_officer, partnerships=[cardiff]))
    before = _state()

    assert client.get("/api/v1/contribution-requests/").json()["count"] == 0
    assert client.get("/api/v1/actions/").json()["count"] == 0
    assert client.get("/api/v1/plans/").json()["count"] == 0
    assert [row["slug"] for row in client.get("/api/v1/partnerships/").json()["results"]] == [
        "cardiff"
    ]
    assert client.get(detail_url(contribution)).status_code == 404
    assert client.get("/api/v1/p/trafford/people/").status_code == 404
    response = client.put(
        detail_url(contribution) + "draft/",
        {"revision": 1, "answer": "Through the wrong door"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert _state() == before


def test_a_token_stops_working_where_its_person_has_left(
    partnership, coordinator, police_officer, contribution
):
    client = bearer(token_for(police_officer))
    assert client.get("/api/v1/contribution-requests/").json()["count"] == 1

    membership_remove(
        acting_user=coordinator,
        membership=Membership.objects.get(user=police_officer, partnership=partnership),
    )
    before = _state()

    assert client.get("/api/v1/contribution-requests/").json()["count"] == 0
    assert client.get(detail_url(contribution)).status_code == 404
    assert (
        client.post(detail_url(contribution) + "submit/", {}, content_type="application/json")
    ).status_code == 404
    assert _state() == before


def test_a_token_acts_with_the_role_held_now(
    partnership, coordinator, police_officer, contribution
):
    client = bearer(token_for(police_officer))
    membership = Membership.objects.get(user=police_officer, partnership=partnership)
    membership_update(
        acting_user=coordinator,
        membership=membership,
        role=Role.SCRUTINY,
        organisation=membership.organisation,
    )
    before = _state()

    response = client.put(
        detail_url(contribution) + "draft/",
        {"revision": 1, "answer": "As scrutiny"},
        content_type="application/json",
    )

    assert response.status_code == 404
    assert _state() == before


def test_last_use_is_recorded_at_most_once_a_minute(police_officer, contribution):
    client = bearer(token_for(police_officer))
    assert ApiToken.objects.get().last_used_at is None

    client.get("/api/v1/contribution-requests/")
    first = ApiToken.objects.get().last_used_at
    client.get("/api/v1/contribution-requests/")

    assert first is not None
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - timedelta(minutes=2))
    client.get("/api/v1/contribution-requests/")
    assert ApiToken.objects.get().last_used_at > first
