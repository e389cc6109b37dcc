"""Domestic homicide reviews (Domestic Violence, Crime and Victims Act 2004, s9).

Need to know: a review is visible only to the people granted access to it (django-guardian
object permissions, direct-foreign-key tables), never to a role as such. Every read is logged.
People are named in reviews only by pseudonym; nothing here asks for a real name.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from authorities.models import Organisation
from partnerships.models import Partnership

from . import review_types


class ReviewTypeCode(models.TextChoices):
    DHR = "dhr", _("Domestic homicide review")
    DARDR = "dardr", _("Domestic abuse related death review")
    OWHR = "owhr", _("Offensive weapons homicide review")
    SUSR = "susr", _("Single unified safeguarding review")


class DecidedBy(models.TextChoices):
    """Who the law or guidance of a review type says decides whether to review."""

    PARTNERSHIP = review_types.DecidedBy.PARTNERSHIP, _("The Community Safety Partnership")
    REVIEW_PARTNERS = (
        review_types.DecidedBy.REVIEW_PARTNERS,
        _(
            "The relevant review partners: the chief officer of police, the local authority and "
            "the integrated care board (local health board in Wales) for the area"
        ),
    )
    REGIONAL_SAFEGUARDING_BOARD = (
        review_types.DecidedBy.REGIONAL_SAFEGUARDING_BOARD,
        _("The regional safeguarding board"),
    )


class ReviewType(models.Model):
    """A kind of statutory review run on this engine (``review_types`` says which and why, with
    sources): its name on pages and documents, its statute, the criteria its notification asks,
    who decides, its clocks, who is told and who is sent its report, its documents' names, and
    from when it applies to deaths notified (none: not in force yet)."""

    code = models.CharField(max_length=16, choices=ReviewTypeCode.choices, unique=True)
    name = models.CharField(_("name"), max_length=100)
    statute = models.CharField(_("statute"), max_length=300)
    report_to_home_office = models.BooleanField(_("report sent to the Home Office"))
    report_to_domestic_abuse_commissioner = models.BooleanField(
        _("report sent to the Domestic Abuse Commissioner")
    )
    welsh_government_notified = models.BooleanField(
        _("Welsh Government told when a review takes place"),
        default=False,
        help_text=_(
            "Single unified safeguarding review statutory guidance (Welsh Government, 2024): the "
            "board notifies Welsh Government whenever a review takes place."
        ),
    )
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    criteria = models.JSONField(
        _("criteria the notification asks"),
        default=list,
        blank=True,
        help_text=_("Keys of reviews.review_types.CRITERIA, in the order the form asks them."),
    )
    decided_by = models.CharField(
        _("who decides whether to review"),
        max_length=32,
        choices=DecidedBy.choices,
        default=DecidedBy.PARTNERSHIP,
    )
    decision_months = models.PositiveSmallIntegerField(
        _("months from notification to the decision"),
        default=1,
        help_text=_(
            "Domestic homicide reviews: one month (Home Office multi-agency statutory guidance, "
            "2016, section 3)."
        ),
    )
    home_office_notice_days = models.PositiveSmallIntegerField(
        _("days from the decision to telling the Home Office"),
        default=7,
        help_text=_(
            "The guidance asks for the Home Office to be told promptly once the decision is made; "
            "a week by default. Offensive weapons homicide reviews: Police, Crime, Sentencing "
            "and Courts Act 2022, section 27."
        ),
    )
    completion_months = models.PositiveSmallIntegerField(
        _("months from the decision to review to completion"),
        default=6,
        help_text=_(
            "Domestic homicide reviews: six months (Home Office multi-agency statutory guidance, "
            "2016, section 5). Time on hold does not count."
        ),
    )
    overview_report_name = models.CharField(
        _("name of the full report"), max_length=150, default="Overview report"
    )
    executive_summary_name = models.CharField(
        _("name of the summary"), max_length=150, default="Executive summary"
    )
    applies_where = models.CharField(
        _("where it applies"),
        max_length=300,
        blank=True,
        help_text=_("Empty where it applies everywhere in England and Wales; else the areas."),
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__in=ReviewTypeCode.values), name="review_type_code_valid"
            ),
            models.CheckConstraint(
                condition=Q(decided_by__in=DecidedBy.values), name="review_type_decided_by_valid"
            ),
        ]

    def __str__(self) -> str:
        # Stored in English; the catalogue has the names the service ships with (review_types).
        return gettext(self.name)

    @property
    def overview_report_title(self) -> str:
        return gettext(self.overview_report_name)

    @property
    def executive_summary_title(self) -> str:
        return gettext(self.executive_summary_name)

    @property
    def report_recipients(self) -> list[str]:
        """Who the law says must be sent the review's report, as pages name them."""
        return [
            str(label)
            for sent, label in (
                (self.report_to_home_office, _("the Home Office")),
                (self.report_to_domestic_abuse_commissioner, _("the Domestic Abuse Commissioner")),
            )
            if sent
        ]

    @property
    def criteria_asked(self) -> list[review_types.Criterion]:
        return [review_types.CRITERIA[key] for key in self.criteria]


