"""The three-year partnership plan: its priorities, actions and measures, its sign-off, its
progress each quarter, and the documents rendered from each version."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from assessments.models import PriorityTheme, StrategicAssessment, financial_year_label
from authorities.models import Organisation, PoliceForceArea
from partnerships.consultation import CommentStatus, ConsultationComment
from partnerships.models import Partnership, Seat

PLAN_YEARS = 3


class Quarter:
    """A quarter of a financial year: Q1 is April to June, Q4 January to March."""

    def __init__(self, year_start: int, number: int):
        if number not in (1, 2, 3, 4):
            raise ValueError(number)
        self.year_start, self.number = year_start, number

    def __eq__(self, other):
        return isinstance(other, Quarter) and self.key == other.key

    def __hash__(self):
        return hash(self.key)

    def __lt__(self, other):
        return self.key < other.key

    def __repr__(self):
        return f"Quarter({self.year_start}, {self.number})"

    def __str__(self):
        return f"{financial_year_label(self.year_start)} Q{self.number}"

    @property
    def key(self) -> tuple[int, int]:
        return (self.year_start, self.number)

    @property
    def code(self) -> str:
        """A stable form value, such as "2027-1"."""
        return f"{self.year_start}-{self.number}"

    @classmethod
    def from_code(cls, code: str) -> "Quarter":
        year, number = code.split("-")
        return cls(int(year), int(number))

    @property
    def starts_on(self) -> date:
        month = 4 + 3 * (self.number - 1)
        return date(self.year_start + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def ends_on(self) -> date:
        following = self.next()
        return date.fromordinal(following.starts_on.toordinal() - 1)

    def next(self) -> "Quarter":
        if self.number == 4:
            return Quarter(self.year_start + 1, 1)
        return Quarter(self.year_start, self.number + 1)

    @classmethod
    def containing(cls, day: date) -> "Quarter":
        year_start = day.year if day.month >= 4 else day.year - 1
        return cls(year_start, (day.month - 4) % 12 // 3 + 1)


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("Consultation")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")


PLAN_TRANSITIONS: dict[str, frozenset[str]] = {
    PlanStatus.DRAFT: frozenset({PlanStatus.CONSULTATION}),
    # Consultation ends in approval (once the sign-offs are in) or goes back for changes.
    PlanStatus.CONSULTATION: frozenset({PlanStatus.DRAFT, PlanStatus.APPROVED}),
    PlanStatus.APPROVED: frozenset({PlanStatus.PUBLISHED}),
    # A published plan is superseded when its annual refresh is approved and published.
    PlanStatus.PUBLISHED: frozenset({PlanStatus.SUPERSEDED}),
    PlanStatus.SUPERSEDED: frozenset(),
}

# Approved versions are frozen; only these statuses let the text change.
EDITABLE_PLAN_STATUSES = frozenset({PlanStatus.DRAFT, PlanStatus.CONSULTATION})
# What people outside the drafting group (contributors from consultation on, scrutiny, PCC) see.
ISSUED_PLAN_STATUSES = frozenset({PlanStatus.APPROVED, PlanStatus.PUBLISHED, PlanStatus.SUPERSEDED})


class PartnershipPlan(models.Model):
    """One version of a partnership's three-year plan. Each annual refresh is a new version."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="partnership_plans"
    )
    period_start = models.PositiveSmallIntegerField(_("first financial year"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    assessment = models.ForeignKey(
        StrategicAssessment,
        verbose_name=_("strategic assessment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    previous_version = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    # Bumped by every change to the plan's content, so a rendered document knows it is current.
    content_revision = models.PositiveIntegerField(default=1)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    # The published summary as it was published (plans.documents.summary_snapshot): the public
    # page and the summary PDF both show this, so they agree, and later progress changes neither.
    published_summary = models.JSONField(null=True, blank=True, editable=False)
    # Consultation takes comments until the end of this day, or until the coordinator closes it.
    consultation_closes_on = models.DateField(_("consultation closes on"), null=True, blank=True)
    consultation_closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "-version"]
        constraints = [
            models.UniqueConstraint(
                "partnership", "period_start", "version", name="plan_version_unique"
            ),
            models.UniqueConstraint(
                "partnership",
                condition=Q(status__in=["draft", "consultation"]),
                name="plan_one_in_drafting",
            ),
            models.UniqueConstraint(
                "partnership", condition=Q(status="approved"), name="plan_one_awaiting_publication"
            ),
            models.UniqueConstraint(
                "partnership", condition=Q(status="published"), name="plan_one_published"
            ),
            models.CheckConstraint(
                condition=Q(status__in=PlanStatus.values), name="plan_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "consultation"]) | Q(approved_at__isnull=False),
                name="plan_issued_has_approval",
            ),
        ]

    def __str__(self) -> str:
        return _("Partnership plan %(period)s, version %(version)s") % {
            "period": self.period_label,
            "version": self.version,
        }

    @property
    def period_label(self) -> str:
        return f"{self.period_start} to {self.period_start + PLAN_YEARS}"

    @property
    def starts_on(self) -> date:
        return date(self.period_start, 4, 1)

    @property
    def ends_on(self) -> date:
        return date(self.period_start + PLAN_YEARS, 3, 31)

    @property
    def quarters(self) -> list[Quarter]:
        return [
            Quarter(year, number)
            for year in range(self.period_start, self.period_start + PLAN_YEARS)
            for number in (1, 2, 3, 4)
        ]

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_PLAN_STATUSES

    @property
    def takes_comments(self) -> bool:
        return self.takes_comments_on(timezone.localdate())

    def takes_comments_on(self, today: date) -> bool:
        """In consultation, not closed by the coordinator, and its closing date not passed."""
        return (
            self.status == PlanStatus.CONSULTATION
            and self.consultation_closed_at is None
            and (self.consultation_closes_on is None or today <= self.consultation_closes_on)
        )

    @property
    def is_issued(self) -> bool:
        return self.status in ISSUED_PLAN_STATUSES

    @property
    def is_in_force(self) -> bool:
        """Progress is reported on this version: it is published, or approved and not waiting to
        replace a published one (load ``previous_version`` with it to spare a query).
        ``deadlines.in_force_filter`` is the same rule as a filter."""
        if self.status == PlanStatus.PUBLISHED:
            return True
        if self.status != PlanStatus.APPROVED:
            return False
        previous = self.previous_version
        return previous is None or previous.status != PlanStatus.PUBLISHED


class PlanSectionKind(models.TextChoices):
    SUMMARY = "summary", _("Summary")
    REDUCING_REOFFENDING = "reducing_reoffending", _("Reducing reoffending strategy")
    SERIOUS_VIOLENCE = "serious_violence", _("Serious violence strategy")
    INFORMATION_SHARING = "information_sharing", _("How information sharing is implemented")
    PCC_PRIORITIES = (
        "pcc_priorities",
        _("How the police and crime plan was taken into account"),
    )
    RESOURCES = "resources", _("How partner resources are allocated")
    # Welsh partnerships only (plans.bilingual.section_kinds): the Well-being of Future
    # Generations (Wales) Act 2015 has the Public Services Board publish a local well-being plan.
    WELLBEING_PLAN = (
        "wellbeing_plan",
        _("Alignment with the Public Services Board's well-being plan"),
    )


class PlanSection(models.Model):
    """Text written in Markdown; the page and the PDF show it sanitised (csp_portal.richtext)."""

    plan = models.ForeignKey(PartnershipPlan, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(_("section"), max_length=32, choices=PlanSectionKind.choices)
    body = models.TextField(_("text"), blank=True)
    # The Welsh text of a Welsh partnership's section (plans.bilingual); blank in England.
    body_cy = models.TextField(_("text in Welsh"), blank=True)
    # Only the information sharing section records the protocol in force.
    protocol_title = models.CharField(_("protocol title"), max_length=200, blank=True)
    protocol_signatories = models.TextField(_("signatories"), blank=True)
    protocol_review_date = models.DateField(_("review date"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint("plan", "kind", name="plan_section_once"),
            models.CheckConstraint(
                condition=Q(kind="information_sharing")
                | (
                    Q(protocol_title="")
                    & Q(protocol_signatories="")
                    & Q(protocol_review_date__isnull=True)
                ),
                name="plan_section_protocol_only_in_information_sharing",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def signatories(self) -> list[str]:
        return [line.strip() for line in self.protocol_signatories.splitlines() if line.strip()]


class PoliceAndCrimePlanPriority(models.Model):
    """A priority of the police and crime plan of a force area, as its PCC publishes it."""

    police_force_area = models.ForeignKey(
        PoliceForceArea, on_delete=models.CASCADE, related_name="police_and_crime_priorities"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # A retired priority stays on the plans that served it but is offered for no new mapping.
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = _("police and crime plan priorities")
        constraints = [
            models.UniqueConstraint("police_force_area", "title", name="pcc_priority_title_unique")
        ]

    def __str__(self) -> str:
        return self.title


class PlanPriority(models.Model):
    plan = models.ForeignKey(PartnershipPlan, on_delete=models.CASCADE, related_name="priorities")
    theme = models.CharField(_("priority theme"), max_length=32, choices=PriorityTheme.choices)
    rationale = models.TextField(_("why it is a priority"))
    # The assessment's recommended priority it started from, whose cited evidence (links to
    # figures, contributions and findings) it keeps, and that priority's evidence as written.
    recommended = models.ForeignKey(
        "assessments.RecommendedPriority",
        verbose_name=_("recommended priority"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence = models.TextField(_("evidence"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    objectives_cy = models.TextField(_("objectives in Welsh"), blank=True)
    # Shown in the full plan only (the summary leaves it out): its Welsh PDF needs it in Welsh.
    rationale_cy = models.TextField(_("why it is a priority, in Welsh"), blank=True)
    pcc_priorities = models.ManyToManyField(
        PoliceAndCrimePlanPriority,
        verbose_name=_("police and crime plan priorities it serves"),
        blank=True,
        related_name="plan_priorities",
    )
    position = models.PositiveSmallIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = _("plan priorities")
        constraints = [models.UniqueConstraint("plan", "theme", name="plan_priority_once")]

    def __str__(self) -> str:
        return str(self.get_theme_display())


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    OFF_TRACK = "off_track", _("Off track")
    COMPLETE = "complete", _("Complete")


class PlanAction(models.Model):
    """What will be done for a priority, led by one organisation of the partnership."""

    plan = models.ForeignKey(PartnershipPlan, on_delete=models.CASCADE, related_name="actions")
    # Denormalised from the plan so that every tenant query filters one indexed column.
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="plan_actions"
    )
    priority = models.ForeignKey(PlanPriority, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("what will be done"))
    description_cy = models.TextField(_("what will be done, in Welsh"), blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("lead organisation"),
        on_delete=models.PROTECT,
        related_name="led_plan_actions",
    )
    supporting_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("supporting organisations"),
        blank=True,
        related_name="supported_plan_actions",
    )
    start_date = models.DateField(_("start date"))
    due_date = models.DateField(_("due date"))
    resources = models.TextField(_("resources"), blank=True)
    resources_cy = models.TextField(_("resources, in Welsh"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    position = models.PositiveSmallIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["priority__position", "position", "pk"]
        permissions = [("report_progress_planaction", "Can report progress on the action")]
        indexes = [
            models.Index(fields=["partnership", "status"]),
            # A person's actions (Your actions): those their organisation leads in each of their
            # partnerships, found by the pair, not among every action the organisation ever led
            # anywhere (issue 17).
            models.Index(fields=["partnership", "lead_organisation"], name="plan_action_lead_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ActionStatus.values), name="plan_action_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("start_date")),
                name="plan_action_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:80]


class PlanActionUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(PlanAction, on_delete=models.CASCADE)


class PlanActionGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(PlanAction, on_delete=models.CASCADE)


class Measure(models.Model):
    """How an action's effect is measured: a baseline, a target and an actual each quarter."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(_("measure"), max_length=200)
    name_cy = models.CharField(_("measure in Welsh"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    higher_is_better = models.BooleanField(_("a higher value is better"), default=True)
    position = models.PositiveSmallIntegerField(default=0)
    # A series the portal imports (plans.series names them, like "crime:violence_with_injury:
    # rate"): each import fills the actual of the quarter it covers, and nobody types it.
    series = models.CharField(_("filled from"), max_length=80, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_bound(self) -> bool:
        return bool(self.series)

    @property
    def series_label(self) -> str:
        from .series import series_label

        return series_label(self.series)


class MeasureActual(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="actuals")
    year_start = models.PositiveSmallIntegerField(_("financial year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)
    # Provenance of an imported actual (a bound measure's): what it came from, in words that
    # outlive the release row, and the release itself while it is here.
    source = models.CharField(_("source"), max_length=300, blank=True)
    source_release = models.ForeignKey(
        "recorded_crime.CrimeRelease",
        verbose_name=_("release"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    # Each import or correction of the figure: [{"at", "value", "source", "event"}], oldest first.
    history = models.JSONField(_("history"), default=list, blank=True)

    class Meta:
        ordering = ["year_start", "quarter"]
        constraints = [
            models.UniqueConstraint(
                "measure", "year_start", "quarter", name="measure_actual_once_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="measure_actual_quarter_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure}, {self.period}: {self.value}"

    @property
    def period(self) -> Quarter:
        return Quarter(self.year_start, self.quarter)


class ProgressUpdate(models.Model):
    """The lead organisation's report on an action for one quarter."""

    action = models.ForeignKey(
        PlanAction, on_delete=models.CASCADE, related_name="progress_updates"
    )
    year_start = models.PositiveSmallIntegerField(_("financial year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    narrative = models.TextField(_("progress"))
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices)
    # The quarter's report (narrative, status and the measures' actuals) as it was last saved: a
    # report made from an older one is refused (csp_portal.concurrency).
    revision = models.PositiveIntegerField(default=1)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year_start", "-quarter"]
        # "Which actions have an update for this quarter": the dashboards' and the force area's
        # overdue counts ask it of every action of many plans at once (issue 17).
        indexes = [
            models.Index(fields=["year_start", "quarter", "action"], name="progress_update_quarter")
        ]
        constraints = [
            models.UniqueConstraint(
                "action", "year_start", "quarter", name="progress_update_once_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="progress_update_quarter_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action}, {self.period}"

    @property
    def period(self) -> Quarter:
        return Quarter(self.year_start, self.quarter)


class ProgressReport(models.Model):
    """Progress on the plan in force for one quarter, as the coordinator issued it to scrutiny and
    the PCC: a frozen snapshot. ``figures`` holds the numbers and the words as they stood at
    issue (see ``plans.selectors.reports.snapshot``), so later updates never change a report.
    Reports are issued in quarter order; each keeps the one before it, for the trend."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="progress_reports"
    )
    plan = models.ForeignKey(
        PartnershipPlan, on_delete=models.PROTECT, related_name="progress_reports"
    )
    year_start = models.PositiveSmallIntegerField(_("financial year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next_report"
    )
    figures = models.JSONField()
    # The coordinator's words to the committee, written at issue; a Welsh partnership's in Welsh
    # too (plans.bilingual), required beside the English before the report can be issued.
    narrative = models.TextField(_("summary for the committee"), blank=True)
    narrative_cy = models.TextField(_("summary for the committee, in Welsh"), blank=True)
    as_at = models.DateField(_("figures as at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_by_name = models.CharField(max_length=150)
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year_start", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                "partnership", "year_start", "quarter", name="progress_report_once_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="progress_report_quarter_valid"
            ),
        ]

    def __str__(self) -> str:
        return _("Progress report %(quarter)s") % {"quarter": self.period}

    @property
    def period(self) -> Quarter:
        return Quarter(self.year_start, self.quarter)


class ApprovalRule(models.Model):
    """Which seats must sign a plan off before it is approved: data, set by each partnership."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="plan_approval_rule"
    )
    required_seats = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return ", ".join(self.required_seats)

    @staticmethod
    def default_seats() -> list[str]:
        return [str(seat) for seat in Seat.statutory()]


class SignOff(models.Model):
    """A strategy group member's sign-off of a plan version, for the seat they sit in."""

    plan = models.ForeignKey(PartnershipPlan, on_delete=models.CASCADE, related_name="sign_offs")
    seat = models.CharField(_("seat"), max_length=32, choices=Seat.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # As it stood at sign-off, for the governance block of the document.
    name = models.CharField(max_length=150)
    organisation_name = models.CharField(max_length=200)
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["signed_at", "pk"]
        constraints = [models.UniqueConstraint("plan", "seat", name="plan_sign_off_once_per_seat")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_seat_display()})"


class ProgressReportRead(models.Model):
    """One person has opened an issued progress report, so it is no longer new to them on Your
    work (each reader's own: the committee's other members still see it)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint("report", "user", name="progress_report_read_once")]

    def __str__(self) -> str:
        return f"{self.report} ({self.user_id})"


class PlanComment(ConsultationComment):
    """A member's comment on a plan version in consultation, on the plan as a whole or on one
    section, priority or action of it, and the coordinator's response: the version's
    consultation log, frozen with it once it is approved."""

    plan = models.ForeignKey(PartnershipPlan, on_delete=models.CASCADE, related_name="comments")
    # Denormalised from the plan so that every tenant query filters one indexed column.
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="plan_comments"
    )
    section = models.ForeignKey(
        PlanSection, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    priority = models.ForeignKey(
        PlanPriority, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    action = models.ForeignKey(
        PlanAction, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )

    class Meta(ConsultationComment.Meta):
        indexes = [models.Index(fields=["partnership", "plan", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CommentStatus.values), name="plan_comment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(response=""),
                name="plan_comment_response_with_status",
            ),
        ]


class DocumentKind(models.TextChoices):
    PLAN = "plan", _("Partnership plan")
    SUMMARY = "summary", _("Published summary")


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RENDERING = "rendering", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class PlanDocument(models.Model):
    """A PDF rendered from one state of one plan version. Served only through views that check
    access; a frozen version's document is made once and kept."""

    plan = models.ForeignKey(PartnershipPlan, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=16, choices=DocumentKind.choices)
    # The summary of a Welsh partnership is made in English and in Welsh, one document each
    # (PDF/UA: one /Lang per document); everything else in English.
    language = models.CharField(max_length=8, default="en")
    content_revision = models.PositiveIntegerField()
    status = models.CharField(
        max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    file = models.FileField(upload_to="plans/", max_length=200, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Renders lost since it was last asked for (a worker killed, a task that never reached the
    # broker) that the periodic heal queued again; past a limit it is marked failed instead.
    requeued = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "plan",
                "kind",
                "language",
                "content_revision",
                name="plan_document_once_per_revision",
            )
        ]
        # The heal's query every minute: the few documents waiting or being made.
        indexes = [
            models.Index(
                fields=["status"],
                condition=Q(status__in=["queued", "rendering"]),
                name="plan_document_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} ({self.get_kind_display()}, {self.get_status_display()})"


# Community safety grants ------------------------------------------------------------------------

GRANT_TITLE_MAX_LENGTH = 200
GRANT_TEXT_MAX_LENGTH = 5_000
# Up to £9,999,999,999.99: a grant, or a quarter's spend of it.
MONEY_DIGITS = 12


class GrantStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    ENDED = "ended", _("Ended")


GRANT_TRANSITIONS: dict[str, frozenset[str]] = {
    # The partnership accepts an offer on its conditions, or the body withdraws it (ends it).
    GrantStatus.OFFERED: frozenset({GrantStatus.ACCEPTED, GrantStatus.ENDED}),
    GrantStatus.ACCEPTED: frozenset({GrantStatus.ENDED}),
    GrantStatus.ENDED: frozenset(),
}


class CommunitySafetyGrant(models.Model):
    """A local policing body's community safety grant to a partnership (Police Reform and Social
    Responsibility Act 2011 s9): how much, for which financial years, on what conditions, and
    which actions and measures of the plan in force it funds. The body is the one holding the
    force area's commissioner functions on ``offered_on`` (``authorities.selectors``), so the
    grant keeps the right title when the body changes; ``offered_by`` is the organisation whose
    office recorded it, and only that office changes or ends it."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="community_safety_grants"
    )
    plan = models.ForeignKey(PartnershipPlan, on_delete=models.PROTECT, related_name="grants")
    offered_by = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="community_safety_grants"
    )
    offered_on = models.DateField(_("offered on"))
    title = models.CharField(
        _("what the grant is for"),
        max_length=GRANT_TITLE_MAX_LENGTH,
        error_messages={"blank": _("Say what the grant is for")},
    )
    amount = models.DecimalField(_("amount (£)"), max_digits=MONEY_DIGITS, decimal_places=2)
    first_year = models.PositiveSmallIntegerField(_("first financial year"))
    last_year = models.PositiveSmallIntegerField(_("last financial year"))
    conditions = models.TextField(_("conditions"), blank=True, max_length=GRANT_TEXT_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=16, choices=GrantStatus.choices, default=GrantStatus.OFFERED
    )
    actions = models.ManyToManyField(
        PlanAction, verbose_name=_("actions it funds"), blank=True, related_name="grants"
    )
    measures = models.ManyToManyField(
        Measure, verbose_name=_("measures it funds"), blank=True, related_name="grants"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The last day spend is reported for, once it has ended.
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-first_year", "-offered_on", "-pk"]
        verbose_name = _("community safety grant")
        indexes = [models.Index(fields=["partnership", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=GrantStatus.values), name="grant_status_valid"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="grant_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(last_year__gte=models.F("first_year")),
                name="grant_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status="ended") | Q(ended_on__isnull=True),
                name="grant_ended_on_only_when_ended",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period_label(self) -> str:
        if self.first_year == self.last_year:
            return financial_year_label(self.first_year)
        return f"{financial_year_label(self.first_year)} to {financial_year_label(self.last_year)}"

    @property
    def quarters(self) -> list[Quarter]:
        return [
            Quarter(year, number)
            for year in range(self.first_year, self.last_year + 1)
            for number in (1, 2, 3, 4)
        ]

    @property
    def starts_on(self) -> date:
        return date(self.first_year, 4, 1)

    @property
    def ends_on(self) -> date:
        return date(self.last_year + 1, 3, 31)


class GrantSpendReturn(models.Model):
    """What the partnership spent of a grant in one quarter and what it achieved: reported with
    the quarter's progress, once per grant and quarter (corrections revise it)."""

    grant = models.ForeignKey(
        CommunitySafetyGrant, on_delete=models.CASCADE, related_name="spend_returns"
    )
    # Denormalised from the grant so that every tenant query filters one indexed column.
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="grant_spend_returns"
    )
    year_start = models.PositiveSmallIntegerField(_("financial year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    amount_spent = models.DecimalField(
        _("amount spent (£)"), max_digits=MONEY_DIGITS, decimal_places=2
    )
    outcome = models.TextField(_("outcome"), max_length=GRANT_TEXT_MAX_LENGTH)
    revision = models.PositiveIntegerField(default=1)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year_start", "quarter"]
        indexes = [models.Index(fields=["partnership", "year_start", "quarter"])]
        constraints = [
            models.UniqueConstraint(
                "grant", "year_start", "quarter", name="grant_spend_once_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="grant_spend_quarter_valid"
            ),
            models.CheckConstraint(
                condition=Q(amount_spent__gte=0), name="grant_spend_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant}, {self.period}"

    @property
    def period(self) -> Quarter:
        return Quarter(self.year_start, self.quarter)
