"""Who may change a partnership's people and seats (MembershipPolicy), proved as a matrix: every
role, and a coordinator of another partnership, against every service that changes people or
seats, called directly. Where the answer is no, nothing changes: no row, no audit event, no email.
"""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from authorities.models import OrganisationKind
from partnerships import services
from partnerships.models import Invitation, Membership, PartnerOrganisation, Role, Seat
from partnerships.policies import MembershipPolicy, MembershipVerb
from tests.factories import OrganisationFactory, UserFactory, member, organisation_in

pytestmark = pytest.mark.django_db(transaction=False)

V = MembershipVerb
ROLES = [Role.COORDINATOR, Role.STRATEGY_MEMBER, Role.CONTRIBUTOR, Role.SCRUTINY, Role.PCC_OFFICE]


@pytest.fixture
def records(partnership, coordinator):
    """What the verbs act on: a contributor, a pending invitation, an invited partner that nobody
    represents yet, and a person and an organisation to add."""
    partner = services.partner_organisation_add(
        acting_user=None,
        partnership=partnership,
        organisation=OrganisationFactory(
            name="Trafford Housing", kind=OrganisationKind.INVITED_PARTNER
        ),
        seat=Seat.INVITED,
    )
    contributor = Membership.objects.get(user=member(partnership, Role.CONTRIBUTOR))
    invitation = services.invitation_create(
        acting_user=coordinator,
        partnership=partnership,
        email="invited@example.org",
        full_name="Invited Officer",
        role=Role.CONTRIBUTOR,
        organisation=organisation_in(partnership, Seat.POLICE),
        accept_url=lambda token: f"https://portal.example/account/invitations/{token}/",
    )
    return {
        "partner": partner,
        "contributor": contributor,
        "invitation": invitation,
        "newcomer": UserFactory(),
        "voluntary": OrganisationFactory(
            name="Trafford Voluntary", kind=OrganisationKind.INVITED_PARTNER
        ),
    }


def _act(verb, actor, partnership, records):
    """The one service that does ``verb``, as ``actor``."""
    contributor, invitation, partner = (
        records["contributor"],
        records["invitation"],
        records["partner"],
    )
    match verb:
        case V.INVITE:
            services.invitation_create(
                acting_user=actor,
                partnership=partnership,
                email="someone.new@example.org",
                full_name="Someone New",
                role=Role.CONTRIBUTOR,
                organisation=organisation_in(partnership, Seat.HEALTH),
                accept_url=lambda token: f"https://portal.example/account/invitations/{token}/",
            )
        case V.WITHDRAW_INVITATION:
            services.invitation_revoke(acting_user=actor, invitation=invitation)
        case V.RESEND_INVITATION:
            services.invitation_resend(
                acting_user=actor,
                invitation=invitation,
                accept_url=lambda token: f"https://portal.example/account/invitations/{token}/",
            )
        case V.ADD_MEMBER:
            services.membership_create(
                acting_user=actor,
                partnership=partnership,
                user=records["newcomer"],
                role=Role.CONTRIBUTOR,
                organisation=organisation_in(partnership, Seat.PROBATION),
            )
        case V.CHANGE_MEMBER:
            services.membership_update(
                acting_user=actor,
                membership=contributor,
                role=Role.STRATEGY_MEMBER,
                organisation=organisation_in(partnership, Seat.POLICE),
            )
        case V.REMOVE_MEMBER:
            services.membership_remove(acting_user=actor, membership=contributor)
        case V.ADD_SEAT:
            services.partner_organisation_add(
                acting_user=actor,
                partnership=partnership,
                organisation=records["voluntary"],
                seat=Seat.INVITED,
            )
        case V.REMOVE_SEAT:
            services.partner_organisation_remove(acting_user=actor, partner=partner)


