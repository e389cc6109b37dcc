"""Grants end with the membership they were given under: leaving the partnership, or a role that
may not hold DHR material, ends every grant on its reviews (audited, reminders withdrawn), and
coming back gives nothing until access is granted anew."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from partnerships.models import Membership, Role, Seat
from partnerships.selectors import membership_for
from partnerships.services import membership_create, membership_remove, membership_update
from reminders.models import Notification
from reminders.sweep import reminders_sweep
from reviews.models import AccessGrant, ReviewUserObjectPermission
from reviews.policies import ReviewPolicy, ReviewVerb
from reviews.services import lifecycle
from tests.conftest import signed_in
from tests.factories import member, organisation_in

from .builders import TODAY, review_once_per_module, snapshot, url

pytest_plugins = ["tests.reviews.builders"]
_review_world, partnership, coordinator, dhr, media_root = review_once_per_module()


@pytest.fixture
def panel(dhr, coordinator):
    """A panel member of the review, reminded of its clock, and of another item too."""
    user = member(dhr.partnership, Role.CONTRIBUTOR, seat=Seat.HEALTH, full_name="Pat Panel")
    lifecycle.access_grant(
        acting_user=coordinator, review=dhr, user=user, reason=AccessGrant.Reason.PANEL
    )
    reminders_sweep(today=TODAY + timedelta(days=400))
    assert Notification.objects.filter(user=user, item_key__startswith=f"dhr:{dhr.pk}:").exists()
    return user


def _membership(user, partnership):
    return membership_for(user=user, partnership_slug=partnership.slug)


def _assert_access_ended(review, user):
    assert not AccessGrant.objects.filter(review=review, user=user).exists()
    assert not ReviewUserObjectPermission.objects.filter(user=user).exists()
    assert not Notification.objects.filter(user=user, item_key__startswith="dhr:").exists()
    (event,) = AuditEvent.objects.filter(action="review.access_end")
    assert event.object_id == str(review.pk)
    assert event.changes["access"] == [f"{user.email} (Panel member)", None]


def test_leaving_the_partnership_ends_every_review_grant(dhr, coordinator, panel):
    membership_remove(acting_user=coordinator, membership=_membership(panel, dhr.partnership))

    _assert_access_ended(dhr, panel)


def test_coming_back_gives_no_access_until_it_is_granted_anew(dhr, coordinator, panel):
    partnership = dhr.partnership
    membership_remove(acting_user=coordinator, membership=_membership(panel, partnership))
    membership_create(
        acting_user=coordinator,
        partnership=partnership,
        user=panel,
        role=Role.CONTRIBUTOR,
        organisation=organisation_in(partnership, Seat.HEALTH),
    )

    assert not ReviewPolicy.has_access(panel, dhr)
    client = signed_in(panel)
    assert client.get(url("detail", dhr)).status_code == 404
    listed = client.get(reverse("reviews:list", args=[partnership.slug])).content.decode()
    assert dhr.reference not in listed
    lifecycle.access_grant(
        acting_user=coordinator, review=dhr, user=panel, reason=AccessGrant.Reason.PANEL
    )
    assert client.get(url("detail", dhr)).status_code == 200


@pytest.mark.parametrize("role", [Role.SCRUTINY, Role.PCC_OFFICE])
def test_a_role_that_may_not_hold_review_material_ends_the_grants(dhr, coordinator, panel, role):
    partnership = dhr.partnership
    membership_update(
        acting_user=coordinator,
        membership=_membership(panel, partnership),
        role=role,
        organisation=organisation_in(partnership, Seat.HEALTH),
    )
    _assert_access_ended(dhr, panel)

    # The old role back: still nothing, until someone grants access again.
    membership_update(
        acting_user=coordinator,
        membership=_membership(panel, partnership),
        role=Role.CONTRIBUTOR,
        organisation=organisation_in(partnership, Seat.HEALTH),
    )
    assert not ReviewPolicy.has_access(panel, dhr)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (Role.CONTRIBUTOR, Role.STRATEGY_MEMBER),
        (Role.STRATEGY_MEMBER, Role.COORDINATOR),
        (Role.COORDINATOR, Role.CONTRIBUTOR),
    ],
)
def test_a_role_change_between_roles_that_may_hold_access_keeps_the_grants(
    dhr, coordinator, before, after
):
    partnership = dhr.partnership
    user = member(partnership, before, seat=Seat.HEALTH)
    lifecycle.access_grant(
        acting_user=coordinator, review=dhr, user=user, reason=AccessGrant.Reason.CHAIR
    )
    membership_update(
        acting_user=coordinator,
        membership=_membership(user, partnership),
        role=after,
        organisation=organisation_in(partnership, Seat.HEALTH),
    )
    assert ReviewPolicy.has_access(user, dhr)
    assert AccessGrant.objects.filter(review=dhr, user=user).exists()
    assert not AuditEvent.objects.filter(action="review.access_end").exists()


def test_moving_to_another_organisation_ends_an_agency_authors_grant_only(
    dhr, coordinator, police_author, police_chronology, panel
):
    partnership = dhr.partnership
    council = organisation_in(partnership, Seat.LOCAL_AUTHORITY)
    for user in (police_author, panel):
        membership_update(
            acting_user=coordinator,
            membership=_membership(user, partnership),
            role=Role.CONTRIBUTOR,
            organisation=council,
        )
    # The police author no longer answers for the police, nor reads the council's requests.
    assert not ReviewPolicy.has_access(police_author, dhr)
    # The panel member sits on the panel as a person: their grant stays.
    assert ReviewPolicy.has_access(panel, dhr)


def test_the_last_who_manages_access_cannot_leave_until_they_hand_over(
    dhr, coordinator, panel, partnership
):
    other_coordinator = member(partnership, Role.COORDINATOR)
    before = snapshot()
    own = Membership.objects.get(user=coordinator, partnership=partnership)

    with pytest.raises(ValidationError, match="only person who can manage access"):
        membership_remove(acting_user=other_coordinator, membership=own)
    with pytest.raises(ValidationError, match="only person who can manage access"):
        membership_update(
            acting_user=other_coordinator,
            membership=own,
            role=Role.SCRUTINY,
            organisation=own.organisation,
        )
    # The same through the people pages: the message names the person, not the review.
    client = signed_in(other_coordinator)
    response = client.post(
        reverse("partnerships:membership_remove", args=[partnership.slug, own.pk]), {}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "is the only person who can manage access to a domestic homicide review" in text
    assert dhr.reference not in text and dhr.victim_pseudonym not in text
    assert snapshot() == before
    own.refresh_from_db()
    assert own.role == Role.COORDINATOR and ReviewPolicy.has_access(coordinator, dhr)

    # Once a chair manages it too, the coordinator may go.
    chair = member(partnership, Role.CONTRIBUTOR, seat=Seat.PROBATION)
    lifecycle.access_grant(
        acting_user=coordinator, review=dhr, user=chair, reason=AccessGrant.Reason.CHAIR
    )
    membership_remove(acting_user=other_coordinator, membership=own)
    assert not AccessGrant.objects.filter(user=coordinator).exists()
    assert ReviewPolicy.can(chair, ReviewVerb.MANAGE_ACCESS, dhr)
