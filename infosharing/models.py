"""The partnership's register of information sharing agreements: who shares what with whom, for
what purpose, on which legal basis, and when each agreement is next reviewed.

Section 17A of the Crime and Disorder Act 1998 has each relevant authority share depersonalised
information with the other responsible authorities, and the strategy group keeps arrangements
(a protocol) for sharing information between them (SI 2007/1830 in England; SI 2007/3076 in
Wales); DESIGN.md: "an information sharing protocol must be in place and recorded". The agreements
under that protocol are recorded here and reviewed by the date each sets, reminded by the sweep
(infosharing/deadlines.py).

A status is data (``TextChoices``, a transitions map and check constraints) changed only through
``csp_portal.workflow.transition``.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import PartnerOrganisation, Partnership

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10_000


class AgreementStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    ENDED = "ended", _("Ended")


AGREEMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AgreementStatus.IN_FORCE: frozenset({AgreementStatus.ENDED}),
    AgreementStatus.ENDED: frozenset(),
}


class SharingAgreement(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="sharing_agreements"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    # Limited to the partnership's own organisations by the form and again by the service.
    parties = models.ManyToManyField(
        PartnerOrganisation, related_name="+", verbose_name=_("parties")
    )
    purpose = models.TextField(_("purpose"), max_length=TEXT_MAX_LENGTH)
    legal_basis = models.TextField(_("legal basis"), max_length=TEXT_MAX_LENGTH)
    signed_on = models.DateField(_("date agreed"))
    review_due = models.DateField(_("review by"))
    last_reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AgreementStatus.choices,
        default=AgreementStatus.IN_FORCE,
    )
    ended_on = models.DateField(_("date ended"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["status", "review_due", "pk"]
        indexes = [models.Index(fields=["partnership", "status", "review_due"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AgreementStatus.values),
                name="infosharing_agreement_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(review_due__gt=F("signed_on")),
                name="infosharing_agreement_review_after_agreed",
            ),
            models.CheckConstraint(
                condition=Q(status=AgreementStatus.ENDED, ended_on__isnull=False)
                | Q(status=AgreementStatus.IN_FORCE, ended_on__isnull=True),
                name="infosharing_agreement_ended_iff_ended_on",
            ),
        ]

    def __str__(self) -> str:
        return self.title


# The quarterly return of depersonalised information ---------------------------------------------


class ReturnStatus(models.TextChoices):
    DUE = "due", _("Due")
    SUBMITTED = "submitted", _("Submitted")


RETURN_TRANSITIONS: dict[str, frozenset[str]] = {
    ReturnStatus.DUE: frozenset({ReturnStatus.SUBMITTED}),
    ReturnStatus.SUBMITTED: frozenset(),
}


class QuarterlyReturn(models.Model):
    """One responsible authority's return of depersonalised information for one quarter (s17A of
    the Crime and Disorder Act 1998 and the Crime and Disorder (Prescribed Information)
    Regulations 2007, SI 2007/1831: quarterly). Due ``CSP_QUARTERLY_RETURN_DAYS`` after the
    quarter ends, a local target inside the law's limit (reg 3(1): by the end of the next
    quarter; see ``services.statutory_latest``), and chased by the sweep when late."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="quarterly_returns"
    )
    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    year_start = models.PositiveSmallIntegerField(_("financial year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    due_date = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=16, choices=ReturnStatus.choices, default=ReturnStatus.DUE
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year_start", "-quarter", "organisation__seat", "pk"]
        indexes = [models.Index(fields=["partnership", "status", "due_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year_start", "quarter"], name="infosharing_return_once"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="infosharing_return_quarter"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReturnStatus.values), name="infosharing_return_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ReturnStatus.SUBMITTED, submitted_at__isnull=False)
                | Q(status=ReturnStatus.DUE, submitted_at__isnull=True),
                name="infosharing_return_submitted_iff_submitted_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year_start}/{self.year_start + 1} Q{self.quarter}"


class ReturnFigure(models.Model):
    """A depersonalised figure of a return: "Deliberate fires: 41"."""

    quarterly_return = models.ForeignKey(
        QuarterlyReturn, on_delete=models.CASCADE, related_name="figures"
    )
    label = models.CharField(_("what it measures"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["quarterly_return", "position"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.unit}".strip()
