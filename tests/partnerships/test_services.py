import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.models import User
from audit.models import AuditEvent
from authorities.models import OrganisationKind
from partnerships.models import Invitation, Membership, PartnerOrganisation, Role, Seat
from partnerships.services import (
    invitation_accept,
    invitation_create,
    membership_remove,
    membership_update,
    partner_organisation_add,
    partner_organisation_remove,
    partnership_create,
)
from tests.conftest import signed_in
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    PoliceForceAreaFactory,
    member,
    organisation_in,
)

pytestmark = pytest.mark.django_db(transaction=False)


def _invite(partnership, coordinator, email="new.officer@example.org", **overrides):
    fields = {
        "acting_user": coordinator,
        "partnership": partnership,
        "email": email,
        "full_name": "New Officer",
        "role": Role.CONTRIBUTOR,
        "organisation": organisation_in(partnership, Seat.POLICE),
        "accept_url": lambda token: f"https://portal.example/account/invitations/{token}/",
        **overrides,
    }
    return invitation_create(**fields)


def _token_from_last_email() -> str:
    return re.search(r"/account/invitations/([\w-]+)/", mail.outbox[-1].body).group(1)


def test_an_invitation_emails_a_single_use_link_that_makes_the_membership(
    partnership, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(partnership, coordinator)

    assert mail.outbox[-1].to == ["new.officer@example.org"]
    assert "Trafford" in mail.outbox[-1].subject
    token = _token_from_last_email()
    assert invitation.token_hash == Invitation.hash_token(token)
    assert token not in invitation.token_hash

    membership = invitation_accept(token=token, user=None, password="A-long-new-password-9")

    assert membership.role == Role.CONTRIBUTOR
    assert membership.organisation == organisation_in(partnership, Seat.POLICE)
    assert membership.user.check_password("A-long-new-password-9")
    assert membership.user.groups.filter(pk=membership.organisation.group_id).exists()
    with pytest.raises(ValidationError, match="already been used"):
        invitation_accept(token=token, user=None, password="Another-password-10")
    assert Membership.objects.filter(user__email="new.officer@example.org").count() == 1


def test_an_invitation_goes_with_a_one_line_subject_whatever_the_partnership_is_called(
    partnership, coordinator, django_capture_on_commit_callbacks
):
    """A name with a line break (an import, an older row) must not stop the email."""
    type(partnership).objects.filter(pk=partnership.pk).update(name="Trafford\r\nCSP")
    partnership.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(partnership, coordinator)

    assert mail.outbox[-1].subject == "You are invited to Trafford CSP on CSP Portal"
    invitation.refresh_from_db()
    assert invitation.sent_at is not None


def test_a_second_invitation_to_the_same_email_is_refused(partnership, coordinator):
    _invite(partnership, coordinator)
    before = (Invitation.objects.count(), AuditEvent.objects.count())

    with pytest.raises(ValidationError) as refused:
        _invite(partnership, coordinator, email="New.Officer@example.org")

    assert "already been invited" in refused.value.message_dict["email"][0]
    assert (Invitation.objects.count(), AuditEvent.objects.count()) == before


def test_inviting_someone_who_is_already_a_member_is_refused(partnership, coordinator):
    existing = member(partnership, Role.CONTRIBUTOR)
    with pytest.raises(ValidationError) as refused:
        _invite(partnership, coordinator, email=existing.email.upper())
    assert "already a member" in refused.value.message_dict["email"][0]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_invitation_for_an_organisation_not_on_the_partnership_is_refused(
    partnership, other_partnership, coordinator
):
    with pytest.raises(ValidationError) as refused:
        _invite(partnership, coordinator, organisation=organisation_in(other_partnership))
    assert "organisation" in refused.value.message_dict
    assert not Invitation.objects.exists()


def test_someone_with_an_account_accepts_as_themselves(
    partnership, coordinator, django_capture_on_commit_callbacks
):
    existing = member(PartnershipFactory(), Role.CONTRIBUTOR)
    with django_capture_on_commit_callbacks(execute=True):
        _invite(partnership, coordinator, email=existing.email)
    token = _token_from_last_email()

    with pytest.raises(ValidationError, match="already have an account"):
        invitation_accept(token=token, user=None, password="Whatever-password-11")
    with pytest.raises(ValidationError, match="sent to another email address"):
        invitation_accept(token=token, user=coordinator)
    membership = invitation_accept(token=token, user=existing)

    assert membership.partnership == partnership
    assert User.objects.filter(email=existing.email).count() == 1


def test_removing_the_last_coordinator_is_refused_and_changes_nothing(partnership, coordinator):
    membership = Membership.objects.get(user=coordinator)
    before = AuditEvent.objects.count()

    with pytest.raises(ValidationError, match="only coordinator"):
        membership_remove(acting_user=coordinator, membership=membership)
    with pytest.raises(ValidationError, match="only coordinator"):
        membership_update(
            acting_user=coordinator,
            membership=membership,
            role=Role.STRATEGY_MEMBER,
            organisation=membership.organisation,
        )

    membership.refresh_from_db()
    assert membership.role == Role.COORDINATOR
    assert AuditEvent.objects.count() == before


def test_removing_a_member_is_audited_with_what_they_were(partnership, coordinator):
    leaver = member(partnership, Role.STRATEGY_MEMBER)
    membership = Membership.objects.get(user=leaver)

    membership_remove(acting_user=coordinator, membership=membership)

    assert not Membership.objects.filter(user=leaver).exists()
    assert not leaver.groups.exists()
    event = AuditEvent.objects.filter(action="membership.remove").get()
    assert (event.actor, event.partnership) == (coordinator, partnership)
    assert event.changes["role"] == [Role.STRATEGY_MEMBER, None]
    assert event.changes["user"] == [leaver.email, None]


def test_an_organisation_of_the_wrong_kind_cannot_fill_a_statutory_seat(partnership, coordinator):
    fire = OrganisationFactory(name="Somewhere Fire", kind=OrganisationKind.FIRE_AND_RESCUE)
    before = PartnerOrganisation.objects.count()

    with pytest.raises(ValidationError) as refused:
        partner_organisation_add(
            acting_user=coordinator, partnership=partnership, organisation=fire, seat=Seat.POLICE
        )

    assert refused.value.message_dict["organisation"] == [
        "Somewhere Fire is a fire and rescue authority and cannot fill the police seat."
    ]
    assert PartnerOrganisation.objects.count() == before


def test_an_organisation_people_represent_cannot_be_removed(partnership, coordinator):
    partner = PartnerOrganisation.objects.get(
        partnership=partnership, organisation=Membership.objects.get(user=coordinator).organisation
    )
    with pytest.raises(ValidationError, match="People still represent"):
        partner_organisation_remove(acting_user=coordinator, partner=partner)
    assert PartnerOrganisation.objects.filter(pk=partner.pk).exists()


def test_a_slug_clash_is_refused_and_creates_nothing(partnership):
    before = (type(partnership).objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as refused:
        partnership_create(
            acting_user=None,
            name="Another Trafford",
            slug="trafford",
            nation="england",
            police_force_area=PoliceForceAreaFactory(),
        )
    assert "slug" in refused.value.message_dict
    assert (type(partnership).objects.count(), AuditEvent.objects.count()) == before


def test_one_person_holds_different_roles_in_different_partnerships(partnership, other_partnership):
    analyst = member(partnership, Role.CONTRIBUTOR)
    member(other_partnership, Role.STRATEGY_MEMBER, user=analyst)

    roles = dict(Membership.objects.filter(user=analyst).values_list("partnership__slug", "role"))
    assert roles == {"trafford": Role.CONTRIBUTOR, "cardiff": Role.STRATEGY_MEMBER}
    assert User.objects.filter(email=analyst.email).count() == 1


def test_a_platform_administrator_creates_a_partnership_in_the_admin(db):
    from tests.factories import DistrictFactory, UserFactory

    admin_user = UserFactory(is_staff=True, is_superuser=True)
    pfa, district = PoliceForceAreaFactory(), DistrictFactory()
    client = signed_in(admin_user)

    response = client.post(
        "/admin/partnerships/partnership/add/",
        {
            "name": "New Town",
            "slug": "new-town",
            "ons_code": "E22999999",
            "ons_edition": "2024",
            "nation": "england",
            "police_force_area": pfa.pk,
            "districts": [district.pk],
        },
    )
    clash = client.post(
        "/admin/partnerships/partnership/add/",
        {"name": "Again", "slug": "new-town", "nation": "england", "police_force_area": pfa.pk},
    )

    assert response.status_code == 302
    created = type(pfa).objects.get(pk=pfa.pk).partnerships.get()
    assert list(created.districts.all()) == [district]
    assert AuditEvent.objects.get(action="partnership.create").actor == admin_user
    assert clash.status_code == 200
    assert "Partnership with this Web address name already exists." in clash.content.decode()
    assert type(pfa).objects.get(pk=pfa.pk).partnerships.count() == 1


def test_a_merged_partnership_points_at_the_one_it_joined(db):
    """English partnerships merge (as platform administrators do, acting_user None) once the
    PCC has recorded an approval (tests/oversight/test_combinations.py has the refusals)."""
    from datetime import date

    from oversight.services.combinations import combination_approval_record
    from partnerships.selectors import membership_for
    from partnerships.services import partnership_merge
    from tests.oversight.conftest import pcc_member

    partnership = PartnershipFactory(name="Trafford", slug="trafford")
    other_partnership = PartnershipFactory(
        name="Sale", slug="sale", police_force_area=partnership.police_force_area
    )
    pcc_office = OrganisationFactory(name="The PCC", kind=OrganisationKind.PCC)
    pcc = pcc_member(other_partnership, pcc_office)
    pcc_member(partnership, pcc_office, pcc)
    combination_approval_record(
        acting_user=pcc,
        membership=membership_for(user=pcc, partnership_slug="trafford"),
        partnerships=[partnership, other_partnership],
        approved_on=date.today(),
        reference="PCC/1",
    )

    partnership_merge(acting_user=None, partnership=other_partnership, into=partnership)
    with pytest.raises(ValidationError):
        partnership_merge(acting_user=None, partnership=partnership, into=other_partnership)

    other_partnership.refresh_from_db()
    assert (other_partnership.status, other_partnership.merged_into) == ("merged", partnership)
    page = signed_in(member(other_partnership, Role.SCRUTINY)).get("/p/sale/about/")
    assert "This partnership has merged into Trafford." in page.content.decode()
