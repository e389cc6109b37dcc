"""Every change to a partnership, its organisations and its people. One function per intent."""

import secrets
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User, canonical_email
from accounts.services import user_language_set
from audit.models import AuditEvent
from audit.services import audit_record
from authorities.models import LocalAuthorityDistrict, Nation, Organisation, PoliceForceArea
from csp_portal.languages import recipient_language
from csp_portal.logs import email_headers
from csp_portal.mail import subject_line
from csp_portal.queue import enqueue_on_commit, task_named
from csp_portal.site import site_url
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked, locked_rows

from .hooks import MembershipChange, combination_approved, membership_changed
from .identity import checked_accent_colour, checked_logo
from .models import (
    SEAT_ORGANISATION_KINDS,
    Invitation,
    Membership,
    PartnerOrganisation,
    Partnership,
    PartnershipStatus,
    Seat,
)
from .policies import IdentityPolicy, IdentityVerb, MembershipPolicy, MembershipVerb

send_invitation = task_named("partnerships.tasks.send_invitation")


@transaction.atomic
def partnership_create(
    *,
    acting_user: User | None,
    name: str,
    slug: str,
    nation: str,
    police_force_area: PoliceForceArea,
    districts: Iterable[LocalAuthorityDistrict] = (),
    ons_code: str = "",
    ons_edition: str = "",
) -> Partnership:
    partnership = Partnership(
        name=name,
        slug=slug,
        nation=nation,
        police_force_area=police_force_area,
        ons_code=ons_code,
        ons_edition=ons_edition,
    )
    partnership.full_clean()
    partnership.save()
    partnership.districts.set(districts)
    audit_record(
        acting_user=acting_user,
        partnership=partnership,
        action="partnership.create",
        target=partnership,
        changes={"name": [None, name], "ons_code": [None, ons_code], "slug": [None, slug]},
    )
    return partnership


@transaction.atomic
def partnership_merge(
    *, acting_user: User | None, partnership: Partnership, into: Partnership
) -> Partnership:
    locked = Partnership.objects.select_for_update().in_bulk([partnership.pk, into.pk])
    partnership, into = locked[partnership.pk], locked[into.pk]
    if into.pk == partnership.pk or into.status != PartnershipStatus.ACTIVE:
        raise ValidationError({"merged_into": _("Choose another partnership that is active.")})
    # In England partnerships combine only with the PCC's approval (Crime and Disorder Act 1998,
    # s5A), which the PCC office records in the service (oversight).
    if Nation.ENGLAND in (partnership.nation, into.nation) and not combination_approved(
        partnership=partnership, into=into
    ):
        raise ValidationError(
            {
                "merged_into": _(
                    "The police and crime commissioner has not recorded an approval of "
                    "combining %(partnership)s with %(into)s."
                )
                % {"partnership": partnership.name, "into": into.name}
            }
        )
    before = partnership.status
    partnership.status = PartnershipStatus.MERGED
    partnership.merged_into = into
    partnership.save(update_fields=["status", "merged_into"])
    audit_record(
        acting_user=acting_user,
        partnership=partnership,
        action="partnership.merge",
        target=partnership,
        changes={"status": [before, partnership.status], "merged_into": [None, into.name]},
    )
    return partnership


@transaction.atomic
def partner_organisation_add(
    *,
    acting_user: User | None,
    partnership: Partnership,
    organisation: Organisation,
    seat: str,
    submission: Submission | None = None,
) -> PartnerOrganisation:
    MembershipPolicy.require_acting(acting_user, partnership, MembershipVerb.ADD_SEAT)
    submission_claim(submission)
    if organisation.kind not in SEAT_ORGANISATION_KINDS[seat]:
        raise ValidationError(
            {
                "organisation": _(
                    "%(organisation)s is a %(kind)s and cannot fill the %(seat)s seat."
                )
                % {
                    "organisation": organisation.name,
                    "kind": organisation.get_kind_display().lower(),
                    "seat": Seat(seat).label.lower(),
                }
            }
        )
    if PartnerOrganisation.objects.filter(
        partnership=partnership, organisation=organisation
    ).exists():
        raise ValidationError(
            {
                "organisation": _("%(organisation)s is already on this partnership.")
                % {"organisation": organisation.name}
            }
        )
    partner = PartnerOrganisation.objects.create(
        partnership=partnership, organisation=organisation, seat=seat
    )
    audit_record(
        acting_user=acting_user,
        partnership=partnership,
        action="seat.add",
        target=partner,
        changes={"organisation": [None, organisation.name], "seat": [None, seat]},
    )
    return partner


