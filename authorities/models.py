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


class LocalPolicingBodyKind(models.TextChoices):
    """Who holds the police and crime commissioner's functions for a police force area."""

    PCC = "pcc", _("Police and crime commissioner")
    PFCC = "pfcc", _("Police, fire and crime commissioner")
    MAYOR = "mayor", _("Mayor with police and crime commissioner functions")
    # The City of London Police answers to the Common Council of the City of London, never to a
    # commissioner.
    POLICE_AUTHORITY = "police_authority", _("Police authority")
    # What replaces commissioners where no mayor takes their functions, as announced on 13
    # November 2025 (commissioners go at the end of their terms in May 2028).
    POLICING_AND_CRIME_BOARD = "policing_and_crime_board", _("Policing and crime board")


class LocalPolicingBody(models.Model):
    """The body holding a police force area's police and crime commissioner functions over a
    period: who a "PCC office" really is, so that a request, an approval or a police and crime
    plan shows the title of the body that held the functions on its date. A successor starts the
    day after its predecessor's last day (``authorities.services.local_policing_body_succeed``)."""

    police_force_area = models.ForeignKey(
        PoliceForceArea, on_delete=models.PROTECT, related_name="local_policing_bodies"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=LocalPolicingBodyKind.choices)
    # The title people know it by: "Mayor of Greater Manchester", "South Wales Police and Crime
    # Commissioner".
    title = models.CharField(_("title"), max_length=200)
    office = models.CharField(
        _("office"),
        max_length=200,
        help_text=_(
            "The office its staff work in, for example Mayor's Office for Policing and Crime."
        ),
    )
    functions_from = models.DateField(_("holds the functions from"))
    functions_until = models.DateField(
        _("held the functions until"), null=True, blank=True, help_text=_("Its last day.")
    )

    class Meta:
        ordering = ["police_force_area__name", "functions_from"]
        verbose_name = _("local policing body")
        verbose_name_plural = _("local policing bodies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=LocalPolicingBodyKind.values),
                name="local_policing_body_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(functions_until__isnull=True)
                | models.Q(functions_until__gte=models.F("functions_from")),
                name="local_policing_body_ends_after_start",
            ),
            models.UniqueConstraint(
                "police_force_area", "functions_from", name="local_policing_body_start_once"
            ),
            models.UniqueConstraint(
                "police_force_area",
                condition=models.Q(functions_until__isnull=True),
                name="local_policing_body_one_current",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def held_on(self, day) -> bool:
        return self.functions_from <= day and (
            self.functions_until is None or day <= self.functions_until
        )
