"""ASB case reviews, the "community trigger" (Anti-social Behaviour, Crime and Policing Act 2014,
s104 and Schedule 4).

- The partnership's published **review procedure** (s104(2)-(3)): the point of contact, the
  threshold (s104(4): at most three qualifying complaints), what happens when an applicant is
  dissatisfied (Schedule 4 para 3: here, an appeal to a named reviewer within set periods).
- An **application** (``CaseReview``) made by anyone on the public form (s104(1)(a)), the
  threshold decision with reasons and the applicant told (s104(6)), the multi-agency review with
  each agency's response, its recommendations, the applicant told of the outcome (s104(7)), and
  an appeal as the procedure sets.
- Need to know: the applicant's name, contact and account are read only by the people granted
  the case (``CaseAccessGrant``), every read logged (``CaseReadLog``); everyone else in the
  partnership sees counts.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from authorities.models import Organisation
from csp_portal.languages import Language
from partnerships.models import Partnership

# s104(4): the threshold may be set no higher than three qualifying complaints. A complaint
# qualifies (s104(11)) if made within one month of the behaviour, and the application within six
# months of the complaint: the six months is the statute's, not a local choice, so it is a
# constant here and stated on the procedure page. Checked for issue 20: s104(1)-(5) against the
# section's text on legislation.gov.uk (ukpga/2014/12/section/104), s104(11) against the Act's
# explanatory notes (paragraph 231); s104(10), the yearly figures, not against its text.
STATUTORY_MAX_COMPLAINTS = 3
QUALIFYING_PERIOD_MONTHS = 6


class ReviewProcedure(models.Model):
    """The partnership's review procedures (s104(2)): one per partnership, edited by its
    coordinators, audited, and shown on its public page once published. The periods are set
    locally (s104 as checked fixes none: s104(2) leaves the procedures to the relevant bodies);
    the defaults are meant as the Home Office's statutory guidance for frontline professionals
    gives them as practice, which was not checked again for issue 20."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="case_review_procedure"
    )
    threshold_complaints = models.PositiveSmallIntegerField(
        _("qualifying complaints that meet the threshold"),
        default=STATUTORY_MAX_COMPLAINTS,
        validators=[MinValueValidator(1), MaxValueValidator(STATUTORY_MAX_COMPLAINTS)],
        help_text=_(
            "At most three (section 104(4)), made in the six months before the application."
        ),
    )
    other_grounds = models.TextField(
        _("other grounds on which the threshold may be met"),
        blank=True,
        help_text=_(
            "For example the persistence of the behaviour, the harm caused or risked, or the "
            "adequacy of the response (section 104(5))."
        ),
    )
    contact = models.TextField(
        _("point of contact for applications"),
        help_text=_("Who receives applications, and how else to reach them (section 104(3))."),
    )
    contact_email = models.EmailField(_("contact email"))
    decision_days = models.PositiveSmallIntegerField(
        _("days to decide whether the threshold is met"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    review_days = models.PositiveSmallIntegerField(
        _("days from the threshold being met to telling the applicant the outcome"),
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
    )
    appeal_reviewer = models.CharField(
        _("who reviews an appeal"),
        max_length=200,
        help_text=_("Someone who took no part in the decision (Schedule 4, paragraph 3)."),
    )
    appeal_window_days = models.PositiveSmallIntegerField(
        _("days the applicant has to appeal"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    appeal_decision_days = models.PositiveSmallIntegerField(
        _("days to decide an appeal"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
    )
    published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold_complaints__gte=1)
                & Q(threshold_complaints__lte=STATUTORY_MAX_COMPLAINTS),
                name="case_review_threshold_at_most_three",
            ),
            models.CheckConstraint(
                condition=Q(decision_days__gte=1)
                & Q(review_days__gte=1)
                & Q(appeal_window_days__gte=1)
                & Q(appeal_decision_days__gte=1),
                name="case_review_periods_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(_("ASB case review procedure of %(name)s") % {"name": self.partnership.name})


# What the coordinators edit of the procedure (the form, the service and its audit).
PROCEDURE_FIELDS = (
    "threshold_complaints",
    "other_grounds",
    "contact",
    "contact_email",
    "decision_days",
    "review_days",
    "appeal_reviewer",
    "appeal_window_days",
    "appeal_decision_days",
)


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    THRESHOLD_NOT_MET = "threshold_not_met", _("Threshold not met")
    UNDER_REVIEW = "under_review", _("Under review")
    CONCLUDED = "concluded", _("Concluded")
    APPEALED = "appealed", _("Appealed")
    APPEAL_DECIDED = "appeal_decided", _("Appeal decided")


C = CaseStatus
CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    C.RECEIVED: frozenset({C.THRESHOLD_NOT_MET, C.UNDER_REVIEW}),
    C.UNDER_REVIEW: frozenset({C.CONCLUDED}),
    # Schedule 4 para 3: an applicant dissatisfied with how the application was dealt with, or
    # the review carried out, may appeal.
    C.THRESHOLD_NOT_MET: frozenset({C.APPEALED}),
    C.CONCLUDED: frozenset({C.APPEALED}),
    C.APPEALED: frozenset({C.APPEAL_DECIDED}),
    C.APPEAL_DECIDED: frozenset(),
}
# Nothing more happens to a case in these, unless an appeal is still allowed; the retention
# schedule (retention.selectors, CSP_RETENTION_DAYS["case_reviews"]) deletes one finished this
# long ago, with its letters, responses and grants.
FINISHED_STATUSES = frozenset({C.THRESHOLD_NOT_MET, C.CONCLUDED, C.APPEAL_DECIDED})
# Statuses in which the threshold has been decided met.
THRESHOLD_MET_STATUSES = frozenset({C.UNDER_REVIEW, C.CONCLUDED})


class CaseReview(models.Model):
    """One application for an ASB case review, and the review that follows. The applicant's
    details are personal data: only ``CaseAccessGrant`` holders read them (casereviews.policies)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="case_reviews"
    )
    reference = models.CharField(max_length=20)
    # The public form's one-time token: the same form sent twice makes one application.
    submission_token = models.UUIDField(unique=True)
    # A keyed hash of the address the form came from (never the address itself): the per-address
    # limit on applications counts these (casereviews.services.applications_from).
    source_hash = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=C.RECEIVED)
    status_changed_at = models.DateTimeField(default=timezone.now)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    # What the applicant gave (personal data).
    applicant_name = models.CharField(_("full name"), max_length=200)
    applicant_email = models.EmailField(_("email address"))
    applicant_phone = models.CharField(_("phone number"), max_length=40, blank=True)
    # The language the application was made in: the letters to the applicant go in it.
    applicant_language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, blank=True, default=""
    )
    on_behalf_of = models.CharField(
        _("applying on behalf of someone else (their name, with their consent)"),
        max_length=200,
        blank=True,
    )
    location = models.CharField(_("where the behaviour happens"), max_length=300)
    behaviour = models.TextField(_("the anti-social behaviour"))
    complaints_made = models.PositiveSmallIntegerField(
        _("complaints made in the last six months"),
        validators=[MaxValueValidator(99)],
    )
    complaints_to = models.TextField(_("who the complaints were made to, and when"))
    # The threshold decision (s104(6)).
    threshold_met = models.BooleanField(null=True, blank=True)
    threshold_reasons = models.TextField(_("reasons"), blank=True)
    threshold_decided_at = models.DateTimeField(null=True, blank=True)
    # The review (s104(1)).
    meeting_date = models.DateField(_("date of the review meeting"), null=True, blank=True)
    findings = models.TextField(_("what the review found"), blank=True)
    concluded_at = models.DateTimeField(null=True, blank=True)
    # The appeal the procedure sets (Schedule 4 para 3).
    appeal_received_on = models.DateField(_("date the appeal was received"), null=True, blank=True)
    appeal_grounds = models.TextField(_("grounds of the appeal"), blank=True)
    appeal_upheld = models.BooleanField(null=True, blank=True)
    appeal_reasons = models.TextField(_("the reviewer's reasons"), blank=True)
    appeal_decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint("partnership", "reference", name="case_review_reference_once"),
            models.CheckConstraint(
                condition=Q(status__in=CaseStatus.values), name="case_review_status_valid"
            ),
            # The status says what the threshold decision was.
            models.CheckConstraint(
                condition=(
                    Q(status=C.RECEIVED, threshold_met__isnull=True)
                    | Q(status=C.THRESHOLD_NOT_MET, threshold_met=False)
                    | Q(status__in=sorted(THRESHOLD_MET_STATUSES), threshold_met=True)
                    | Q(status__in=[C.APPEALED, C.APPEAL_DECIDED], threshold_met__isnull=False)
                ),
                name="case_review_threshold_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(status=C.APPEAL_DECIDED) | Q(appeal_upheld__isnull=True),
                name="case_review_appeal_decided_only_when_decided",
            ),
            models.CheckConstraint(
                condition=~Q(status=C.APPEAL_DECIDED) | Q(appeal_upheld__isnull=False),
                name="case_review_appeal_decision_recorded",
            ),
            models.CheckConstraint(
                condition=Q(concluded_at__isnull=True) | Q(meeting_date__isnull=False),
                name="case_review_concluded_after_a_meeting",
            ),
        ]

    def __str__(self) -> str:
        # The reference only: this is what the audit log and reminders show.
        return self.reference


class GrantReason(models.TextChoices):
    COORDINATOR = "coordinator", _("Runs the case")
    AGENCY = "agency", _("Agency officer")


class CaseAccessGrant(models.Model):
    """Who may read one case's personal data, and why: a grant per case (as reviews do)."""

    Reason = GrantReason

    case = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_review_grants"
    )
    reason = models.CharField(_("role in the case"), max_length=16, choices=GrantReason.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["granted_at", "pk"]
        constraints = [
            models.UniqueConstraint("case", "user", name="case_review_grant_once"),
            models.CheckConstraint(
                condition=Q(reason__in=GrantReason.values), name="case_review_grant_reason_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.case.reference}"


class CaseReadLog(models.Model):
    """One read of a case's personal data: who, when, what. Never updated."""

    case = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="read_log")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_label = models.CharField(max_length=254)
    read_at = models.DateTimeField(auto_now_add=True, db_index=True)
    what = models.CharField(max_length=200)

    class Meta:
        ordering = ["-read_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.read_at:%Y-%m-%d %H:%M} {self.user_label}: {self.what}"


class AgencyResponse(models.Model):
    """What one agency told the review: what it knew, what it did, what more it can do."""

    case = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="responses")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    response = models.TextField(_("the agency's response"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint("case", "organisation", name="case_review_response_once")
        ]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.organisation}"


class CaseRecommendation(models.Model):
    """A recommendation of the review, with the agency that owns it and when it is due
    (reminded through casereviews.deadlines until completed)."""

    case = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="recommendations")
    recommendation = models.TextField(_("recommendation"))
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.recommendation[:60]}"


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
    THRESHOLD = "threshold", _("Threshold decision")
    OUTCOME = "outcome", _("Outcome of the review")
    APPEAL = "appeal", _("Outcome of the appeal")


class CaseLetter(models.Model):
    """What the applicant was told in writing, kept as sent (s104(6)-(7)): emailed by a task
    after the change commits, ``sent_at`` set once it has gone."""

    case = models.ForeignKey(CaseReview, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    sent_to = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint("case", "kind", name="case_review_letter_once"),
            models.CheckConstraint(
                condition=Q(kind__in=LetterKind.values), name="case_review_letter_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_kind_display()}"
