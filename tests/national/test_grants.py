"""Grants of national oversight: made and ended only by platform administrators, audited, in the
Django admin as through the services."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from authorities.models import Nation
from national.models import NationalBody, NationalOversightGrant, OversightScope
from national.services import national_grant_create, national_grant_end
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, UserFactory, member


def test_only_a_platform_administrator_grants_and_ends(db):
    partnership = PartnershipFactory()
    coordinator = member(partnership, "coordinator")
    person = UserFactory()
    with pytest.raises(PermissionDenied):
        national_grant_create(
            acting_user=coordinator, user=person, body=NationalBody.HOME_OFFICE, scope="all"
        )
    assert not NationalOversightGrant.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="national.").exists()

    administrator = UserFactory(is_staff=True)
    grant = national_grant_create(
        acting_user=administrator,
        user=person,
        body=NationalBody.WELSH_GOVERNMENT,
        scope=OversightScope.NATION,
        nation=Nation.WALES,
    )
    with pytest.raises(PermissionDenied):
        national_grant_end(acting_user=coordinator, grant=grant)
    grant.refresh_from_db()
    assert grant.ended_at is None

    national_grant_end(acting_user=administrator, grant=grant)
    grant.refresh_from_db()
    assert grant.ended_at is not None and grant.ended_by == administrator
    assert set(
        AuditEvent.objects.filter(
            object_id=str(grant.pk), object_type="national.nationaloversightgrant"
        ).values_list("action", flat=True)
    ) == {"national.grant_create", "national.grant_end"}


def test_a_grant_needs_the_area_its_scope_names_and_one_open_a_person(db):
    administrator = UserFactory(is_staff=True)
    person = UserFactory()
    with pytest.raises(ValidationError):
        national_grant_create(
            acting_user=administrator, user=person, body="home_office", scope="nation"
        )
    national_grant_create(acting_user=administrator, user=person, body="home_office", scope="all")
    with pytest.raises(ValidationError):
        national_grant_create(
            acting_user=administrator, user=person, body="home_office", scope="all"
        )
    assert NationalOversightGrant.objects.count() == 1


def test_the_admin_grants_through_the_service_and_its_action_ends(db):
    administrator = UserFactory(is_staff=True, is_superuser=True)
    person = UserFactory()
    client = signed_in(administrator)
    assert client.get("/admin/national/nationaloversightgrant/add/").status_code == 200
    response = client.post(
        "/admin/national/nationaloversightgrant/add/",
        {"user": person.pk, "body": "home_office", "scope": "all", "nation": ""},
    )
    assert response.status_code == 302
    grant = NationalOversightGrant.objects.get(user=person)
    assert grant.granted_by == administrator
    response = client.post(
        "/admin/national/nationaloversightgrant/",
        {"action": "end_grants", "_selected_action": [grant.pk]},
    )
    assert response.status_code == 302
    grant.refresh_from_db()
    assert grant.ended_by == administrator
    assert set(
        AuditEvent.objects.filter(
            object_id=str(grant.pk), object_type="national.nationaloversightgrant"
        ).values_list("action", flat=True)
    ) == {"national.grant_create", "national.grant_end"}