@transaction.atomic
def partner_organisation_remove(*, acting_user: User, partner: PartnerOrganisation) -> None:
    partner = locked(partner, related=("partnership", "organisation"))
    MembershipPolicy.require_acting(
        acting_user, partner.partnership, MembershipVerb.REMOVE_SEAT, partner
    )
    if Membership.objects.filter(
        partnership=partner.partnership, organisation=partner.organisation
    ).exists():
        raise ValidationError(
            _(
                "People still represent %(organisation)s on this partnership. "
                "Remove them or change their organisation first."
            )
            % {"organisation": partner.organisation.name}
        )
    audit_record(
        acting_user=acting_user,
        partnership=partner.partnership,
        action="seat.remove",
        target=partner,
        changes={"organisation": [partner.organisation.name, None], "seat": [partner.seat, None]},
    )
    partner.delete()


def _assert_organisation_on_partnership(
    partnership: Partnership, organisation: Organisation
) -> None:
    if not PartnerOrganisation.objects.filter(
        partnership=partnership, organisation=organisation
    ).exists():
        raise ValidationError(
            {"organisation": _("Choose an organisation that sits on this partnership.")}
        )


@transaction.atomic
def membership_create(
    *,
    acting_user: User | None,
    partnership: Partnership,
    user: User,
    role: str,
    organisation: Organisation,
) -> Membership:
    """Make ``user`` a member at once (the platform, or whoever manages the people); a person
    invited joins through ``invitation_accept``."""
    MembershipPolicy.require_acting(acting_user, partnership, MembershipVerb.ADD_MEMBER)
    return _membership_add(
        acting_user=acting_user,
        partnership=partnership,
        user=user,
        role=role,
        organisation=organisation,
    )


def _membership_add(
    *,
    acting_user: User | None,
    partnership: Partnership,
    user: User,
    role: str,
    organisation: Organisation,
) -> Membership:
    _assert_organisation_on_partnership(partnership, organisation)
    if Membership.objects.filter(partnership=partnership, user=user).exists():
        raise ValidationError(
            {
                "email": _("%(email)s is already a member of this partnership.")
                % {"email": user.email}
            }
        )
    membership = Membership(
        partnership=partnership, user=user, role=role, organisation=organisation
    )
    membership.full_clean()
    membership.save()
    user.groups.add(organisation.group)
    audit_record(
        acting_user=acting_user,
        partnership=partnership,
        action="membership.create",
        target=membership,
        changes={
            "user": [None, user.email],
            "role": [None, role],
            "organisation": [None, organisation.name],
        },
    )
    return membership


def _locked_member(
    membership: Membership, verb: MembershipVerb, acting_user: User | None
) -> tuple[Membership, list[int]]:
    """The member, locked and required, and the ids of the partnership's coordinators. Their
    rows are locked first, in one order, so that two coordinators removing each other wait in
    turn (the second then finds they are no longer a member) and cannot both pass the check."""
    coordinators = locked_rows(MembershipPolicy.coordinators(membership.partnership_id))
    membership = locked(membership, related=("user", "organisation", "partnership"))
    MembershipPolicy.require_acting(acting_user, membership.partnership, verb, membership)
    return membership, [coordinator.pk for coordinator in coordinators]


def _assert_a_coordinator_stays(
    membership: Membership, *, role: str | None, coordinator_ids: list[int]
) -> None:
    if message := MembershipPolicy.coordinator_refusal(
        membership, role=role, coordinator_ids=coordinator_ids
    ):
        raise ValidationError(message)


@transaction.atomic
def membership_update(
    *, acting_user: User, membership: Membership, role: str, organisation: Organisation
) -> Membership:
    membership, coordinator_ids = _locked_member(
        membership, MembershipVerb.CHANGE_MEMBER, acting_user
    )
    _assert_organisation_on_partnership(membership.partnership, organisation)
    _assert_a_coordinator_stays(membership, role=role, coordinator_ids=coordinator_ids)
    before = {"role": membership.role, "organisation": membership.organisation.name}
    old_organisation = membership.organisation
    membership.role = role
    membership.organisation = organisation
    membership.full_clean()
    membership.save(update_fields=["role", "organisation"])
    membership.user.groups.add(organisation.group)
    _drop_group_if_unused(membership.user, old_organisation)
    audit_record(
        acting_user=acting_user,
        partnership=membership.partnership,
        action="membership.update",
        target=membership,
        changes={
            "role": [before["role"], role],
            "organisation": [before["organisation"], organisation.name],
        },
    )
    # What the person held through their old role or organisation may end with it (reviews).
    membership_changed(
        acting_user=acting_user,
        change=MembershipChange(
            user=membership.user,
            partnership=membership.partnership,
            role_before=before["role"],
            organisation_id_before=old_organisation.pk,
            role=role,
            organisation_id=organisation.pk,
        ),
    )
    return membership


