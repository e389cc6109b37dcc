"""Organisations that sit on partnerships, and the ONS reference geography they belong to."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class Nation(models.TextChoices):
    ENGLAND = "england", _("England")
    WALES = "wales", _("Wales")

    @classmethod
    def from_ons_code(cls, code: str) -> "Nation":
        """ONS codes start with E in England and W in Wales."""
        return cls.WALES if code.upper().startswith("W") else cls.ENGLAND


class OrganisationKind(models.TextChoices):
    POLICE_FORCE = "police_force", _("Police force")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    FIRE_AND_RESCUE = "fire_and_rescue", _("Fire and rescue authority")
    PROBATION = "probation", _("Probation service")
    HEALTH = "health", _("Health body (integrated care board or local health board)")
    PCC = "pcc", _("Police and crime commissioner")
    INVITED_PARTNER = "invited_partner", _("Invited partner")


class PartnerSector(models.TextChoices):
    HOUSING = "housing", _("Housing")
    VOLUNTARY = "voluntary", _("Voluntary sector")
    EDUCATION = "education", _("Education")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other")


class OnsArea(models.Model):
    """An ONS area code as published in one edition of the lookup: codes change between editions."""

    code = models.CharField(_("ONS code"), max_length=9)
    name = models.CharField(_("name"), max_length=200)
    edition = models.CharField(_("ONS edition"), max_length=10, help_text=_("For example 2023."))

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PoliceForceArea(OnsArea):
    class Meta(OnsArea.Meta):
        verbose_name = _("police force area")
        constraints = [models.UniqueConstraint("code", "edition", name="pfa_code_edition_unique")]


class LocalAuthorityDistrict(OnsArea):
    class Meta(OnsArea.Meta):
        verbose_name = _("local authority district")
        constraints = [models.UniqueConstraint("code", "edition", name="lad_code_edition_unique")]

    @property
    def nation(self) -> Nation:
        return Nation.from_ons_code(self.code)


class Organisation(models.Model):
    """A body whose officers serve on partnerships: a responsible authority, a PCC or a partner.

    Each organisation owns a Django group of the people who represent it, so that object
    permissions (a contribution, an action it leads) can be granted to the organisation as a whole.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    sector = models.CharField(
        _("sector"),
        max_length=32,
        choices=PartnerSector.choices,
        blank=True,
        help_text=_("Only for invited partners."),
    )
    nation = models.CharField(_("nation"), max_length=16, choices=Nation.choices)
    ons_code = models.CharField(_("ONS code"), max_length=9, blank=True)
    ons_edition = models.CharField(_("ONS edition"), max_length=10, blank=True)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, related_name="organisation")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="invited_partner") | models.Q(sector=""),
                name="organisation_sector_only_for_partners",
            ),
            models.CheckConstraint(
                condition=models.Q(ons_code="") | ~models.Q(ons_edition=""),
                name="organisation_ons_code_has_edition",
            ),
        ]

    def __str__(self) -> str:
        return self.name