def _state(partnership) -> dict:
    """Everything a refused change must leave as it was."""
    return {
        "members": sorted(
            Membership.objects.filter(partnership=partnership).values_list(
                "user_id", "role", "organisation_id"
            )
        ),
        "invitations": sorted(
            Invitation.objects.filter(partnership=partnership).values_list(
                "email", "revoked_at", "accepted_at", "token_hash"
            )
        ),
        "seats": sorted(
            PartnerOrganisation.objects.filter(partnership=partnership).values_list(
                "organisation_id", "seat"
            )
        ),
        "audit": AuditEvent.objects.count(),
        "mail": len(mail.outbox),
    }


@pytest.fixture
def other_coordinator(other_partnership):
    return member(other_partnership, Role.COORDINATOR, email="elsewhere@example.org")


@pytest.mark.parametrize("verb", list(V))
@pytest.mark.parametrize("role", [*ROLES, "another partnership's coordinator"])
def test_only_a_coordinator_of_the_partnership_changes_its_people_and_seats(
    partnership, coordinator, other_coordinator, records, role, verb
):
    actor = (
        other_coordinator
        if role not in ROLES
        else coordinator
        if role == Role.COORDINATOR
        else member(partnership, role, seat=Seat.FIRE_AND_RESCUE)
    )
    membership = Membership.objects.filter(user=actor, partnership=partnership).first()
    before = _state(partnership)

    if role == Role.COORDINATOR:
        _act(verb, actor, partnership, records)
        assert _state(partnership) != before
        assert MembershipPolicy.can(membership, verb)
        return

    with pytest.raises(PermissionDenied):
        _act(verb, actor, partnership, records)
    assert _state(partnership) == before
    assert not MembershipPolicy.can(membership, verb)
    assert not MembershipPolicy.may(membership)[verb]


@pytest.mark.parametrize("verb", [V.CHANGE_MEMBER, V.REMOVE_MEMBER])
def test_the_only_coordinator_cannot_leave_the_role(partnership, coordinator, records, verb):
    own = Membership.objects.get(user=coordinator, partnership=partnership)
    before = _state(partnership)

    with pytest.raises(ValidationError, match="only coordinator"):
        if verb == V.CHANGE_MEMBER:
            services.membership_update(
                acting_user=coordinator,
                membership=own,
                role=Role.CONTRIBUTOR,
                organisation=own.organisation,
            )
        else:
            services.membership_remove(acting_user=coordinator, membership=own)
    assert _state(partnership) == before

    # With a second coordinator, the first may step down.
    member(partnership, Role.COORDINATOR)
    services.membership_remove(acting_user=coordinator, membership=own)
    assert not Membership.objects.filter(pk=own.pk).exists()


def test_a_withdrawn_invitation_cannot_be_withdrawn_again(partnership, coordinator, records):
    services.invitation_revoke(acting_user=coordinator, invitation=records["invitation"])
    before = _state(partnership)

    with pytest.raises(ValidationError, match="already been used or withdrawn"):
        services.invitation_revoke(acting_user=coordinator, invitation=records["invitation"])
    assert _state(partnership) == before


def test_the_platform_itself_is_not_asked(partnership, records):
    """The ONS import, the demo seed and the benchmarks act with no user."""
    before = _state(partnership)
    services.membership_create(
        acting_user=None,
        partnership=partnership,
        user=UserFactory(),
        role=Role.CONTRIBUTOR,
        organisation=organisation_in(partnership, Seat.PROBATION),
    )
    assert _state(partnership) != before


def test_digests_go_to_active_coordinators_and_two_factor_follows_the_role(
    partnership, coordinator
):
    inactive = member(partnership, Role.COORDINATOR)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    strategy = member(partnership, Role.STRATEGY_MEMBER)

    assert set(
        MembershipPolicy.digest_recipients([partnership.pk]).values_list("user_id", flat=True)
    ) == {coordinator.pk}
    assert MembershipPolicy.requires_two_factor(coordinator)
    assert not MembershipPolicy.requires_two_factor(strategy)
