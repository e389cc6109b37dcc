"""The annual strategic assessment, its sections and recommended priorities, and the contribution
requests partner organisations answer for it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from authorities.models import Organisation
from partnerships.consultation import CommentStatus, ConsultationComment
from partnerships.models import Partnership


def financial_year_label(year_start: int) -> str:
    """2026 -> "2026/27": the financial year that starts on 1 April of ``year_start``."""
    return f"{year_start}/{(year_start + 1) % 100:02d}"


class PriorityTheme(models.TextChoices):
    """Priority themes seen in practice; the partnership plan's priorities come from these too."""

    ANTI_SOCIAL_BEHAVIOUR = "anti_social_behaviour", _("Anti-social behaviour and disorder")
    VAWDASV = "vawdasv", _("Violence against women, domestic abuse and sexual violence")
    PREVENT = "prevent", _("Terrorism and extremism (Prevent)")
    SUBSTANCE_MISUSE = "substance_misuse", _("Substance misuse")
    CRIME_PREVENTION = "crime_prevention", _("Crime prevention")
    SERIOUS_VIOLENCE = "serious_violence", _("Serious violence")
    SERIOUS_ORGANISED_CRIME = "serious_organised_crime", _("Serious and organised crime")
    PUBLIC_SAFETY = "public_safety", _("Public safety")
    MODERN_SLAVERY = "modern_slavery", _("Modern slavery and exploitation")
    REDUCING_REOFFENDING = (
        "reducing_reoffending",
        _("Reducing reoffending and integrated offender management"),
    )
    YOUTH_JUSTICE = "youth_justice", _("Youth justice")
    SAFEGUARDING = "safeguarding", _("Safeguarding")
    COMMUNITY_COHESION = "community_cohesion", _("Community cohesion")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONTRIBUTIONS_OPEN = "contributions_open", _("Contributions open")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")


ASSESSMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    AssessmentStatus.DRAFT: frozenset({AssessmentStatus.CONTRIBUTIONS_OPEN}),
    AssessmentStatus.CONTRIBUTIONS_OPEN: frozenset({AssessmentStatus.IN_REVIEW}),
    # The strategy group either approves or sends it back for more work.
    AssessmentStatus.IN_REVIEW: frozenset(
        {AssessmentStatus.APPROVED, AssessmentStatus.CONTRIBUTIONS_OPEN}
    ),
    AssessmentStatus.APPROVED: frozenset(),
}

# While the assessment is in these statuses its text can change.
EDITABLE_ASSESSMENT_STATUSES = frozenset(
    {AssessmentStatus.DRAFT, AssessmentStatus.CONTRIBUTIONS_OPEN}
)