@transaction.atomic
def membership_remove(*, acting_user: User | None, membership: Membership) -> None:
    membership, coordinator_ids = _locked_member(
        membership, MembershipVerb.REMOVE_MEMBER, acting_user
    )
    _assert_a_coordinator_stays(membership, role=None, coordinator_ids=coordinator_ids)
    audit_record(
        acting_user=acting_user,
        partnership=membership.partnership,
        action="membership.remove",
        target=membership,
        changes={
            "user": [membership.user.email, None],
            "role": [membership.role, None],
            "organisation": [membership.organisation.name, None],
        },
    )
    membership.delete()
    _drop_group_if_unused(membership.user, membership.organisation)
    # What the person held through their membership ends with it (reviews' grants): coming
    # back gives them nothing until it is given again.
    membership_changed(
        acting_user=acting_user,
        change=MembershipChange(
            user=membership.user,
            partnership=membership.partnership,
            role_before=membership.role,
            organisation_id_before=membership.organisation_id,
            role=None,
            organisation_id=None,
        ),
    )


def _drop_group_if_unused(user: User, organisation: Organisation) -> None:
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        user.groups.remove(organisation.group)


@transaction.atomic
def invitation_create(
    *,
    acting_user: User,
    partnership: Partnership,
    email: str,
    full_name: str,
    role: str,
    organisation: Organisation,
    accept_url: Callable[[str], str],
    language: str = "",
    submission: Submission | None = None,
) -> Invitation:
    """Invite someone by email. ``accept_url`` turns the secret token into the link they follow.
    ``language`` (asked for a Welsh partnership) is the language the person prefers: the email
    goes in it, and accepting makes it their preference."""
    MembershipPolicy.require_acting(acting_user, partnership, MembershipVerb.INVITE)
    submission_claim(submission)
    email = canonical_email(email)
    _assert_organisation_on_partnership(partnership, organisation)
    if Membership.objects.filter(partnership=partnership, user__email=email).exists():
        raise ValidationError(
            {"email": _("%(email)s is already a member of this partnership.") % {"email": email}}
        )
    now = timezone.now()
    # An expired invitation no longer blocks a new one.
    Invitation.objects.filter(
        partnership=partnership,
        email=email,
        accepted_at=None,
        revoked_at=None,
        expires_at__lte=now,
    ).update(revoked_at=now)
    if Invitation.objects.filter(partnership=partnership, email=email).pending().exists():
        raise _already_invited(email)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        partnership=partnership,
        email=email,
        full_name=full_name.strip(),
        role=role,
        organisation=organisation,
        language=language,
        token_hash=Invitation.hash_token(token),
        invited_by=acting_user,
        expires_at=now + settings.INVITATION_VALID_FOR,
    )
    invitation.full_clean()
    try:
        with transaction.atomic():
            invitation.save()
    except IntegrityError:  # a concurrent invitation of the same person won the race
        raise _already_invited(email) from None
    audit_record(
        acting_user=acting_user,
        partnership=partnership,
        action="invitation.create",
        target=invitation,
        changes={
            "email": [None, email],
            "role": [None, role],
            "organisation": [None, organisation.name],
            **({"language": [None, language]} if language else {}),
        },
    )
    # A broker outage does not fail the page: the invitation stays unsent and the outbox flush
    # sends it (with a fresh link) once the broker is back; see invitations_send_unsent.
    enqueue_on_commit(send_invitation, invitation.pk, accept_url(token), invitation.token_hash)
    return invitation


def _already_invited(email: str) -> ValidationError:
    return ValidationError(
        {
            "email": _(
                "%(email)s has already been invited to this partnership. "
                "Withdraw that invitation to send a new one."
            )
            % {"email": email}
        }
    )