class ReviewStatus(models.TextChoices):
    NOTIFIED = "notified", _("Notified")
    UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
    DECIDED = "decided", _("Decided")
    HOME_OFFICE_NOTIFIED = "home_office_notified", _("Home Office notified of the decision")
    COMMISSIONED = "commissioned", _("Commissioned")
    SCOPING = "scoping", _("Scoping")
    EVIDENCE_GATHERING = "evidence_gathering", _("Evidence gathering")
    ON_HOLD = "on_hold", _("On hold")
    DRAFTING = "drafting", _("Drafting")
    PANEL_APPROVED = "panel_approved", _("Approved by the panel")
    PARTNERSHIP_APPROVED = "partnership_approved", _("Approved by the partnership")
    SUBMITTED = "submitted", _("Submitted to the Home Office quality assurance panel")
    RETURNED = "returned", _("Returned for changes")
    HOME_OFFICE_APPROVED = "home_office_approved", _("Approved by the Home Office")
    PUBLISHED = "published", _("Published")
    MONITORING = "monitoring", _("Action plan monitoring")
    CLOSED = "closed", _("Closed")


S = ReviewStatus
REVIEW_TRANSITIONS: dict[str, frozenset[str]] = {
    S.NOTIFIED: frozenset({S.UNDER_CONSIDERATION}),
    S.UNDER_CONSIDERATION: frozenset({S.DECIDED}),
    S.DECIDED: frozenset({S.HOME_OFFICE_NOTIFIED}),
    # After telling the Home Office: a review is commissioned; "no review" closes the case.
    S.HOME_OFFICE_NOTIFIED: frozenset({S.COMMISSIONED, S.CLOSED}),
    S.COMMISSIONED: frozenset({S.SCOPING}),
    S.SCOPING: frozenset({S.EVIDENCE_GATHERING, S.ON_HOLD}),
    S.EVIDENCE_GATHERING: frozenset({S.DRAFTING, S.ON_HOLD}),
    # A hold (criminal proceedings, an inquest) resumes where it left off.
    S.ON_HOLD: frozenset({S.SCOPING, S.EVIDENCE_GATHERING, S.DRAFTING}),
    S.DRAFTING: frozenset({S.PANEL_APPROVED, S.ON_HOLD}),
    S.PANEL_APPROVED: frozenset({S.PARTNERSHIP_APPROVED}),
    S.PARTNERSHIP_APPROVED: frozenset({S.SUBMITTED}),
    S.SUBMITTED: frozenset({S.RETURNED, S.HOME_OFFICE_APPROVED}),
    S.RETURNED: frozenset({S.SUBMITTED}),
    S.HOME_OFFICE_APPROVED: frozenset({S.PUBLISHED}),
    S.PUBLISHED: frozenset({S.MONITORING}),
    S.MONITORING: frozenset({S.CLOSED}),
    # A closed "no review" decision is reopened when the Home Office directs a review.
    S.CLOSED: frozenset({S.DECIDED}),
}