class StrategicAssessment(models.Model):
    """One version of a partnership's strategic assessment for one financial year.

    Approval freezes a version; a later change starts the next version as a copy.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="strategic_assessments"
    )
    year_start = models.PositiveSmallIntegerField(_("financial year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"),
        max_length=32,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.DRAFT,
    )
    previous_version = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    review_comment = models.TextField(_("comment from the strategy group"), blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Sign-off as it stood at approval, so that later changes of name or role do not rewrite it.
    approved_by_name = models.CharField(max_length=150, blank=True)
    approved_by_role = models.CharField(max_length=150, blank=True)
    approved_by_organisation = models.CharField(max_length=200, blank=True)
    approval_note = models.TextField(_("approval note"), blank=True)

    class Meta:
        ordering = ["-year_start", "-version"]
        constraints = [
            models.UniqueConstraint(
                "partnership", "year_start", "version", name="assessment_version_unique"
            ),
            models.UniqueConstraint(
                "partnership",
                "year_start",
                condition=~Q(status="approved"),
                name="assessment_one_open_version_per_year",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssessmentStatus.values), name="assessment_status_valid"
            ),
            models.CheckConstraint(
                condition=(Q(status="approved") & Q(approved_at__isnull=False))
                | (~Q(status="approved") & Q(approved_at__isnull=True)),
                name="assessment_approved_iff_approved_at",
            ),
        ]

    def __str__(self) -> str:
        return _("Strategic assessment %(year)s, version %(version)s") % {
            "year": self.year_label,
            "version": self.version,
        }

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year_start)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_ASSESSMENT_STATUSES

    @property
    def is_approved(self) -> bool:
        return self.status == AssessmentStatus.APPROVED


class SectionKind(models.TextChoices):
    """The sections the statutory cycle needs, in the order the document reads."""

    CRIME_LEVELS = (
        "crime_levels",
        _("Levels and patterns of crime, disorder and substance misuse"),
    )
    CHANGES = "changes", _("Changes since the last assessment")
    COMMUNITY = "community", _("What the community said")
    PLAN_DELIVERY = "plan_delivery", _("How far the current partnership plan was delivered")
    REDUCING_REOFFENDING = "reducing_reoffending", _("Reducing reoffending")
    SERIOUS_VIOLENCE = "serious_violence", _("Serious violence (strategic needs assessment)")


SECTION_HINTS = {
    SectionKind.CRIME_LEVELS: _(
        "What the police recorded crime figures below, partners' data and local intelligence "
        "show about crime, anti-social behaviour, disorder and substance misuse in the area."
    ),
    SectionKind.CHANGES: _("What has changed since the last strategic assessment, and why."),
    SectionKind.COMMUNITY: _(
        "Results of consultation with people who live and work in the area, and the annual "
        "public meeting."
    ),
    SectionKind.PLAN_DELIVERY: _(
        "How far the priorities and actions of the current partnership plan were delivered."
    ),
    SectionKind.REDUCING_REOFFENDING: _(
        "Levels and patterns of reoffending, and what the partnership does to reduce them."
    ),
    SectionKind.SERIOUS_VIOLENCE: _(
        "The strategic needs assessment for serious violence under the Serious Violence Duty."
    ),
}


class AssessmentSection(models.Model):
    assessment = models.ForeignKey(
        StrategicAssessment, on_delete=models.CASCADE, related_name="sections"
    )
    kind = models.CharField(_("section"), max_length=32, choices=SectionKind.choices)
    body = models.TextField(_("text"), blank=True)
    # Only the community section records the annual public meeting.
    public_meeting_date = models.DateField(
        _("date of the annual public meeting"), null=True, blank=True
    )
    public_meeting_attendance = models.PositiveIntegerField(
        _("people who attended"), null=True, blank=True
    )
    public_meeting_issues = models.TextField(_("issues raised at the meeting"), blank=True)
    # Incremented on every save; an edit made from an older revision is refused.
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint("assessment", "kind", name="assessment_section_once"),
            models.CheckConstraint(
                condition=Q(kind="community")
                | (
                    Q(public_meeting_date__isnull=True)
                    & Q(public_meeting_attendance__isnull=True)
                    & Q(public_meeting_issues="")
                ),
                name="assessment_section_public_meeting_only_in_community",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def is_complete(self) -> bool:
        if not self.body.strip():
            return False
        if self.kind == SectionKind.COMMUNITY:
            return self.public_meeting_date is not None
        return True


class RecommendedPriority(models.Model):
    assessment = models.ForeignKey(
        StrategicAssessment, on_delete=models.CASCADE, related_name="priorities"
    )
    theme = models.CharField(_("priority theme"), max_length=32, choices=PriorityTheme.choices)
    rationale = models.TextField(_("why it should be a priority"))
    evidence = models.TextField(_("evidence"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = _("recommended priorities")
        constraints = [
            models.UniqueConstraint("assessment", "theme", name="recommended_priority_once"),
        ]

    def __str__(self) -> str:
        return str(self.get_theme_display())


class ContributionStatus(models.TextChoices):
    REQUESTED = "requested", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    ACCEPTED = "accepted", _("Accepted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


CONTRIBUTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ContributionStatus.REQUESTED: frozenset(
        {ContributionStatus.IN_PROGRESS, ContributionStatus.SUBMITTED, ContributionStatus.WITHDRAWN}
    ),
    ContributionStatus.IN_PROGRESS: frozenset(
        {ContributionStatus.SUBMITTED, ContributionStatus.WITHDRAWN}
    ),
    ContributionStatus.SUBMITTED: frozenset(
        {ContributionStatus.ACCEPTED, ContributionStatus.RETURNED}
    ),
    ContributionStatus.RETURNED: frozenset(
        {ContributionStatus.IN_PROGRESS, ContributionStatus.SUBMITTED, ContributionStatus.WITHDRAWN}
    ),
    ContributionStatus.ACCEPTED: frozenset(),
    ContributionStatus.WITHDRAWN: frozenset(),
}

# Waiting for the organisation: these are late once their due date has passed.
AWAITING_ANSWER = frozenset(
    {ContributionStatus.REQUESTED, ContributionStatus.IN_PROGRESS, ContributionStatus.RETURNED}
)


class ContributionRequestQuerySet(models.QuerySet):
    def awaiting_answer(self):
        return self.filter(status__in=AWAITING_ANSWER)

    def finished(self):
        return self.exclude(status__in=AWAITING_ANSWER)

    def late(self, *, today=None):
        return self.awaiting_answer().filter(due_date__lt=today or timezone.localdate())


class ContributionRequest(models.Model):
    """Questions and data asked of one partner organisation, and that organisation's answer."""

    assessment = models.ForeignKey(
        StrategicAssessment, on_delete=models.CASCADE, related_name="contribution_requests"
    )
    # Denormalised from the assessment so that every tenant query filters one indexed column.
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="contribution_requests"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="contribution_requests",
    )
    title = models.CharField(_("title"), max_length=200)
    questions = models.TextField(_("questions"))
    data_requested = models.TextField(_("data asked for"), blank=True)
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ContributionStatus.choices,
        default=ContributionStatus.REQUESTED,
    )
    answer = models.TextField(_("answer"), blank=True)
    revision = models.PositiveIntegerField(default=1)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # When the organisation's people were emailed about the request (once only).
    notified_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_comment = models.TextField(_("why it was returned"), blank=True)

    objects = ContributionRequestQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "organisation__name", "pk"]
        permissions = [("answer_contributionrequest", "Can answer the contribution request")]
        indexes = [models.Index(fields=["partnership", "status", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ContributionStatus.values),
                name="contribution_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "accepted"]) | Q(submitted_at__isnull=False),
                name="contribution_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.organisation})"

    @property
    def is_awaiting_answer(self) -> bool:
        return self.status in AWAITING_ANSWER

    @property
    def is_late(self) -> bool:
        return self.is_awaiting_answer and self.due_date < timezone.localdate()


class ContributionFigure(models.Model):
    """A number the organisation reports, such as "Domestic abuse incidents, 2025/26: 1,204"."""

    contribution = models.ForeignKey(
        ContributionRequest, on_delete=models.CASCADE, related_name="figures"
    )
    label = models.CharField(_("what it measures"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.unit}".strip()


def _document_path(instance: "ContributionDocument", filename: str) -> str:
    # The stored name is random: the original name is kept in a field and never trusted as a path.
    return f"contributions/{instance.contribution.partnership_id}/{instance.token}"


class ContributionDocument(models.Model):
    """A file attached to a contribution. Served only through a view that checks access."""

    contribution = models.ForeignKey(
        ContributionRequest, on_delete=models.CASCADE, related_name="documents"
    )
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=_document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
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


class ContributionUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(ContributionRequest, on_delete=models.CASCADE)


class ContributionGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(ContributionRequest, on_delete=models.CASCADE)


class EvidenceKind(models.TextChoices):
    CRIME = "crime", _("Police recorded crime")
    CONTRIBUTION = "contribution", _("A partner's contribution")
    CONSULTATION = "consultation", _("Consultation findings")


class PriorityEvidence(models.Model):
    """A recommended priority's evidence, cited as a link to the record it rests on: an offence
    group's figures in one police recorded crime release, an accepted contribution (with its
    figures), or the assessment's consultation findings (what the community said)."""

    priority = models.ForeignKey(
        RecommendedPriority, on_delete=models.CASCADE, related_name="citations"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    offence_key = models.CharField(_("offence group"), max_length=60, blank=True)
    release = models.ForeignKey(
        "recorded_crime.CrimeRelease",
        verbose_name=_("release"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # What was cited, in words and numbers that outlive a release replaced or removed.
    release_label = models.CharField(_("period"), max_length=60, blank=True)
    count = models.PositiveIntegerField(_("offences when cited"), null=True, blank=True)
    contribution = models.ForeignKey(
        ContributionRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    section = models.ForeignKey(
        AssessmentSection, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    cited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["priority", "pk"]
        verbose_name_plural = _("priorities' evidence")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="crime") & ~Q(offence_key=""))
                | (Q(kind="contribution") & Q(contribution__isnull=False))
                | (Q(kind="consultation") & Q(section__isnull=False)),
                name="priority_evidence_kind_has_its_record",
            ),
            models.UniqueConstraint(
                "priority",
                "offence_key",
                condition=Q(kind="crime"),
                name="priority_evidence_offence_once",
            ),
            models.UniqueConstraint(
                "priority",
                "contribution",
                condition=Q(kind="contribution"),
                name="priority_evidence_contribution_once",
            ),
            models.UniqueConstraint(
                "priority",
                "section",
                condition=Q(kind="consultation"),
                name="priority_evidence_section_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority}: {self.get_kind_display()}"


class AssessmentComment(ConsultationComment):
    """A member's comment on an assessment version in review, on the whole or on one section or
    recommended priority of it, and the coordinator's response: the version's consultation log,
    kept with it once it is approved."""

    assessment = models.ForeignKey(
        StrategicAssessment, on_delete=models.CASCADE, related_name="comments"
    )
    # Denormalised from the assessment so that every tenant query filters one indexed column.
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="assessment_comments"
    )
    section = models.ForeignKey(
        AssessmentSection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    priority = models.ForeignKey(
        RecommendedPriority,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )

    class Meta(ConsultationComment.Meta):
        indexes = [models.Index(fields=["partnership", "assessment", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CommentStatus.values),
                name="assessment_comment_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(response=""),
                name="assessment_comment_response_with_status",
            ),
        ]
