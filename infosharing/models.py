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
