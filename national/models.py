"""National oversight: a person of a national body who sees, for every partnership or those of a
nation or police force area, counts and dates of the statutory cycle, never its content.

A grant is made and ended only by platform administrators; an ended grant is kept (who ended it,
when) so that the audit trail reads alongside it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from authorities.models import Nation, PoliceForceArea


class NationalBody(models.TextChoices):
    HOME_OFFICE = "home_office", _("Home Office")
    WELSH_GOVERNMENT = "welsh_government", _("Welsh Government")
    WALES_SAFER_COMMUNITIES = "wales_safer_communities", _("Wales Safer Communities Network")


class OversightScope(models.TextChoices):
    ALL = "all", _("All partnerships")
    NATION = "nation", _("One nation")
    FORCE_AREA = "force_area", _("One police force area")


class NationalOversightGrant(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="national_oversight_grants",
    )
    body = models.CharField(_("national body"), max_length=32, choices=NationalBody.choices)
    scope = models.CharField(_("sees"), max_length=16, choices=OversightScope.choices)
    nation = models.CharField(_("nation"), max_length=16, choices=Nation.choices, blank=True)
    police_force_area = models.ForeignKey(
        PoliceForceArea,
        verbose_name=_("police force area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("national oversight grant")
        constraints = [
            models.UniqueConstraint(
                "user", condition=Q(ended_at__isnull=True), name="national_grant_one_open_per_user"
            ),
            models.CheckConstraint(
                condition=(Q(scope="all") & Q(nation="") & Q(police_force_area__isnull=True))
                | (Q(scope="nation") & ~Q(nation="") & Q(police_force_area__isnull=True))
                | (Q(scope="force_area") & Q(nation="") & Q(police_force_area__isnull=False)),
                name="national_grant_scope_matches_area",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_body_display()}, {self.area_label}"

    @property
    def area_label(self) -> str:
        if self.scope == OversightScope.NATION:
            return str(self.get_nation_display())
        if self.scope == OversightScope.FORCE_AREA:
            return str(self.police_force_area)
        return str(OversightScope.ALL.label)

    @property
    def is_open(self) -> bool:
        return self.ended_at is None
