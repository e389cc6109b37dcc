"""The tenant: a Community Safety Partnership, the organisations on it, and its people."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from authorities.models import (
    LocalAuthorityDistrict,
    Nation,
    Organisation,
    OrganisationKind,
    PoliceForceArea,
)
from csp_portal.languages import Language


class PartnershipStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    MERGED = "merged", _("Merged into another partnership")


def _logo_path(instance: "Partnership", filename: str) -> str:
    # A new random name for every logo: the old file is removed, never overwritten in place.
    return f"partnerships/{instance.pk}/logo-{secrets.token_hex(8)}.{filename.rsplit('.', 1)[-1]}"


class Partnership(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("web address name"), max_length=80, unique=True)
    ons_code = models.CharField(_("ONS CSP code"), max_length=9, blank=True)
    ons_edition = models.CharField(_("ONS edition"), max_length=10, blank=True)
    nation = models.CharField(_("nation"), max_length=16, choices=Nation.choices)
    districts = models.ManyToManyField(
        LocalAuthorityDistrict, verbose_name=_("districts covered"), related_name="partnerships"
    )
    police_force_area = models.ForeignKey(
        PoliceForceArea,
        verbose_name=_("police force area"),
        on_delete=models.PROTECT,
        related_name="partnerships",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PartnershipStatus.choices, default="active"
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Its public identity (partnerships/identity.py): on the public pages and in every document.
    public_name = models.CharField(_("public name"), max_length=120, blank=True)
    logo = models.FileField(_("logo"), upload_to=_logo_path, max_length=200, blank=True)
    logo_content_type = models.CharField(max_length=20, blank=True)
    accent_colour = models.CharField(_("accent colour"), max_length=7, blank=True)
    # How the public reaches the partnership, on its page of the public register (national/).
    contact_address = models.TextField(_("public contact address"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        constraints = [
            models.UniqueConstraint(
                "ons_code",
                "ons_edition",
                condition=~Q(ons_code=""),
                name="partnership_ons_code_edition_unique",
            ),
            models.CheckConstraint(
                condition=(Q(status="merged") & Q(merged_into__isnull=False))
                | (Q(status="active") & Q(merged_into__isnull=True)),
                name="partnership_merged_iff_merged_into",
            ),
            models.CheckConstraint(
                condition=Q(accent_colour="") | Q(accent_colour__regex=r"^#[0-9a-f]{6}$"),
                name="partnership_accent_colour_hex",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Seat(models.TextChoices):
    """Where an organisation sits on a partnership: one of the five statutory seats, or invited."""

    POLICE = "police", _("Police")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    FIRE_AND_RESCUE = "fire_and_rescue", _("Fire and rescue")
    PROBATION = "probation", _("Probation")
    HEALTH = "health", _("Health")
    INVITED = "invited", _("Invited partner")

    @classmethod
    def statutory(cls) -> list["Seat"]:
        return [seat for seat in cls if seat != cls.INVITED]


SEAT_ORGANISATION_KINDS: dict[str, set[str]] = {
    Seat.POLICE: {OrganisationKind.POLICE_FORCE},
    Seat.LOCAL_AUTHORITY: {OrganisationKind.LOCAL_AUTHORITY},
    Seat.FIRE_AND_RESCUE: {OrganisationKind.FIRE_AND_RESCUE},
    Seat.PROBATION: {OrganisationKind.PROBATION},
    Seat.HEALTH: {OrganisationKind.HEALTH},
    Seat.INVITED: {OrganisationKind.INVITED_PARTNER, OrganisationKind.PCC},
}


class PartnerOrganisation(models.Model):
    """An organisation on a partnership. A seat may hold several (county and district councils)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="partner_organisations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partner_seats"
    )
    seat = models.CharField(_("seat"), max_length=32, choices=Seat.choices)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)

    class Meta:
        ordering = ["seat", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                "partnership", "organisation", name="partner_organisation_once_per_partnership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_seat_display()})"


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("CSP coordinator")
    STRATEGY_MEMBER = "strategy_member", _("Strategy group member")
    CONTRIBUTOR = "contributor", _("Partner contributor")
    SCRUTINY = "scrutiny", _("Scrutiny member")
    PCC_OFFICE = "pcc_office", _("PCC office")


class Membership(models.Model):
    """A person's place in one partnership: one role, representing one organisation."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint("partnership", "user", name="membership_once_per_partnership")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.partnership}"


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """An emailed, single-use offer of a membership. Only a hash of the link's token is kept."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("full name"), max_length=150)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    # Asked for a Welsh partnership: the invitation email goes in it, and accepting stores it as
    # the person's preference. Blank: the default language (or the person's own preference).
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, blank=True, default=""
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "partnership",
                "email",
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.partnership}"

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
