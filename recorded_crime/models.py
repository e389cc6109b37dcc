"""Police recorded crime by Community Safety Partnership area: national reference data.

Not tenant-owned: a platform administrator imports the published table once per period and every
partnership reads its own row. Rows keep the ONS area codes as text, not foreign keys, so that a
partnership created (or re-coded) later still finds its figures by ``Partnership.ons_code``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CrimeRelease(models.Model):
    """One imported period of the table. Importing the same period again replaces its rows."""

    period_label = models.CharField(_("period"), max_length=60)
    period_end = models.DateField(_("period end"), unique=True)
    source_file_name = models.CharField(_("source file"), max_length=255)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    warnings = models.JSONField(_("warnings"), default=list, blank=True)

    class Meta:
        ordering = ["-period_end"]
        verbose_name = _("police recorded crime release")

    def __str__(self) -> str:
        return self.period_label


class AreaKind(models.TextChoices):
    CSP = "csp", _("Community Safety Partnership")
    FORCE_TOTAL = "force_total", _("Police force area total")
    UNASSIGNED = "unassigned", _("Not assigned to a partnership")
    OTHER = "other", _("Other area of the force (not a partnership)")


class CrimeArea(models.Model):
    """One row of the table: a CSP, a force-area total, or a force-level row that is neither."""

    release = models.ForeignKey(CrimeRelease, on_delete=models.CASCADE, related_name="areas")
    kind = models.CharField(_("kind"), max_length=16, choices=AreaKind.choices)
    force_code = models.CharField(
        _("police force area code"),
        max_length=9,
        help_text=_("The force the row is counted under (see the release's warnings)."),
    )
    force_name = models.CharField(_("police force area name"), max_length=100)
    published_force_code = models.CharField(_("force code as published"), max_length=9)
    published_force_name = models.CharField(_("force name as published"), max_length=100)
    csp_code = models.CharField(_("CSP code"), max_length=9, blank=True)
    area_name = models.CharField(_("area name as published"), max_length=200)
    source_row = models.PositiveIntegerField(
        _("source row"),
        help_text=_("Line of the CSV file, or row of the spreadsheet, where the record starts."),
    )
    counts = models.JSONField(
        _("counts"),
        default=dict,
        help_text=_("Offence group key to number of offences; null where the data is unavailable."),
    )

    class Meta:
        ordering = ["release", "source_row"]
        verbose_name = _("police recorded crime area")
        indexes = [
            models.Index(fields=["csp_code", "release"], name="recorded_crime_area_csp"),
            models.Index(fields=["release", "force_code"], name="recorded_crime_area_force"),
        ]
        constraints = [
            models.UniqueConstraint(
                "release", "csp_code", condition=~Q(csp_code=""), name="crime_area_csp_once"
            ),
            models.UniqueConstraint(
                "release",
                "force_code",
                condition=Q(kind="force_total"),
                name="crime_area_force_total_once",
            ),
            models.CheckConstraint(
                condition=(Q(kind="csp") & ~Q(csp_code="")) | (~Q(kind="csp") & Q(csp_code="")),
                name="crime_area_csp_code_iff_csp",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area_name} ({self.release})"


class PopulationEdition(models.Model):
    """One mid-year edition of ONS's population estimates by local authority district. Editions
    are kept side by side; importing the same mid-year again replaces only what changed."""

    mid_year = models.PositiveSmallIntegerField(_("mid-year"), unique=True)
    source_file_name = models.CharField(_("source file"), max_length=255)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-mid_year"]
        verbose_name = _("population estimates edition")

    def __str__(self) -> str:
        return f"mid-{self.mid_year}"


class DistrictPopulation(models.Model):
    """One local authority district's residents by single year of age (``ages[90]`` is 90 and
    over). Codes are text, as for crime areas, so a later lookup edition still finds them."""

    edition = models.ForeignKey(
        PopulationEdition, on_delete=models.CASCADE, related_name="districts"
    )
    district_code = models.CharField(_("district code"), max_length=9)
    district_name = models.CharField(_("district name"), max_length=200)
    total = models.PositiveIntegerField(_("all ages"))
    ages = models.JSONField(_("residents by single year of age"), default=list)
    source_row = models.PositiveIntegerField(_("source row"))

    class Meta:
        ordering = ["edition", "source_row"]
        verbose_name = _("district population")
        constraints = [
            models.UniqueConstraint("edition", "district_code", name="district_population_once")
        ]

    def __str__(self) -> str:
        return f"{self.district_name} ({self.edition})"


class SimilarAreasEdition(models.Model):
    """One edition of ONS's statistical nearest neighbours of local authorities (Explore Local
    Statistics). Not the Home Office's most similar groups, which are not published openly."""

    label = models.CharField(_("edition"), max_length=60, unique=True)
    source_file_name = models.CharField(_("source file"), max_length=255)
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("similar areas edition")

    def __str__(self) -> str:
        return self.label


class DistrictNeighbours(models.Model):
    edition = models.ForeignKey(
        SimilarAreasEdition, on_delete=models.CASCADE, related_name="districts"
    )
    district_code = models.CharField(_("district code"), max_length=9)
    neighbours = models.JSONField(_("nearest neighbours, nearest first"), default=list)
    source_row = models.PositiveIntegerField(_("source row"))

    class Meta:
        ordering = ["edition", "source_row"]
        verbose_name = _("district's nearest neighbours")
        constraints = [
            models.UniqueConstraint("edition", "district_code", name="district_neighbours_once")
        ]

    def __str__(self) -> str:
        return self.district_code