# The clock towards completion runs in these statuses (and stops once the review is submitted).
HOLDABLE = frozenset({S.SCOPING, S.EVIDENCE_GATHERING, S.DRAFTING})
# Agencies are asked, and answer, from commissioning until the draft goes to the panel.
EVIDENCE_OPEN = frozenset({S.COMMISSIONED, S.SCOPING, S.EVIDENCE_GATHERING, S.ON_HOLD, S.DRAFTING})
# Before commissioning there is no review to recommend anything; a closed case is finished.
ACTION_PLAN_CLOSED = frozenset(
    {S.NOTIFIED, S.UNDER_CONSIDERATION, S.DECIDED, S.HOME_OFFICE_NOTIFIED, S.CLOSED}
)


class Decision(models.TextChoices):
    REVIEW = "review", _("Commission a review")
    NO_REVIEW = "no_review", _("No review")


class DecisionMaker(models.TextChoices):
    PARTNERSHIP = "partnership", _("The Community Safety Partnership")
    REGIONAL_SAFEGUARDING_BOARD = (
        "regional_safeguarding_board",
        _("The regional safeguarding board (single unified safeguarding review)"),
    )


class ReviewSettings(models.Model):
    """Per partnership: who decides whether to review. In Wales the regional safeguarding
    board decides, under the single unified safeguarding review."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="review_settings"
    )
    decision_maker = models.CharField(
        _("who decides"), max_length=32, choices=DecisionMaker.choices
    )
    decision_maker_name = models.CharField(_("name of the board"), max_length=200, blank=True)

    def __str__(self) -> str:
        return str(self.get_decision_maker_display())


class CriteriaRelationship(models.TextChoices):
    RELATIVE = "relative", _("A relative")
    INTIMATE_PARTNER = "intimate_partner", _("An intimate partner, or former partner")
    HOUSEHOLD = "household", _("A member of the same household")


class DomesticHomicideReview(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="domestic_homicide_reviews"
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    review_type = models.ForeignKey(
        ReviewType, verbose_name=_("type of review"), on_delete=models.PROTECT, related_name="+"
    )
    victim_pseudonym = models.CharField(_("pseudonym of the person who died"), max_length=80)
    perpetrator_pseudonym = models.CharField(
        _("pseudonym of the alleged perpetrator"), max_length=80, blank=True
    )
    # What the police notification says; month and year are enough, and keep it less identifying.
    death_month = models.DateField(_("month of death"))
    notified_on = models.DateField(_("date of notification"))
    notified_by = models.ForeignKey(
        Organisation,
        verbose_name=_("notified by"),
        on_delete=models.PROTECT,
        related_name="notified_reviews",
    )
    # The criteria the notification asks, by type (``ReviewType.criteria``): None where the
    # review's type did not ask.
    aged_16_or_over = models.BooleanField(
        _("the person who died was aged 16 or over"), null=True, blank=True
    )
    relationship = models.CharField(
        _("the death may have resulted from violence, abuse or neglect by"),
        max_length=32,
        choices=CriteriaRelationship.choices,
        blank=True,
    )
    suicide_with_domestic_abuse = models.BooleanField(
        _("a suicide where domestic abuse is a concern"), default=False
    )
    qualifying_homicide = models.BooleanField(
        _("a homicide in England or Wales"), null=True, blank=True
    )
    aged_18_or_over = models.BooleanField(
        _("the person who died was aged 18 or over"), null=True, blank=True
    )
    offensive_weapon = models.BooleanField(
        _("an offensive weapon was, or was probably, used"), null=True, blank=True
    )
    partner_holds_information = models.BooleanField(
        _("a review partner holds relevant information"), null=True, blank=True
    )
    circumstances = models.TextField(_("circumstances, without names"), blank=True)
    status = models.CharField(
        _("status"), max_length=32, choices=ReviewStatus.choices, default=ReviewStatus.NOTIFIED
    )
    held_from = models.CharField(max_length=32, choices=ReviewStatus.choices, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, blank=True)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    decided_on = models.DateField(_("date of the decision"), null=True, blank=True)
    directed_by_home_office = models.BooleanField(default=False)
    home_office_notified_on = models.DateField(
        _("date the Home Office was told"), null=True, blank=True
    )
    chair_name = models.CharField(_("independent chair"), max_length=150, blank=True)
    chair_independence = models.TextField(_("declaration of independence"), blank=True)
    chair_appointed_on = models.DateField(_("date the chair was appointed"), null=True, blank=True)
    terms_of_reference = models.TextField(_("terms of reference"), blank=True)
    family_notified_on = models.DateField(_("date the family was told"), null=True, blank=True)
    welsh_government_notified_on = models.DateField(
        _("date Welsh Government was told"), null=True, blank=True
    )
    submitted_on = models.DateField(null=True, blank=True)
    # How many times the Home Office quality assurance panel has returned the review; feedback
    # items carry the round they came with.
    qa_round = models.PositiveSmallIntegerField(default=0)
    published_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # Why the review's records must be kept whatever the retention schedule says (a claim, an
    # inquiry, a request from the coroner); empty when there is no legal hold. The retention run
    # never touches a review under legal hold, nor one on hold (retention/).
    legal_hold_reason = models.CharField(_("reason for the legal hold"), max_length=300, blank=True)

    class Meta:
        ordering = ["-notified_on", "-pk"]
        verbose_name = _("domestic homicide review")
        permissions = [("access_domestichomicidereview", "Has need-to-know access to the review")]
        indexes = [models.Index(fields=["partnership", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReviewStatus.values), name="review_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(death_month__lte=models.F("notified_on")),
                name="review_death_before_notification",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=models.F("notified_on")),
                name="review_decision_after_notification",
            ),
            models.CheckConstraint(
                condition=Q(status="on_hold") | Q(held_from=""), name="review_held_from_on_hold"
            ),
        ]

    def __str__(self) -> str:
        # Lists, titles, notifications and logs show only this.
        return f"{self.reference} ({self.victim_pseudonym})"


class QualityAssuranceFeedback(models.Model):
    """One point of the Home Office quality assurance panel's feedback on a returned review, as
    the coordinator recorded it, and the independent chair's answer. Every round is kept."""

    review = models.ForeignKey(
        DomesticHomicideReview, on_delete=models.CASCADE, related_name="qa_feedback"
    )
    round = models.PositiveSmallIntegerField(_("round"))
    text = models.TextField(_("the panel's feedback"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("the chair's answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-round", "pk"]
        verbose_name = _("quality assurance feedback")
        verbose_name_plural = _("quality assurance feedback")
        indexes = [models.Index(fields=["review", "round"])]
        constraints = [
            models.CheckConstraint(condition=Q(round__gte=1), name="review_qa_round_positive"),
            models.CheckConstraint(
                condition=Q(answer="", answered_at__isnull=True)
                | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="review_qa_answer_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review.reference}: {self.round}.{self.pk}"

    @property
    def is_answered(self) -> bool:
        return bool(self.answer)


class ReviewUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(DomesticHomicideReview, on_delete=models.CASCADE)


class ReviewGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(DomesticHomicideReview, on_delete=models.CASCADE)


class ReviewHold(models.Model):
    """A pause for criminal proceedings or an inquest. The completion clock stops meanwhile."""

    review = models.ForeignKey(
        DomesticHomicideReview, on_delete=models.CASCADE, related_name="holds"
    )
    reason = models.TextField(_("reason"))
    started_on = models.DateField(_("start"))
    expected_restart = models.DateField(_("expected restart"), null=True, blank=True)
    ended_on = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                "review", condition=Q(ended_on__isnull=True), name="review_one_open_hold"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="review_hold_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review.reference}: {self.started_on}–{self.ended_on or ''}"


class AccessGrant(models.Model):
    """Who holds access to a review and why: the audit trail beside guardian's permission rows."""

    class Reason(models.TextChoices):
        CREATOR = "creator", _("Recorded the notification")
        COORDINATOR = "coordinator", _("Named coordinator")
        CHAIR = "chair", _("Independent chair")
        PANEL = "panel", _("Panel member")
        AUTHOR = "author", _("Agency author")

    review = models.ForeignKey(
        DomesticHomicideReview, on_delete=models.CASCADE, related_name="access_grants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="review_access_grants"
    )
    reason = models.CharField(_("role in the review"), max_length=16, choices=Reason.choices)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["granted_at", "pk"]
        constraints = [models.UniqueConstraint("review", "user", name="review_access_grant_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.review.reference}"


class AccessLogEntry(models.Model):
    """One read of a review, a document or an export: who, when, what. Never updated."""

    review = models.ForeignKey(
        DomesticHomicideReview, on_delete=models.CASCADE, related_name="access_log"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    user_label = models.CharField(max_length=254)
    read_at = models.DateTimeField(auto_now_add=True, db_index=True)
    what = models.CharField(max_length=200)

    class Meta:
        ordering = ["-read_at", "-pk"]
        verbose_name_plural = _("access log entries")

    def __str__(self) -> str:
        return f"{self.read_at:%Y-%m-%d %H:%M} {self.user_label}: {self.what}"


class AgencyRequestKind(models.TextChoices):
    CHRONOLOGY = "chronology", _("Chronology")
    IMR = "imr", _("Individual management review")


class AgencyRequest(models.Model):
    """A chronology or an individual management review asked of one organisation."""

    review = models.ForeignKey(
        DomesticHomicideReview, on_delete=models.CASCADE, related_name="agency_requests"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="review_requests"
    )
    kind = models.CharField(max_length=16, choices=AgencyRequestKind.choices)
    due_date = models.DateField(_("due date"))
    submitted_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.UniqueConstraint(
                "review", "organisation", "kind", name="review_agency_request_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.organisation}"


class ChronologyEntry(models.Model):
    request = models.ForeignKey(AgencyRequest, on_delete=models.CASCADE, related_name="entries")
    occurred_on = models.DateField(_("date"))
    description = models.TextField(_("what happened"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["occurred_on", "pk"]
        verbose_name_plural = _("chronology entries")

    def __str__(self) -> str:
        return f"{self.occurred_on}: {self.description[:60]}"


class RecommendationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", _("Complete")


class Recommendation(models.Model):
    """A recommendation of the review, and its line in the action plan."""

    review = models.ForeignKey(
        DomesticHomicideReview, on_delete=models.CASCADE, related_name="recommendations"
    )
    recommendation = models.TextField(_("recommendation"))
    action = models.TextField(_("action"))
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        max_length=16, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    progress = models.TextField(_("progress"), blank=True)
    evidence_of_completion = models.TextField(_("evidence of completion"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.recommendation[:80]


class ReviewDocumentKind(models.TextChoices):
    TERMS_OF_REFERENCE = "terms_of_reference", _("Terms of reference")
    IMR = "imr", _("Individual management review")
    OVERVIEW_REPORT = "overview_report", _("Overview report")
    EXECUTIVE_SUMMARY = "executive_summary", _("Executive summary")
    ACTION_PLAN = "action_plan", _("Action plan")
    OTHER = "other", _("Other")


def _review_document_path(instance: "ReviewDocument", filename: str) -> str:
    return f"reviews/{instance.review_id}/{instance.token}"


class ReviewDocument(models.Model):
    """A file attached to a review: never at a guessable URL, served only after an access check,
    and every download logged."""

    review = models.ForeignKey(
        DomesticHomicideReview, on_delete=models.CASCADE, related_name="documents"
    )
    request = models.ForeignKey(
        AgencyRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    kind = models.CharField(max_length=32, choices=ReviewDocumentKind.choices)
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=_review_document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
