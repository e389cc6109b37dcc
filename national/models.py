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


# The characteristics the Home Office's public DHR library records for each published review (the
# Domestic Homicide Review Dataset, Cook and Cook 2026, CC BY 4.0): yes or no, never words.
CHARACTERISTICS: dict[str, str] = {
    "multiple_victims": _("More than one person died"),
    "intimate_partner_violence": _("Intimate partner violence"),
    "familial_homicide": _("Familial homicide"),
    "parricide": _("Parricide"),
    "homicide_suicide": _("Homicide followed by suicide"),
    "children_present": _("Children present"),
    "coercive_control": _("Coercive control"),
    "economic_abuse": _("Economic abuse"),
    "faith_based_marriage": _("Faith-based marriage"),
    "forced_marriage": _("Forced marriage"),
    "honour_based_violence": _("Honour-based violence"),
    "physical_abuse": _("Physical abuse"),
    "emotional_abuse": _("Emotional abuse"),
    "separation": _("Separation"),
    "sexual_abuse": _("Sexual abuse"),
    "stalking": _("Stalking"),
}


def _found(name: str) -> models.BooleanField:
    return models.BooleanField(CHARACTERISTICS[name], default=False)


class ReviewLearning(models.Model):
    """What a published domestic homicide review found, as yes-or-no characteristics and the year
    of the death: counted nationally, never shown one by one. Either recorded on a review of this
    platform when it is published, or imported from the public DHR library (``source_reference``
    is then the dataset's incident id)."""

    review = models.OneToOneField(
        "reviews.DomesticHomicideReview",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="learning",
    )
    source_reference = models.CharField(max_length=40, blank=True)
    year_of_death = models.PositiveSmallIntegerField(_("year of death"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    multiple_victims = _found("multiple_victims")
    intimate_partner_violence = models.BooleanField(
        CHARACTERISTICS["intimate_partner_violence"], default=False
    )
    familial_homicide = _found("familial_homicide")
    parricide = _found("parricide")
    homicide_suicide = _found("homicide_suicide")
    children_present = _found("children_present")
    coercive_control = _found("coercive_control")
    economic_abuse = _found("economic_abuse")
    faith_based_marriage = models.BooleanField(
        CHARACTERISTICS["faith_based_marriage"], default=False
    )
    forced_marriage = _found("forced_marriage")
    honour_based_violence = models.BooleanField(
        CHARACTERISTICS["honour_based_violence"], default=False
    )
    physical_abuse = _found("physical_abuse")
    emotional_abuse = _found("emotional_abuse")
    separation = _found("separation")
    sexual_abuse = _found("sexual_abuse")
    stalking = _found("stalking")

    class Meta:
        verbose_name = _("review learning")
        constraints = [
            models.CheckConstraint(
                condition=(Q(review__isnull=False) & Q(source_reference=""))
                | (Q(review__isnull=True) & ~Q(source_reference="")),
                name="review_learning_from_a_review_or_the_library",
            ),
            models.UniqueConstraint(
                "source_reference",
                condition=~Q(source_reference=""),
                name="review_learning_source_once",
            ),
        ]

    def __str__(self) -> str:
        return self.source_reference or f"review {self.review_id}"