def invitation_send(
    *, invitation_id: int, link: str, token_hash: str = "", link_hash: str = ""
) -> bool:
    """Email the invitation unless it has gone already or can no longer be used.

    Called by the Celery task; safe to repeat. Returns whether an email went. ``token_hash``
    replaces the stored hash when the link carries a new token (see invitations_send_unsent).
    ``link_hash`` is the hash of the link's token: when the invitation has been sent again
    since this task was queued, its link no longer works and nothing is sent (the resend's own
    task sends the new one).
    """
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("partnership", "organisation", "invited_by")
            .filter(pk=invitation_id, sent_at__isnull=True)
            .first()
        )
        if invitation is None or not invitation.is_usable:
            return False
        if link_hash and link_hash != invitation.token_hash:
            return False
        if token_hash:
            invitation.token_hash = token_hash
        context = {"invitation": invitation, "link": link, "partnership": invitation.partnership}
        with recipient_language(_invitee_language(invitation)):
            message = EmailMessage(
                subject=subject_line(
                    _("You are invited to %(partnership)s on CSP Portal")
                    % {"partnership": invitation.partnership.name}
                ),
                body=render_to_string("partnerships/email/invitation.txt", context),
                to=[invitation.email],
                headers=email_headers(),
            )
        message.send()
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_at", "token_hash"])
    return True


def _invitee_language(invitation: Invitation) -> str:
    """The language asked for on the invitation, else the invitee's own preference if they have
    an account, else the default."""
    if invitation.language:
        return invitation.language
    return (
        User.objects.filter(email=canonical_email(invitation.email))
        .values_list("language", flat=True)
        .first()
        or ""
    )


def invitations_send_unsent(*, grace: timedelta | None = None) -> int:
    """Send the invitations whose email task never ran (the broker was down when they were
    made). Only a hash of each link's token is kept, so each gets a new token; nobody has seen
    the old one. The row lock in invitation_send makes sure that, if the original task runs
    after all, one email goes. Called by the reminders outbox flush; returns how many went."""
    if grace is None:
        grace = timedelta(seconds=settings.CSP_UNSENT_EMAIL_GRACE_SECONDS)
    waiting = Invitation.objects.pending().filter(
        sent_at__isnull=True, created_at__lte=timezone.now() - grace
    )
    sent = 0
    for invitation_id in waiting.values_list("pk", flat=True)[:100]:
        token = secrets.token_urlsafe(32)
        path = reverse("partnerships:invitation_accept", kwargs={"token": token})
        sent += invitation_send(
            invitation_id=invitation_id,
            link=site_url(path),
            token_hash=Invitation.hash_token(token),
        )
    return sent


@transaction.atomic
def invitation_revoke(*, acting_user: User, invitation: Invitation) -> None:
    invitation = locked(invitation)
    MembershipPolicy.require_acting(
        acting_user, invitation.partnership, MembershipVerb.WITHDRAW_INVITATION, invitation
    )
    if not invitation.is_usable:
        raise ValidationError(_("This invitation has already been used or withdrawn."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit_record(
        acting_user=acting_user,
        partnership=invitation.partnership,
        action="invitation.revoke",
        target=invitation,
        changes={"email": [invitation.email, None]},
    )


# How often one invitation may be sent again: enough for a lost or filtered email, too few for
# the service to be used to flood someone's inbox.
RESENDS_PER_HOUR = 3


@transaction.atomic
def invitation_resend(
    *,
    acting_user: User,
    invitation: Invitation,
    accept_url: Callable[[str], str],
    submission: Submission | None = None,
) -> Invitation:
    """Email a pending invitation again with a new link, valid for a fresh period. The old link
    stops working: only the new token's hash is kept. The audit log is the record of resends,
    and its rows for the last hour (read under the invitation's row lock) limit them."""
    invitation = locked(invitation)
    MembershipPolicy.require_acting(
        acting_user, invitation.partnership, MembershipVerb.RESEND_INVITATION, invitation
    )
    submission_claim(submission)
    if not invitation.is_usable:
        raise ValidationError(_("This invitation has already been used or withdrawn."))
    recent = AuditEvent.objects.filter(
        action="invitation.resend",
        object_type=Invitation._meta.label_lower,
        object_id=str(invitation.pk),
        occurred_at__gt=timezone.now() - timedelta(hours=1),
    )
    if recent.count() >= RESENDS_PER_HOUR:
        raise ValidationError(
            _(
                "This invitation has been sent again %(count)d times in the last hour. "
                "Wait an hour before sending it again."
            )
            % {"count": RESENDS_PER_HOUR}
        )
    token = secrets.token_urlsafe(32)
    previous_expiry = invitation.expires_at
    invitation.token_hash = Invitation.hash_token(token)
    invitation.expires_at = timezone.now() + settings.INVITATION_VALID_FOR
    invitation.sent_at = None
    invitation.save(update_fields=["token_hash", "expires_at", "sent_at"])
    audit_record(
        acting_user=acting_user,
        partnership=invitation.partnership,
        action="invitation.resend",
        target=invitation,
        changes={"expires": [previous_expiry.date(), invitation.expires_at.date()]},
    )
    enqueue_on_commit(send_invitation, invitation.pk, accept_url(token), invitation.token_hash)
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a link points to, if it can still be used."""
    invitation = (
        Invitation.objects.select_related("partnership", "organisation")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )
    return invitation if invitation and invitation.is_usable else None


@transaction.atomic
def invitation_accept(*, token: str, user: User | None, password: str = "") -> Membership:
    """Accept an invitation: as the signed-in user it was sent to, or as a new account.

    For a new account the password is the one the invitee has just chosen. The token works once.
    """
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("partnership", "organisation")
        .filter(token_hash=Invitation.hash_token(token))
        .first()
    )
    if invitation is None or not invitation.is_usable:
        raise ValidationError(
            _("This invitation link has expired, been withdrawn or already been used.")
        )
    if user is None:
        if User.objects.filter(email=canonical_email(invitation.email)).exists():
            raise ValidationError(
                _("You already have an account. Sign in to accept this invitation.")
            )
        user = User.objects.create_user(invitation.email, password, full_name=invitation.full_name)
        audit_record(
            acting_user=user,
            partnership=invitation.partnership,
            action="user.create",
            target=user,
            changes={"email": [None, user.email]},
        )
    elif canonical_email(user.email) != canonical_email(invitation.email):
        raise ValidationError(
            _(
                "This invitation was sent to another email address. "
                "Sign out and open the link again."
            )
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    if invitation.language and not user.language:
        # The language the coordinator asked about becomes the person's preference, unless
        # they have already chosen one themselves.
        user_language_set(acting_user=user, language=invitation.language)
    return _membership_add(
        acting_user=user,
        partnership=invitation.partnership,
        user=user,
        role=invitation.role,
        organisation=invitation.organisation,
    )


def partnership_identity_update(
    *,
    acting_user: User,
    partnership: Partnership,
    public_name: str,
    accent_colour: str,
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
    contact_address: str | None = None,
) -> Partnership:
    """Set the public name, accent colour, public contact address (None leaves it as it is) and
    (a new, or no) logo. The logo and the colour are
    checked before anything changes (partnerships/identity.py); a replaced logo's file is removed
    once the change has committed, so a failure leaves the old one in place."""
    colour = checked_accent_colour(accent_colour)
    new_logo = checked_logo(logo) if logo is not None else None
    with transaction.atomic():
        partnership = locked(partnership)
        IdentityPolicy.require_user(acting_user, partnership, IdentityVerb.CHANGE, partnership)
        before = {
            "public_name": partnership.public_name,
            "accent_colour": partnership.accent_colour,
            "logo": partnership.logo.name,
            "contact_address": partnership.contact_address,
        }
        old_file = partnership.logo.name
        if contact_address is not None:
            partnership.contact_address = contact_address.strip()
        partnership.public_name = public_name.strip()
        partnership.accent_colour = colour
        if new_logo is not None:
            partnership.logo.save(
                f"logo.{new_logo.extension}", ContentFile(new_logo.content), save=False
            )
            partnership.logo_content_type = new_logo.content_type
        elif remove_logo:
            partnership.logo = ""
            partnership.logo_content_type = ""
        try:
            partnership.full_clean(validate_unique=False, validate_constraints=False)
            partnership.save(
                update_fields=[
                    "public_name",
                    "accent_colour",
                    "logo",
                    "logo_content_type",
                    "contact_address",
                ]
            )
        except Exception:
            if new_logo is not None:
                partnership.logo.storage.delete(partnership.logo.name)
            raise
        after = {
            "public_name": partnership.public_name,
            "accent_colour": partnership.accent_colour,
            "logo": partnership.logo.name,
            "contact_address": partnership.contact_address,
        }
        changes = {key: [before[key], after[key]] for key in before if before[key] != after[key]}
        if changes:
            audit_record(
                acting_user=acting_user,
                partnership=partnership,
                action="partnership.identity_update",
                target=partnership,
                changes=changes,
            )
        if old_file and old_file != partnership.logo.name:
            storage = partnership.logo.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    return partnership
